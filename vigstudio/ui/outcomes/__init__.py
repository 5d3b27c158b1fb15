"""Outcome measures in the library window: a questionnaire form, a case's Outcomes, the report.

`install_outcomes_menu(main_window)` adds the "Outcomes" menu; the dialogs call `app.outcomes`,
`app.charts` and `app.outcome_report` only.
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from vigstudio.ui.supervision import _selected

__all__ = ["ExportOutcomesDialog", "ImportOutcomesDialog", "OutcomeReportDialog", "OutcomeSourcesDialog",
           "OutcomesDialog", "QuestionnaireDialog", "RiskFlagDialog", "install_outcomes_menu"]

# The dialogs are imported when first used: the report and the charts bring scipy and matplotlib,
# seconds of imports and ~100 MB that opening the library window must not wait for.
_DIALOG_MODULES = {"QuestionnaireDialog": "questionnaire", "OutcomeReportDialog": "report_dialog",
                   "RiskFlagDialog": "risk", "OutcomesDialog": "view", "ExportOutcomesDialog": "bundles",
                   "ImportOutcomesDialog": "bundles", "OutcomeSourcesDialog": "bundles"}


def __getattr__(name: str) -> Any:
    if name in _DIALOG_MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_DIALOG_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _selected_case(main_window: QMainWindow) -> str | None:
    return _selected(main_window, "case")


def install_outcomes_menu(main_window: QMainWindow) -> QMenu:
    menu = main_window.menuBar().addMenu("&Outcomes")
    menu.setObjectName("outcomesMenu")

    def announce() -> None:
        message = getattr(main_window.outcomes_dialog, "done_message", "")
        if message:
            main_window.statusBar().showMessage(message, 10000)

    def opener(make):
        def open_dialog() -> QDialog:
            dialog = make()
            main_window.outcomes_dialog = dialog  # kept for tests and so it is not collected
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if hasattr(dialog, "done_message"):  # what a dialog that succeeded says in the status bar
                dialog.accepted.connect(announce)  # (a slot holding the dialog would outlive it)
            dialog.open()
            return dialog
        return open_dialog

    service = lambda: main_window.service  # noqa: E731 (the window may reopen its service)
    entries = [
        ("Questionnaire…", "Ctrl+Shift+Q",
         lambda: __getattr__("QuestionnaireDialog")(main_window, service(), _selected_case(main_window))),
        ("Outcomes of this case…", "Ctrl+Shift+O",
         lambda: __getattr__("OutcomesDialog")(main_window, service(), _selected_case(main_window))),
        ("Outcome report for the service…", None,
         lambda: __getattr__("OutcomeReportDialog")(main_window, service())),
        (None, None, None),
        ("Export anonymous outcomes…", None, lambda: __getattr__("ExportOutcomesDialog")(main_window, service())),
        ("Import outcomes bundle…", None, lambda: __getattr__("ImportOutcomesDialog")(main_window, service())),
        ("Practitioners' outcomes…", None, lambda: __getattr__("OutcomeSourcesDialog")(main_window, service())),
    ]
    for text, keys, make in entries:
        if text is None:
            menu.addSeparator()
            continue
        action = menu.addAction(text, opener(make))
        if keys:
            action.setShortcut(QKeySequence(keys))
    return menu
