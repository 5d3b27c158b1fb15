"""A Qt item model over `LibraryService.tree()`: cases → cycles → sessions → recordings.

The model owns what the views show. It reloads when the service reports a committed `Change`
(the callback runs on whichever thread committed, so it is re-emitted as a queued signal and a
burst of changes is folded into one reload). Views never refresh each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont

from vigstudio.app.changes import Change
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import CaseNode, SessionNode
from vigstudio.app.www.courses import CourseProgress
from vigstudio.domain.model import (
    Attendance,
    Case,
    Cycle,
    Intervention,
    InterventionKind,
    Recording,
    ReferralSource,
    Session,
    SessionKind,
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


_ICONS = {NodeKind.CASE: "case", NodeKind.COURSE: "cycle", NodeKind.CYCLE: "cycle", NodeKind.SESSION: "session",
          NodeKind.RECORDING: "recording"}


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
        return f"{obj.file_name}  ·  {format_seconds(obj.duration, millis=False)}"


def build_nodes(tree: list[CaseNode]) -> Node:
    """The invisible root over the app's tree. Interventions fold into their cycles' labels."""
    root = Node(NodeKind.CASE, None)
    for case_node in tree:
        case = Node(NodeKind.CASE, case_node.case, root, case_node=case_node)
        root.children.append(case)
        for i_node in case_node.interventions:
            if i_node.intervention.kind == InterventionKind.WWW or i_node.sessions:
                course = Node(NodeKind.COURSE, i_node.intervention, case, intervention=i_node.intervention,
                              progress=CourseProgress(i_node.intervention,
                                                      tuple(s.session for _c, s in i_node.all_sessions())))
                case.children.append(course)
                for s_node in i_node.sessions:
                    session = Node(NodeKind.SESSION, s_node.session, course, session_node=s_node)
                    course.children.append(session)
                    session.children.extend(
                        Node(NodeKind.RECORDING, recording, session) for recording in s_node.recordings)
            for c_node in i_node.cycles:
                cycle = Node(NodeKind.CYCLE, c_node.cycle, case, intervention=i_node.intervention)
                case.children.append(cycle)
                for s_node in c_node.sessions:
                    session = Node(NodeKind.SESSION, s_node.session, cycle, session_node=s_node)
                    cycle.children.append(session)
                    session.children.extend(
                        Node(NodeKind.RECORDING, recording, session) for recording in s_node.recordings)
    return root


class LibraryModel(QAbstractItemModel):
    """Read-only tree model; call `attach(service)` to show a library and `detach()` to forget it."""

    reloaded = Signal()
    _change_arrived = Signal(object)  # emitted on the committing thread, delivered queued

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._root = Node(NodeKind.CASE, None)
        self._service: LibraryService | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)
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
        self._reload_timer.stop()
        self.beginResetModel()
        self._root = Node(NodeKind.CASE, None)
        self.endResetModel()

    def _on_change(self, change: Change) -> None:
        if self._service is not None:
            self._reload_timer.start()  # fold a burst of changes into one reload

    def reload(self) -> None:
        if self._service is None or not self._service.is_open:
            return
        root = build_nodes(self._service.tree())
        self.beginResetModel()
        self._root = root
        self.endResetModel()
        self.reloaded.emit()

    # -- queries -------------------------------------------------------------------------------
    def cases(self) -> list[Case]:
        return [node.obj for node in self._root.children]

    def case_count(self) -> int:
        return len(self._root.children)

    def node(self, index: QModelIndex | QPersistentModelIndex) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    def index_for_key(self, key: tuple[str, int]) -> QModelIndex:
        def walk(node: Node, parent_index: QModelIndex) -> QModelIndex:
            for row, child in enumerate(node.children):
                index = self.index(row, 0, parent_index)
                if child.key == key:
                    return index
                found = walk(child, index)
                if found.isValid():
                    return found
            return QModelIndex()

        return walk(self._root, QModelIndex())

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

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.column() > 0:
            return 0
        node = self.node(parent) if parent.isValid() else self._root
        return len(node.children) if node is not None else 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
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
    cycle: Cycle = node.obj
    return cycle.helping_question or "No helping question recorded yet"


def session_of(node: Node | None) -> Session | None:
    while node is not None and node.kind != NodeKind.SESSION:
        node = node.parent
    return node.obj if node is not None else None
