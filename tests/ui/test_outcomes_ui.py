"""Outcomes in the GUI with real widgets: a questionnaire answered by keys, the risk flag that cannot be
dismissed until its action is recorded, the case's Outcomes with charts, and the service report."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from vigstudio.app import outcomes
from vigstudio.app.cases import add_case, add_session, find_session
from vigstudio.app.library import LibraryService
from vigstudio.ui.background import running_tasks
from vigstudio.ui.outcomes import OutcomeReportDialog, OutcomesDialog, QuestionnaireDialog


@pytest.fixture
def service(tmp_path, passphrase):
    svc = LibraryService()
    svc.create(tmp_path / "lib", passphrase)
    add_case(svc, "F-040")
    yield svc
    svc.close()


def _choose_measure(dialog, measure_id):
    dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData(measure_id))


def test_a_questionnaire_answered_by_its_printed_positions_is_scored(qtbot, service):
    dialog = QuestionnaireDialog(None, service, "F-040")
    qtbot.addWidget(dialog)
    dialog.open()
    _choose_measure(dialog, "PHQ-9")
    for key in "231411210"[:8] + "1":  # positions 1-based as printed: 2,3,1,4,1,1,2,1 then item 9 "not at all"
        qtbot.keyClick(dialog, key)
    assert dialog.answers() == [1, 2, 0, 3, 0, 0, 1, 0, 0]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "total: 7 — mild" in dialog.result.text()
    [scored] = outcomes.completions(service, "F-040")
    assert scored.completion.answers == [1, 2, 0, 3, 0, 0, 1, 0, 0]
    assert dialog.risk_dialog is None


def test_epds_shows_no_wording_and_its_risk_flag_cannot_be_dismissed(qtbot, service):
    dialog = QuestionnaireDialog(None, service, "F-040")
    qtbot.addWidget(dialog)
    dialog.open()
    _choose_measure(dialog, "EPDS")
    assert [row.label.text() for row in dialog.rows][:2] == ["Item 1", "Item 2"]
    for key in "1141444443":  # item 10 at its third printed option: "hardly ever" -> scores 1
        qtbot.keyClick(dialog, key)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    risk = dialog.risk_dialog
    assert risk is not None and risk.isVisible()
    qtbot.keyClick(risk, Qt.Key.Key_Escape)
    risk.close()
    assert risk.isVisible()  # neither Escape nor the window's close dismisses it
    qtbot.mouseClick(risk.record_button, Qt.MouseButton.LeftButton)  # nothing typed: refused inline
    assert risk.isVisible() and risk.error.isVisible()
    qtbot.keyClicks(risk.action_edit, "discussed, safety plan, GP informed")
    qtbot.keyClicks(risk.by_edit, "HV")
    qtbot.mouseClick(risk.record_button, Qt.MouseButton.LeftButton)
    assert not risk.isVisible()
    [flag] = outcomes.flags(service, "F-040")
    assert (flag.item, flag.open, flag.action_by) == (10, False, "HV")


def test_outcomes_view_shows_the_open_flag_in_red_and_draws_a_chart_per_measure(qtbot, service):
    outcomes.add_completion(service, "F-040", "PHQ-9", "pre", answers=[2] * 8 + [1], date=dt.date(2026, 1, 5))
    outcomes.add_completion(service, "F-040", "PHQ-9", "post", answers=[1] * 8 + [0], date=dt.date(2026, 3, 5))
    outcomes.add_completion(service, "F-040", "GAD-7", "pre", answers=[1] * 7, date=dt.date(2026, 1, 5))
    dialog = OutcomesDialog(None, service, "F-040")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.flag_banner.isVisibleTo(dialog) and "PHQ-9 item 9" in dialog.flag_banner.text()
    assert dialog.table.rowCount() == 3
    qtbot.waitUntil(lambda: dialog.findChild(QLabel, "chart-GAD-7") is not None, timeout=20000)
    chart = dialog.findChild(QLabel, "chart-PHQ-9")
    assert chart is not None and chart.pixmap().width() > 300
    dialog.act()
    qtbot.keyClicks(dialog.child_dialog.action_edit, "discussed with GP")
    qtbot.keyClicks(dialog.child_dialog.by_edit, "PMH lead")
    qtbot.mouseClick(dialog.child_dialog.record_button, Qt.MouseButton.LeftButton)
    assert not dialog.flag_banner.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: not running_tasks(), timeout=20000)  # the charts drawn again


def test_report_dialog_writes_the_pdf_in_the_background(qtbot, service, tmp_path):
    dialog = OutcomeReportDialog(None, service)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.path_edit.setText(str(tmp_path / "report.pdf"))
    dialog.csv_box.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "report.csv").exists()
    assert "outside the encrypted library" in dialog.done_message


def test_goals_are_charted_beside_the_measures(qtbot, service):
    session = add_session(service, "F-040")
    goal = outcomes.add_goal(service, find_session(service, session.id).cycle_id, "Bath time together")
    outcomes.rate_goal(service, goal.id, "start", 3)
    dialog = OutcomesDialog(None, service, "F-040")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.findChild(QLabel, "chart-goals") is not None, timeout=20000)
    qtbot.waitUntil(lambda: not running_tasks(), timeout=20000)
