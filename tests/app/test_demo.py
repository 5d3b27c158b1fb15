"""The demo library: a marked demo case with a generated sample recording that opens frame-exactly."""

from __future__ import annotations

import io

import av
import pytest

from vigstudio.app import consent, editing, feedback, review
from vigstudio.app.cases import add_case
from vigstudio.app.demo import (
    DEMO_CASE_CODE,
    DEMO_FILE_NAME,
    DEMO_PASSPHRASE,
    DEMO_SUPERVISOR,
    create_demo_library,
    is_complete,
    open_or_make_demo,
)
from vigstudio.app.library import LibraryService
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import Cancelled
from vigstudio.domain.model import ConsentScope, InterventionKind, SessionKind
from vigstudio.media.sample import make_sample_video, read_frame_number


def test_sample_video_is_made_in_memory_with_numbered_frames_and_a_tone():
    memory = io.BytesIO()
    count = make_sample_video(memory, seconds=1.2, fps=25)
    assert count == 30
    memory.seek(0)
    with av.open(memory) as container:
        assert container.streams.audio and container.streams.audio[0].codec_context.name == "aac"
        numbers = [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    assert numbers == list(range(30))


def test_demo_library_holds_one_marked_case_whose_recording_opens_exactly(tmp_path, passphrase):
    service = LibraryService()
    fractions = []
    recording = create_demo_library(service, tmp_path / "demo", passphrase, seconds=2.0,
                                    progress=lambda f, label: fractions.append(f))
    try:
        [node] = library_tree(service)
        assert node.case.code == DEMO_CASE_CODE and node.case.is_demo and node.case.name is None
        [(_, _, session), (www_intervention, _, www_session)] = node.sessions()
        assert "no real family" in session.session.notes
        assert www_intervention.kind == InterventionKind.WWW and www_session.session.kind == SessionKind.WWW
        assert [r.file_name for r in session.recordings] == [DEMO_FILE_NAME]
        assert recording.frame_count == 50 and recording.has_audio
        media = open_recording_media(service, recording.id)
        try:
            for i in (0, 49, 25, 24, 3):
                assert read_frame_number(media.frame(i)) == i
        finally:
            media.close()
        assert fractions[-1] == 1.0
        assert service.info().demo_cases == 1
    finally:
        service.close()


def test_the_demo_holds_a_whole_review_ready_to_show(tmp_path):
    service = LibraryService()
    recording = create_demo_library(service, tmp_path / "demo", seconds=3.0)
    try:
        session_id = recording.session_id
        clips = editing.clips_of_session(service, session_id)
        assert len(clips) == 3 and all(c.clip.title for c in clips)
        assert all(c.annotations and all(a.who is not None for a in c.annotations) for c in clips)
        stills = editing.stills_of_session(service, session_id)
        assert len(stills) == 3 and all(s.caption for s in stills)
        assert all(clips[n].clip.contains(stills[n].frame) for n in range(3))  # each still in its clip
        assert editing.cycle_of_session(service, session_id).helping_question
        comments = feedback.comments(service, session_id)
        assert len(comments) == 3 and {c.author for c in comments} == {DEMO_SUPERVISOR}
        items = review.playlist(service, session_id)
        assert [i.kind for i in items] == ["clip", "still"] * 3
        assert is_complete(service)
        assert consent.active_scopes(service, DEMO_CASE_CODE) >= {ConsentScope.KEEPSAKE, ConsentScope.SUPERVISION}
    finally:
        service.close()


def test_making_the_demo_can_be_cancelled_and_leaves_nothing(tmp_path):
    calls = []

    def cancel_midway(fraction, _label):
        calls.append(fraction)
        if fraction > 0.3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        open_or_make_demo(cancel_midway, base=tmp_path / "Demo library")
    assert calls and not (tmp_path / "Demo library").exists()


def test_an_unfinished_demo_is_made_again_and_someones_library_is_left_alone(tmp_path, passphrase):
    base = tmp_path / "Demo library"
    old = LibraryService()
    old.create(base, DEMO_PASSPHRASE)  # an older demo: the case without its review
    add_case(old, DEMO_CASE_CODE, is_demo=True)
    old.close()
    service = open_or_make_demo(None, base=base)
    try:
        assert service.path == base.absolute() and is_complete(service)
    finally:
        service.close()
    other = tmp_path / "Other"
    mine = LibraryService()
    mine.create(other, passphrase)
    mine.close()
    service = open_or_make_demo(None, base=other)  # not a demo: a new demo beside it
    try:
        assert service.path.name == "Other 2" and (other / "library.key").exists()
    finally:
        service.close()
