"""The Sharing dialogs, driven with pytest-qt: open, fill, accept → the library changed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox

from tests.bundle.support import CODE, practitioner_library, supervisor_library
from vigstudio.app import audit, consent, keys, retention
from vigstudio.app.cases import find_case
from vigstudio.app.tree import library_tree
from vigstudio.domain.model import ConsentScope
from vigstudio.ui.supervision import (
    AuditLogDialog,
    ConsentDialog,
    ContactsDialog,
    ExportBundleDialog,
    OpenBundleDialog,
    PublicKeyDialog,
    RetentionDialog,
    install_supervision_menu,
)


@pytest.fixture
def practice(tmp_path, passphrase):
    p = practitioner_library(tmp_path, passphrase, with_consent=False)
    yield p
    p.service.close()


def _yes(qtbot, dialog, name):
    box = dialog.findChild(QMessageBox, name)
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_consent_dialog_records_withdraws_and_deletes_media(qtbot, practice):
    dialog = ConsentDialog(None, practice.service, CODE)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.delete_media_button.isVisibleTo(dialog)
    dialog.scope_boxes[ConsentScope.SUPERVISION].setChecked(True)
    qtbot.keyClicks(dialog.by_edit, "HV Jones")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert consent.active_scopes(practice.service, CODE) == {ConsentScope.SUPERVISION}
    assert dialog.table.rowCount() == 1
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert consent.active_scopes(practice.service, CODE) == set()
    assert dialog.delete_media_button.isVisibleTo(dialog)
    dialog.confirm_delete_media()
    _yes(qtbot, dialog, "deleteMediaBox")
    assert practice.service.info().recordings == 0


def test_key_and_contacts_dialogs(qtbot, practice, tmp_path, passphrase):
    dialog = PublicKeyDialog(None, practice.service)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == keys.contact_card(practice.service)
    assert keys.contact_card(practice.service).startswith("vigcard1:" + keys.public_key(practice.service))
    assert dialog.fingerprint.text() == keys.own_fingerprint(practice.service)
    contacts = ContactsDialog(None, practice.service)
    qtbot.addWidget(contacts)
    qtbot.keyClicks(contacts.name_edit, "Dr S")
    qtbot.keyClicks(contacts.key_edit, "age1wrong")
    qtbot.mouseClick(contacts.add_button, Qt.MouseButton.LeftButton)
    assert contacts.error.isVisibleTo(contacts) and "age public key" in contacts.error.text()
    contacts.key_edit.setText("age1ujupkdl358vdv2kxm9egcuntsddf3nlhu6lzxwheya0s4ygu859q4hr4xk")
    qtbot.mouseClick(contacts.add_button, Qt.MouseButton.LeftButton)
    assert [c.display_name for c in keys.list_contacts(practice.service)] == ["Dr S"]
    assert contacts.list.count() == 1 and "not known yet" in contacts.list.item(0).text()
    other = supervisor_library(tmp_path, passphrase)
    try:
        contacts.name_edit.setText("Dr T")
        contacts.key_edit.setText(keys.contact_card(other))
        qtbot.mouseClick(contacts.add_button, Qt.MouseButton.LeftButton)
        assert contacts.list.count() == 2
        assert any(keys.own_fingerprint(other) in contacts.list.item(i).text() for i in range(2))
    finally:
        other.close()


def test_export_then_open_through_the_dialogs(qtbot, practice, tmp_path, passphrase):
    supervisor = supervisor_library(tmp_path, passphrase)
    try:
        keys.add_contact(practice.service, "Dr S", keys.public_key(supervisor), "supervisor")
        export = ExportBundleDialog(None, practice.service, practice.session_id)
        qtbot.addWidget(export)
        export.open()
        assert export.session_combo.currentData() == practice.session_id
        export.recipients.item(0).setCheckState(Qt.CheckState.Checked)
        out = tmp_path / "dialog.age"
        export.out_edit.setText(str(out))
        qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)  # no consent yet: refused inline
        qtbot.waitUntil(lambda: export.consent_button.isVisibleTo(export), timeout=30000)
        assert "no 'supervision' consent" in export.error.text() and not out.exists()
        consent_dialog = export.open_consent()
        assert consent_dialog.case_code == CODE
        consent.add(practice.service, CODE, ["supervision"], "HV")
        consent_dialog.reject()
        qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: export.result_made is not None, timeout=30000)
        assert out.is_file() and export.result_made.clips == 2

        opener = OpenBundleDialog(None, supervisor)
        qtbot.addWidget(opener)
        opener.open()
        opener.file_edit.setText(str(out))
        qtbot.mouseClick(opener.open_button, Qt.MouseButton.LeftButton)
        # the practitioner is not a contact of the supervisor yet: the fingerprint, Accept / Refuse
        qtbot.waitUntil(lambda: opener.sender_panel.isVisibleTo(opener), timeout=30000)
        assert opener.sender_fingerprint.text() == keys.own_fingerprint(practice.service)
        assert keys.list_contacts(supervisor) == [] and library_tree(supervisor) == []
        qtbot.mouseClick(opener.refuse_sender_button, Qt.MouseButton.LeftButton)
        assert not opener.sender_panel.isVisibleTo(opener) and library_tree(supervisor) == []
        qtbot.mouseClick(opener.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: opener.sender_panel.isVisibleTo(opener), timeout=30000)
        opener.sender_name_edit.setText("HV Jones")
        qtbot.mouseClick(opener.accept_sender_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: opener.result_opened is not None, timeout=30000)
        assert opener.result_opened.sender == "HV Jones"
        assert [(c.display_name, c.role.value, keys.contact_fingerprint(c)) for c in keys.list_contacts(supervisor)] \
            == [("HV Jones", "practitioner", keys.own_fingerprint(practice.service))]
        assert find_case(supervisor, CODE).origin.value == "supervision"
        again = OpenBundleDialog(None, supervisor)
        qtbot.addWidget(again)
        again.file_edit.setText(str(out))
        qtbot.mouseClick(again.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: again.error.isVisibleTo(again), timeout=30000)
        assert "already opened" in again.error.text()
    finally:
        supervisor.close()


def test_audit_and_retention_dialogs(qtbot, practice, tmp_path):
    log = AuditLogDialog(None, practice.service)
    qtbot.addWidget(log)
    assert log.table.rowCount() == len(audit.list_events(practice.service))
    qtbot.mouseClick(log.verify_button, Qt.MouseButton.LeftButton)
    assert "intact" in log.status.text()
    log.export_csv(str(tmp_path / "audit.csv"))
    assert (tmp_path / "audit.csv").read_text().startswith("id,at,action,object")

    retention.close_case(practice.service, CODE, on=dt.date.today() - dt.timedelta(days=1))
    dialog = RetentionDialog(None, practice.service)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.delete_button.isEnabled()
    dialog.weeks_spin.setValue(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    dialog.confirm_delete()
    _yes(qtbot, dialog, "purgeBox")
    assert practice.service.info().recordings == 0 and dialog.table.rowCount() == 0


def test_sharing_menu(qtbot, practice):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.service = practice.service
    menu = install_supervision_menu(window)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Consent…", "My contact card…", "Contacts…", "Export bundle for supervision…", "Open bundle…",
                     "Make feedback bundle…", "Audit log…", "Retention…"]
    for action in menu.actions():
        if not action.isSeparator():
            action.trigger()
            dialog = window.supervision_dialog
            assert dialog.isVisible()
            dialog.reject()


def test_sharing_menu_in_the_library_window_follows_the_selection(qtbot, practice):
    from tests.ui.shell_support import nodes_of, open_window
    from vigstudio.ui.library_model import NodeKind

    window = open_window(qtbot, practice.service)
    menu = install_supervision_menu(window)
    session_node = next(iter(nodes_of(window, NodeKind.SESSION)))
    window.tree.setCurrentIndex(window.model.index_for_key(session_node.key))
    actions = {a.text(): a for a in menu.actions()}
    actions["Export bundle for supervision…"].trigger()
    assert window.supervision_dialog.session_combo.currentData() == practice.session_id
    window.supervision_dialog.reject()
    actions["Consent…"].trigger()
    assert window.supervision_dialog.case_code == CODE
    window.supervision_dialog.reject()
