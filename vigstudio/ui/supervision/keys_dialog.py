"""This library's contact card (with a Copy button and its fingerprint) and the contacts list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from vigstudio.app import keys
from vigstudio.app.library import LibraryService
from vigstudio.ui.supervision.common import SupervisionDialog


def fingerprint_label(fingerprint: str) -> QLabel:
    """A fingerprint in a fixed-width font, selectable, so two people can read it to each other."""
    label = QLabel(fingerprint)
    label.setObjectName("fingerprint")
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * 1.25)
    label.setFont(font)
    label.setTextInteractionFlags(label.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PublicKeyDialog(SupervisionDialog):
    """The contact card: one line carrying this library's age key and signing key."""

    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "My contact card", "publicKeyDialog")
        self.layout_.addWidget(self.note(
            "Give this contact card to your supervisor (or practitioner): with it they can encrypt bundles "
            "that only this library can open, and check that bundles from you really come from you. It is not "
            "secret. When they add it, read the fingerprint below to each other to be sure it arrived intact."))
        self.key_edit = QLineEdit(keys.contact_card(service))
        self.key_edit.setObjectName("publicKey")
        self.key_edit.setReadOnly(True)
        # Shown from its start with its age1 key whole (scrolled to its end, it looked like another key).
        self.key_edit.setMinimumWidth(self.key_edit.fontMetrics().horizontalAdvance(self.key_edit.text()[:70]) + 24)
        self.key_edit.setCursorPosition(0)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.copy_button)
        self.layout_.addLayout(row)
        form = QFormLayout()
        self.fingerprint = fingerprint_label(keys.own_fingerprint(service))
        form.addRow("Fingerprint", self.fingerprint)
        self.layout_.addLayout(form)
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
        self.key_edit.setPlaceholderText("their contact card, vigcard1:… (or an age1… key)")
        self.role_combo = QComboBox()
        self.role_combo.addItems(["supervisor", "practitioner"])
        form.addRow("Name", self.name_edit)
        form.addRow("Contact card", self.key_edit)
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
            fingerprint = keys.contact_fingerprint(c)
            shown = f"fingerprint {fingerprint}" if fingerprint else "signing key not known yet (pinned on their first bundle)"
            item = QListWidgetItem(f"{c.display_name} ({c.role.value}) — {shown}")
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
