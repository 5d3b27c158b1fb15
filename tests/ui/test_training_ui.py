"""The training record and the agreement table with real widgets."""

from __future__ import annotations

import datetime as dt

import pyrage
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar

from tests.videos import make_video
from vigstudio.app import editing, keys, training
from vigstudio.app.cases import add_case
from vigstudio.app.feedback import add_comment
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.ui.training import AgreementDialog, TrainingDialog


def _service(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    return service


def test_training_dialog_shows_progress_and_logs_a_supervision(qtbot, tmp_path, passphrase):
    service = _service(tmp_path, passphrase)
    keys.add_contact(service, "Dr Ada", str(pyrage.x25519.Identity.generate().to_public()))
    training.enter_stage(service, 1, dt.date(2026, 1, 1))
    dialog = TrainingDialog(None, service)
    qtbot.addWidget(dialog)
    dialog.open()
    [box] = dialog.findChildren(QGroupBox, "stage1")
    bars = box.findChildren(QProgressBar)
    assert [b.format() for b in bars] == ["0 of 6 cycles", "0 of 2 clients", "0 of 7 hours"]
    qtbot.keyClicks(dialog.goals, "wait a little longer")
    qtbot.mouseClick(dialog.add_supervision_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "Dr Ada"
    [box] = dialog.findChildren(QGroupBox, "stage1")
    assert box.findChildren(QProgressBar)[2].format() == "1 of 7 hours"
    assert "6 more hours of supervision" in box.findChild(QLabel, "missing").text()
    service.close()


def test_agreement_dialog_lists_each_principle(qtbot, tmp_path, passphrase):
    service = _service(tmp_path, passphrase)
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", make_video(tmp_path / "v.mp4", frames=30))
    for n, principle in enumerate(("P1", "P2", "P1")):
        clip = editing.add_clip(service, recording.id, n * 8, n * 8 + 6, f"clip {n}")
        editing.tag_clip(service, clip.id, principle)
        add_comment(service, recording.session_id, "seen", clip_id=clip.id, principle="P1", author="Dr Ada")
    dialog = AgreementDialog(None, service, recording.session_id)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.table.rowCount() == 6 and dialog.table.item(0, 2).text() == "67%"
    assert "3 clips" in dialog.summary.text()
    dialog.save_csv(str(tmp_path / "a.csv"))
    assert (tmp_path / "a.csv").read_text().startswith("principle,n,percent_agreement")
    service.close()


def test_agreement_dialog_compares_with_a_named_second_coder(qtbot, tmp_path, passphrase):
    from vigstudio.app import coders

    service = _service(tmp_path, passphrase)
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", make_video(tmp_path / "v.mp4", frames=30))
    for n, (mine, annas) in enumerate((("P1", "P1"), ("P2", "P1"), ("P1", "P1"), ("P2", "P2"))):
        clip = editing.add_clip(service, recording.id, n * 7, n * 7 + 6, f"clip {n}")
        editing.tag_clip(service, clip.id, mine)
        coders.add_tag(service, clip.id, "Anna", annas)
    dialog = AgreementDialog(None, service, recording.session_id)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "0 clips" in dialog.summary.text() and "the supervisor" in dialog.summary.text()
    dialog.second.setCurrentIndex(dialog.second.findData("Anna"))
    # P1: (1,1) (0,1) (1,1) (0,0): 3 of 4 agree; P2: (0,0) (1,0) (0,0) (1,1): 3 of 4 agree
    assert "4 clips tagged by both the practitioner and Anna" in dialog.summary.text()
    assert [dialog.table.item(r, 2).text() for r in (0, 1)] == ["75%", "75%"]
    # P1: po 0.75, p(mine) 0.5, p(Anna) 0.75: pe 0.375 + 0.125 = 0.5, kappa 0.5
    assert dialog.table.item(0, 3).text() == "0.50"
    service.close()
