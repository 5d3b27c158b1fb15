"""Screenshots of the training record (stage progress, supervision log) and of the coding agreement.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_training_screenshots.py

A generated library (no real family): stage 1 since January with four completed VIG cycles for two
clients, five supervisions logged with a contact, and a session whose clips both the practitioner and
a supervisor tagged.
"""

from __future__ import annotations

import datetime as dt
import io

import pyrage
import shots  # first: the isolated environment

from vigstudio.app import editing, keys, training
from vigstudio.app.cases import add_case, add_session
from vigstudio.app.cycles import start_cycle
from vigstudio.app.feedback import add_comment
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import SessionKind
from vigstudio.ui.app import make_application
from vigstudio.ui.training import AgreementDialog, TrainingDialog


def build(service: LibraryService) -> int:
    video = io.BytesIO()
    shots.sample_video(video, 6)
    keys.add_contact(service, "Dr Ada Lovelace", str(pyrage.x25519.Identity.generate().to_public()))
    training.enter_stage(service, 1, dt.date.today() - dt.timedelta(days=200))
    session_id = 0
    for n, code in enumerate(("F-201", "F-201", "F-202", "F-202")):
        if n in (0, 2):
            add_case(service, code)
        start_cycle(service, code, "To enjoy playing together")
        video.seek(0)
        recording = import_recording(service, code, video, file_name="filming.mp4")
        session_id = recording.session_id
        for k, (mine, theirs) in enumerate((("P1", "P1"), ("P2", "P2"), ("P3", "P2"), ("P4", "P4"))):
            clip = editing.add_clip(service, recording.id, k * 30, k * 30 + 25, f"moment {k + 1}")
            editing.tag_clip(service, clip.id, mine)
            add_comment(service, session_id, "seen", clip_id=clip.id, principle=theirs, author="Dr Ada")
        add_session(service, code, SessionKind.SHARED_REVIEW, date=dt.date.today() - dt.timedelta(days=150 - 30 * n))
    for n in range(5):
        training.add_supervision(service, dt.date.today() - dt.timedelta(days=180 - 30 * n), "Dr Ada Lovelace", 60,
                                 goals=("wait longer before naming", "notice her initiatives", "short turns",
                                        "follow the baby's lead", "name what you see")[n])
    return session_id


def main() -> int:
    app = make_application()
    service = LibraryService()
    service.create(shots.TMP / "lib", shots.PASSPHRASE)
    session_id = build(service)
    record = TrainingDialog(None, service)
    record.move(20, 10)
    agreement = AgreementDialog(None, service, session_id)
    agreement.move(40, 40)
    steps = shots.Steps(app, settle_ms=800)
    steps.then(record.show, 800)
    steps.then(lambda: shots.shoot("training-record", record), 100)
    steps.then(record.hide, 100)
    steps.then(agreement.show, 800)
    steps.then(lambda: shots.shoot("coding-agreement", agreement), 100)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
