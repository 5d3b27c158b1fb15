"""The caseload tab of the library window, with real widgets: counts, sorting, filtering, the risk
flag, the referral and pathway dialogs, Enter showing the case in the tree, and nothing while locked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.shell_support import make_library, open_window
from vigstudio.app import outcomes, pathway
from vigstudio.ui.caseload import PathwayDialog, ReferralDialog, install_caseload

D = dt.date


def _column(view, col):
    return [view.model.index(r, col).data() for r in range(view.model.rowCount())]


def test_caseload_lists_open_cases_sorted_filtered_and_flagged(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1", "F-2", "F-3"))
    pathway.add_referral(service, "F-1", D(2026, 1, 5), "gp")
    pathway.add_referral(service, "F-2", D(2026, 2, 5), "midwifery")
    pathway.set_stage(service, "F-2", "in-intervention", on=D(2026, 2, 20))
    window = open_window(qtbot, service)
    view = install_caseload(window)
    assert window.stack.currentWidget() is window.library_tabs
    assert window.library_tabs.currentWidget() is view  # the first screen
    assert _column(view, 0)[0] == "F-1"  # the longest wait first
    assert "3 open cases" in view.counts.text() and "1 waiting" in view.counts.text()
    outcomes.add_completion(service, "F-2", "PHQ-9", "pre", answers=[0] * 8 + [2])
    qtbot.waitUntil(lambda: "risk flag open" in view.counts.text(), timeout=5000)
    view.only.setCurrentIndex(view.only.findData("risk_flag_open"))
    assert _column(view, 0) == ["F-2"] and "RISK FLAG OPEN" in _column(view, 5)[0]
    view.only.setCurrentIndex(0)
    qtbot.keyClicks(view.search, "interv")  # the stage column: "in intervention"
    assert _column(view, 0) == ["F-2"]
    view.search.clear()
    view.table.selectRow(_column(view, 0).index("F-3"))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.library_tabs.currentWidget() is window.splitter
    assert window.tree.current_node().obj.code == "F-3"
    window.lock("test")
    assert view.model.rowCount() == 0 and view.counts.text() == ""


def test_referral_and_pathway_dialogs_move_a_case_and_refresh_the_caseload(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-9",))
    window = open_window(qtbot, service)
    view = install_caseload(window)
    assert _column(view, 1) == ["no referral recorded"]
    dialog = ReferralDialog(window, service, "F-9")
    qtbot.addWidget(dialog)
    dialog.source.setCurrentIndex(dialog.source.findData("health_visitor"))
    dialog.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: _column(view, 1) == ["referred"], timeout=5000)
    steps = PathwayDialog(window, service, "F-9")
    qtbot.addWidget(steps)
    steps.target.setCurrentIndex(steps.target.findData("in_intervention"))
    qtbot.mouseClick(steps.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _column(view, 1) == ["in intervention"], timeout=5000)
    again = PathwayDialog(window, service, "F-9")
    qtbot.addWidget(again)
    assert again.target.findData("closed") == -1  # not allowed straight from in intervention
    again.target.setCurrentIndex(again.target.findData("ended"))
    assert again.reason.count() == 4
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert pathway.pathway(service, "F-9")[-1].reason == "completed"


def test_service_work_and_closing_a_case_from_the_caseload(qtbot, tmp_path, passphrase):
    from vigstudio.app import activities
    from vigstudio.ui.background import running_tasks
    from vigstudio.ui.caseload import ActivitiesDialog, CloseCaseDialog

    service = make_library(tmp_path / "lib", passphrase, ("F-5",))
    pathway.add_referral(service, "F-5", D(2026, 1, 5), "gp")
    window = open_window(qtbot, service)
    view = install_caseload(window)
    dialog = ActivitiesDialog(window, service)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title, "listening visits")
    dialog.minutes.setValue(45)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and activities.activities(service)[0].minutes == 45
    dialog.make_report(str(tmp_path / "activity.pdf"))
    qtbot.waitUntil(lambda: not running_tasks(), timeout=30000)
    assert (tmp_path / "activity.pdf").exists() and (tmp_path / "activity.csv").exists()
    closing = CloseCaseDialog(window, service, "F-5")
    qtbot.addWidget(closing)
    closing.summary.setPlainText("Signposted to the talking therapies service.")
    closing.reason.setCurrentText("signposted")
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    assert pathway.closing_summary(service, "F-5").reason == "signposted"
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)


def test_retention_dialog_shows_the_default_period_and_why_and_goes_back_to_it(qtbot, tmp_path, passphrase):
    from vigstudio.app import retention
    from vigstudio.ui.supervision.log_dialogs import RetentionDialog

    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    dialog = RetentionDialog(None, service)
    qtbot.addWidget(dialog)
    assert dialog.weeks_spin.value() == retention.DEFAULT_WEEKS and "(the default)" in dialog.period_note.text()
    assert not dialog.default_button.isEnabled()
    texts = [label.text() for label in dialog.findChildren(type(dialog.period_note))]
    assert any("Records Management Code of Practice" in t and "25th birthday" in t for t in texts)
    dialog.weeks_spin.setValue(12)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert retention.period(service) == retention.Period(12, False) and dialog.default_button.isEnabled()
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert retention.period(service).is_default and dialog.weeks_spin.value() == retention.DEFAULT_WEEKS
