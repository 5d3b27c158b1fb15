"""ExportDialog: what to export from a session, where to, with which options — and, before anything is
written, a plain statement that the file leaves the encrypted library and what the case's consent
allows (see `vigstudio.app.exporting` for the rule). The export runs off the GUI thread with progress
and Cancel; a cancelled or failed export leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from vigstudio.app import exporting
from vigstudio.app.cases import case_of_session
from vigstudio.app.review import playlist
from vigstudio.domain.errors import VigError
from vigstudio.domain.wording import counted
from vigstudio.ui import style
from vigstudio.ui.background import BackgroundTask, run_in_background
from vigstudio.ui.dialogs import close_and_action_row


@dataclass(frozen=True)
class ExportChoice:
    kind: str  # "review", "clip" or "still"
    id: int  # the session's id for "review"
    label: str  # the clip's title or the still's caption ("" for none)
    suffix: str


class ExportDialog(QDialog):
    exported = Signal(object)  # the ExportResult

    def __init__(self, service, session_id: int, parent: QWidget | None = None, *,
                 folder: Path | str | None = None):
        super().__init__(parent)
        self.service = service
        self.session_id = session_id
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.setMinimumWidth(560)
        self.case_code = _case_code(service, session_id)
        self.task: BackgroundTask | None = None
        self._folder = Path(folder) if folder else Path.home()

        self.choices = [ExportChoice("review", session_id, "", ".mp4")]
        items = playlist(service, session_id)
        self.what_combo = QComboBox()
        clips = sum(1 for i in items if not i.is_still)
        self.what_combo.addItem(f"The whole review ({counted(clips, 'clip')}, {counted(len(items) - clips, 'still')}, "
                                "with title cards)")
        for item in items:
            if item.is_still:
                text = f"Still at frame {item.frame}" + (f" — “{item.caption}”" if item.caption else "")
                self.choices.append(ExportChoice("still", item.id, item.caption, ".png"))
            else:
                text = f"{item.name} (frames {item.start_frame}–{item.last_frame})"
                self.choices.append(ExportChoice("clip", item.id, item.title, ".mp4"))
            self.what_combo.addItem(text)

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Export to file")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)

        self.slow_check = QCheckBox("Slow motion (half speed, the voices keep their pitch)")
        self.caption_check = QCheckBox("Show the title or caption in the picture")
        self.training_check = QCheckBox("For training use: blur faces (needs the family's consent to training)")
        for check in (self.slow_check, self.caption_check, self.training_check):
            check.toggled.connect(self._update)

        self.warning = QLabel(exporting.LEAVES_LIBRARY)
        self.warning.setObjectName("exportWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {style.WARNING}; font-weight: 600;")
        self.consent_label = QLabel("")
        self.consent_label.setObjectName("exportConsent")
        self.consent_label.setWordWrap(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.export_button, buttons = close_and_action_row(self, "Export", self.start_export)

        form = QFormLayout()
        form.addRow("What", self.what_combo)
        form.addRow("Save as", where)
        options = QVBoxLayout()
        for check in (self.slow_check, self.caption_check, self.training_check):
            options.addWidget(check)
        form.addRow("Options", options)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.consent_label)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.what_combo.currentIndexChanged.connect(self._choice_changed)
        self._choice_changed()

    # -- state ----------------------------------------------------------------------------------

    @property
    def choice(self) -> ExportChoice:
        return self.choices[self.what_combo.currentIndex()]

    def select(self, kind: str, item_id: int) -> None:
        for row, choice in enumerate(self.choices):
            if (choice.kind, choice.id) == (kind, item_id):
                self.what_combo.setCurrentIndex(row)
                return
        raise ValueError(f"no {kind} {item_id} in session {self.session_id}")

    def _default_name(self) -> str:
        c = self.choice
        what = f"session{self.session_id}-review" if c.kind == "review" else f"{c.kind}{c.id}"
        return f"{self.case_code}-{what}{c.suffix}"

    def _choice_changed(self) -> None:
        c = self.choice
        current = Path(self.path_edit.text()) if self.path_edit.text() else None
        folder = current.parent if current is not None else self._folder
        self.path_edit.setText(str(folder / self._default_name()))
        is_clip = c.kind == "clip"
        self.slow_check.setEnabled(is_clip)
        self.training_check.setEnabled(is_clip)
        self.caption_check.setEnabled(c.kind in ("clip", "still") and bool(c.label.strip()))
        for check in (self.slow_check, self.training_check, self.caption_check):
            if not check.isEnabled():
                check.setChecked(False)
        self._update()

    def _update(self) -> None:
        note = exporting.consent_note(self.service, self.case_code, for_training=self.training_check.isChecked())
        self.consent_label.setText(note.text)
        colour = style.TEXT if note.allowed else style.DANGER
        self.consent_label.setStyleSheet(f"color: {colour};")
        self.export_button.setEnabled(note.allowed and self.task is None)

    def _browse(self) -> None:
        c = self.choice
        kind = "PNG picture (*.png)" if c.suffix == ".png" else "MP4 video (*.mp4)"
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text(), kind)
        if path:
            if not path.lower().endswith(c.suffix):
                path += c.suffix
            self.path_edit.setText(path)

    # -- exporting ------------------------------------------------------------------------------

    def start_export(self) -> BackgroundTask | None:
        if self.task is not None:
            return None
        out = Path(self.path_edit.text().strip()).expanduser()
        c = self.choice
        if not self.path_edit.text().strip() or out.suffix.lower() != c.suffix:
            self.status.setText(f"Choose a file name ending in {c.suffix}.")
            return None
        service, slow, caption, training = (self.service, self.slow_check.isChecked(),
                                            self.caption_check.isChecked(), self.training_check.isChecked())
        if c.kind == "clip":
            def work(progress):
                return exporting.export_clip(service, c.id, out, speed=exporting.SLOW_MOTION if slow else 1.0,
                                             caption=caption, for_training=training, progress=progress)
        elif c.kind == "still":
            def work(progress):
                progress(0.0, "writing the picture")
                return exporting.export_still(service, c.id, out, caption=caption)
        else:
            def work(progress):
                return exporting.export_review(service, c.id, out, progress=progress)
        self.status.setText("Exporting…")
        self.export_button.setEnabled(False)
        self.task = run_in_background(self, work, self._done, self._failed, on_cancelled=self._cancelled,
                                      progress_label=f"Exporting to {out.name}…", failure_title="Export failed")
        return self.task

    def _done(self, result) -> None:
        self.task = None
        self.status.setText(f"Exported to {result.path}.")
        self._update()
        self.exported.emit(result)

    def _failed(self, error: VigError) -> None:
        self.task = None
        self.status.setText(f"Not exported: {error}")
        self._update()

    def _cancelled(self) -> None:
        self.task = None
        self.status.setText("Export cancelled; nothing was written.")
        self._update()

    def reject(self) -> None:
        if self.task is not None:  # Cancel the running export first (its dialog offers that)
            self.task.cancel()
            return
        super().reject()


def _case_code(service, session_id: int) -> str:
    return case_of_session(service, session_id).code
