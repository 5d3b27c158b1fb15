"""What walking the questionnaire, the Outcomes view and the report dialog at 1366×768 found: the option
keys did nothing while the focus sat on a box above the items (it starts on the case box), so Enter saved an empty,
unscorable PHQ-9; a second Enter saved the same answers twice; with no case chosen the first family's
case was preselected; the charts were wider than their view; dates read "7 12 2026"."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from vigstudio.app import outcomes
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.ui.outcomes import OutcomeReportDialog, OutcomesDialog, QuestionnaireDialog


@pytest.fixture
def service(tmp_path, passphrase):
    svc = LibraryService()
    svc.create(tmp_path / "lib", passphrase)
    add_case(svc, "F-001")
    add_case(svc, "F-040")
    yield svc
    svc.close()


def _completions(service, code):
    return outcomes.completions(service, code)


def test_a_parent_answers_with_the_keys_while_the_focus_is_on_a_box_above(qtbot, service):
    dialog = QuestionnaireDialog(None, service, "F-040")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.measure_combo.setFocus()
    for digit in "221221123":
        qtbot.keyClick(dialog.measure_combo, getattr(Qt.Key, f"Key_{digit}"))
    assert dialog.case_combo.currentText() == "F-040"
    assert not dialog.case_combo.isEnabled()  # the parent sees no list of the other families' codes
    assert dialog.answers() == [1, 1, 0, 1, 1, 0, 0, 1, 2]
    qtbot.keyClick(dialog.measure_combo, Qt.Key.Key_Return)
    assert "PHQ-9 total: 7" in dialog.result.text()
    assert dialog.risk_dialog is not None  # item 9 > 0
    dialog.risk_dialog.action_edit.setPlainText("discussed, safety plan")
    dialog.risk_dialog.by_edit.setText("HV")
    qtbot.mouseClick(dialog.risk_dialog.record_button, Qt.MouseButton.LeftButton)
    assert not dialog.risk_dialog.isVisible()
    assert "the action taken is recorded" in dialog.result.text()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.measure_combo.setFocus()
    qtbot.keyClick(dialog.measure_combo, Qt.Key.Key_Return)  # a second Enter
    assert len(_completions(service, "F-040")) == 1 and not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog.measure_combo, Qt.Key.Key_1)  # an answer changed: it may be saved again
    assert dialog.answers()[8] == 0, dialog.answers()
    assert dialog.save_button.isEnabled()


def test_an_unanswered_questionnaire_is_not_saved_and_no_case_is_guessed(qtbot, service):
    dialog = QuestionnaireDialog(None, service, None)
    qtbot.addWidget(dialog)
    assert dialog.case_combo.currentText() == ""  # not F-001, the first to sort
    dialog.save()
    assert "Choose the family's case" in dialog.error.text()
    dialog.case_combo.setCurrentText("F-040")
    dialog.save()
    assert "No item is answered yet" in dialog.error.text()
    assert _completions(service, "F-040") == [] or len(_completions(service, "F-040")) == 0


def test_the_outcomes_charts_fit_their_view_and_dates_are_written_out(qtbot, service):
    outcomes.add_completion(service, "F-040", "PHQ-9", "pre", date=dt.date(2026, 9, 8), answers=[2] * 8 + [0])
    outcomes.add_completion(service, "F-040", "PHQ-9", "post", date=dt.date(2026, 12, 1), answers=[1] * 8 + [0])
    dialog = OutcomesDialog(None, service, "F-040")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.charts.findChild(QLabel, "chart-PHQ-9") is not None, timeout=30_000)
    chart = dialog.charts.findChild(QLabel, "chart-PHQ-9")
    assert chart.pixmap().width() <= dialog.charts_scroll.viewport().width()
    assert dialog.table.item(0, 0).text() == "08 Sep 2026"


def test_the_report_period_is_off_until_asked_for_and_its_dates_are_written_out(qtbot, service):
    dialog = OutcomeReportDialog(None, service)
    qtbot.addWidget(dialog)
    assert not dialog.from_edit.isEnabled() and not dialog.to_edit.isEnabled()
    dialog.limit_period.setChecked(True)
    assert dialog.from_edit.isEnabled() and dialog.to_edit.isEnabled()
    assert dialog.to_edit.displayFormat() == "dd MMM yyyy"
