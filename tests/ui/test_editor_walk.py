# ruff: noqa: F401, F811  (pytest fixtures imported from the support module are redefined as arguments)
"""A scripted walk from a fresh import to the review ready: three clips, each tagged with a principle
and holding a still whose caption the family will read. Every key press, click and typed text is
counted (a typed text counts once); the issue aims for 40 or fewer."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.test_editor_support import (
    Hands,
    library,
    library_state,
    numbered_video,
    open_editor,
    wait_for_frame,
)

K = Qt.Key
SHIFT = Qt.KeyboardModifier.ShiftModifier
BUDGET = 40

# (first frame, principle, behaviour, caption): the moments a practitioner picked out
MOMENTS = [
    (4, "P2", "P2.1", "You waited, and she turned to you"),
    (30, "P3", "P3.4", "He smiled back when you smiled"),
    (48, "P1", "P1.3", "You turned towards her"),
]


def expand_principle(hands: Hands, tree, code: str) -> None:
    """One click on the principle's expand arrow (left of its row)."""
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 2) == code)
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    hands.click(tree.viewport(), QPoint(tree.indentation() // 2, rect.center().y()))
    assert item.isExpanded()


def behaviour_item(tree, code: str):
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            if top.child(j).data(0, Qt.ItemDataRole.UserRole + 1) == code:
                return top.child(j)
    raise KeyError(code)


def test_fresh_import_to_review_ready_in_few_actions(qtbot, library):
    service, session_id = library  # a fresh import, nothing edited yet
    window = open_editor(qtbot, service, session_id)
    hands = Hands(qtbot, window)
    hands.count += 1  # opening the session from the library (a double-click there)
    tree = window.principles.tree
    for start, principle, behaviour, caption in MOMENTS:
        hands.click_timeline_at(start)  # find the moment
        wait_for_frame(qtbot, window, start)
        hands.key(K.Key_I)
        hands.key(K.Key_Right, SHIFT)  # a second later
        wait_for_frame(qtbot, window, start + 25)
        hands.key(K.Key_O)
        hands.key(K.Key_C)
        expand_principle(hands, tree, principle)
        item = behaviour_item(tree, behaviour)
        tree.scrollToItem(item)
        hands.double_click(tree.viewport(), tree.visualItemRect(item).center())
        hands.key(K.Key_S)  # the still, at the out point (inside the clip)
        hands.type(caption)
        hands.key(K.Key_Escape)

    state = library_state(service, session_id)
    assert [(c.start_frame, c.end_frame) for c, _ in state["clips"]] == [(s, s + 26) for s, *_ in MOMENTS]
    assert [[(t.principle, t.behaviour) for t in tags] for _, tags in state["clips"]] == [
        [(p, b)] for _, p, b, _ in MOMENTS]
    assert [(s.frame, s.caption) for s in state["stills"]] == [(s + 25, c) for s, _, _, c in MOMENTS]
    readiness = window.data.readiness()
    assert readiness.ready
    assert window.side.readiness.text().startswith("Ready for review")
    print(f"\nfresh import → review ready (3 tagged clips, 3 captioned stills): {hands.count} actions")
    assert hands.count <= BUDGET
    window.close()


# --- the whole path: imported recording → three tagged clips and a captioned still → the review running

REVIEW_BUDGET = 30  # the aim: every step by keyboard, at most 30 actions
CLIPS = [(4, 2), (30, 3), (48, 1)]  # (first frame, principle number key)
CAPTION = "You waited, and she turned to you"


def test_imported_recording_to_the_review_running_by_keyboard(qtbot, library):
    from PySide6.QtWidgets import QApplication

    from tests.ui.shell_support import open_window
    from vigstudio.domain.model import Who
    from vigstudio.ui.library_model import NodeKind
    from vigstudio.ui.review import install_review_actions
    from vigstudio.ui.shortcuts import SHORTCUTS

    service, session_id = library  # a fresh import, nothing edited yet
    main = open_window(qtbot, service)
    install_review_actions(main)
    [recording] = [n for n in main.model.all_nodes() if n.kind == NodeKind.RECORDING]
    assert main.tree.select_key(recording.key)  # where an import leaves the selection
    def active() -> bool:
        main.activateWindow()
        return QApplication.activeWindow() is main

    qtbot.waitUntil(active)
    main.tree.setFocus()  # (where the selection is)
    hands = Hands(qtbot, main)
    hands.key(K.Key_E, Qt.KeyboardModifier.ControlModifier)  # open it in the editor
    window = main.editor_launcher.editors[session_id]
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: window.view.frame_index() == 0)
    hands.window = window

    # the keys used below are the ones the shortcut sheet (F1) shows
    shown = {key for row in SHORTCUTS for key in row.keys}
    assert {"P", "1", "2", "3", "F5", "I", "O", "C", "S"} <= shown

    hands.key(K.Key_P)  # who: the parent, for the tags that follow
    for start, number in CLIPS:
        hands.click_timeline_at(start)  # find the moment
        wait_for_frame(qtbot, window, start)
        hands.key(K.Key_I)
        hands.key(K.Key_Right, SHIFT)  # a second later
        wait_for_frame(qtbot, window, start + 25)
        hands.key(K.Key_O)
        hands.key(K.Key_C)  # the clip, selected at once
        hands.key(getattr(K, f"Key_{number}"))  # its principle
    hands.key(K.Key_S)  # a still at the last clip's out point, its caption box open
    hands.type(CAPTION)
    hands.key(K.Key_Escape)
    hands.key(K.Key_F5)

    state = library_state(service, session_id)
    assert [(c.start_frame, c.end_frame) for c, _ in state["clips"]] == [(s, s + 26) for s, _ in CLIPS]
    assert [[(t.principle, t.behaviour, t.who) for t in tags] for _, tags in state["clips"]] == [
        [(f"P{n}", None, Who.PARENT)] for _, n in CLIPS]
    assert [(s.frame, s.caption) for s in state["stills"]] == [(48 + 25, CAPTION)]
    mode = main.review_mode
    assert mode is not None and mode.active and mode.controller.session_id == session_id
    qtbot.waitExposed(mode.family)
    assert mode.family.isFullScreen() and QApplication.activeWindow() in (mode.family, None)
    print(f"\nimported recording → 3 tagged clips, a captioned still, the review running: {hands.count} actions")
    assert hands.count <= REVIEW_BUDGET
    mode.end()
