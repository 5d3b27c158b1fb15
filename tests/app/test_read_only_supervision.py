"""A supervision case (opened from a practitioner's bundle) is read-only for its clips, tags and stills;
the supervisor's comments are the one thing written there, and can be taken back and restored (undo)."""

from __future__ import annotations

import pytest

from tests.bundle.support import CODE, NOTES, QUESTION, library_state
from vigstudio.app import bundles, editing, feedback, keys
from vigstudio.app.editing import ReadOnlySupervision
from vigstudio.app.feedback import export_feedback_bundle
from vigstudio.domain.errors import InvalidInput, VigError

MESSAGE = "clips and stills from a supervision bundle are read-only"
def test_every_edit_of_a_supervision_clip_still_or_tag_is_refused(opened):
    practice, supervisor, node = opened
    clip = min(node.clips, key=lambda c: c.position)
    still = node.stills[0]
    with supervisor.read() as repos:
        tag = repos.annotations.of_clip(clip.id)[0]
    assert editing.is_read_only(supervisor, node.session.id)
    assert not editing.is_read_only(practice.service, practice.session_id)
    before = library_state(supervisor)
    edits = [
        lambda: editing.trim_clip(supervisor, clip.id, 1, clip.end_frame),
        lambda: editing.rename_clip(supervisor, clip.id, "renamed"),
        lambda: editing.move_clip(supervisor, clip.id, 1),
        lambda: editing.delete_clip(supervisor, clip.id),
        lambda: editing.add_clip(supervisor, clip.recording_id, 0, 2),
        lambda: editing.tag_clip(supervisor, clip.id, "P2"),
        lambda: editing.update_annotation(supervisor, tag.id, text="changed"),
        lambda: editing.remove_annotation(supervisor, tag.id),
        lambda: editing.add_still(supervisor, clip.recording_id, 1),
        lambda: editing.set_still_caption(supervisor, still.id, "changed"),
        lambda: editing.delete_still(supervisor, still.id),
    ]
    for edit in edits:
        with pytest.raises(ReadOnlySupervision, match=MESSAGE) as refused:
            edit()
        assert isinstance(refused.value, VigError) and "\n" not in str(refused.value)
    assert library_state(supervisor) == before
    # a marker is the supervisor's own "look again here": still allowed
    marker = editing.add_marker(supervisor, clip.recording_id, 2, "")
    editing.delete_marker(supervisor, marker.id)
    # the practitioner's own clips stay editable
    editing.trim_clip(practice.service, practice.clip_ids[0], 6, 17)


def test_the_practitioners_notes_and_helping_question_are_read_only(opened):
    practice, supervisor, node = opened
    cycle = editing.cycle_of_session(supervisor, node.session.id)
    assert (editing.get_session(supervisor, node.session.id).notes, cycle.helping_question) == (NOTES, QUESTION)
    before = library_state(supervisor)
    for edit in (lambda: editing.set_session_notes(supervisor, node.session.id, "rewritten"),
                 lambda: editing.set_session_notes(supervisor, node.session.id, NOTES),  # even the same words
                 lambda: editing.set_helping_question(supervisor, cycle.id, "rewritten")):
        with pytest.raises(ReadOnlySupervision, match="session notes and helping question from a supervision "
                                                      "bundle are read-only") as refused:
            edit()
        assert "\n" not in str(refused.value) and "rewritten" not in str(refused.value)
    assert library_state(supervisor) == before
    assert (editing.get_session(supervisor, node.session.id).notes, editing.get_cycle(supervisor, cycle.id).helping_question) == (NOTES, QUESTION)
    # the practitioner's own words stay theirs to change
    editing.set_session_notes(practice.service, practice.session_id, "changed at home")
    editing.set_helping_question(practice.service, editing.cycle_of_session(practice.service, practice.session_id).id, "changed too")
    assert editing.get_session(practice.service, practice.session_id).notes == "changed at home"


def test_comments_are_written_taken_back_and_restored_with_the_same_uid(opened, tmp_path):
    practice, supervisor, node = opened
    clip = min(node.clips, key=lambda c: c.position)
    session_id = node.session.id
    assert feedback.is_supervision_session(supervisor, session_id)
    comment = feedback.add_comment(supervisor, session_id, "you waited", clip_id=clip.id, frame=3, principle="P2")
    taken = feedback.delete_comment(supervisor, comment.id)
    assert feedback.comments(supervisor, session_id) == []
    restored = feedback.restore_comment(supervisor, taken)
    assert (restored.id, restored.uid) == (comment.id, comment.uid)
    assert [c.uid for c in feedback.comments(supervisor, session_id)] == [comment.uid]
    with pytest.raises(InvalidInput, match="already exists"):
        feedback.restore_comment(supervisor, taken)

    back = tmp_path / "feedback.age"
    export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])
    assert bundles.open_bundle(practice.service, back).comments_added == 1
    assert not feedback.is_supervision_session(practice.service, practice.session_id)
    arrived = feedback.comments(practice.service, practice.session_id)[0]
    assert (arrived.uid, arrived.clip_id, arrived.frame) == (comment.uid, practice.clip_ids[0], 5 + 3)
    # what came back in a feedback bundle is the supervisor's: read-only in the practitioner's library
    with pytest.raises(InvalidInput, match="came with a feedback bundle"):
        feedback.delete_comment(practice.service, arrived.id)
    assert [c.uid for c in feedback.comments(practice.service, practice.session_id)] == [comment.uid]
