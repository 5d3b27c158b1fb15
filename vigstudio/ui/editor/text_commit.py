"""Text fields that commit to the library as you type: after a short pause, on leaving the field and
on Esc — never "Save". The owner connects `commit(text, final)` to an undoable edit; repeated commits
of one field merge into one undo step until a final one closes it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

COMMIT_AFTER_MS = 300  # short enough that a crash loses at most the last few keystrokes
_FIELD_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)


class FieldLineEdit(QLineEdit):
    """A line edit that keeps Enter and Esc for itself: they are editor shortcuts too (Enter makes a
    clip), and a shortcut must not steal the key that finishes a title or a note."""

    cancelled = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in _FIELD_KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        super().keyPressEvent(event)


class CommittingTextEdit(QPlainTextEdit):
    commit = Signal(str, bool)  # text, final
    escaped = Signal()  # Esc: done typing, give the keys back to the video
    closed = Signal()  # left the field with everything already committed

    def __init__(self, parent=None, *, delay_ms: int = COMMIT_AFTER_MS):
        super().__init__(parent)
        self.setTabChangesFocus(True)  # Tab leaves the field, as in a form
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self._commit(final=False))
        self._loading = False
        self._committed = ""
        self.textChanged.connect(self._typed)

    def set_committed_text(self, text: str) -> None:
        """Show what the library holds, unless the person is in the middle of typing something newer."""
        if self._timer.isActive():
            return
        self._committed = text
        if self.toPlainText() != text:
            self._loading = True
            cursor_at = min(self.textCursor().position(), len(text))
            self.setPlainText(text)
            cursor = self.textCursor()
            cursor.setPosition(cursor_at)
            self.setTextCursor(cursor)
            self._loading = False

    def discard_pending(self) -> None:
        self._timer.stop()

    def flush(self, final: bool = True) -> None:
        """Commit what is typed now; `final` also closes the field's undo step."""
        if self._timer.isActive() or self.toPlainText() != self._committed:
            self._commit(final)
        elif final:
            self.closed.emit()  # nothing new: only the undo step ends here

    def _typed(self) -> None:
        if not self._loading:
            self._timer.start()

    def _commit(self, final: bool) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text == self._committed and not final:
            return
        self._committed = text
        self.commit.emit(text, final)

    def focusOutEvent(self, event) -> None:
        self.flush(final=True)
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.flush(final=True)
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # Esc belongs to the field (not to a dialog or window shortcut) while typing.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return True
        return super().event(event)

