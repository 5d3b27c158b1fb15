"""The Outcomes menu's bundle dialogs with real widgets and two real libraries: export to the lead,
import with an unknown sender shown by fingerprint and accepted, the sources list, forgetting one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from tests.app.outcome_bundle_support import lead, practitioner
from vigstudio.app import keys
from vigstudio.app.outcome_bundles import sources
from vigstudio.ui.background import running_tasks
from vigstudio.ui.outcomes import (
    ExportOutcomesDialog,
    ImportOutcomesDialog,
    OutcomeReportDialog,
    OutcomeSourcesDialog,
    install_outcomes_menu,
)


@pytest.fixture
def libraries(tmp_path, passphrase):
    prac, boss = practitioner(tmp_path, passphrase), lead(tmp_path, passphrase)
    keys.add_contact(prac, "Service Lead", keys.contact_card(boss), "supervisor")  # the lead has not added them
    yield prac, boss
    prac.close()
    boss.close()


def test_export_then_import_with_an_unknown_sender_accepted(qtbot, libraries, tmp_path):
    prac, boss = libraries
    export = ExportOutcomesDialog(None, prac)
    qtbot.addWidget(export)
    export.open()
    assert export.contact_combo.currentText() == "Service Lead (supervisor)"
    export.out_edit.setText(str(tmp_path / "outcomes.age"))
    with qtbot.waitSignal(export.accepted, timeout=30000):
        qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    assert export.result_made.cases == 6 and "outside the encrypted library" in export.done_message

    opener = ImportOutcomesDialog(None, boss)
    qtbot.addWidget(opener)
    opener.open()
    opener.file_edit.setText(str(tmp_path / "outcomes.age"))
    qtbot.mouseClick(opener.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: opener.sender_panel.isVisibleTo(opener), timeout=30000)
    assert opener.sender_fingerprint.text() == keys.own_fingerprint(prac)
    assert not opener.import_button.isEnabled() and sources(boss) == []
    opener.sender_name_edit.setText("HV Practitioner")
    with qtbot.waitSignal(opener.accepted, timeout=30000):
        qtbot.mouseClick(opener.accept_sender_button, Qt.MouseButton.LeftButton)
    assert opener.result_imported.sender == "HV Practitioner"
    assert "6 families" in opener.done_message

    listing = OutcomeSourcesDialog(None, boss)
    qtbot.addWidget(listing)
    listing.open()
    assert listing.table.rowCount() == 1 and listing.table.item(0, 0).text() == "HV Practitioner"
    assert listing.table.item(0, 3).text() == "6"
    # the same bundle again, from the list's own Import: refused inline, nothing changes
    again = listing.open_import()
    again.file_edit.setText(str(tmp_path / "outcomes.age"))
    qtbot.mouseClick(again.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.error.isVisibleTo(again), timeout=30000)
    assert "already imported" in again.error.text()
    again.reject()
    report = OutcomeReportDialog(None, boss)
    qtbot.addWidget(report)
    assert "HV Practitioner (bundle made" in report.findChild(QLabel, "reportSources").text()
    box = listing.confirm_forget()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert sources(boss) == [] and listing.table.rowCount() == 0 and listing.empty_note.isVisibleTo(listing)
    qtbot.waitUntil(lambda: not running_tasks(), timeout=20000)


def test_refusing_an_unknown_sender_imports_nothing(qtbot, libraries, tmp_path):
    prac, boss = libraries
    from vigstudio.app.outcome_bundles import export_outcomes_bundle

    export_outcomes_bundle(prac, "Service Lead", tmp_path / "o.age")
    opener = ImportOutcomesDialog(None, boss)
    qtbot.addWidget(opener)
    opener.open()
    opener.file_edit.setText(str(tmp_path / "o.age"))
    qtbot.mouseClick(opener.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: opener.sender_panel.isVisibleTo(opener), timeout=30000)
    qtbot.mouseClick(opener.refuse_sender_button, Qt.MouseButton.LeftButton)
    assert "nothing was imported" in opener.error.text() and opener.import_button.isEnabled()
    assert sources(boss) == [] and [c.display_name for c in keys.list_contacts(boss)] == []
    opener.file_edit.setText(str(tmp_path / "missing.age"))
    qtbot.mouseClick(opener.import_button, Qt.MouseButton.LeftButton)
    assert "not found" in opener.error.text()


def test_the_outcomes_menu_offers_the_bundle_dialogs(qtbot, libraries):
    _prac, boss = libraries
    window = QMainWindow()
    qtbot.addWidget(window)
    window.service = boss
    menu = install_outcomes_menu(window)
    texts = [a.text() for a in menu.actions()]
    for wanted in ("Export anonymous outcomes…", "Import outcomes bundle…", "Practitioners' outcomes…"):
        assert wanted in texts
    action = next(a for a in menu.actions() if a.text() == "Practitioners' outcomes…")
    action.trigger()
    assert isinstance(window.outcomes_dialog, OutcomeSourcesDialog) and window.outcomes_dialog.isVisible()
    window.outcomes_dialog.reject()
    next(a for a in menu.actions() if a.text() == "Export anonymous outcomes…").trigger()
    export = window.outcomes_dialog
    assert isinstance(export, ExportOutcomesDialog) and export.contact_combo.isEnabled() is False  # no contact
    export.done_message = "said in the status bar"
    export.accept()
    assert window.statusBar().currentMessage() == "said in the status bar"
