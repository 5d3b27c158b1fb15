"""The keepsake and letter dialogs: consent shown before anything is written, the PDFs made off the GUI
thread, the letter edited in the window (no draft on disk)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from tests.app.family_support import ON_CLIP, QUESTION_1, make_family, pdf_text
from tests.ui.shell_support import open_window
from vigstudio.app import consent
from vigstudio.app.library import LibraryService
from vigstudio.ui.review import install_review_actions
from vigstudio.ui.review.family_dialogs import KeepsakeDialog, LetterDialog


@pytest.fixture
def family(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    made = make_family(service, tmp_path)
    yield made
    service.close()


def test_refused_without_keepsake_consent(qtbot, family, tmp_path):
    dialog = KeepsakeDialog(family.service, family.review.session_id, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert "leave the encrypted library" in dialog.warning.text()
    assert "keepsake" in dialog.consent_label.text() and not dialog.make_button.isEnabled()
    assert dialog.start() is None and not (tmp_path / "Keepsake.pdf").exists()


def test_makes_the_keepsake_and_its_clips(qtbot, family, tmp_path):
    consent.add(family.service, "F-014", ["keepsake"], recorded_by="HV")
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    dialog = KeepsakeDialog(family.service, family.review.session_id, folder=out_dir)
    qtbot.addWidget(dialog)
    assert dialog.make_button.isEnabled() and "keeping copies" in dialog.consent_label.text()
    qtbot.keyClicks(dialog.title_edit, "Sam and Mia")
    results = []
    dialog.made.connect(results.append)
    dialog.make_button.click()
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    assert sorted(p.name for p in out_dir.iterdir()) == ["Keepsake films", "Keepsake.pdf"]
    assert [p.name for p in results[0].clips] == ["01 Turning.mp4", "02 Waiting.mp4"]
    text = pdf_text(out_dir / "Keepsake.pdf")
    assert text.startswith("Sam and Mia") and ON_CLIP in text
    assert "Saved" in dialog.status.text()


def test_the_review_menu_offers_it(qtbot, family):
    window = open_window(qtbot, family.service)
    install_review_actions(window)
    action = window.findChild(QAction, "keepsakeAction")
    assert action is not None and action in window.library_actions
    assert window.findChild(QAction, "letterAction") in window.library_actions
    assert window.tree.select_key(("session", family.review.session_id))
    action.trigger()
    dialog = window.findChild(KeepsakeDialog)
    assert dialog is not None and dialog.isVisible() and dialog.session_id == family.review.session_id
    dialog.close()


def test_letter_edited_in_the_window_then_made(qtbot, family, tmp_path):
    dialog = LetterDialog(family.service, "F-014", folder=tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.make_button.isEnabled() and "keepsake" in dialog.consent_label.text()
    consent.add(family.service, "F-014", ["keepsake"], recorded_by="HV")
    dialog = LetterDialog(family.service, "F-014", folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.intervention_id == family.intervention_id and QUESTION_1 in dialog.text_edit.toPlainText()
    cursor = dialog.text_edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.text_edit.setTextCursor(cursor)
    qtbot.keyClicks(dialog.text_edit, "You found your own way.")
    dialog.reject()  # edits only in the window: closing asks first
    box = dialog.findChild(QMessageBox, "discardLetterBox")
    assert box is not None and box.isVisible() and dialog.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    results = []
    dialog.made.connect(results.append)
    dialog.make_button.click()
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".md", ".txt")) == ["Letter.pdf"]
    text = pdf_text(tmp_path / "Letter.pdf")
    assert QUESTION_1 in text and "You found your own way." in text and "F-014" not in text
    assert not dialog.unsaved_edits()
    dialog.reject()
    assert not dialog.isVisible()
