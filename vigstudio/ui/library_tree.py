"""The tree view over `LibraryModel`: keeps what was open and selected across the model's updates.

Everything is open by default (recordings show at once); the view remembers, by id, which rows the
user collapsed and which one was current, so a reset (unlocking) puts them back and rows the model
inserts after an edit open unless the user had closed them. In a large library, which the model reads
case by case, the cases start closed: opening or selecting one reads it (and opens what is inside);
the cases the user opened are opened again after a reset. A key can be asked for in advance
(`select_later`), e.g. the recording an import is about to add, and is selected once it appears.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from vigstudio.ui.library_model import LibraryModel, Node, NodeKind

Key = tuple[str, int]


class LibraryTree(QTreeView):
    """Emits `current_node_changed(node or None)` whenever the current row changes or reloads."""

    current_node_changed = Signal(object)

    def __init__(self, model: LibraryModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryTree")
        self.setModel(model)
        self.library_model = model
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._collapsed: set[Key] = set()
        self._opened: set[Key] = set()  # cases the user opened (a large library starts with them closed)
        self._current: Key | None = None
        self._pending: Key | None = None
        self.selectionModel().currentChanged.connect(self._current_changed)
        # Connected after setModel, so these run after the view's own handlers (a reset clears selection).
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        model.rowsInserted.connect(self._open_inserted)
        model.reloaded.connect(self._updated)
        self.collapsed.connect(self._was_collapsed)
        self.expanded.connect(self._was_expanded)

    def _was_collapsed(self, index: QModelIndex) -> None:
        key = self.library_model.node(index).key
        self._collapsed.add(key)
        self._opened.discard(key)

    def _was_expanded(self, index: QModelIndex) -> None:
        node = self.library_model.node(index)
        self._collapsed.discard(node.key)
        if node.kind == NodeKind.CASE:
            self._opened.add(node.key)
            self.library_model.load_case(node)  # (Qt fetches on expanding too; reading twice is avoided)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.library_model.node(current)
        self.library_model.load_case(node)  # the details pane and the menus need what is in a case
        self.current_node_changed.emit(node)

    def current_node(self) -> Node | None:
        return self.library_model.node(self.currentIndex())

    def node_at(self, viewport_pos: QPoint) -> Node | None:
        if not self.viewport().rect().contains(viewport_pos):
            return None
        return self.library_model.node(self.indexAt(viewport_pos))

    def select_later(self, key: Key) -> None:
        """Select `key` now if it is shown, or as soon as a reload brings it."""
        self._pending = key
        if self.select_key(key):
            self._pending = None

    def select_key(self, key: Key | None) -> bool:
        index = self.library_model.index_for_key(key) if key else QModelIndex()
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.expand(parent)
            parent = parent.parent()
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
        return True

    def _all_indexes(self, under: QModelIndex | None = None) -> list[QModelIndex]:
        model, out, stack = self.library_model, [], [under or QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                out.append(index)
                stack.append(index)
        return out

    def _remember(self) -> None:
        # What the user collapsed is kept as it happens (`collapsed`/`expanded`); only the current row here.
        if self.library_model.rowCount() == 0:
            return  # empty while locked: keep what was current before the lock
        current = self.current_node()
        self._current = current.key if current else None

    def _restore(self) -> None:
        # Everything open by default; what the user closed stays closed. Signals are held meanwhile:
        # expandAll would otherwise report thousands of rows one by one in a large library.
        model = self.library_model
        self.blockSignals(True)
        try:
            if model.fully_loaded():
                self.expandAll()
                if self._collapsed:
                    for node in model.all_nodes():
                        if node.key in self._collapsed:
                            self.collapse(model.index_for_node(node))
            else:  # read case by case: open again only the cases the user had opened
                for row in range(model.rowCount()):
                    index = model.index(row, 0)
                    node = model.node(index)
                    if node is not None and node.key in self._opened:
                        model.load_case(node)  # its rows open as they are inserted (`_open_inserted`)
                        self.expand(index)
        finally:
            self.blockSignals(False)
        if self._pending and self.select_key(self._pending):
            self._pending = None
        else:
            self.select_key(self._current)
        self.current_node_changed.emit(self.current_node())

    def _open_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        model = self.library_model
        for row in range(first, last + 1):
            index = model.index(row, 0, parent)
            for item in (index, *self._all_indexes(index)):
                if model.rowCount(item) and model.node(item).key not in self._collapsed:
                    self.expand(item)

    def _updated(self) -> None:
        """After an update in place: select a row asked for in advance, refresh what the current row shows."""
        if self._pending and self.select_key(self._pending):
            self._pending = None
        self.current_node_changed.emit(self.current_node())
