"""The keyboard table, the actions made from it, the J/K/L shuttle and the shortcuts sheet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from vigstudio.ui.shortcuts import (
    GROUPS,
    SHORTCUTS,
    ShortcutsSheet,
    ShuttleMotion,
    ShuttleState,
    configure_action,
    describe_shortcut,
    keys_text,
    make_actions,
    shortcut_actions,
    spec,
    tooltip,
)

# The keys issue 5 asks for, as the table must have them.
ISSUE_KEYS = {
    "play_pause": {"Space", "K"},
    "step_back": {"Left"}, "step_forward": {"Right"},
    "second_back": {"Shift+Left"}, "second_forward": {"Shift+Right"},
    "go_start": {"Home"}, "go_end": {"End"},
    "shuttle_back": {"J"}, "shuttle_forward": {"L"},
    "mark_in": {"I"}, "mark_out": {"O"},
    "make_clip": {"C", "Return"},
    "add_marker": {"M"}, "take_still": {"S"},
    "zoom_in": {"+"}, "zoom_out": {"-"},
    "undo": {"Ctrl+Z"}, "redo": {"Ctrl+Shift+Z", "Ctrl+Y"},
    "shortcuts_sheet": {"F1", "?"},
}


def portable(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def test_table_has_every_key_from_the_issue():
    for action_id, keys in ISSUE_KEYS.items():
        assert keys <= {portable(k) for k in spec(action_id).keys}, action_id


def test_no_key_sequence_is_used_twice():
    seen: dict[str, str] = {}
    for row in SHORTCUTS:
        for key in row.keys:
            name = portable(key)
            assert name, f"{row.id}: {key!r} does not parse"
            assert name not in seen, f"{name} is bound to both {seen.get(name)} and {row.id}"
            seen[name] = row.id


def test_rows_are_complete_and_ids_unique():
    assert len({row.id for row in SHORTCUTS}) == len(SHORTCUTS)
    for row in SHORTCUTS:
        assert row.label and row.help and row.keys and row.group in GROUPS


def test_keys_text_and_tooltips_read_well():
    assert tooltip("play_pause") == "Play/pause (Space, K)"
    assert keys_text("make_clip") == "C, Enter"  # Return and keypad Enter read the same
    assert keys_text("redo") == "Ctrl+Shift+Z, Ctrl+Y"
    assert tooltip("play_pause", "Pause") == "Pause (Space, K)"
    with pytest.raises(KeyError, match="no_such_action"):
        spec("no_such_action")


@pytest.fixture
def host(qtbot):
    widget = QWidget()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.editor = QLineEdit()  # e.g. a clip title being typed
    QVBoxLayout(widget).addWidget(widget.editor)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.setFocus()
    return widget


KEY_PRESSES = [
    ("play_pause", Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
    ("play_pause", Qt.Key.Key_K, Qt.KeyboardModifier.NoModifier),
    ("step_forward", Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),
    ("second_back", Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier),
    ("go_end", Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier),
    ("make_clip", Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    ("make_clip", Qt.Key.Key_C, Qt.KeyboardModifier.NoModifier),
    ("zoom_out", Qt.Key.Key_Minus, Qt.KeyboardModifier.NoModifier),
    ("redo", Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
    ("shortcuts_sheet", Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
    ("shortcuts_sheet", Qt.Key.Key_Question, Qt.KeyboardModifier.NoModifier),
]


@pytest.mark.parametrize(("action_id", "key", "modifier"), KEY_PRESSES,
                         ids=[f"{a}-{k.name}" for a, k, _ in KEY_PRESSES])
def test_a_key_press_reaches_its_handler_and_only_it(host, qtbot, action_id, key, modifier):
    calls: list[str] = []
    handlers = {row.id: (lambda i=row.id: calls.append(i)) for row in SHORTCUTS}
    actions = make_actions(host, handlers)
    assert set(actions) == set(handlers)
    qtbot.keyClick(host, key, modifier)
    assert calls == [action_id]


def test_actions_carry_label_tooltip_and_context(host):
    actions = make_actions(host, {"play_pause": lambda: None, "step_back": lambda: None})
    play = actions["play_pause"]
    assert play.text() == "Play/pause"
    assert play.toolTip() == "Play/pause (Space, K)"
    assert play.shortcutContext() == Qt.ShortcutContext.WindowShortcut
    assert not play.autoRepeat() and actions["step_back"].autoRepeat()
    assert play in host.actions()
    with pytest.raises(KeyError):
        make_actions(host, {"no_such_action": lambda: None})


def test_letter_keys_type_into_a_text_field_instead(host, qtbot):
    calls: list[str] = []
    make_actions(host, {"mark_in": lambda: calls.append("mark_in"), "step_back": lambda: calls.append("left")})
    host.editor.setFocus()
    qtbot.keyClicks(host.editor, "Hi")
    assert host.editor.text() == "Hi"
    assert calls == []


def test_configure_action_keeps_an_undo_stacks_own_text(host, qtbot):
    stack = QUndoStack(host)
    undo: QAction = stack.createUndoAction(host, "Undo")
    configure_action(undo, "undo")
    assert [s.toString() for s in undo.shortcuts()] == ["Ctrl+Z"]
    assert undo.text() == "Undo" and undo.toolTip() == "Undo (Ctrl+Z)"


def test_shuttle_forward_ladder_and_stop():
    shuttle = ShuttleState()
    assert shuttle.motion.stopped
    rates = [shuttle.forward() for _ in range(5)]
    assert rates == [ShuttleMotion(1, 1.0), ShuttleMotion(1, 2.0), ShuttleMotion(1, 4.0),
                     ShuttleMotion(1, 8.0), ShuttleMotion(1, 8.0)]  # stays at the top
    assert shuttle.stop().stopped and shuttle.motion.rate == 0.0
    assert shuttle.forward() == ShuttleMotion(1, 1.0)  # after K, L starts again at 1×


def test_shuttle_backward_and_reversing():
    shuttle = ShuttleState()
    assert shuttle.backward() == ShuttleMotion(-1, 1.0)
    assert shuttle.backward() == ShuttleMotion(-1, 2.0)
    assert shuttle.forward() == ShuttleMotion(1, 1.0)  # the other key reverses at the first rung
    assert shuttle.backward() == ShuttleMotion(-1, 1.0)
    assert shuttle.motion.frames_per_second(25.0) == -25.0


def test_shuttle_ladder_can_be_capped_to_the_players_speeds():
    shuttle = ShuttleState(max_rate=2.0)
    assert [shuttle.forward().rate for _ in range(4)] == [1.0, 2.0, 2.0, 2.0]
    with pytest.raises(ValueError):
        ShuttleState(max_rate=0.5)


def test_shuttle_step_plan_for_backward_motion():
    shuttle = ShuttleState()
    assert shuttle.step_plan(30.0) is None  # stopped
    shuttle.backward()
    plan = shuttle.step_plan(30.0)
    assert plan.frames == -2 and plan.interval_ms == pytest.approx(1000 * 2 / 30)  # 30 fps > 25 ticks/s
    shuttle.backward()
    shuttle.backward()
    shuttle.backward()  # 8× at 30 fps = 240 frames/s
    plan = shuttle.step_plan(30.0)
    assert plan.frames == -10 and plan.interval_ms == pytest.approx(1000 * 10 / 240)
    assert abs(plan.frames) / plan.interval_ms * 1000 == pytest.approx(240)
    slow = ShuttleState()
    slow.backward()
    assert slow.step_plan(12.5).frames == -1 and slow.step_plan(12.5).interval_ms == pytest.approx(80)
    assert slow.step_plan(0) is None


def test_sheet_lists_every_action_grouped(host, qtbot):
    make_actions(host, {row.id: (lambda: None) for row in SHORTCUTS})
    sheet = ShortcutsSheet(shortcut_actions(host))
    qtbot.addWidget(sheet)
    assert sheet.action_ids() == [row.id for group in GROUPS for row in SHORTCUTS if row.group == group]
    headings = [sheet.table.topLevelItem(i).text(0) for i in range(sheet.table.topLevelItemCount())]
    assert headings == list(GROUPS)
    shown = {}
    for g in range(sheet.table.topLevelItemCount()):
        heading = sheet.table.topLevelItem(g)
        for i in range(heading.childCount()):
            item = heading.child(i)
            shown[item.text(1)] = item.text(0)
    for row in SHORTCUTS:
        assert shown[row.label] == keys_text(row.id)


def test_the_sheet_lists_actions_made_outside_the_table_and_only_the_windows_own(host, qtbot):
    """An action with its own keys (a list's Delete) is in the sheet with the group and words it gives;
    an action of another window is not."""
    delete = QAction("Delete clip", host)
    delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
    describe_shortcut(delete, "Edit", "Delete the selected clip (in the clip list).")
    host.addAction(delete)
    other = QWidget()
    qtbot.addWidget(other)
    stray = QAction("Elsewhere", other)
    stray.setShortcut(QKeySequence("Ctrl+K"))
    other.addAction(stray)
    sheet = ShortcutsSheet(shortcut_actions(host))
    qtbot.addWidget(sheet)
    [row] = sheet.rows
    assert (row.keys, row.label, row.help, row.group) == ("Delete", "Delete clip",
                                                           "Delete the selected clip (in the clip list).", "Edit")
    with pytest.raises(ValueError, match="no shortcut group"):
        describe_shortcut(delete, "Nowhere", "")


def test_keys_read_as_people_read_them():
    assert keys_text("previous_marker") == "Alt+←" and keys_text("next_marker") == "Alt+→"
    assert keys_text("move_clip_up") == "Alt+↑" and keys_text("move_clip_down") == "Alt+↓"
    assert keys_text("zoom_in") == "+, =" and keys_text("zoom_fit") == "Ctrl+0"
    assert tooltip("zoom_fit") == "Zoom the timeline out to the whole recording (Ctrl+0)"
