"""Export use cases: exact files read through the encrypted library, consent for training, audit."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from tests.app.test_review import make_review_session
from tests.videos import read_frame_number
from vigstudio.app import exporting
from vigstudio.domain.errors import Cancelled, ConsentMissing, InvalidInput, NotFound
from vigstudio.domain.model import Consent, ConsentScope
from vigstudio.media.export_overlays import FaceDetectorMissing, face_detection_available


@pytest.fixture
def session(service, tmp_path):
    return make_review_session(service, tmp_path)


def decoded_numbers(path) -> list[int]:
    with av.open(str(path)) as container:
        return [read_frame_number(frame.to_ndarray(format="rgb24")) for frame in container.decode(video=0)]


def export_events(service) -> list[str]:
    with service.read() as repos:
        return [e.object for e in repos.audit.list() if e.action == "export"]


def add_consent(service, code: str, scope: ConsentScope) -> None:
    with service.edit() as repos:
        repos.consents.add(Consent(repos.cases.by_code(code).id, scope, recorded_by="practitioner"))


def test_clip_export_is_frame_exact_and_audited(session, tmp_path):
    out = tmp_path / "out" / "turning.mp4"
    out.parent.mkdir()
    seen = []
    result = exporting.export_clip(session.service, session.clip_ids[0], out,
                                   progress=lambda f, label: seen.append(f))
    assert result.path == out and out.is_file()
    assert decoded_numbers(out) == list(range(20, 30))
    assert result.audio_duration > 0
    assert seen and seen[-1] == pytest.approx(1.0)
    assert sorted(p.name for p in out.parent.iterdir()) == ["turning.mp4"]  # no partial left
    [event] = export_events(session.service)
    assert event.startswith(f"clip {session.clip_ids[0]} recording {session.recording_id} case F-014")
    assert "turning" not in event and "Turning" not in event  # ids and codes, never titles or paths


def test_slow_motion_captioned_clip_keeps_every_frame(session, tmp_path):
    out = tmp_path / "slow.mp4"
    result = exporting.export_clip(session.service, session.clip_ids[1], out, speed=0.5, caption=True)
    assert decoded_numbers(out) == list(range(4, 12))
    assert result.method == "reencode"
    assert result.duration == pytest.approx(2 * 8 / 25, abs=0.05)
    assert "speed 0.5 caption" in export_events(session.service)[0]


def test_training_export_needs_training_consent_and_blurs(session, tmp_path):
    out = tmp_path / "training.mp4"
    note = exporting.consent_note(session.service, "F-014", for_training=True)
    assert not note.allowed and "training" in note.text
    with pytest.raises(ConsentMissing):
        exporting.export_clip(session.service, session.clip_ids[0], out, for_training=True)
    assert not out.exists() and export_events(session.service) == []
    add_consent(session.service, "F-014", ConsentScope.SUPERVISION)  # the wrong scope is not enough
    with pytest.raises(ConsentMissing):
        exporting.export_clip(session.service, session.clip_ids[0], out, for_training=True)
    add_consent(session.service, "F-014", ConsentScope.TRAINING)
    assert exporting.consent_note(session.service, "F-014", for_training=True).allowed
    if not face_detection_available():  # OpenCV 5 wheels ship no face cascade: refused, nothing written
        with pytest.raises(FaceDetectorMissing):
            exporting.export_clip(session.service, session.clip_ids[0], out, for_training=True)
        assert not out.exists() and export_events(session.service) == []
        return
    exporting.export_clip(session.service, session.clip_ids[0], out, for_training=True)
    assert decoded_numbers(out) == list(range(20, 30))
    assert export_events(session.service)[0].endswith("faces blurred for training")


def test_plain_export_needs_no_consent_but_says_so(session):
    note = exporting.consent_note(session.service, "F-014", for_training=False)
    assert note.allowed and "audit" in note.text


def test_still_export_is_the_exact_frame_with_or_without_caption(session, tmp_path):
    plain = exporting.export_still(session.service, session.still_ids[0], tmp_path / "still.png")
    captioned = exporting.export_still(session.service, session.still_ids[0], tmp_path / "captioned.png",
                                       caption=True)
    for result in (plain, captioned):
        rgb = cv2.cvtColor(cv2.imread(str(result.path)), cv2.COLOR_BGR2RGB)
        assert read_frame_number(rgb) == 24
    assert not np.array_equal(cv2.imread(str(plain.path)), cv2.imread(str(captioned.path)))
    assert len(export_events(session.service)) == 2
    with pytest.raises(InvalidInput, match="no caption"):  # the second still has none
        exporting.export_still(session.service, session.still_ids[1], tmp_path / "x.png", caption=True)


def test_review_export_joins_the_playlist(session, tmp_path):
    out = tmp_path / "review.mp4"
    result = exporting.export_review(session.service, session.session_id, out)
    numbers = []
    with av.open(str(out)) as container:
        for frame in container.decode(video=0):
            try:
                numbers.append(read_frame_number(frame.to_ndarray(format="rgb24")))
            except ValueError:  # a title card
                numbers.append(None)
    shown = [n for i, n in enumerate(numbers) if n is not None and (i == 0 or numbers[i - 1] != n)]
    assert shown == [*range(20, 30), 24, *range(4, 12), 40]
    assert result.method == "review"
    [event] = export_events(session.service)
    assert event == f"review session {session.session_id} case F-014 clips 2 stills 2"


def test_cancelled_or_refused_exports_leave_nothing(session, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()

    def cancel(fraction, label):
        if fraction > 0.2:
            raise Cancelled("export")

    with pytest.raises(Cancelled):
        exporting.export_clip(session.service, session.clip_ids[0], out / "c.mp4", speed=0.5,
                              progress=cancel)
    with pytest.raises(NotFound):
        exporting.export_clip(session.service, 9999, out / "c.mp4")
    empty = session.service.add_session("F-014")
    with pytest.raises(InvalidInput):
        exporting.export_review(session.service, empty.id, out / "r.mp4")
    assert list(out.iterdir()) == [] and export_events(session.service) == []
