"""The caseload tab of the library window, with real widgets: counts, sorting, filtering, the risk
flag, the referral and pathway dialogs, Enter showing the case in the tree, and nothing while locked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.shell_support import make_library, open_window
from vigstudio.app import outcomes, pathway
from vigstudio.app.cases import find_case, list_cases
from vigstudio.domain.pathway import RetentionAction
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
    assert dialog.weeks_spin.value() == retention.DEFAULT_WEEKS and "the default)" in dialog.period_note.text()
    assert not dialog.default_button.isEnabled()
    texts = [label.text() for label in dialog.findChildren(type(dialog.period_note))]
    assert any("Records Management Code of Practice" in t and "25th birthday" in t for t in texts)
    dialog.weeks_spin.setValue(12)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert retention.period(service) == retention.Period(12, False) and dialog.default_button.isEnabled()
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert retention.period(service).is_default and dialog.weeks_spin.value() == retention.DEFAULT_WEEKS


def test_every_caseload_dialog_edit_is_undone_exactly_and_redone_on_the_windows_stack(qtbot, tmp_path, passphrase):
    from vigstudio.app import pathway_records
    from vigstudio.ui.caseload import CaseRecordDialog, CloseCaseDialog

    service = make_library(tmp_path / "lib", passphrase, ("F-7",))
    window = open_window(qtbot, service)
    view = install_caseload(window)
    stack = window.undo_stack
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.undo_action in edit_menu.actions() and window.undo_action.shortcut().toString() == "Ctrl+Z"
    records = [pathway_records.record(service, "F-7")]

    def check_undo_redo():
        """Undo gives back exactly the record before the last edit; redo the one after it."""
        after = pathway_records.record(service, "F-7")
        window.undo_action.trigger()
        assert pathway_records.record(service, "F-7") == records[-1]
        window.redo_action.trigger()
        assert pathway_records.record(service, "F-7") == after
        records.append(after)

    view.table.selectRow(0)
    qtbot.mouseClick(view.referral_button, Qt.MouseButton.LeftButton)  # as the practitioner does
    dialog = window.caseload_dialog
    assert isinstance(dialog, ReferralDialog) and dialog.case_combo.currentText() == "F-7"
    dialog.received.setDate(dialog.received.date().addDays(-30))
    dialog.stage.setCurrentIndex(dialog.stage.findData("postnatal"))
    dialog.stage_date.setDate(dialog.received.date().addDays(-70))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert stack.undoText() == "New referral for F-7"
    check_undo_redo()
    qtbot.waitUntil(lambda: _column(view, 1) == ["referred"], timeout=5000)

    record = CaseRecordDialog(window, service, "F-7", undo=window.caseload_undo)
    qtbot.addWidget(record)
    record.decision.setCurrentIndex(record.decision.findData("accepted"))
    qtbot.mouseClick(record.decide_button, Qt.MouseButton.LeftButton)
    assert "accepted" in record.referral_table.item(0, 5).text()
    check_undo_redo()
    qtbot.mouseClick(record.undo_button, Qt.MouseButton.LeftButton)  # the dialog's own Undo, same stack
    assert record.referral_table.item(0, 5).text() == "undecided" and record.redo_button.isEnabled()
    qtbot.mouseClick(record.redo_button, Qt.MouseButton.LeftButton)
    assert "accepted" in record.referral_table.item(0, 5).text()

    steps = PathwayDialog(window, service, "F-7", undo=window.caseload_undo)
    qtbot.addWidget(steps)
    steps.target.setCurrentIndex(steps.target.findData("in_intervention"))
    qtbot.mouseClick(steps.save_button, Qt.MouseButton.LeftButton)
    check_undo_redo()
    ended = PathwayDialog(window, service, "F-7", undo=window.caseload_undo)
    qtbot.addWidget(ended)
    ended.target.setCurrentIndex(ended.target.findData("ended"))
    qtbot.mouseClick(ended.save_button, Qt.MouseButton.LeftButton)
    check_undo_redo()

    closing = CloseCaseDialog(window, service, "F-7", undo=window.caseload_undo)
    qtbot.addWidget(closing)
    closing.summary.setPlainText("Mum now names what her baby shows her.")
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    assert stack.undoText() == "Close F-7"
    check_undo_redo()

    record.reload()  # corrections in the case record: each one undone exactly too
    record.step_table.selectRow(1)
    record.step_reason.setText("started after the assessment")
    qtbot.mouseClick(record.save_step_button, Qt.MouseButton.LeftButton)
    check_undo_redo()
    record.step_table.selectRow(record.step_table.rowCount() - 1)
    qtbot.mouseClick(record.delete_step_button, Qt.MouseButton.LeftButton)
    assert find_case(service, "F-7").status.value == "open"
    check_undo_redo()
    record.summary_note.setPlainText("Corrected summary.")
    qtbot.mouseClick(record.save_summary_button, Qt.MouseButton.LeftButton)
    check_undo_redo()
    qtbot.mouseClick(record.delete_summary_button, Qt.MouseButton.LeftButton)
    check_undo_redo()
    correcting = record.correct_referral()  # deletes itself on closing
    correcting.source.setCurrentIndex(correcting.source.findData("midwifery"))
    qtbot.mouseClick(correcting.save_button, Qt.MouseButton.LeftButton)
    assert pathway.referrals(service, "F-7")[0].source == "midwifery"
    check_undo_redo()
    record.referral_table.selectRow(0)
    qtbot.mouseClick(record.delete_referral_button, Qt.MouseButton.LeftButton)
    assert pathway.referrals(service, "F-7") == []
    check_undo_redo()

    while stack.canUndo():  # all the way back: the case as it was before its referral
        window.undo_action.trigger()
    assert pathway_records.record(service, "F-7") == records[0]
    qtbot.waitUntil(lambda: _column(view, 1) == ["no referral recorded"], timeout=5000)
    assert stack.canRedo()
    window.lock("test")  # nothing to undo or redo across a lock
    assert stack.count() == 0


def test_service_work_add_edit_delete_each_undone_through_the_dialog(qtbot, tmp_path, passphrase):
    from vigstudio.app import activities
    from vigstudio.ui.caseload import ActivitiesDialog

    service = make_library(tmp_path / "lib", passphrase, ("F-5",))
    window = open_window(qtbot, service)
    view = install_caseload(window)
    qtbot.mouseClick(view.activities_button, Qt.MouseButton.LeftButton)
    dialog = window.caseload_dialog
    assert isinstance(dialog, ActivitiesDialog) and dialog.undo is window.caseload_undo
    qtbot.keyClicks(dialog.title, "listening visits")
    dialog.minutes.setValue(45)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    [added] = activities.activities(service)
    dialog.table.selectRow(0)
    assert dialog.title.text() == "listening visits" and dialog.save_button.isEnabled()
    dialog.minutes.setValue(60)
    dialog.team.setText("North HV team")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [edited] = activities.activities(service)
    assert (edited.id, edited.minutes, edited.team) == (added.id, 60, "North HV team")
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert activities.activities(service) == [] and dialog.table.rowCount() == 0
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)  # the delete: same id back
    assert activities.activities(service) == [edited] and dialog.table.rowCount() == 1
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)  # the edit
    assert activities.activities(service) == [added]
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)  # the add
    assert activities.activities(service) == [] and not dialog.undo_button.isEnabled()
    for _ in range(3):
        qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    assert activities.activities(service) == [] and window.undo_stack.undoText().startswith("Delete consultation")
    window.undo_action.trigger()
    assert activities.activities(service) == [edited]
    activities.delete_activity(service, edited.id)  # elsewhere: the stack's history no longer holds
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: not window.undo_stack.canUndo() and not window.undo_stack.canRedo(), timeout=5000)
    assert "Could not undo" in window.statusBar().currentMessage()


def test_a_referral_through_the_pathway_to_closure_and_the_retention_review_in_the_gui(qtbot, tmp_path, passphrase):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.shell_support import library_with_recording
    from vigstudio.app import audit, pathway_records
    from vigstudio.ui.caseload import CaseRecordDialog, CloseCaseDialog

    service = library_with_recording(tmp_path, passphrase, "F-3")
    window = open_window(qtbot, service)
    view = install_caseload(window)
    undo = window.caseload_undo
    referral = ReferralDialog(window, service, "F-3", undo=undo)
    qtbot.addWidget(referral)
    referral.received.setDate(referral.received.date().addDays(-60))
    qtbot.mouseClick(referral.save_button, Qt.MouseButton.LeftButton)
    for target in ("assessment", "in_intervention", "ended"):
        step = PathwayDialog(window, service, "F-3", undo=undo)
        qtbot.addWidget(step)
        step.on.setDate(step.on.date().addDays(-5))
        step.target.setCurrentIndex(step.target.findData(target))
        qtbot.mouseClick(step.save_button, Qt.MouseButton.LeftButton)
        assert step.result() == step.DialogCode.Accepted, step.error.text()
    closing = CloseCaseDialog(window, service, "F-3", undo=undo)
    qtbot.addWidget(closing)
    closing.summary.setPlainText("Dad now waits for her to look back.")
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)  # closed: off the caseload

    record = CaseRecordDialog(window, service, "F-3", undo=undo)
    qtbot.addWidget(record)
    assert [record.step_table.item(r, 1).text() for r in range(record.step_table.rowCount())] == [
        "referred", "assessment", "in intervention", "ended", "closed"]
    assert "the review is due on" in record.retention_state.text() and "25 years" in record.retention_state.text()
    before = pathway_records.record(service, "F-3")
    qtbot.mouseClick(record.keep_button, Qt.MouseButton.LeftButton)
    assert "Last reviewed on" in record.retention_state.text()
    window.undo_action.trigger()  # keeping is undoable: the review is due from the closing again
    assert pathway_records.record(service, "F-3") == before
    record.confirm_review(RetentionAction.SUMMARY)
    box = record.findChild(QMessageBox, "retentionReviewBox")
    assert "cannot be undone" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert record.retention_state.text() == "F-3: 1 recordings deleted" and service.info().recordings == 0
    assert pathway.closing_summary(service, "F-3").note == "Dad now waits for her to look back."
    record.confirm_review(RetentionAction.DELETE_ALL)
    box = record.findChildren(QMessageBox, "retentionReviewBox")[-1]
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert [c.code for c in list_cases(service)] == [] and record.case_combo.count() == 0
    actions = [e.action for e in audit.list_events(service)]
    assert actions.count("retention_review") == 3 and "pathway_restore" in actions  # the undone keep stays logged
