"""The session side panel: the cycle's helping question (the parent's goal), the session notes, and
whether the review is ready. Both texts commit as you type (see `text_commit`); in a supervision
case they are the practitioner's words from the bundle, shown read-only (`set_read_only`).

Compact: on a 768-pixel screen it shares the right-hand column with the principles, so the text
fields ask for a few lines only (a text field's default minimum is nearer five); the readiness line
wraps rather than being cut short."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vigstudio.ui import style
from vigstudio.ui.editor.session_data import SessionData
from vigstudio.ui.editor.text_commit import CommittingTextEdit

QUESTION_LINES = 3  # the fewest lines each field shows when the panel is squeezed
NOTES_LINES = 2
QUESTION_HINT = "What the parent hopes to see change, in their words"
NOTES_HINT = "Notes for this session (kept encrypted in the library)"
# What it shows: the helping question, the notes, and the review readiness (counts of clips and stills).
SHOWN = frozenset({"session", "cycle", "clips", "stills"})
READ_ONLY_TIP = "The practitioner's words, as they came in the supervision bundle: read-only here."


class ReadinessLine(QLabel):
    """Whether the review is ready, wrapped over the lines the panel's width needs (cut to one line
    with "…", it hid exactly what was still missing)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)

    def set_full_text(self, text: str) -> None:
        self.setText(text)
        self.setToolTip(text)


class SidePanel(QWidget):
    notesCommitted = Signal(str, bool)  # text, final
    questionCommitted = Signal(str, bool)
    textClosed = Signal()  # left a field with everything committed (the undo step ends)
    doneTyping = Signal()

    def __init__(self, data: SessionData, parent: QWidget | None = None):
        super().__init__(parent)
        self._data = data
        self._read_only = False

        self.question_label = QLabel()
        self.question_label.setProperty("muted", True)
        self.question = CommittingTextEdit()
        self.question.setObjectName("helpingQuestion")
        self.question.setAccessibleName("Helping question")
        self.question.setPlaceholderText(QUESTION_HINT)
        self.question.setMaximumHeight(72)
        self.question.commit.connect(self.questionCommitted)

        self.notes_label = QLabel()
        self.notes_label.setProperty("muted", True)
        self.notes = CommittingTextEdit()
        self.notes.setObjectName("sessionNotes")
        self.notes.setAccessibleName("Session notes")
        self.notes.setPlaceholderText(NOTES_HINT)
        self.notes.commit.connect(self.notesCommitted)

        for field, lines in ((self.question, QUESTION_LINES), (self.notes, NOTES_LINES)):
            field.closed.connect(self.textClosed)
            field.escaped.connect(self.doneTyping)
            field.setMinimumHeight(_lines_height(field, lines))

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {style.BORDER};")
        self.readiness = ReadinessLine()
        self.readiness.setObjectName("reviewReadiness")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.question_label)
        layout.addWidget(self.question)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes, 1)
        layout.addWidget(line)
        layout.addWidget(self.readiness)
        data.changed.connect(lambda parts: parts & SHOWN and self.refresh())
        self.refresh()

    def refresh(self) -> None:
        data = self._data
        suffix = " · practitioner's, read-only" if self._read_only else ""
        # A WWW session sits in no VIG cycle: it has no helping question of its own.
        in_cycle = data.cycle is not None
        self.question_label.setVisible(in_cycle)
        self.question.setVisible(in_cycle)
        if data.cycle is not None:
            self.question_label.setText(f"Helping question — cycle {data.cycle.number}{suffix}")
            self.question.set_committed_text(data.cycle.helping_question)
        self.notes_label.setText(f"Session notes{suffix}")
        self.notes.set_committed_text(data.session.notes)
        readiness = data.readiness()
        self.readiness.set_full_text(readiness.summary())
        colour = style.ACCENT if readiness.ready else style.MUTED
        self.readiness.setStyleSheet(f"color: {colour}; font-weight: {600 if readiness.ready else 400};")

    def set_read_only(self, read_only: bool) -> None:
        """A supervision case: the question and notes came in the bundle as the practitioner's words;
        shown to read and select, never changed (the app refuses that too: `ReadOnlySupervision`)."""
        self._read_only = read_only
        for field, hint, none in ((self.question, QUESTION_HINT, "No helping question came with the bundle"),
                                  (self.notes, NOTES_HINT, "No session notes came with the bundle")):
            field.setReadOnly(read_only)
            field.setPlaceholderText(none if read_only else hint)
            field.setToolTip(READ_ONLY_TIP if read_only else "")
        self.refresh()

    def flush(self) -> None:
        self.question.flush(final=True)
        self.notes.flush(final=True)


def _lines_height(field: CommittingTextEdit, lines: int) -> int:
    """The height that shows `lines` lines of the field's text, with its frame and margins."""
    field.ensurePolished()  # the style sheet's padding and border become its contents margins
    margins = field.contentsMargins()
    document_margin = 2 * round(field.document().documentMargin())
    return (QFontMetrics(field.font()).lineSpacing() * lines + document_margin
            + margins.top() + margins.bottom() + 2)
