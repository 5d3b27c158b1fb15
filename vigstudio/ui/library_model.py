"""A Qt item model over `app.tree.library_tree`: cases → cycles → sessions → recordings → clips.

The model owns what the views show. It updates when the service reports a committed `Change` (the
callback runs on whichever thread committed, so it is re-emitted as a queued signal and a burst of
changes is folded into one update): only the case the change names is read again, and only the
rows that differ are signalled. Views never refresh each other.

A large library is read lazily: attaching reads the cases alone (one query), and a case's cycles,
sessions, recordings and clips are read when it is first expanded or selected (`fetchMore`, a few
bulk queries for that case). A small library is read whole at once, so it opens fully expanded as
it always did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont

from vigstudio.app.cases import list_cases
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import CaseNode, SessionNode, library_tree
from vigstudio.app.www.courses import CourseProgress
from vigstudio.domain.model import (
    Attendance,
    Case,
    Cycle,
    Intervention,
    InterventionKind,
    Recording,
    ReferralSource,
    SessionKind,
    clip_name,
)
from vigstudio.domain.timecode import format_seconds
from vigstudio.ui.icons import icon

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

REFERRAL_LABELS = {
    ReferralSource.HEALTH_VISITOR: "Health visitor",
    ReferralSource.GP: "GP",
    ReferralSource.MIDWIFERY: "Midwifery",
    ReferralSource.OBSTETRICS: "Obstetrics",
    ReferralSource.SOCIAL_CARE: "Social care",
    ReferralSource.MENTAL_HEALTH: "Mental-health service",
    ReferralSource.SELF: "Self-referral",
    ReferralSource.OTHER: "Other",
}
SESSION_LABELS = {
    SessionKind.FILMING: "Filming",
    SessionKind.SHARED_REVIEW: "Shared review",
    SessionKind.WWW: "Watch, Wait and Wonder",
    SessionKind.SUPERVISION: "Supervision",
}
INTERVENTION_LABELS = {InterventionKind.VIG: "VIG", InterventionKind.WWW: "WWW"}
ATTENDANCE_LABELS = {Attendance.PLANNED: "planned", Attendance.CANCELLED: "cancelled",
                     Attendance.DNA: "not attended"}  # attended sessions need no word


class NodeKind(StrEnum):
    CASE = "case"
    COURSE = "course"  # a WWW course (an intervention whose sessions sit in no cycle)
    CYCLE = "cycle"
    SESSION = "session"
    RECORDING = "recording"
    CLIP = "clip"


_ICONS = {NodeKind.CASE: "case", NodeKind.COURSE: "cycle", NodeKind.CYCLE: "cycle", NodeKind.SESSION: "session",
          NodeKind.RECORDING: "recording", NodeKind.CLIP: "clip"}


@dataclass(eq=False)
class Node:
    """One row. `obj` is the domain dataclass; `case_node`/`session_node` keep the app's tree node."""

    kind: NodeKind
    obj: Any
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    intervention: Intervention | None = None  # for cycles
    progress: CourseProgress | None = None  # for courses
    session_node: SessionNode | None = None  # for sessions
    case_node: CaseNode | None = None  # for cases
    number: int = 0  # for clips: the place in the session's review order (from 1)
    loaded: bool = True  # False for a case whose children have not been read yet (a large library)

    @property
    def key(self) -> tuple[str, int]:
        """Stable across reloads (ids), so expansion and selection survive a refresh."""
        return (self.kind.value, self.obj.id)

    def row(self) -> int:
        siblings = self.parent.children if self.parent is not None else []
        return siblings.index(self)

    def case(self) -> Case:
        node = self
        while node.kind != NodeKind.CASE and node.parent is not None:
            node = node.parent
        return node.obj

    def label(self) -> str:
        obj = self.obj
        if self.kind == NodeKind.CASE:
            text = obj.code
            if obj.is_demo and "demo" not in obj.code.lower():
                text += "  (demo)"
            if obj.name:
                text += f"  ·  {obj.name}"
            if obj.status.value == "closed":
                text += "  (closed)"
            return text
        if self.kind == NodeKind.COURSE:
            return f"WWW course  ·  {self.progress.headline()}" if self.progress else "WWW course"
        if self.kind == NodeKind.CYCLE:
            kind = INTERVENTION_LABELS.get(self.intervention.kind, "") if self.intervention else ""
            return f"{kind} cycle {obj.number}" if kind else f"Cycle {obj.number}"
        if self.kind == NodeKind.SESSION:
            attendance = ATTENDANCE_LABELS.get(obj.attendance, "")
            return f"{SESSION_LABELS.get(obj.kind, obj.kind)}  ·  {obj.date:%d %b %Y}" + (
                f"  ({attendance})" if attendance else "")
        if self.kind == NodeKind.CLIP:
            return clip_name(obj.title, self.number)
        return f"{obj.file_name}  ·  {format_seconds(obj.duration, millis=False)}"


def build_case(case_node: CaseNode, root: Node) -> Node:
    """The case's row with its cycles (and WWW courses), sessions, recordings and their clips. VIG
    interventions fold into their cycles' labels."""
    case = Node(NodeKind.CASE, case_node.case, root, case_node=case_node)
    for i_node in case_node.interventions:
        if i_node.intervention.kind == InterventionKind.WWW or i_node.sessions:
            # A WWW course: its sessions sit in no cycle, so the course is a row of its own.
            course = Node(NodeKind.COURSE, i_node.intervention, case, intervention=i_node.intervention,
                          progress=CourseProgress(i_node.intervention,
                                                  tuple(s.session for _c, s in i_node.all_sessions())))
            case.children.append(course)
            course.children.extend(_session_row(s_node, course) for s_node in i_node.sessions)
        for c_node in i_node.cycles:
            cycle = Node(NodeKind.CYCLE, c_node.cycle, case, intervention=i_node.intervention)
            case.children.append(cycle)
            cycle.children.extend(_session_row(s_node, cycle) for s_node in c_node.sessions)
    return case


def _session_row(s_node: SessionNode, parent: Node) -> Node:
    """A session's row with its recordings and their clips (numbered in the review order)."""
    session = Node(NodeKind.SESSION, s_node.session, parent, session_node=s_node)
    in_order = sorted(s_node.clips, key=lambda c: (c.position, c.id))
    for recording in s_node.recordings:
        r_node = Node(NodeKind.RECORDING, recording, session)
        session.children.append(r_node)
        r_node.children.extend(
            Node(NodeKind.CLIP, clip, r_node, number=number)
            for number, clip in enumerate(in_order, 1) if clip.recording_id == recording.id)
    return session


def build_nodes(tree: list[CaseNode]) -> Node:
    """The invisible root over the app's tree."""
    root = Node(NodeKind.CASE, None)
    root.children.extend(build_case(case_node, root) for case_node in tree)
    return root


# Changes that leave every row and its details as they were: nothing to read again.
_NOT_SHOWN = frozenset({ChangeKind.ANNOTATION, ChangeKind.MARKER, ChangeKind.COMMENT, ChangeKind.REFLECTION,
                        ChangeKind.CONSENT, ChangeKind.CONTACT, ChangeKind.SETTINGS, ChangeKind.MEASURE,
                        ChangeKind.ACTIVITY, ChangeKind.TRAINING, ChangeKind.OBSERVATION, ChangeKind.WONDER_NOTE})
# Shown only as counts in a session's details: an update leaves every row as it was. (Clips are rows
# of their own, named by title and review order: a renamed, trimmed or moved clip is read again.)
_COUNTED_ONLY = frozenset({ChangeKind.STILL})
_EVERYTHING = -1  # in the pending set: read the whole library again (a change that names no case)
# Up to this many cases the whole tree is read at once (and shown expanded); above, case by case.
EAGER_CASES = 40


def _unloaded_case(case: Case, root: Node) -> Node:
    return Node(NodeKind.CASE, case, root, loaded=False)


class LibraryModel(QAbstractItemModel):
    """Read-only tree model; call `attach(service)` to show a library and `detach()` to forget it.

    After attaching, the model never resets: a change that names a case reads that case again (a few
    bulk queries) and updates only the rows that differ, with rowsInserted / rowsRemoved / dataChanged,
    so the view keeps its expansion and selection and an edit costs the same in a library of 300 cases
    as in one of a single case. `reloaded` is emitted after each such update.
    """

    reloaded = Signal()
    _change_arrived = Signal(object)  # emitted on the committing thread, delivered queued

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._root = Node(NodeKind.CASE, None)
        self._service: LibraryService | None = None
        self._unsubscribe: Callable[[], None] | None = None
        # Case ids to read again (or _EVERYTHING), each with whether to read it even if not read yet.
        self._pending: dict[int, bool] = {}
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(0)
        self._update_timer.timeout.connect(self._apply_pending)
        self._change_arrived.connect(self._on_change, Qt.ConnectionType.QueuedConnection)

    # -- library -------------------------------------------------------------------------------
    def attach(self, service: LibraryService) -> None:
        self.detach()
        self._service = service
        self._unsubscribe = service.subscribe(self._change_arrived.emit)
        self.reload()

    def detach(self) -> None:
        """Forget the library and show nothing (used when locking)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._service = None
        self._update_timer.stop()
        self._pending.clear()
        self.beginResetModel()
        self._root = Node(NodeKind.CASE, None)
        self.endResetModel()

    def reload(self) -> None:
        """Read the library and show it (a reset: for attaching, not for changes)."""
        if self._service is None or not self._service.is_open:
            return
        root = self._fresh_root(set())
        self.beginResetModel()
        self._root = root
        self.endResetModel()
        self.reloaded.emit()

    def _on_change(self, change: Change) -> None:
        if self._service is None or change.kind in _NOT_SHOWN:
            return
        if change.kind in _COUNTED_ONLY and change.action == ChangeAction.UPDATED:
            return  # a caption: the rows show only how many stills there are
        if change.kind == ChangeKind.LIBRARY:
            if change.action == ChangeAction.CLOSED:
                return  # locking or closing detaches the model
            self._pending[_EVERYTHING] = True
        else:
            case_id = _EVERYTHING if change.case_id is None else change.case_id
            # A case not read yet shows only its own row: read it for a change of that row, or for
            # something new in it (which may be about to be selected, e.g. an imported recording).
            wanted = change.kind == ChangeKind.CASE or change.action == ChangeAction.ADDED
            self._pending[case_id] = self._pending.get(case_id, False) or wanted
        self._update_timer.start()  # fold a burst of changes into one update

    def _apply_pending(self) -> None:
        pending, self._pending = self._pending, {}
        if self._service is None or not self._service.is_open or not pending:
            return
        if _EVERYTHING in pending:
            loaded = {node.obj.id for node in self._root.children if node.loaded}
            self._sync_children(self._root, QModelIndex(), self._fresh_root(loaded).children)
        else:
            for case_id in sorted(pending):
                self._update_case(case_id, even_unread=pending[case_id])
        self.reloaded.emit()

    def _fresh_root(self, loaded: set[int]) -> Node:
        """The library as it is now: whole if it is small, else its cases with the ones in `loaded`
        (ids) read in full and the others to be read when they are expanded."""
        assert self._service is not None
        service = self._service
        cases = list_cases(service)
        if len(cases) <= EAGER_CASES:
            return build_nodes(library_tree(service, annotations=False))
        root = Node(NodeKind.CASE, None)
        for case in cases:
            tree = library_tree(service, case.id, annotations=False) if case.id in loaded else []
            root.children.append(build_case(tree[0], root) if tree else _unloaded_case(case, root))
        return root

    def fully_loaded(self) -> bool:
        return all(node.loaded for node in self._root.children)

    def load_case(self, node: Node | None) -> None:
        """Read a case's children if they have not been read yet (on expanding or selecting it)."""
        if node is None or node.loaded or node.kind != NodeKind.CASE or self._service is None:
            return
        if not self._service.is_open:
            return
        self._update_case(node.obj.id)

    def _update_case(self, case_id: int, *, even_unread: bool = True) -> None:
        row = next((r for r, n in enumerate(self._root.children) if n.obj.id == case_id), None)
        if row is not None and not even_unread and not self._root.children[row].loaded:
            return  # the change is below a case not read yet: its row shows nothing of it
        tree = library_tree(self._service, case_id, annotations=False) if self._service is not None else []
        if not tree:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._root.children[row]
                self.endRemoveRows()
            return
        fresh = build_case(tree[0], self._root)
        if row is None or self._root.children[row].obj.code != fresh.obj.code:
            if row is not None:  # the code changed: its place in the order may too
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._root.children[row]
                self.endRemoveRows()
            at = sum(1 for n in self._root.children if n.obj.code < fresh.obj.code)
            self.beginInsertRows(QModelIndex(), at, at)
            self._root.children.insert(at, fresh)
            self.endInsertRows()
            return
        self._sync_node(self._root.children[row], self.index(row, 0), fresh)

    def _sync_node(self, node: Node, index: QModelIndex, fresh: Node) -> None:
        """Make `node` show what `fresh` holds (same key): dataChanged if its own data differ, then its
        children row by row (a case not read yet keeps none: only its own row is updated)."""
        shown = (node.obj, node.intervention, node.number, _counts(node), node.progress)
        node.obj, node.intervention, node.number = fresh.obj, fresh.intervention, fresh.number
        node.session_node, node.case_node, node.progress = fresh.session_node, fresh.case_node, fresh.progress
        if shown != (node.obj, node.intervention, node.number, _counts(node), node.progress):
            self.dataChanged.emit(index, index)
        if fresh.loaded:
            node.loaded = True
            self._sync_children(node, index, fresh.children)

    def _sync_children(self, node: Node, index: QModelIndex, fresh: list[Node]) -> None:
        wanted = [child.key for child in fresh]
        keep = set(wanted)
        for row in reversed(range(len(node.children))):  # rows that are gone
            if node.children[row].key not in keep:
                self.beginRemoveRows(index, row, row)
                del node.children[row]
                self.endRemoveRows()
        kept = [child.key for child in node.children]
        still_there = set(kept)
        if kept != [key for key in wanted if key in still_there]:  # reordered (e.g. a session's new date)
            self.beginRemoveRows(index, 0, len(node.children) - 1)
            node.children.clear()
            self.endRemoveRows()
        for row, child in enumerate(fresh):  # rows that are new, then the rows both have
            if row < len(node.children) and node.children[row].key == child.key:
                continue
            child.parent = node
            self.beginInsertRows(index, row, row)
            node.children.insert(row, child)
            self.endInsertRows()
        for row, child in enumerate(fresh):
            existing = node.children[row]
            if existing is not child:
                self._sync_node(existing, self.index(row, 0, index), child)

    # -- queries -------------------------------------------------------------------------------
    def cases(self) -> list[Case]:
        return [node.obj for node in self._root.children]

    def case_count(self) -> int:
        return len(self._root.children)

    def node(self, index: QModelIndex | QPersistentModelIndex) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    def index_for_key(self, key: tuple[str, int]) -> QModelIndex:
        node = next((n for n in self.all_nodes() if n.key == key), None)
        return QModelIndex() if node is None else self.index_for_node(node)

    def index_for_node(self, node: Node) -> QModelIndex:
        return self.createIndex(node.row(), 0, node)

    def all_nodes(self) -> list[Node]:
        out: list[Node] = []
        stack = list(reversed(self._root.children))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    # -- QAbstractItemModel --------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        parent_node = self.node(parent) if parent.isValid() else self._root
        if parent_node is None or column != 0 or not 0 <= row < len(parent_node.children):
            return QModelIndex()
        return self.createIndex(row, column, parent_node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        node = self.node(parent) if parent.isValid() else self._root
        return len(node.children) if node is not None else 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        node = self.node(parent) if parent.isValid() else self._root
        if node is None or parent.column() > 0:
            return False
        return not node.loaded or bool(node.children)  # a case not read yet shows its arrow

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        node = self.node(parent)
        return node is not None and not node.loaded

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        self.load_case(self.node(parent))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return "Cases"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label()
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(_ICONS[node.kind])
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(node)
        if role == Qt.ItemDataRole.FontRole and node.kind == NodeKind.CASE:
            font = QFont()
            font.setBold(True)
            return font
        if role == NODE_ROLE:
            return node
        if role == KEY_ROLE:
            return node.key
        return None


def _tooltip(node: Node) -> str:
    if node.kind == NodeKind.SESSION:
        return "Double-click to open the session"
    if node.kind == NodeKind.CASE:
        return "Drop a video file here to import it into this case"
    if node.kind == NodeKind.RECORDING:
        rec: Recording = node.obj
        return f"{rec.frame_count} frames, {rec.fps:.2f} fps"
    if node.kind == NodeKind.CLIP:
        return f"Frames {node.obj.start_frame}–{node.obj.end_frame - 1} · F5 starts the review at this clip"
    cycle: Cycle = node.obj
    return cycle.helping_question or "No helping question recorded yet"


def _counts(node: Node) -> tuple[int, ...]:
    """What the details pane shows of a node beyond its own object: a session's clips and stills."""
    s_node = node.session_node
    return (s_node.clip_count, s_node.still_count) if s_node is not None else ()


def recording_node_of(node: Node | None) -> Node | None:
    """The recording a recording or clip row belongs to (None for other rows)."""
    if node is not None and node.kind == NodeKind.CLIP:
        return node.parent
    return node if node is not None and node.kind == NodeKind.RECORDING else None
