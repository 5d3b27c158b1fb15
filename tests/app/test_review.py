"""Shared review use cases: playlist order, the parent's reflections, the review PIN and the way out.

`make_review_session` is also used by the export, CLI and GUI review tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.videos import make_video
from vigstudio.app import editing, review
from vigstudio.app.cases import add_case, add_session
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import InvalidInput, NotFound


@dataclass
class ReviewSession:
    service: LibraryService
    case_code: str
    session_id: int
    recording_id: int
    clip_ids: list[int]  # in review order
    still_ids: list[int]


def make_review_session(service: LibraryService, folder: Path, *, code: str = "F-014",
                        frames: int = 48) -> ReviewSession:
    """Clips "Waiting" [4, 12) and "Turning" [20, 30) (made in that order, then "Turning" moved
    first); stills at 24 (inside "Turning", captioned) and 40 (outside every clip)."""
    add_case(service, code, referral="health_visitor")
    video = make_video(folder / f"{code}.mp4", frames=frames, audio="aac")
    recording = import_recording(service, code, video)
    waiting = editing.add_clip(service, recording.id, 4, 12, "Waiting")
    turning = editing.add_clip(service, recording.id, 20, 30, "Turning")
    editing.move_clip(service, turning.id, 0)
    editing.tag_clip(service, turning.id, "P3", text="What did you see her do here?")
    editing.tag_clip(service, turning.id, "P2", text="You waited.")
    editing.tag_clip(service, waiting.id, "P2")
    still_in = editing.add_still(service, recording.id, 24, "She turns to you")
    still_out = editing.add_still(service, recording.id, 40, "")
    return ReviewSession(service, code, recording.session_id, recording.id, [turning.id, waiting.id],
                         [still_in.id, still_out.id])


@pytest.fixture
def session(service, tmp_path) -> ReviewSession:
    return make_review_session(service, tmp_path)


def test_playlist_follows_review_order_with_stills_after_their_clip(session):
    items = review.playlist(session.service, session.session_id)
    turning, waiting = session.clip_ids
    still_in, still_out = session.still_ids
    assert [(i.kind, i.id) for i in items] == [("clip", turning), ("still", still_in), ("clip", waiting),
                                               ("still", still_out)]
    first, still, second, loose = items
    assert (first.start_frame, first.end_frame, first.last_frame, first.title) == (20, 30, 29, "Turning")
    assert first.principles == ("P3", "P2")
    assert first.prompts == ("What did you see her do here?", "You waited.")
    assert (still.frame, still.end_frame, still.caption, still.clip_id) == (24, 25, "She turns to you", turning)
    assert still.principles == first.principles  # the presenter shows the clip's tags on its still
    assert (second.start_frame, second.end_frame, second.prompts) == (4, 12, ())
    assert (loose.frame, loose.clip_id, loose.principles) == (40, None, ())
    assert all(i.recording_id == session.recording_id for i in items)


def test_review_plan_names_the_principles_and_the_case(session):
    plan = review.review_plan(session.service, session.session_id)
    assert plan.case_code == "F-014"
    assert len(plan.items) == 4
    assert plan.principle_names["P2"] and plan.principle_names["P3"]


def test_playlist_of_an_empty_or_unknown_session(service):
    session = add_session(service, add_case(service, "F-001").code)
    assert review.playlist(service, session.id) == []
    with pytest.raises(NotFound):
        review.playlist(service, 9999)


def test_reflections_are_committed_at_once_and_listed_in_order(session, tmp_path, passphrase):
    service = session.service
    turning = session.clip_ids[0]
    first = review.add_reflection(service, session.session_id, "  She was looking at me.  ",
                                  clip_id=turning, frame=23)
    second = review.add_reflection(service, session.session_id, "I did wait!", still_id=session.still_ids[0],
                                   frame=24)
    path = service.path
    service.close()  # nothing was pending: the words are on disk
    reopened = LibraryService()
    reopened.open(path, passphrase)
    try:
        saved = review.reflections(reopened, session.session_id)
        assert [(r.id, r.text, r.clip_id, r.still_id, r.frame) for r in saved] == [
            (first.id, "She was looking at me.", turning, None, 23),
            (second.id, "I did wait!", None, session.still_ids[0], 24)]
        with reopened.read() as repos:
            assert any(e.action == "reflection_add" and "She" not in e.object for e in repos.audit.list())
    finally:
        reopened.close()


def test_reflections_refuse_empty_words_and_other_sessions_clips(session, tmp_path):
    service = session.service
    with pytest.raises(InvalidInput):
        review.add_reflection(service, session.session_id, "   ")
    (tmp_path / "other").mkdir()
    other = make_review_session(service, tmp_path / "other", code="F-020")
    with pytest.raises(InvalidInput, match="does not belong"):
        review.add_reflection(service, session.session_id, "words", clip_id=other.clip_ids[0])
    with pytest.raises(NotFound):
        review.add_reflection(service, 9999, "words")
    assert review.reflections(service, session.session_id) == []


def test_review_pin_is_kept_as_a_hash_and_opens_the_way_out(service, passphrase):
    assert not review.has_pin(service)
    assert review.verify_exit(service, passphrase)  # without a PIN, the passphrase
    assert not review.verify_exit(service, "1234")
    review.set_pin(service, "2580")
    with service.read() as repos:
        stored = repos.settings.get(review.PIN_SETTING)
    assert stored.startswith("$argon2") and "2580" not in stored
    assert review.has_pin(service)
    assert review.verify_exit(service, "2580")
    assert review.verify_exit(service, passphrase)  # the passphrase always works too
    for wrong in ("2581", "", "258", "not the passphrase at all"):
        assert not review.verify_exit(service, wrong)
    assert service.is_open  # checking the passphrase did not close the library
    review.clear_pin(service)
    assert not review.verify_exit(service, "2580")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "12 34"])
def test_review_pin_must_be_4_to_8_digits(service, pin):
    with pytest.raises(InvalidInput):
        review.set_pin(service, pin)
    assert not review.has_pin(service)
