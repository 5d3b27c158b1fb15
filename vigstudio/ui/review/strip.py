"""PresenterStrip: the practitioner's discreet aid on a one-screen review, inside the family's window.

Off until the practitioner presses P (or W to write the parent's words); a thin dark band at the
bottom edge, under the picture (which makes room; the caption stays whole). It shows only what the
family may see anyway — which item of how many, the time since the review began, the keys — and a
box for the parent's own words whose text is never drawn (it shows dots as they are typed, and
after Enter only "Saved"). The principles, the prompts and the words said so far stay in the
presenter window, which appears only on a second screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QWidget

from vigstudio.ui import style
from vigstudio.ui.review.controller import ReviewController
from vigstudio.ui.review.presenter import clock_text
from vigstudio.ui.review.words import WordsRecorder

KEYS_HINT = "Space play · ← → items · W the parent's words · P hides this · Esc leaves"
STRIP_STYLE = (f"#presenterStrip {{ background: #15191C; border-top: 1px solid #2A3035; }}"
               f"#presenterStrip QLabel {{ color: {style.REVIEW_MUTED}; font-size: 10.5pt; }}"
               "#presenterStrip QLineEdit { background: #1F2428; color: #C9D1D6; border: 1px solid #333B41;"
               " border-radius: 4px; padding: 3px 8px; font-size: 10.5pt; }")


class _WordsEdit(QLineEdit):
    """Dots while typing; Esc gives the keys back to the review instead of asking to leave it."""

    done = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.done.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PresenterStrip(QFrame):
    def __init__(self, controller: ReviewController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("presenterStrip")
        self.setAccessibleName("Presenter strip")
        self.setStyleSheet(STRIP_STYLE)
        self.words = WordsRecorder(controller)
        self.position_label = QLabel("")
        self.position_label.setObjectName("stripPosition")
        self.clock_label = QLabel("00:00")
        self.clock_label.setObjectName("stripClock")
        self.clock_label.setToolTip("Time since the review started")
        self.hint_label = QLabel(KEYS_HINT)
        self.words_edit = _WordsEdit()
        self.words_edit.setObjectName("stripWords")
        self.words_edit.setAccessibleName("The parent's own words (not shown)")
        self.words_edit.setEchoMode(QLineEdit.EchoMode.Password)  # the family never reads them
        self.words_edit.setPlaceholderText("The parent's words — typed unseen, Enter saves")
        self.words_edit.setMaxLength(4000)
        self.words_edit.setMinimumWidth(300)
        self.words_edit.textEdited.connect(self.words.writing)
        self.words_edit.returnPressed.connect(self.save_words)
        self.words_edit.done.connect(self.give_keys_back)
        self.status_label = QLabel("")
        self.status_label.setObjectName("stripStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 6)
        layout.setSpacing(16)
        layout.addWidget(self.position_label)
        layout.addWidget(self.clock_label)
        layout.addWidget(self.hint_label, 1)
        layout.addWidget(self.words_edit, 1)
        layout.addWidget(self.status_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        controller.itemChanged.connect(lambda _row: self._show_position())
        self.hide()

    # -- showing --------------------------------------------------------------------------------

    def toggle(self) -> None:
        if self.isVisible():
            self.hide_strip()
        else:
            self.show_strip()

    def show_strip(self) -> None:
        self._show_position()
        self._tick()
        self._clock.start(1000)
        self.show()

    def hide_strip(self) -> None:
        self._clock.stop()
        self.hide()
        self.give_keys_back()

    def write_words(self) -> None:
        """W: the strip with the words box ready to type in."""
        self.show_strip()
        self.status_label.setText("")
        self.words_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def give_keys_back(self) -> None:
        window = self.window()
        if window is not None:
            window.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_position(self) -> None:
        c = self.controller
        if c.current is None:
            self.position_label.setText("No items")
            return
        kind = "still" if c.current.is_still else "clip"
        self.position_label.setText(f"Item {c.index + 1} of {len(c.items)} · {kind}")

    def _tick(self) -> None:
        self.clock_label.setText(clock_text(self.controller.elapsed_seconds()))

    # -- the parent's words ---------------------------------------------------------------------

    def save_words(self) -> None:
        text = self.words_edit.text()
        if not text.strip():
            self.give_keys_back()
            return
        problem = self.words.save(text)
        if problem is not None:
            # Short on the family's screen; the reason (one line, nothing of the words) in the tooltip.
            self.status_label.setText("Not saved — try again")
            self.status_label.setToolTip(problem)
            return
        count = len(text.split())
        self.words_edit.clear()
        self.status_label.setText(f"Saved ({count} word{'s' if count != 1 else ''})")
        self.give_keys_back()
