"""Outcome measures in the library window: a questionnaire form, a case's Outcomes, the report.

`install_outcomes_menu(main_window)` adds the "Outcomes" menu; the dialogs call `app.outcomes`,
`app.charts` and `app.outcome_report` only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from vigstudio.ui.outcomes.questionnaire import QuestionnaireDialog
from vigstudio.ui.outcomes.report_dialog import OutcomeReportDialog
from vigstudio.ui.outcomes.risk import RiskFlagDialog
from vigstudio.ui.outcomes.view import OutcomesDialog
from vigstudio.ui.supervision import _selected

__all__ = ["OutcomeReportDialog", "OutcomesDialog", "QuestionnaireDialog", "RiskFlagDialog",
           "install_outcomes_menu"]


def _selected_case(main_window: QMainWindow) -> str | None:
    return _selected(main_window, "case")


def install_outcomes_menu(main_window: QMainWindow) -> QMenu:
    menu = main_window.menuBar().addMenu("&Outcomes")
    menu.setObjectName("outcomesMenu")

    def opener(make):
        def open_dialog() -> QDialog:
            dialog = make()
            main_window.outcomes_dialog = dialog  # kept for tests and so it is not collected
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            return dialog
        return open_dialog

    service = lambda: main_window.service  # noqa: E731 (the window may reopen its service)
    entries = [
        ("Questionnaire…", "Ctrl+Shift+Q",
         lambda: QuestionnaireDialog(main_window, service(), _selected_case(main_window))),
        ("Outcomes of this case…", "Ctrl+Shift+O",
         lambda: OutcomesDialog(main_window, service(), _selected_case(main_window))),
        ("Outcome report for the service…", None, lambda: OutcomeReportDialog(main_window, service())),
    ]
    for text, keys, make in entries:
        action = menu.addAction(text, opener(make))
        if keys:
            action.setShortcut(QKeySequence(keys))
    return menu
