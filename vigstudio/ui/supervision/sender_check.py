"""Opening a signed bundle from someone who is not a contact: the sender's fingerprint, to compare with
the one they read out in person or by phone, and Accept / Refuse. Nothing is written until accepted.

Shared by every dialog that opens a signed bundle (supervision and feedback bundles, outcomes bundles);
the dialog supplies `go_button` (its Open / Import button) and `start(accept)`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vigstudio.app.senders import AcceptSender, UnknownSender
from vigstudio.domain.errors import VigError
from vigstudio.ui.supervision.keys_dialog import fingerprint_label


class ChecksUnknownSenders:
    """Mix into a `SupervisionDialog` (before it) that opens signed bundles."""

    go_button: QPushButton
    sender_role = "sender"  # who is asked to read out their fingerprint

    def sender_panel_for(self, accept_text: str) -> QWidget:
        panel = QWidget()
        panel.setObjectName("unknownSender")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.sender_note = self.note("")
        layout.addWidget(self.sender_note)
        self.sender_fingerprint = fingerprint_label("")
        layout.addWidget(self.sender_fingerprint)
        form = QFormLayout()
        self.sender_name_edit = QLineEdit()
        form.addRow("Save the sender as", self.sender_name_edit)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.accept_sender_button = QPushButton(accept_text)
        self.accept_sender_button.clicked.connect(self.accept_sender)
        self.refuse_sender_button = QPushButton("Refuse")
        self.refuse_sender_button.clicked.connect(self.refuse_sender)
        row.addWidget(self.accept_sender_button)
        row.addWidget(self.refuse_sender_button)
        row.addStretch(1)
        layout.addLayout(row)
        panel.hide()
        self.sender_panel = panel
        self.unknown: UnknownSender | None = None
        return panel

    def show_error(self, error: VigError | str) -> None:
        if not isinstance(error, UnknownSender):
            super().show_error(error)  # the dialog's own (SupervisionDialog, after this in the MRO)
            return
        self.unknown = error
        who = (f"This bundle says it comes from your contact {error.legacy.display_name}, whose signing key this "
               "library does not know yet." if error.legacy else
               f"This bundle is signed by {error.suggested_name!r}, who is not one of your contacts.")
        self.sender_note.setText(f"{who} Nothing has been imported. Ask the {self.sender_role} (in person or by "
                                 "phone) to read you their fingerprint, shown under Sharing → My contact card, and "
                                 "accept only if it is exactly this one:")
        self.sender_fingerprint.setText(error.fingerprint)
        self.sender_name_edit.setText(error.suggested_name)
        self.sender_name_edit.setEnabled(error.legacy is None)
        self.sender_panel.show()
        self.go_button.setEnabled(False)
        self.adjustSize()  # the dialog grows to show the whole explanation
        self.accept_sender_button.setFocus()

    def accept_sender(self) -> None:
        if self.unknown is None:
            return
        accept = AcceptSender(name=self.sender_name_edit.text(), fingerprint=self.unknown.fingerprint)
        self.sender_panel.hide()
        self.start(accept)

    def refuse_sender(self) -> None:
        self.unknown = None
        self.sender_panel.hide()
        self.go_button.setEnabled(True)
        super().show_error("The bundle was refused; nothing was imported.")
        self.adjustSize()
