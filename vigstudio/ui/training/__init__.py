"""The practitioner's training record and coding agreement, in a "Training" menu of the library window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from vigstudio.ui.supervision import _selected
from vigstudio.ui.training.agreement_dialog import AgreementDialog
from vigstudio.ui.training.progress_dialog import TrainingDialog

__all__ = ["AgreementDialog", "TrainingDialog", "install_training_menu"]


def install_training_menu(main_window: QMainWindow) -> QMenu:
    menu = main_window.menuBar().addMenu("&Training")
    menu.setObjectName("trainingMenu")

    def show(dialog: QDialog) -> QDialog:
        main_window.training_dialog = dialog  # kept for tests and so it is not collected
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def agreement() -> None:
        session = _selected(main_window, "session")
        if session is None:
            main_window.statusBar().showMessage("Select a session in the library first.", 8000)
            return
        show(AgreementDialog(main_window, main_window.service, session))

    menu.addAction("My training record…", lambda: show(TrainingDialog(main_window, main_window.service)))
    menu.addAction("Coding agreement for the selected session…", agreement)
    return menu
