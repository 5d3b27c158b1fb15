"""The small marker popup (M): an optional note for "look again here". Enter adds the marker (an empty
note is fine), Esc drops it. It sits over the picture inside the editor window, not as a dialog, so
nothing else is blocked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from vigstudio.ui import style
from vigstudio.ui.editor.text_commit import FieldLineEdit
from vigstudio.ui.icons import icon


class MarkerPopup(QFrame):
    accepted = Signal(int, str)  # frame, note
    finished = Signal()  # accepted or cancelled: focus goes back

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("markerPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#markerPopup {{ background: {style.BASE}; border: 1px solid {style.BORDER};"
                           f" border-radius: 8px; }}")
        self._frame = 0
        badge = QLabel()
        badge.setPixmap(icon("marker").pixmap(18, 18))
        self.label = QLabel()
        self.note = FieldLineEdit()
        self.note.setObjectName("markerNote")
        self.note.setAccessibleName("Marker note")
        self.note.setPlaceholderText("Note (optional) — Enter to add, Esc to cancel")
        self.note.setMinimumWidth(320)
        self.note.returnPressed.connect(self._accept)
        self.note.cancelled.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(badge)
        layout.addWidget(self.label)
        layout.addWidget(self.note, 1)
        self.hide()

    @property
    def frame(self) -> int:
        return self._frame

    def open_at(self, frame: int, anchor: QWidget) -> None:
        """Show over the bottom of `anchor` (the picture), for a marker on `frame`."""
        self._frame = frame
        self.label.setText(f"Marker at frame {frame}")
        self.note.clear()
        self.adjustSize()
        width = min(max(self.sizeHint().width(), 460), anchor.width() - 20)
        bottom_left = anchor.mapTo(self.parentWidget(), anchor.rect().bottomLeft())
        self.setGeometry((anchor.width() - width) // 2 + bottom_left.x(),
                         bottom_left.y() - self.sizeHint().height() - 48, width, self.sizeHint().height())
        self.show()
        self.raise_()
        self.note.setFocus(Qt.FocusReason.PopupFocusReason)

    def _accept(self) -> None:
        note = self.note.text().strip()
        self.hide()
        self.accepted.emit(self._frame, note)
        self.finished.emit()

    def cancel(self) -> None:
        if self.isVisible():
            self.hide()
            self.finished.emit()
