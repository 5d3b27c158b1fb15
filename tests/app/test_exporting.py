"""Export use cases: exact files read through the encrypted library, consent (keepsake for a plain
export, training for a blurred one, refused when missing or withdrawn), audit."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from tests.app.test_review import make_review_session
from tests.videos import read_frame_number
from vigstudio.app import consent, exporting
from vigstudio.app.cases import add_session
from vigstudio.app.consent import ConsentWithdrawn
from vigstudio.domain.errors import Cancelled, ConsentMissing, InvalidInput, NotFound
from vigstudio.domain.model import Consent, ConsentScope
from vigstudio.media.export_overlays import FaceDetectorMissing, face_detection_available


@pytest.fixture
def bare(service, tmp_path):
    """A review session whose case has no consent recorded at all."""
    return make_review_session(service, tmp_path)


@pytest.fixture
def session(bare):
    """The same, with the family's consent to keep copies (what a plain export needs)."""
    add_consent(bare.service, "F-014", ConsentScope.KEEPSAKE)
    return bare


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
    add_consent(session.service, "F-014", ConsentScope.SUPERVISION)  # the wrong scopes are not enough
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


def test_plain_exports_need_keepsake_consent(bare, tmp_path):
    service = bare.service
    note = exporting.consent_note(service, "F-014", for_training=False)
    assert not note.allowed and "keepsake" in note.text
    out = tmp_path / "exports"
    out.mkdir()
    attempts = [lambda: exporting.export_clip(service, bare.clip_ids[0], out / "c.mp4"),
                lambda: exporting.export_clip(service, bare.clip_ids[0], out / "c.mp4", speed=0.5, caption=True),
                lambda: exporting.export_still(service, bare.still_ids[0], out / "s.png"),
                lambda: exporting.export_review(service, bare.session_id, out / "r.mp4")]
    for attempt in attempts:
        with pytest.raises(ConsentMissing, match="case F-014 has no 'keepsake' consent"):
            attempt()
    # Other scopes are not enough: training allows blurred training exports, not copies for the family.
    consent.add(service, "F-014", ["storage", "supervision", "training"], recorded_by="HV")
    for attempt in attempts:
        with pytest.raises(ConsentMissing, match="'keepsake'"):
            attempt()
    assert list(out.iterdir()) == [] and export_events(service) == []
    consent.add(service, "F-014", ["keepsake"], recorded_by="HV")
    note = exporting.consent_note(service, "F-014")
    assert note.allowed and "audit" in note.text
    for attempt in attempts:
        attempt()
    assert sorted(p.name for p in out.iterdir()) == ["c.mp4", "r.mp4", "s.png"]
    assert len(export_events(service)) == 4


def test_withdrawn_keepsake_consent_refuses_plain_exports(session, tmp_path):
    service = session.service
    exporting.export_still(service, session.still_ids[0], tmp_path / "before.png")
    consent.withdraw(service, "F-014", "keepsake")
    note = exporting.consent_note(service, "F-014")
    assert not note.allowed and "withdrew" in note.text
    out = tmp_path / "after"
    out.mkdir()
    with pytest.raises(ConsentWithdrawn, match=r"case F-014 has no 'keepsake' consent: it was withdrawn on \d{4}-"):
        exporting.export_clip(service, session.clip_ids[0], out / "c.mp4")
    with pytest.raises(ConsentWithdrawn):
        exporting.export_still(service, session.still_ids[0], out / "s.png")
    with pytest.raises(ConsentWithdrawn):
        exporting.export_review(service, session.session_id, out / "r.mp4")
    assert list(out.iterdir()) == [] and len(export_events(service)) == 1


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
    empty = add_session(session.service, "F-014")
    with pytest.raises(InvalidInput):
        exporting.export_review(session.service, empty.id, out / "r.mp4")
    assert list(out.iterdir()) == [] and export_events(session.service) == []
