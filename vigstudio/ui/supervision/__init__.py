"""Sharing: consent, keys and contacts, supervision bundles, audit log and retention dialogs.

`install_supervision_menu(main_window)` adds the "Sharing" menu to the library window; the window
only needs `service`, `current_node()` and `menuBar()`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from vigstudio.ui.supervision.bundle_dialogs import ExportBundleDialog, FeedbackBundleDialog, OpenBundleDialog
from vigstudio.ui.supervision.consent_dialog import ConsentDialog
from vigstudio.ui.supervision.keys_dialog import ContactsDialog, PublicKeyDialog
from vigstudio.ui.supervision.log_dialogs import AuditLogDialog, RetentionDialog

__all__ = ["AuditLogDialog", "ConsentDialog", "ContactsDialog", "ExportBundleDialog", "FeedbackBundleDialog",
           "OpenBundleDialog", "PublicKeyDialog", "RetentionDialog", "install_supervision_menu"]


def _selected(main_window, kind: str):
    """The selected case's code or session's id in the window's tree, if any."""
    node = main_window.current_node() if hasattr(main_window, "current_node") else None
    while node is not None:
        if kind == "case" and node.kind.value == "case":
            return node.obj.code
        if kind == "session" and node.kind.value == "session":
            return node.obj.id
        node = node.parent
    return None


def _announce(main_window: QMainWindow, message: str) -> None:
    if message:
        main_window.statusBar().showMessage(message, 10000)


def install_supervision_menu(main_window: QMainWindow) -> QMenu:
    menu = main_window.menuBar().addMenu("&Sharing")
    menu.setObjectName("sharingMenu")

    def opener(make):
        def open_dialog() -> QDialog:
            dialog = make()
            main_window.supervision_dialog = dialog  # kept for tests and so it is not collected
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: _announce(main_window, dialog.done_message))
            dialog.open()
            return dialog
        return open_dialog

    service = lambda: main_window.service  # noqa: E731 (the window may reopen its service)
    entries = [
        ("Consent…", lambda: ConsentDialog(main_window, service(), _selected(main_window, "case"))),
        ("My public key…", lambda: PublicKeyDialog(main_window, service())),
        ("Contacts…", lambda: ContactsDialog(main_window, service())),
        (None, None),
        ("Export bundle for supervision…",
         lambda: ExportBundleDialog(main_window, service(), _selected(main_window, "session"))),
        ("Open bundle…", lambda: OpenBundleDialog(main_window, service())),
        ("Make feedback bundle…", lambda: FeedbackBundleDialog(main_window, service())),
        (None, None),
        ("Audit log…", lambda: AuditLogDialog(main_window, service())),
        ("Retention…", lambda: RetentionDialog(main_window, service())),
    ]
    for text, make in entries:
        if text is None:
            menu.addSeparator()
        else:
            menu.addAction(text, opener(make))
    if hasattr(main_window, "library_actions"):  # greyed out while locked (there is no library open)
        main_window.library_actions.append(menu.menuAction())
    return menu
