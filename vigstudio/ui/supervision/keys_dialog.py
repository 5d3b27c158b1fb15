"""This library's public key (with a Copy button) and the contacts list."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from vigstudio.app import keys
from vigstudio.app.library import LibraryService
from vigstudio.ui.supervision.common import SupervisionDialog


class PublicKeyDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "My public key", "publicKeyDialog")
        self.layout_.addWidget(self.note("Give this key to your supervisor (or practitioner) so they can "
                                         "encrypt bundles that only this library can open. It is not secret."))
        self.key_edit = QLineEdit(keys.public_key(service))
        self.key_edit.setObjectName("publicKey")
        self.key_edit.setReadOnly(True)
        # The whole key in view, from its "age1" start (scrolled to its end, it looked like another key).
        self.key_edit.setMinimumWidth(self.key_edit.fontMetrics().horizontalAdvance(self.key_edit.text()) + 24)
        self.key_edit.setCursorPosition(0)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.copy_button)
        self.layout_.addLayout(row)
        self.add_close_button()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key_edit.text())
        self.copy_button.setText("Copied")


class ContactsDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Contacts", "contactsDialog")
        self.list = QListWidget()
        self.layout_.addWidget(self.list)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("age1…")
        self.role_combo = QComboBox()
        self.role_combo.addItems(["supervisor", "practitioner"])
        form.addRow("Name", self.name_edit)
        form.addRow("Public key", self.key_edit)
        form.addRow("Role", self.role_combo)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.add_button = self.button("Add contact", self.add)
        self.remove_button = self.button("Remove selected", self.remove)
        self.add_button_row(self.add_button, self.remove_button)
        self.add_close_button()
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for c in keys.list_contacts(self.service):
            item = QListWidgetItem(f"{c.display_name} ({c.role.value}) — {c.public_key[:16]}…")
            item.setData(256, c.id)
            self.list.addItem(item)

    def add(self) -> None:
        if self.attempt(keys.add_contact, self.service, self.name_edit.text(), self.key_edit.text(),
                        self.role_combo.currentText()) is not None:
            self.name_edit.clear()
            self.key_edit.clear()
            self.reload()

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.attempt(keys.remove_contact, self.service, item.data(256))
            self.reload()
