"""PlaylistModel: the review's clips and stills as rows for the presenter, the current one in bold."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from vigstudio.app.review import PlaylistItem

ItemRole = Qt.ItemDataRole.UserRole + 1


def item_text(number: int, item: PlaylistItem, fps: float | None = None) -> str:
    if item.is_still:
        words = f"“{item.caption}”" if item.caption else "no caption"
        return f"{number}. Still — {words}"
    length = item.end_frame - item.start_frame
    seconds = f", {length / fps:.1f} s" if fps else ""
    return f"{number}. {item.name} ({length} frames{seconds})"


class PlaylistModel(QAbstractListModel):
    def __init__(self, items: list[PlaylistItem], fps_by_recording: dict[int, float] | None = None,
                 parent=None):
        super().__init__(parent)
        self._items = list(items)
        self._fps = fps_by_recording or {}
        self._current = -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item_text(index.row() + 1, item, self._fps.get(item.recording_id))
        if role == Qt.ItemDataRole.FontRole and index.row() == self._current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and index.row() == self._current:
            return "showing now"
        if role == ItemRole:
            return item
        return None

    @property
    def current_row(self) -> int:
        return self._current

    def set_current(self, row: int) -> None:
        old, self._current = self._current, row
        for r in (old, row):
            if 0 <= r < len(self._items):
                changed = self.index(r)
                self.dataChanged.emit(changed, changed, [Qt.ItemDataRole.FontRole])
