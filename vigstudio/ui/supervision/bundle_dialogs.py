"""Export a session bundle, open a bundle, make a feedback bundle: each runs in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from vigstudio.app import bundles, feedback, keys
from vigstudio.app.library import LibraryService
from vigstudio.app.senders import AcceptSender
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import ConsentMissing
from vigstudio.domain.model import CaseOrigin
from vigstudio.domain.wording import counted
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes, checkable_list, checked_data
from vigstudio.ui.supervision.sender_check import ChecksUnknownSenders


def _file_row(edit: QLineEdit, browse) -> QHBoxLayout:
    row = QHBoxLayout()
    button = QPushButton("Choose…")
    button.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


def _recipients(service: LibraryService, role: str | None = None):
    widget = checkable_list([(f"{c.display_name} ({c.role.value})", c.public_key)
                             for c in keys.list_contacts(service) if role is None or c.role.value == role])
    widget.setMaximumHeight(110)
    if widget.count() == 0:
        widget.addItem(f"No {role or 'contact'} yet: add one under Sharing → Contacts…")
        widget.setEnabled(False)
    return widget


class ExportBundleDialog(SupervisionDialog):
    """Pick a session, recipients from the contacts, the review recording; write the bundle."""

    def __init__(self, parent: QWidget | None, service: LibraryService, session_id: int | None = None):
        super().__init__(parent, service, "Export bundle for supervision", "exportBundleDialog")
        self.layout_.addWidget(self.note("The bundle is encrypted so that only the chosen people can open it. "
                                         "It holds the case code, never the family's name."))
        form = QFormLayout()
        self.session_combo = QComboBox()
        self.case_of_session: dict[int, str] = {}
        for node in library_tree(service, annotations=False, items=False):
            if node.case.origin != CaseOrigin.LOCAL:
                continue
            for _i, cycle, s in node.sessions():
                where = f"cycle {cycle.number}" if cycle is not None else "WWW course"  # WWW: no cycle
                self.session_combo.addItem(f"{node.case.code} · {where} · {s.session.kind.value} "
                                           f"{s.session.date} ({counted(s.clip_count, 'clip')})", s.session.id)
                self.case_of_session[s.session.id] = node.case.code
        if session_id is not None:
            self.session_combo.setCurrentIndex(max(0, self.session_combo.findData(session_id)))
        form.addRow("Session", self.session_combo)
        self.recipients = _recipients(service, "supervisor")
        form.addRow("Send to", self.recipients)
        self.review_box = QCheckBox("Include the shared-review recording")
        form.addRow("", self.review_box)
        self.out_edit = QLineEdit()
        form.addRow("Save as", _file_row(self.out_edit, self.browse))
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        # Missing or withdrawn consent: the way to the consent dialog (which offers deleting the media).
        self.consent_button = QPushButton("Consent…")
        self.consent_button.hide()
        self.consent_button.clicked.connect(self.open_consent)
        self.layout_.addWidget(self.consent_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.result_made: bundles.BundleMade | None = None

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save bundle", "", "VIG Studio bundle (*.age)")
        if path:
            self.out_edit.setText(path)

    def start(self) -> None:
        session_id, recipients = self.session_combo.currentData(), checked_data(self.recipients)
        out, with_review = self.out_edit.text().strip(), self.review_box.isChecked()
        if session_id is None or not out:
            self.show_error("choose a session and where to save the bundle")
            return
        self.export_button.setEnabled(False)

        def work(progress):
            return bundles.export_session_bundle(self.service, session_id, Path(out), recipients,
                                                 with_review_recording=with_review, progress=progress)

        def done(made):
            self.result_made = made
            self.done_message = (f"Bundle written to {made.path}: {counted(made.clips, 'clip')}, {counted(made.stills, 'still')}"
                                 + (", the shared-review recording" if made.review_recordings else "") + ".")
            self.accept()

        self.in_background(work, done, "Making the bundle…").finished.connect(
            lambda: self.export_button.setEnabled(True))

    def show_error(self, error) -> None:
        super().show_error(error)
        self.consent_button.setVisible(isinstance(error, ConsentMissing))

    def open_consent(self) -> QDialog:
        from vigstudio.ui.supervision.consent_dialog import ConsentDialog

        dialog = ConsentDialog(self, self.service, self.case_of_session.get(self.session_combo.currentData()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.consent_dialog = dialog
        return dialog


class OpenBundleDialog(ChecksUnknownSenders, SupervisionDialog):
    """A bundle file, optionally an age identity file (else this library's key) and a passphrase.
    A bundle signed by someone who is not a contact shows its fingerprint with Accept / Refuse."""

    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Open bundle", "openBundleDialog")
        form = QFormLayout()
        self.file_edit = QLineEdit()
        form.addRow("Bundle", _file_row(self.file_edit, lambda: self._pick(self.file_edit)))
        self.identity_edit = QLineEdit()
        self.identity_edit.setPlaceholderText("optional: this library's own key is used otherwise")
        form.addRow("Identity file", _file_row(self.identity_edit, lambda: self._pick(self.identity_edit)))
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("only for a passphrase-protected bundle")
        form.addRow("Passphrase", self.passphrase_edit)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.sender_panel_for("Accept sender and open"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.go_button = self.buttons.addButton("Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.result_opened: bundles.BundleOpened | None = None

    def _pick(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a file")
        if path:
            edit.setText(path)

    def start(self, accept: AcceptSender | None = None) -> None:
        accept = accept if isinstance(accept, AcceptSender) else None
        path = Path(self.file_edit.text().strip())
        identity = self.identity_edit.text().strip() or None
        secret = self.passphrase_edit.text() or None
        self.sender_panel.hide()
        if not path.is_file():
            self.show_error(f"file not found: {path}")
            return
        if secret is None and bundles.needs_passphrase(path):
            self.show_error("this bundle is protected by a passphrase: type it above")
            return
        self.open_button.setEnabled(False)

        def work(progress):
            return bundles.open_bundle(self.service, path, identity_file=identity, passphrase=secret,
                                       accept_sender=accept, progress=progress)

        def done(result):
            self.result_opened = result
            if result.kind == "feedback":
                self.done_message = (f"Feedback from {result.sender} for case {result.case_code}: "
                                     f"{counted(result.comments_added, 'comment')} added.")
            else:
                self.done_message = (f"Case {result.case_code} from {result.sender} opened for supervision: "
                                     f"{counted(result.clips, 'clip')}.")
            self.accept()

        self.in_background(work, done, "Opening the bundle…").finished.connect(
            lambda: self.open_button.setEnabled(not self.sender_panel.isVisibleTo(self)))


class FeedbackBundleDialog(SupervisionDialog):
    """A supervision case's comments, encrypted back to the practitioner."""

    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Make feedback bundle", "feedbackBundleDialog")
        form = QFormLayout()
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.SUPERVISION))
        form.addRow("Supervision case", self.case_combo)
        self.recipients = _recipients(service, "practitioner")
        form.addRow("Send to", self.recipients)
        self.out_edit = QLineEdit()
        form.addRow("Save as", _file_row(self.out_edit, self.browse))
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make_button = self.buttons.addButton("Make bundle", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.result_made: bundles.BundleMade | None = None

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save feedback", "", "VIG Studio bundle (*.age)")
        if path:
            self.out_edit.setText(path)

    def start(self) -> None:
        code, recipients, out = self.case_combo.currentText(), checked_data(self.recipients), self.out_edit.text()
        if not code or not out.strip():
            self.show_error("choose a supervision case and where to save the bundle")
            return
        self.in_background(lambda _p: feedback.export_feedback_bundle(self.service, code, Path(out.strip()),
                                                                       recipients),
                           self._done, "Making the feedback bundle…")

    def _done(self, made) -> None:
        self.result_made = made
        self.done_message = f"Feedback bundle written to {made.path}: {counted(made.comments, 'comment')}."
        self.accept()
