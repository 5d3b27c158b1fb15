"""The caseload in the library window: its first tab, beside the library tree.

`install_caseload(main_window)` puts the tree and the caseload in tabs (the caseload first), keeps
the caseload attached to the open library (detached while locked), and wires its buttons to the
referral, pathway, closing, case record and service work dialogs; Enter or a double-click on a case
shows it in the library tree. Their edits are undoable from the window's Edit menu (Ctrl+Z /
Ctrl+Shift+Z): `window.undo_stack`, made here if the window has none, cleared when it locks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QTabWidget

from vigstudio.ui.caseload.commands import CaseloadUndo
from vigstudio.ui.caseload.dialogs import PathwayDialog, ReferralDialog
from vigstudio.ui.caseload.record_dialog import CaseRecordDialog
from vigstudio.ui.caseload.service_dialogs import ActivitiesDialog, CloseCaseDialog
from vigstudio.ui.caseload.view import CaseloadView
from vigstudio.ui.library_undo import library_undo_stack

__all__ = ["ActivitiesDialog", "CaseRecordDialog", "CaseloadUndo", "CaseloadView", "CloseCaseDialog",
           "PathwayDialog", "ReferralDialog", "install_caseload"]


def install_caseload(window: QMainWindow) -> CaseloadView:
    view = CaseloadView()
    tabs = QTabWidget()
    tabs.setObjectName("libraryTabs")
    tabs.setDocumentMode(True)
    at, showing = window.stack.indexOf(window.splitter), window.stack.currentIndex()
    window.stack.removeWidget(window.splitter)
    tabs.addTab(view, "Caseload")
    tabs.addTab(window.splitter, "Library")
    window.stack.insertWidget(at, tabs)
    window.stack.setCurrentIndex(showing)  # removing the shown page had moved the stack to the next one
    window.library_tabs = tabs
    window.caseload = view

    def show_case(code: str) -> None:
        case = next((n for n in window.model.all_nodes() if n.kind.value == "case" and n.obj.code == code), None)
        tabs.setCurrentWidget(window.splitter)
        if case is not None:
            window.tree.select_key(case.key)
            window.tree.setFocus()

    undo = CaseloadUndo(window.service, library_undo_stack(window), window)
    window.caseload_undo = undo
    undo.failed.connect(lambda message: window.statusBar().showMessage(f"Could not undo: {message}", 10000))

    def locked(is_locked: bool) -> None:
        undo.stack.clear()  # nothing to undo across a lock
        if is_locked:
            view.detach()
        else:
            undo.service = window.service
            view.attach(window.service)

    def open_dialog(make) -> QDialog:
        dialog = make(window, window.service, view.selected_code(), undo=undo)
        window.caseload_dialog = dialog  # kept for tests and so it is not collected
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: window.statusBar().showMessage(dialog.done_message, 10000))
        dialog.open()
        return dialog

    view.case_chosen.connect(show_case)
    view.referral_button.clicked.connect(lambda: open_dialog(ReferralDialog))
    view.status_button.clicked.connect(lambda: open_dialog(PathwayDialog))
    view.close_button.clicked.connect(lambda: open_dialog(CloseCaseDialog))
    view.record_button.clicked.connect(lambda: open_dialog(CaseRecordDialog))
    view.activities_button.clicked.connect(lambda: open_dialog(lambda parent, service, _code, undo: ActivitiesDialog(
        parent, service, undo=undo)))
    window.lock_changed.connect(locked)
    if window.service.is_open:
        view.attach(window.service)
    return view
