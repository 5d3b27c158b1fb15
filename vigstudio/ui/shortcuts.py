"""The editor's keyboard map: one table of actions, the QActions made from it, the J/K/L shuttle, and
the shortcuts sheet (F1 or ?).

Tooltips and menus read a shortcut from the action that has it (made from `SHORTCUTS`), and the sheet
lists the actions a window has registered (`shortcut_actions`), so the keys can never disagree between
places and no key is missing from the sheet. An action that is not in the table (a list's own Delete)
says which group and help it belongs to with `describe_shortcut`.

    actions = make_actions(window, {"play_pause": player.toggle, "step_back": lambda: player.step(-1)})
    button.setToolTip(tooltip("step_back"))          # "Back one frame (Left)"

Single-letter and digit keys (Space, I, O, C, M, S, J, K, L, P, H, R, 1–6) do not fire while a text field has focus: Qt's
line and text edits take unmodified text keys before shortcuts see them, so typing a caption is safe.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ShortcutSpec:
    """One editor action: `keys` are QKeySequence strings in portable form ("Shift+Left")."""

    id: str
    label: str
    keys: tuple[str, ...]
    help: str
    group: str
    icon: str | None = None
    #: Whether holding the key repeats the action (stepping yes; play/pause, marking, shuttle no).
    repeat: bool = False
    #: The tooltip's words before the keys, when they are not the label.
    tip: str | None = None


GROUPS: tuple[str, ...] = ("Playback", "Move", "Mark", "Tag", "Timeline", "Edit", "Review", "Window", "Help")
OTHER_GROUP = "Other"  # an action with a shortcut that says no group (there should be none)
# Where the sheet finds an action's group and help (set by `configure_action` / `describe_shortcut`).
GROUP_PROPERTY = "shortcutGroup"
HELP_PROPERTY = "shortcutHelp"

SHORTCUTS: tuple[ShortcutSpec, ...] = (
    ShortcutSpec("play_pause", "Play/pause", ("Space", "K"),
                 "Start or stop playback; K also stops a J/L shuttle.", "Playback", "play"),
    ShortcutSpec("shuttle_back", "Shuttle backward", ("J",),
                 "Play backward; press again to go faster.", "Playback"),
    ShortcutSpec("shuttle_forward", "Shuttle forward", ("L",),
                 "Play forward; press again to go faster.", "Playback"),
    ShortcutSpec("step_back", "Back one frame", ("Left",),
                 "Show the previous frame; hold to keep stepping.", "Move", "step-back", repeat=True),
    ShortcutSpec("step_forward", "Forward one frame", ("Right",),
                 "Show the next frame; hold to keep stepping.", "Move", "step-forward", repeat=True),
    ShortcutSpec("second_back", "Back one second", ("Shift+Left",),
                 "Jump one second earlier.", "Move", repeat=True),
    ShortcutSpec("second_forward", "Forward one second", ("Shift+Right",),
                 "Jump one second later.", "Move", repeat=True),
    ShortcutSpec("go_start", "Go to start", ("Home",),
                 "Jump to the first frame of the recording.", "Move", "skip-back"),
    ShortcutSpec("go_end", "Go to end", ("End",),
                 "Jump to the last frame of the recording.", "Move", "skip-forward"),
    ShortcutSpec("previous_marker", "Previous marker", ("Alt+Left",),
                 "Go to the previous marker of this recording.", "Move", repeat=True,
                 tip="Go to the previous marker"),
    ShortcutSpec("next_marker", "Next marker", ("Alt+Right",),
                 "Go to the next marker of this recording.", "Move", repeat=True, tip="Go to the next marker"),
    ShortcutSpec("mark_in", "Set in point", ("I",),
                 "The clip will start at this frame.", "Mark", "mark-in"),
    ShortcutSpec("mark_out", "Set out point", ("O",),
                 "The clip will end with this frame.", "Mark", "mark-out"),
    ShortcutSpec("make_clip", "Make clip", ("C", "Return", "Enter"),
                 "Make a clip from the in point to the out point.", "Mark", "clip"),
    ShortcutSpec("add_marker", "Add marker", ("M",),
                 "Drop a marker (with a note) to look at again.", "Mark", "marker"),
    ShortcutSpec("clear_marks", "Clear in and out", ("Alt+X",),
                 "Forget the in and out points.", "Mark", repeat=True),
    ShortcutSpec("delete_marker", "Delete marker here", ("Shift+M",),
                 "Delete the marker on the frame shown.", "Mark", repeat=True,
                 tip="Delete the marker on the frame shown"),
    ShortcutSpec("take_still", "Take still", ("S",),
                 "Keep this frame as a still, ready for a caption.", "Mark", "still"),
    *(ShortcutSpec(f"tag_p{n}", f"Tag with P{n}", (str(n),),
                   f"Tag the selected clip with principle P{n} (and the who chosen, if any).", "Tag")
      for n in range(1, 7)),
    ShortcutSpec("who_parent", "Who: parent", ("P",), "The next tags say the parent did it (again: nobody).",
                 "Tag"),
    ShortcutSpec("who_child", "Who: child", ("H",), "The next tags say the child did it (again: nobody).",
                 "Tag"),
    ShortcutSpec("who_practitioner", "Who: practitioner", ("R",),
                 "The next tags say the practitioner did it (again: nobody).", "Tag"),
    ShortcutSpec("zoom_in", "Zoom in", ("+", "="),
                 "Timeline down to single frames (or Ctrl+wheel).",
                 "Timeline", "zoom-in", repeat=True),
    ShortcutSpec("zoom_out", "Zoom out", ("-",),
                 "Timeline up to the whole recording (or Ctrl+wheel).",
                 "Timeline", "zoom-out", repeat=True),
    ShortcutSpec("zoom_fit", "Whole recording", ("Ctrl+0",),
                 "Zoom the timeline out to the whole recording.", "Timeline", repeat=True,
                 tip="Zoom the timeline out to the whole recording"),
    ShortcutSpec("undo", "Undo", ("Ctrl+Z",), "Undo the last edit.", "Edit", "undo", repeat=True),
    ShortcutSpec("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the edit just undone.", "Edit", "redo",
                 repeat=True),
    ShortcutSpec("move_clip_up", "Move up in the review order", ("Alt+Up",),
                 "Move the selected clip one place earlier (in the clip list).", "Edit", repeat=True),
    ShortcutSpec("move_clip_down", "Move down in the review order", ("Alt+Down",),
                 "Move the selected clip one place later (in the clip list).", "Edit", repeat=True),
    ShortcutSpec("start_review", "Start shared review", ("F5",),
                 "Show this session's clips and stills to the family, full screen.", "Review", "review"),
    ShortcutSpec("lock", "Lock now", ("Ctrl+L",),
                 "Close every window showing the family and lock the library.", "Review", "lock"),
    ShortcutSpec("close_editor", "Close editor", ("Ctrl+W",), "Close this session's editor.", "Window",
                 "close", repeat=True),
    ShortcutSpec("shortcuts_sheet", "Keyboard shortcuts", ("F1", "?"),
                 "Show this list of keyboard shortcuts.", "Help", "help"),
)

_BY_ID: dict[str, ShortcutSpec] = {spec.id: spec for spec in SHORTCUTS}

# Portable key names shown to people in friendlier words; "Return" and keypad "Enter" read the same.
_FRIENDLY_KEYS = {"Return": "Enter", "Del": "Delete", "Left": "←", "Right": "→", "Up": "↑", "Down": "↓"}


def spec(action_id: str) -> ShortcutSpec:
    """The table row for `action_id`; `KeyError` naming the id if there is none."""
    try:
        return _BY_ID[action_id]
    except KeyError:
        raise KeyError(f"no editor action {action_id!r}") from None


def key_sequences(action_id: str) -> list[QKeySequence]:
    return [QKeySequence(key) for key in spec(action_id).keys]


def key_text(sequence: QKeySequence) -> str:
    """One key as people read it: "Space", "Shift+←", "Ctrl+Shift+Z", "Enter" (for Return too)."""
    portable = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    modifiers, _plus, key = portable.rpartition("+")
    if not key:  # the "+" key itself
        modifiers, key = portable[:-1].rstrip("+"), "+"
    if key not in _FRIENDLY_KEYS:
        return sequence.toString(QKeySequence.SequenceFormat.NativeText)
    return f"{modifiers}+{_FRIENDLY_KEYS[key]}" if modifiers else _FRIENDLY_KEYS[key]


def sequences_text(sequences: Iterable[QKeySequence]) -> str:
    """Several keys for one action, each once: "Space, K", "C, Enter", "Ctrl+Shift+Z, Ctrl+Y"."""
    shown: list[str] = []
    for sequence in sequences:
        text = key_text(sequence)
        if text and text not in shown:
            shown.append(text)
    return ", ".join(shown)


def keys_text(action_id: str) -> str:
    """The table's keys for `action_id` as people read them."""
    return sequences_text(key_sequences(action_id))


def tooltip(action_id: str, label: str | None = None) -> str:
    """"Play/pause (Space, K)"; `label` replaces the table's words (e.g. "Pause" while playing)."""
    row = spec(action_id)
    return f"{label or row.tip or row.label} ({keys_text(action_id)})"


def describe_shortcut(action: QAction, group: str, help_text: str) -> QAction:
    """Give an action that is not in the table (a list's own Delete) its place and words in the sheet."""
    if group not in GROUPS:
        raise ValueError(f"no shortcut group {group!r}")
    action.setProperty(GROUP_PROPERTY, group)
    action.setProperty(HELP_PROPERTY, help_text)
    return action


def configure_action(action: QAction, action_id: str,
                     context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
    """Give an existing action (e.g. one from `QUndoStack.createUndoAction`) the table's keys and tooltip,
    leaving its text alone."""
    row = spec(action_id)
    action.setShortcuts(key_sequences(action_id))
    action.setShortcutContext(context)
    action.setAutoRepeat(row.repeat)
    action.setToolTip(tooltip(action_id))
    action.setStatusTip(row.help)
    action.setObjectName(f"action_{action_id}")
    return describe_shortcut(action, row.group, row.help)


def make_actions(parent: QObject, handlers: Mapping[str, Callable[[], object]],
                 context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> dict[str, QAction]:
    """One QAction per handler id, with the table's label, keys, tooltip and icon; each triggers its
    handler with no arguments. When `parent` is a widget the actions are added to it, which is what makes
    their shortcuts live (WindowShortcut: anywhere in the parent's window)."""
    from vigstudio.ui.icons import icon  # the icon module needs a QGuiApplication only when used

    actions: dict[str, QAction] = {}
    for action_id, handler in handlers.items():
        row = spec(action_id)
        action = QAction(row.label, parent)
        if row.icon:
            action.setIcon(icon(row.icon))
        configure_action(action, action_id, context)
        # `triggered` passes `checked`; handlers take nothing.
        action.triggered.connect(lambda _checked=False, h=handler: h())
        if isinstance(parent, QWidget):
            parent.addAction(action)
        actions[action_id] = action
    return actions


# --- J/K/L shuttle -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShuttleMotion:
    """Where the shuttle is going: direction -1 (backward), 0 (stopped) or +1 (forward), and the rate
    as a multiple of normal speed (0 when stopped)."""

    direction: int
    rate: float

    @property
    def stopped(self) -> bool:
        return self.direction == 0

    def frames_per_second(self, fps: float) -> float:
        """Signed frames per second at a recording's frame rate (negative going backward)."""
        return self.direction * self.rate * fps


@dataclass(frozen=True)
class StepPlan:
    """How to realise a motion the player cannot play natively (backward, or faster than its top speed):
    step by `frames` (signed) every `interval_ms`."""

    interval_ms: float
    frames: int


STOPPED = ShuttleMotion(0, 0.0)


class ShuttleState:
    """J/K/L shuttle as in professional editors, with no Qt and no player in it.

    L plays forward at the first rung of the ladder (1×); each further L climbs a rung (2×, 4×, 8×) and
    stays at the top. J does the same backward. Pressing the other key reverses at the first rung (it
    does not slow down step by step). K (and Space, which the editor maps to the same action) stops.

    The editor realises a motion as follows: forward at a rate the player supports (up to its maximum,
    2× today) is `player.set_speed(rate)` + play, with pitch-kept audio; anything else (any backward
    motion, or forward beyond the player's maximum) is silent stepping with a timer driven by
    `step_plan(fps)`: `player.step(plan.frames)` every `plan.interval_ms`. Pass `max_rate` to cap the
    ladder instead (e.g. `max_rate=2.0` to never leave native playback going forward).
    """

    LADDER: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)

    def __init__(self, ladder: tuple[float, ...] = LADDER, max_rate: float | None = None):
        rungs = tuple(rate for rate in ladder if rate > 0 and (max_rate is None or rate <= max_rate))
        if not rungs:
            raise ValueError("the shuttle ladder needs at least one positive rate")
        self.ladder = rungs
        self._direction = 0
        self._rung = 0

    @property
    def motion(self) -> ShuttleMotion:
        if self._direction == 0:
            return STOPPED
        return ShuttleMotion(self._direction, self.ladder[self._rung])

    def forward(self) -> ShuttleMotion:
        """L."""
        return self._press(+1)

    def backward(self) -> ShuttleMotion:
        """J."""
        return self._press(-1)

    def stop(self) -> ShuttleMotion:
        """K, or anything else that pauses playback (Space, reaching the end, a seek)."""
        self._direction = 0
        self._rung = 0
        return STOPPED

    def _press(self, direction: int) -> ShuttleMotion:
        if self._direction == direction:
            self._rung = min(self._rung + 1, len(self.ladder) - 1)
        else:
            self._direction = direction
            self._rung = 0
        return self.motion

    def step_plan(self, fps: float, max_ticks_per_second: float = 25.0) -> StepPlan | None:
        """Timer stepping for the current motion: at most `max_ticks_per_second` repaints, skipping
        frames when the rate needs more (8× backward at 30 fps steps 10 frames every 41.7 ms).
        None when stopped or the frame rate is unknown."""
        motion = self.motion
        if motion.stopped or fps <= 0:
            return None
        frames_per_second = motion.rate * fps
        frames_per_tick = max(1, math.ceil(frames_per_second / max_ticks_per_second))
        return StepPlan(1000.0 * frames_per_tick / frames_per_second, motion.direction * frames_per_tick)


# --- the sheet ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetRow:
    """One line of a shortcuts sheet, read from a registered action."""

    id: str  # the table's id, or the action's object name / text
    keys: str
    label: str
    help: str
    group: str


def has_shortcut(action: QAction) -> bool:
    return any(not s.isEmpty() for s in action.shortcuts())


def belongs_to(action: QAction, window: QWidget) -> bool:
    """Whether the action is `window`'s own (or its panels'), not that of a window it has opened."""
    owner = action.parent()
    while owner is not None and not isinstance(owner, QWidget):
        owner = owner.parent()
    return isinstance(owner, QWidget) and owner.window() is window


def shortcut_actions(window: QWidget) -> list[QAction]:
    """Every action of `window` that has a shortcut (its own, its panels' and lists'), each once."""
    found: list[QAction] = []
    for action in [*window.actions(), *window.findChildren(QAction)]:
        if action not in found and has_shortcut(action) and belongs_to(action, window):
            found.append(action)
    return found


def menu_shortcut_actions(window: QMainWindow) -> list[QAction]:
    """`shortcut_actions` in the order the window's menus list them (the others after them)."""
    ordered: list[QAction] = []

    def walk(actions: Iterable[QAction]) -> None:
        for action in actions:
            menu = action.menu()
            if menu is not None:
                walk(menu.actions())
            elif action not in ordered and has_shortcut(action):
                ordered.append(action)

    walk(window.menuBar().actions())
    return ordered + [a for a in shortcut_actions(window) if a not in ordered]


def sheet_row(action: QAction) -> SheetRow:
    name = action.objectName()
    action_id = name.removeprefix("action_") if name.startswith("action_") else (name or action.text())
    label = action.text().replace("&", "").rstrip("…").strip()
    help_text = action.property(HELP_PROPERTY) or action.statusTip() or action.toolTip()
    group = action.property(GROUP_PROPERTY) or OTHER_GROUP
    return SheetRow(action_id, sequences_text(action.shortcuts()), label, str(help_text), str(group))


def sheet_rows(actions: Iterable[QAction]) -> list[SheetRow]:
    """The rows for `actions`, by group (in `GROUPS` order), then in the table's order."""
    order = {row.id: n for n, row in enumerate(SHORTCUTS)}
    groups = (*GROUPS, OTHER_GROUP)
    rows = [sheet_row(a) for a in actions]
    return sorted(rows, key=lambda r: (groups.index(r.group) if r.group in groups else len(groups),
                                       order.get(r.id, len(order))))


class ShortcutsSheet(QDialog):
    """Every shortcut of a window (its registered actions), grouped, in a table that reads like a
    printed card."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsSheet")
        self.rows = sheet_rows(actions)

        intro = QLabel("Everything in the editor can be done from the keyboard. "
                       "Letter keys do nothing while you type in a text box.")
        intro.setWordWrap(True)

        self.table = QTreeWidget()
        self.table.setColumnCount(3)
        self.table.setHeaderLabels(["Keys", "Action", "What it does"])
        self.table.setRootIsDecorated(False)
        self.table.setItemsExpandable(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # scrollable with the keyboard
        self.table.setWordWrap(True)  # long help wraps instead of being cut off with "…"
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setUniformRowHeights(False)
        self._fill()
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 720)

    def _fill(self) -> None:
        keys_font = QFont(self.font())
        keys_font.setBold(True)
        group_font = QFont(self.font())
        group_font.setBold(True)
        group_font.setPointSizeF(group_font.pointSizeF() * 1.1)
        for group in (*GROUPS, OTHER_GROUP):
            rows = [r for r in self.rows if r.group == group]
            if not rows:
                continue
            heading = QTreeWidgetItem(self.table, [group])
            heading.setFont(0, group_font)
            heading.setFirstColumnSpanned(True)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for row in rows:
                item = QTreeWidgetItem(heading, [row.keys, row.label, row.help])
                item.setFont(0, keys_font)
                item.setData(0, Qt.ItemDataRole.UserRole, row.id)
                item.setToolTip(2, row.help)
        self.table.expandAll()

    def action_ids(self) -> list[str]:
        """The action ids listed, in order (what the sheet shows, for tests and accessibility checks)."""
        ids = []
        for g in range(self.table.topLevelItemCount()):
            heading = self.table.topLevelItem(g)
            ids.extend(heading.child(i).data(0, Qt.ItemDataRole.UserRole) for i in range(heading.childCount()))
        return ids
