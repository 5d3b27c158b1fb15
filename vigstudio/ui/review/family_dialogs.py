"""What the family keeps, from the Review menu: the keepsake of a review and the closing letter.

- `KeepsakeDialog`: a session's keepsake PDF, optionally its clips beside it. The title is typed here
  (it may name the family, so it is kept nowhere but in the PDF).
- `LetterDialog`: the closing letter of a case's intervention, its draft edited right here (so no
  draft file need ever be written), then made into a PDF.

Before anything is written each says that the files leave the encrypted library and whether the
case's `keepsake` consent allows them; the work (`app.keepsake`, `app.letter`) runs off the GUI thread
with progress, and a failed one leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import exporting, keepsake, letter
from vigstudio.app.cases import case_of_session
from vigstudio.app.consent import Use
from vigstudio.domain.errors import VigError
from vigstudio.domain.wording import counted
from vigstudio.ui import style
from vigstudio.ui.background import BackgroundTask, run_in_background
from vigstudio.ui.dialogs import close_and_action_row

FILE_NAME = "Keepsake.pdf"  # no case code: the family sees this name
LETTER_FILE_NAME = "Letter.pdf"
FILMS_SUFFIX = " films"  # the clips' folder beside the PDF: "Keepsake films"


class KeepsakeDialog(QDialog):
    made = Signal(object)  # the KeepsakeResult

    def __init__(self, service, session_id: int, parent: QWidget | None = None, *,
                 folder: Path | str | None = None):
        super().__init__(parent)
        self.service, self.session_id = service, session_id
        self.setObjectName("keepsakeDialog")
        self.setWindowTitle("Keepsake for the family")
        self.setMinimumWidth(560)
        self.case_code = case_of_session(service, session_id).code
        self.task: BackgroundTask | None = None

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(keepsake.DEFAULT_TITLE)
        self.title_edit.setMaxLength(keepsake.MAX_TITLE_LENGTH)
        self.title_edit.setAccessibleName("Title on the cover, as the family chose it")
        self.path_edit = QLineEdit(str(Path(folder or Path.home()) / FILE_NAME))
        self.path_edit.setAccessibleName("Save the keepsake as")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        self.clips_check = QCheckBox("Also save the clips, with their titles, in a folder beside it")
        self.clips_check.setChecked(True)

        self.warning = QLabel(exporting.LEAVES_LIBRARY)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {style.WARNING}; font-weight: 600;")
        note = exporting.consent_note(service, self.case_code, use=Use.KEEPSAKE)
        self.consent_label = QLabel(note.text)
        self.consent_label.setWordWrap(True)
        self.consent_label.setStyleSheet(f"color: {style.TEXT if note.allowed else style.DANGER};")
        self.allowed = note.allowed
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.make_button, buttons = close_and_action_row(self, "Make keepsake", self.start)
        self.make_button.setEnabled(self.allowed)

        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Save as", where)
        form.addRow("", self.clips_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        for label in (self.warning, self.consent_label, self.status):
            layout.addWidget(label)
        layout.addLayout(buttons)

    def films_folder(self, pdf: Path) -> Path:
        return pdf.with_name(pdf.stem + FILMS_SUFFIX)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the keepsake as", self.path_edit.text(), "PDF (*.pdf)")
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def start(self) -> BackgroundTask | None:
        if self.task is not None or not self.allowed:
            return None
        out = Path(self.path_edit.text().strip()).expanduser()
        if not self.path_edit.text().strip() or out.suffix.lower() != ".pdf":
            self.status.setText("Choose a file name ending in .pdf.")
            return None
        service, session_id, title = self.service, self.session_id, self.title_edit.text()
        films = self.films_folder(out) if self.clips_check.isChecked() else None

        def work(progress):
            return keepsake.make_keepsake(service, session_id, out, title=title, clips_dir=films, progress=progress)

        self.status.setText("Making the keepsake…")
        self.make_button.setEnabled(False)
        self.task = run_in_background(self, work, self._done, self._failed, on_cancelled=self._cancelled,
                                      progress_label=f"Making {out.name}…", failure_title="Keepsake not made")
        return self.task

    def _done(self, result) -> None:
        self.task = None
        beside = f", and {counted(len(result.clips), 'clip')} in “{result.clips[0].parent.name}”" if result.clips else ""
        self.status.setText(f"Saved {result.pdf}{beside}.")
        self.make_button.setEnabled(True)
        self.made.emit(result)

    def _failed(self, error: VigError) -> None:
        self.task = None
        self.status.setText(f"Not made: {error}")
        self.make_button.setEnabled(self.allowed)

    def _cancelled(self) -> None:
        self.task = None
        self.status.setText("Cancelled; nothing was written.")
        self.make_button.setEnabled(self.allowed)

    def reject(self) -> None:
        if self.task is not None:  # cancel the running work first
            self.task.cancel()
            return
        super().reject()


class LetterDialog(QDialog):
    made = Signal(object)  # the LetterResult

    def __init__(self, service, case_code: str, parent: QWidget | None = None, *,
                 folder: Path | str | None = None):
        super().__init__(parent)
        self.service, self.case_code = service, case_code
        self.setObjectName("letterDialog")
        self.setWindowTitle(f"Closing letter — case {case_code}")
        self.resize(760, 720)
        self.task: BackgroundTask | None = None
        self.saved_text: str | None = None  # the text last made into a PDF

        self.intervention_combo = QComboBox()
        for intervention_id, label in letter.interventions(service, case_code):
            self.intervention_combo.addItem(label, intervention_id)
        self.intervention_combo.setCurrentIndex(self.intervention_combo.count() - 1)
        self.intervention_combo.currentIndexChanged.connect(lambda _i: self.load_draft())
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName("The letter: edit it in your own words")
        hint = QLabel("Edit the letter in your own words. Lines starting with %% are notes for you and "
                      "are not printed; a line [still N] prints that still with its caption.")
        hint.setWordWrap(True)
        self.path_edit = QLineEdit(str(Path(folder or Path.home()) / LETTER_FILE_NAME))
        self.path_edit.setAccessibleName("Save the letter as")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)

        note = exporting.consent_note(service, case_code, use=Use.CLOSING_LETTER)
        self.allowed = note.allowed
        self.warning = QLabel(exporting.LEAVES_LIBRARY)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {style.WARNING}; font-weight: 600;")
        self.consent_label = QLabel(note.text)
        self.consent_label.setWordWrap(True)
        self.consent_label.setStyleSheet(f"color: {style.TEXT if note.allowed else style.DANGER};")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        # Not the default button: Enter belongs to the letter's text.
        self.make_button, buttons = close_and_action_row(self, "Make PDF", self.start, default=False)
        self.make_button.setEnabled(self.allowed)

        form = QFormLayout()
        form.addRow("About", self.intervention_combo)
        form.addRow("Save as", where)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.text_edit, 1)
        for label in (self.warning, self.consent_label, self.status):
            layout.addWidget(label)
        layout.addLayout(buttons)
        self.load_draft()

    @property
    def intervention_id(self) -> int | None:
        return self.intervention_combo.currentData()

    def load_draft(self) -> None:
        """A fresh draft of the chosen intervention (the text box holds it: nothing on disk)."""
        if self.intervention_id is None:
            self.text_edit.setPlainText("")
            self.status.setText(f"Case {self.case_code} has no intervention to write about yet.")
            self.make_button.setEnabled(False)
            return
        self.text_edit.setPlainText(letter.draft_text(self.service, self.case_code, self.intervention_id))
        self.text_edit.document().setModified(False)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the letter as", self.path_edit.text(), "PDF (*.pdf)")
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def start(self) -> BackgroundTask | None:
        if self.task is not None or not self.allowed or self.intervention_id is None:
            return None
        out = Path(self.path_edit.text().strip()).expanduser()
        if not self.path_edit.text().strip() or out.suffix.lower() != ".pdf":
            self.status.setText("Choose a file name ending in .pdf.")
            return None
        service, code, text, intervention = (self.service, self.case_code, self.text_edit.toPlainText(),
                                             self.intervention_id)

        def work(progress):
            progress(0.0, "making the letter")
            return letter.make_letter(service, code, out, text=text, intervention_id=intervention)

        self.make_button.setEnabled(False)
        self.status.setText("Making the letter…")
        self.task = run_in_background(self, work, lambda result: self._done(result, text), self._failed,
                                      progress_label=f"Making {out.name}…", cancellable=False,
                                      failure_title="Letter not made")
        return self.task

    def _done(self, result, text: str) -> None:
        self.task = None
        self.saved_text = text
        self.status.setText(f"Saved {result.path}.")
        self.make_button.setEnabled(True)
        self.made.emit(result)

    def _failed(self, error: VigError) -> None:
        self.task = None
        self.status.setText(f"Not made: {error}")
        self.make_button.setEnabled(self.allowed)

    def unsaved_edits(self) -> bool:
        return self.text_edit.document().isModified() and self.text_edit.toPlainText() != self.saved_text

    def reject(self) -> None:
        if self.task is not None:
            return
        if not self.unsaved_edits():
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Close the letter",
                          "Your edits are only in this window (nothing is kept on disk until you make the "
                          "PDF). Close and lose them?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("discardLetterBox")
        box.buttonClicked.connect(lambda b: box.standardButton(b) == QMessageBox.StandardButton.Discard
                                  and QDialog.reject(self))
        box.open()


def add_family_actions(main_window, menu) -> tuple[QAction, QAction]:
    """"Keepsake for the family…" and "Closing letter…" in `menu`, for what the library window selects."""
    from vigstudio.ui.review.actions import open_session_dialog

    def open_keepsake() -> KeepsakeDialog | None:
        return open_session_dialog(main_window, KeepsakeDialog)

    def open_letter() -> LetterDialog | None:
        node = main_window.current_node()
        while node is not None and node.kind.value != "case":
            node = node.parent
        if node is None:
            main_window.statusBar().showMessage("Select a case (or one of its sessions) first.", 8000)
            return None
        dialog = LetterDialog(main_window.service, node.obj.code, main_window)
        dialog.open()
        return dialog

    made = []
    for name, text, tip, slot in (
            ("keepsakeAction", "Keepsake for the family…",
             "A printable keepsake of the selected session's review, with its clips", open_keepsake),
            ("letterAction", "Closing letter…",
             "The closing letter to the parent: edit the draft, then make the PDF", open_letter)):
        action = QAction(text, main_window)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        menu.addAction(action)
        main_window.library_actions.append(action)  # disabled while the window is locked
        made.append(action)
    return made[0], made[1]
