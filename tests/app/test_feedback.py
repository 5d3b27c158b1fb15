"""Comments: where they may sit, and the checks on clip, recording and frame."""

from __future__ import annotations

import pytest

from vigstudio.app import editing, feedback
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.domain.errors import InvalidInput


def test_comments_on_session_clip_and_recording(service, video):
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    clip = editing.add_clip(service, recording.id, 10, 20)
    session_id = recording.session_id
    feedback.add_comment(service, session_id, "overall: warm")
    feedback.add_comment(service, session_id, "here", clip_id=clip.id, frame=12, principle="p4", author="Sup")
    feedback.add_comment(service, session_id, "and here", recording_id=recording.id, frame=40)
    listed = feedback.comments(service, session_id)
    assert [(c.text, c.clip_id, c.recording_id, c.frame, c.principle) for c in listed] == [
        ("overall: warm", None, None, None, None), ("here", clip.id, recording.id, 12, "P4"),
        ("and here", None, recording.id, 40, None)]
    with pytest.raises(InvalidInput, match="outside clip"):
        feedback.add_comment(service, session_id, "x", clip_id=clip.id, frame=25)
    with pytest.raises(InvalidInput, match="outside recording"):
        feedback.add_comment(service, session_id, "x", recording_id=recording.id, frame=48)
    with pytest.raises(InvalidInput, match="unknown principle"):
        feedback.add_comment(service, session_id, "x", principle="P9")
    with pytest.raises(InvalidInput, match="needs some text"):
        feedback.add_comment(service, session_id, "  ")
    with pytest.raises(InvalidInput, match="not a supervision case"):
        feedback.export_feedback_bundle(service, "F-1", service.path.parent / "f.age", passphrase="xylophone river")


def test_the_frames_comments_on_a_recording_jump_to(service, video):
    """What the editor keeps decoded for them: the comment's frame, else its clip's start."""
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    other = import_recording(service, "F-1", video, session_id=recording.session_id)
    clip = editing.add_clip(service, recording.id, 10, 20)
    session_id = recording.session_id
    feedback.add_comment(service, session_id, "overall: warm")  # on no recording: nowhere to jump
    feedback.add_comment(service, session_id, "here", clip_id=clip.id, frame=12)
    feedback.add_comment(service, session_id, "the whole clip", clip_id=clip.id)
    feedback.add_comment(service, session_id, "and here", recording_id=recording.id, frame=40)
    feedback.add_comment(service, session_id, "elsewhere", recording_id=other.id, frame=30)
    assert feedback.comment_frames(service, recording.id) == [12, 10, 40]
    assert feedback.comment_frames(service, other.id) == [30]
