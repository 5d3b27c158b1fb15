"""The session side panel: the cycle's helping question (the parent's goal), the session notes, and
whether the review is ready. Both texts commit as you type (see `text_commit`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from vigstudio.ui import style
from vigstudio.ui.editor.session_data import SessionData
from vigstudio.ui.editor.text_commit import CommittingTextEdit


class SidePanel(QWidget):
    notesCommitted = Signal(str, bool)  # text, final
    questionCommitted = Signal(str, bool)
    textClosed = Signal()  # left a field with everything committed (the undo step ends)
    doneTyping = Signal()

    def __init__(self, data: SessionData, parent: QWidget | None = None):
        super().__init__(parent)
        self._data = data

        self.question_label = QLabel()
        self.question_label.setProperty("muted", True)
        self.question = CommittingTextEdit()
        self.question.setObjectName("helpingQuestion")
        self.question.setAccessibleName("Helping question")
        self.question.setPlaceholderText("What the parent hopes to see change, in their words")
        self.question.setMaximumHeight(72)
        self.question.commit.connect(self.questionCommitted)

        notes_label = QLabel("Session notes")
        notes_label.setProperty("muted", True)
        self.notes = CommittingTextEdit()
        self.notes.setObjectName("sessionNotes")
        self.notes.setAccessibleName("Session notes")
        self.notes.setPlaceholderText("Notes for this session (kept encrypted in the library)")
        self.notes.commit.connect(self.notesCommitted)

        for field in (self.question, self.notes):
            field.closed.connect(self.textClosed)
            field.escaped.connect(self.doneTyping)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {style.BORDER};")
        self.readiness = QLabel()
        self.readiness.setObjectName("reviewReadiness")
        self.readiness.setWordWrap(True)
        self.readiness.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.question_label)
        layout.addWidget(self.question)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes, 1)
        layout.addWidget(line)
        layout.addWidget(self.readiness)
        data.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        data = self._data
        self.question_label.setText(f"Helping question — cycle {data.cycle.number}")
        self.question.set_committed_text(data.cycle.helping_question)
        self.notes.set_committed_text(data.session.notes)
        readiness = data.readiness()
        self.readiness.setText(readiness.summary())
        colour = style.ACCENT if readiness.ready else style.MUTED
        self.readiness.setStyleSheet(f"color: {colour}; font-weight: {600 if readiness.ready else 400};")

    def flush(self) -> None:
        self.question.flush(final=True)
        self.notes.flush(final=True)
