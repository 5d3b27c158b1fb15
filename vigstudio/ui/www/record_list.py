"""The list the editor's WWW panels share (observations, Wonder notes): one row a record, a hint while
it is empty, the selection kept across reloads, a click that activates a record (the panel jumps to
it), the Delete key and F2 (edit) on the selected one, and the panel's row of buttons."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1

Row = tuple[int, str, QColor | None]  # id, line, colour swatch


class RecordList(QWidget):
    activated = Signal(int)
    deleteRequested = Signal(int)
    editRequested = Signal(int)

    def __init__(self, name: str, accessible_name: str, empty_hint: str, *, wrap: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName(name)
        self.list.setAccessibleName(accessible_name)
        if wrap:
            self.list.setWordWrap(True)
        else:
            self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(self._activated)
        self.list.itemActivated.connect(self._activated)
        self.list.installEventFilter(self)  # Delete and F2 while the list has the focus
        self.empty = QLabel(empty_hint)
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Delete and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.request_delete()
                return True
            if event.key() == Qt.Key.Key_F2:
                self.request_edit()
                return True
        return super().eventFilter(watched, event)

    def set_rows(self, rows: Iterable[Row]) -> None:
        selected = self.selected_id()
        self.list.clear()
        for record_id, line, colour in rows:
            item = QListWidgetItem(line)
            item.setToolTip(line)  # the whole line, where the narrow list cuts it short
            item.setData(ID_ROLE, record_id)
            if colour is not None:
                item.setData(Qt.ItemDataRole.DecorationRole, colour)
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        if selected is not None:
            self.select(selected)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    def select(self, record_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == record_id:
                self.list.setCurrentRow(row)
                return

    def _activated(self, item: QListWidgetItem) -> None:
        self.activated.emit(item.data(ID_ROLE))

    def request_delete(self) -> None:
        if (record_id := self.selected_id()) is not None:
            self.deleteRequested.emit(record_id)

    def request_edit(self) -> None:
        if (record_id := self.selected_id()) is not None:
            self.editRequested.emit(record_id)


def button_row(first: QPushButton, *right: QPushButton) -> QHBoxLayout:
    """A panel's buttons: its main one on the left, the ones acting on the selection on the right."""
    row = QHBoxLayout()
    row.addWidget(first)
    row.addStretch(1)
    for button in right:
        row.addWidget(button)
    return row
