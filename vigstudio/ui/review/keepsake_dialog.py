"""KeepsakeDialog: the family's keepsake of a session's review (a PDF, optionally its clips beside it).

The title is typed here (it may name the family, so it is kept nowhere but in the PDF). Before
anything is written the dialog says that the files leave the encrypted library and whether the case's
`keepsake` consent allows them; the work (`app.keepsake.make_keepsake`) runs off the GUI thread with
progress and Cancel, and a cancelled or failed keepsake leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import exporting, keepsake
from vigstudio.app.consent import Use
from vigstudio.domain.errors import VigError
from vigstudio.ui import style
from vigstudio.ui.background import BackgroundTask, run_in_background

FILE_NAME = "Keepsake.pdf"  # no case code: the family sees this name
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
        with service.read() as repos:
            self.case_code = repos.sessions.case_of(session_id).code
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

        self.make_button = QPushButton("Make keepsake")
        self.make_button.setProperty("primary", True)
        self.make_button.setDefault(True)
        self.make_button.setEnabled(self.allowed)
        self.make_button.clicked.connect(self.start)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.make_button)

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
        beside = f", and {len(result.clips)} clips in “{result.clips[0].parent.name}”" if result.clips else ""
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


def add_keepsake_action(main_window, menu) -> QAction:
    """"Keepsake for the family…" in `menu`, for the session selected in the library window."""
    from vigstudio.ui.review.actions import _session_or_say_so

    action = QAction("Keepsake for the family…", main_window)
    action.setObjectName("keepsakeAction")
    action.setToolTip("A printable keepsake of the selected session's review, with its clips")

    def open_dialog() -> KeepsakeDialog | None:
        session_id = _session_or_say_so(main_window)
        if session_id is None:
            return None
        dialog = KeepsakeDialog(main_window.service, session_id, main_window)
        dialog.open()
        return dialog

    action.triggered.connect(lambda _checked=False: open_dialog())
    menu.addAction(action)
    main_window.library_actions.append(action)  # disabled while the window is locked
    return action
