"""What walking the referral pathway as a practitioner found (1366×768): the dialogs must act on the
family chosen in the caseload and on no other, a new family's referral can make its case, the forms
fit the screen and default to the usual next step."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.shell_support import make_library, open_window
from vigstudio.app import pathway
from vigstudio.app.cases import find_case
from vigstudio.app.pathway_records import record
from vigstudio.ui.caseload import (
    CaseRecordDialog,
    CloseCaseDialog,
    PathwayDialog,
    ReferralDialog,
    install_caseload,
)

D = dt.date


def _row_of(view, code):
    return [view.model.index(r, 0).data() for r in range(view.model.rowCount())].index(code)


def test_with_no_case_chosen_no_family_is_preselected_and_nothing_is_recorded(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1", "F-2"))
    window = open_window(qtbot, service)
    install_caseload(window)
    for make in (ReferralDialog, PathwayDialog, CloseCaseDialog, CaseRecordDialog):
        dialog = make(window, service, None)
        qtbot.addWidget(dialog)
        assert dialog.case_combo.currentText() == "", make.__name__  # not F-1, the first to sort
    referral = ReferralDialog(window, service, None)
    qtbot.addWidget(referral)
    qtbot.mouseClick(referral.save_button, Qt.MouseButton.LeftButton)
    assert not referral.error.isHidden() and "Choose the family's case" in referral.error.text()
    assert record(service, "F-1").referrals == () and record(service, "F-2").referrals == ()


def test_a_new_familys_referral_adds_its_case_from_the_referral_form(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    window = open_window(qtbot, service)
    view = install_caseload(window)
    qtbot.mouseClick(view.referral_button, Qt.MouseButton.LeftButton)
    dialog = window.caseload_dialog
    dialog.source.setCurrentIndex(dialog.source.findData("midwifery"))
    qtbot.mouseClick(dialog.new_case_button, Qt.MouseButton.LeftButton)
    adding = dialog.adding_case
    assert adding.referral_combo.currentData() == "midwifery"  # as chosen for the referral
    qtbot.keyClicks(adding.code_edit, "F-140")
    qtbot.keyClick(adding.code_edit, Qt.Key.Key_Return)
    assert dialog.case_combo.currentText() == "F-140"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [r.source for r in record(service, "F-140").referrals] == ["midwifery"]
    assert record(service, "F-1").referrals == ()


def test_the_chosen_case_stays_chosen_when_the_caseload_refreshes(qtbot, tmp_path, passphrase):
    """A refresh after an edit reset the model and lost the selection: the next dialog then opened on
    the first case, and "Move along the pathway" moved another family's case."""
    service = make_library(tmp_path / "lib", passphrase, ("F-1", "F-2"))
    for code in ("F-1", "F-2"):
        pathway.add_referral(service, code, D(2026, 1, 5), "gp")
    window = open_window(qtbot, service)
    view = install_caseload(window)
    view.table.selectRow(_row_of(view, "F-2"))
    pathway.set_stage(service, "F-2", "assessment", on=D(2026, 1, 20))
    qtbot.waitUntil(lambda: view.model.index(_row_of(view, "F-2"), 1).data() == "assessment", timeout=5000)
    assert view.selected_code() == "F-2"
    qtbot.mouseClick(view.status_button, Qt.MouseButton.LeftButton)
    assert window.caseload_dialog.case_combo.currentText() == "F-2"


def test_the_pathway_form_offers_the_next_step_on_and_the_referral_date_only_with_a_stage(
        qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    pathway.add_referral(service, "F-1", D(2026, 1, 5), "gp")
    pathway.set_stage(service, "F-1", "assessment", on=D(2026, 1, 10))
    pathway.set_stage(service, "F-1", "waiting", on=D(2026, 1, 20))
    window = open_window(qtbot, service)
    dialog = PathwayDialog(window, service, "F-1")
    qtbot.addWidget(dialog)
    assert dialog.target.currentData() == "in_intervention"  # not "assessment", a step back
    referral = ReferralDialog(window, service, "F-1")
    qtbot.addWidget(referral)
    assert not referral.stage_date.isEnabled()
    referral.stage.setCurrentIndex(referral.stage.findData("postnatal"))
    assert referral.stage_date.isEnabled()


def test_the_case_record_fits_a_clinic_laptops_768_pixel_screen(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    pathway.add_referral(service, "F-1", D(2026, 1, 5), "gp")
    window = open_window(qtbot, service)
    dialog = CaseRecordDialog(window, service, "F-1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.minimumSizeHint().height() <= 720  # its Undo, Redo and Close stayed below the screen
    assert dialog.undo_button.parentWidget() is dialog.redo_button.parentWidget()


def test_a_case_in_intervention_is_ended_and_closed_in_one_undoable_step(qtbot, tmp_path, passphrase):
    """Closing a case in intervention was refused ("cannot go from in intervention to closed"): the
    practitioner had to know to record "ended" first."""
    from PySide6.QtWidgets import QDialogButtonBox

    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    pathway.add_referral(service, "F-1", D(2026, 1, 5), "gp")
    pathway.set_stage(service, "F-1", "in-intervention", on=D(2026, 2, 1))
    window = open_window(qtbot, service)
    view = install_caseload(window)
    before = record(service, "F-1")
    view.table.selectRow(_row_of(view, "F-1"))
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    dialog = window.caseload_dialog
    assert isinstance(dialog, CloseCaseDialog) and dialog.close_button.isDefault()
    assert [b.text() for b in dialog.findChild(QDialogButtonBox).buttons()] == ["Cancel"]
    dialog.reason.setCurrentText("completed")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isHidden()
    after = record(service, "F-1")
    assert [s.stage.value for s in after.steps][-2:] == ["ended", "closed"] and after.summary is not None
    assert window.undo_stack.undoText() == "Close F-1"
    window.undo_action.trigger()  # one step takes back both
    assert record(service, "F-1") == before


def test_the_retention_review_asks_with_cancel_as_the_default(qtbot, tmp_path, passphrase):
    from PySide6.QtWidgets import QMessageBox

    from vigstudio.domain.pathway import RetentionAction

    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    pathway.add_referral(service, "F-1", D(2026, 1, 5), "gp")
    pathway.close_with_summary(service, "F-1", reason="declined", on=D(2026, 1, 6))
    window = open_window(qtbot, service)
    dialog = CaseRecordDialog(window, service, "F-1")
    qtbot.addWidget(dialog)
    box = dialog.confirm_review(RetentionAction.DELETE_ALL)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.reject()


def test_the_pathway_column_has_room_for_every_stage_whatever_the_first_rows_held(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    pathway.add_referral(service, "F-1", D(2026, 1, 5), "gp")  # only "referred" when the columns are sized
    window = open_window(qtbot, service)
    view = install_caseload(window)
    width = view.table.fontMetrics().horizontalAdvance("no referral recorded")
    assert view.table.columnWidth(1) > width


def test_a_consultation_about_a_case_is_recorded_with_it_from_the_service_work_form(qtbot, tmp_path, passphrase):
    from vigstudio.app import activities
    from vigstudio.ui.caseload import ActivitiesDialog

    service = make_library(tmp_path / "lib", passphrase, ("F-1", "F-2"))
    window = open_window(qtbot, service)
    install_caseload(window)
    dialog = ActivitiesDialog(window, service, undo=window.caseload_undo)
    qtbot.addWidget(dialog)
    dialog.title.setText("Listening visits")
    dialog.about_case.setCurrentIndex(dialog.about_case.findData("F-2"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    [added] = activities.activities(service)
    assert added.case_id == find_case(service, "F-2").id
    assert dialog.about_case.currentData() is None  # the next one starts about no case
    dialog.table.selectRow(0)
    assert dialog.about_case.currentText() == "F-2"
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert activities.activities(service)[0].case_id == find_case(service, "F-2").id
