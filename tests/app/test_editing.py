"""Editing use cases on real SQLCipher libraries with a real imported (generated) recording."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from tests.videos import make_video
from vigstudio.app import editing
from vigstudio.app.cases import add_case, find_case
from vigstudio.app.changes import ChangeAction, ChangeKind
from vigstudio.app.editing import CATALOGUE_EXTENSION, UNCHANGED, ClipSnapshot
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.domain.model import Who

FRAMES = 60
SECRET = "Amelia-smiles-at-mum"  # stands for anything a family would not want in a log


@pytest.fixture(scope="module")
def numbered_video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("videos") / "visit.mp4", frames=FRAMES)


@pytest.fixture
def recording(service, numbered_video):
    add_case(service, "F-014")
    return import_recording(service, "F-014", numbered_video)


@pytest.fixture
def changes(service):
    seen = []
    service.subscribe(seen.append)
    return seen


def library_state(service: LibraryService) -> dict:
    """Everything an edit could write, read back through the store."""
    with service.read() as repos:
        return {
            "clips": repos.clips.list(), "annotations": repos.annotations.list(),
            "stills": repos.stills.list(), "markers": repos.markers.list(),
            "sessions": repos.sessions.list(), "cycles": repos.cycles.list(),
            "audit": [(e.action, e.object) for e in repos.audit.list()],
        }


def positions(service: LibraryService, session_id: int) -> list[tuple[int, int]]:
    return [(c.clip.id, c.clip.position) for c in editing.clips_of_session(service, session_id)]


# -- clips ------------------------------------------------------------------------------------------


def test_add_clip_appends_to_the_session_review_order_and_announces_it(service, recording, changes,
                                                                       numbered_video, passphrase):
    first = editing.add_clip(service, recording.id, 0, 10, title="  First smile ")
    assert (first.start_frame, first.end_frame, first.title, first.position) == (0, 10, "First smile", 0)
    assert first.frame_count == 10
    change = changes[-1]
    assert (change.kind, change.action, change.ids) == (ChangeKind.CLIP, ChangeAction.ADDED, (first.id,))
    assert change.case_id == find_case(service, "F-014").id
    # A second recording of the same session shares the review order.
    second_recording = import_recording(service, "F-014", numbered_video, session_id=recording.session_id)
    second = editing.add_clip(service, second_recording.id, 50, FRAMES)
    third = editing.add_clip(service, recording.id, 20, 21)
    assert positions(service, recording.session_id) == [(first.id, 0), (second.id, 1), (third.id, 2)]
    assert [c.clip.id for c in editing.clips_of_recording(service, recording.id)] == [first.id, third.id]

    path = service.path
    service.close()
    service.open(path, passphrase)
    assert [c.clip for c in editing.clips_of_session(service, recording.session_id)] == [first, second, third]


@pytest.mark.parametrize("start, end, message", [
    (-1, 5, "frames -1-5 are outside recording"),
    (0, FRAMES + 1, f"frames 0-{FRAMES + 1} are outside recording"),
    (5, 5, "a clip must end after it starts"),
    (9, 3, "a clip must end after it starts"),
    (1.5, 4, "start frame must be a whole number"),
    (0, True, "end frame must be a whole number"),
])
def test_add_clip_refuses_bad_frames_before_writing(service, recording, changes, start, end, message):
    before = library_state(service)
    changes.clear()
    with pytest.raises(InvalidInput, match=message) as refused:
        editing.add_clip(service, recording.id, start, end, title=SECRET)
    assert "\n" not in str(refused.value) and SECRET not in str(refused.value)
    assert library_state(service) == before and changes == []


def test_add_clip_refuses_unknown_recording_and_bad_titles(service, recording):
    before = library_state(service)
    with pytest.raises(NotFound, match="unknown recording: 999"):
        editing.add_clip(service, 999, 0, 5)
    with pytest.raises(InvalidInput, match="single line"):
        editing.add_clip(service, recording.id, 0, 5, title="two\nlines")
    with pytest.raises(InvalidInput, match="at most 200"):
        editing.add_clip(service, recording.id, 0, 5, title="x" * 201)
    assert library_state(service) == before


def test_trim_and_rename(service, recording, changes):
    clip = editing.add_clip(service, recording.id, 10, 20, "Turn")
    trimmed = editing.trim_clip(service, clip.id, 12, FRAMES)
    assert (trimmed.start_frame, trimmed.end_frame) == (12, FRAMES)
    assert (changes[-1].kind, changes[-1].action, changes[-1].ids) == (ChangeKind.CLIP, ChangeAction.UPDATED,
                                                                       (clip.id,))
    assert editing.rename_clip(service, clip.id, " Waiting ").title == "Waiting"
    stored = editing.get_clip(service, clip.id).clip
    assert (stored.start_frame, stored.end_frame, stored.title, stored.position) == (12, FRAMES, "Waiting", 0)

    before = library_state(service)
    with pytest.raises(InvalidInput, match="outside recording"):
        editing.trim_clip(service, clip.id, 12, FRAMES + 1)
    with pytest.raises(InvalidInput, match="must end after it starts"):
        editing.trim_clip(service, clip.id, 30, 30)
    with pytest.raises(NotFound, match="unknown clip: 999"):
        editing.trim_clip(service, 999, 0, 5)
    with pytest.raises(NotFound, match="unknown clip: 999"):
        editing.rename_clip(service, 999, "x")
    assert library_state(service) == before


def test_trim_refuses_to_leave_a_frame_tag_outside_the_clip(service, recording):
    clip = editing.add_clip(service, recording.id, 10, 30)
    editing.tag_clip(service, clip.id, "P2", frame=25)
    before = library_state(service)
    with pytest.raises(InvalidInput, match=f"clip {clip.id} has tags on frame 25"):
        editing.trim_clip(service, clip.id, 10, 25)
    assert library_state(service) == before
    assert editing.trim_clip(service, clip.id, 25, 26).frame_count == 1


def test_move_clip_keeps_positions_dense(service, recording):
    ids = [editing.add_clip(service, recording.id, n, n + 5).id for n in range(0, 25, 5)]  # 5 clips
    session_id = recording.session_id

    def order():
        return [c.clip.id for c in editing.clips_of_session(service, session_id)]

    editing.move_clip(service, ids[0], 4)
    assert order() == ids[1:] + ids[:1]
    editing.move_clip(service, ids[0], 0)
    assert order() == ids
    editing.move_clip(service, ids[3], 1)
    assert order() == [ids[0], ids[3], ids[1], ids[2], ids[4]]
    assert [p for _, p in positions(service, session_id)] == [0, 1, 2, 3, 4]

    before = library_state(service)
    for bad in (-1, 5):
        with pytest.raises(InvalidInput, match=f"position {bad} is outside the review order"):
            editing.move_clip(service, ids[0], bad)
    with pytest.raises(NotFound):
        editing.move_clip(service, 999, 0)
    assert library_state(service) == before


def test_delete_and_restore_bring_back_the_same_clip_tags_and_position(service, recording, changes):
    clips = [editing.add_clip(service, recording.id, n, n + 5, f"clip {n}") for n in (0, 10, 20)]
    middle = clips[1]
    tags = [editing.tag_clip(service, middle.id, "P1", "P1.3", "child", "turns", frame=12),
            editing.tag_clip(service, middle.id, "P3", who=Who.PARENT)]
    before = library_state(service)

    snapshot = editing.delete_clip(service, middle.id)
    assert snapshot.clip == middle and sorted(snapshot.annotations, key=lambda a: a.id) == tags
    assert positions(service, recording.session_id) == [(clips[0].id, 0), (clips[2].id, 1)]
    with service.read() as repos:
        assert repos.annotations.of_clip(middle.id) == []
    assert (changes[-1].kind, changes[-1].action) == (ChangeKind.CLIP, ChangeAction.DELETED)

    restored = editing.restore_clip(service, snapshot)
    assert restored == middle
    after = library_state(service)
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    assert after["audit"][-2:] == [("clip_delete", f"clip {middle.id} recording {recording.id}"),
                                   ("clip_restore", f"clip {middle.id} recording {recording.id}")]
    with pytest.raises(InvalidInput, match=f"clip {middle.id} already exists"):
        editing.restore_clip(service, snapshot)
    if hasattr(middle, "uid"):  # the cross-library uid comes back too, and may not be taken twice
        assert editing.get_clip(service, middle.id).clip.uid == middle.uid
        twin = ClipSnapshot(dataclasses.replace(middle, id=middle.id + 100))
        with pytest.raises(InvalidInput, match=f"clip {middle.uid} already exists"):
            editing.restore_clip(service, twin)
    with pytest.raises(NotFound):
        editing.delete_clip(service, 999)


def test_restore_of_the_last_clip_puts_it_back_last(service, recording):
    first, last = (editing.add_clip(service, recording.id, n, n + 3) for n in (0, 5))
    editing.restore_clip(service, editing.delete_clip(service, last.id))
    assert positions(service, recording.session_id) == [(first.id, 0), (last.id, 1)]


# -- tags -------------------------------------------------------------------------------------------


def test_tag_clip_validates_against_the_catalogue(service, recording, changes):
    clip = editing.add_clip(service, recording.id, 10, 20)
    tag = editing.tag_clip(service, clip.id, "P2", "P2.1", "parent", "waited", frame=19)
    assert (tag.principle, tag.behaviour, tag.who, tag.text, tag.frame) == ("P2", "P2.1", Who.PARENT, "waited", 19)
    assert (changes[-1].kind, changes[-1].action) == (ChangeKind.ANNOTATION, ChangeAction.ADDED)
    assert clip.id in changes[-1].ids

    before = library_state(service)
    refusals = [
        (dict(principle="P9"), InvalidInput, "unknown principle code 'P9'"),
        (dict(principle=""), InvalidInput, "a tag needs a principle code"),
        (dict(principle="P2", behaviour="P3.1"), InvalidInput, "does not belong to principle 'P2'"),
        (dict(principle="P2", who="grandma"), InvalidInput, "unknown 'who'"),
        (dict(principle="P2", frame=20), InvalidInput, f"frame 20 is outside clip {clip.id} \\(frames 10-19\\)"),
        (dict(principle="P2", frame=9), InvalidInput, "frame 9 is outside clip"),
    ]
    for kwargs, error, message in refusals:
        with pytest.raises(error, match=message):
            editing.tag_clip(service, clip.id, text=SECRET, **kwargs)
    with pytest.raises(NotFound, match="unknown clip: 999"):
        editing.tag_clip(service, 999, "P2")
    assert library_state(service) == before
    lower = editing.tag_clip(service, clip.id, " p4 ", "p4.2 ", None)
    assert (lower.principle, lower.behaviour, lower.who) == ("P4", "P4.2", None)


def test_a_catalogue_extension_in_the_library_folder_adds_codes(service, recording):
    extension = {"format": "vigstudio-principles", "version": 1, "name": "WWW",
                 "principles": [{"code": "W1", "name": "Baby leads", "behaviours": [
                     {"code": "W1.1", "text": "Mother follows the baby's lead"}]}]}
    (service.path / CATALOGUE_EXTENSION).write_text(json.dumps(extension), "utf-8")
    clip = editing.add_clip(service, recording.id, 0, 5)
    assert editing.tag_clip(service, clip.id, "W1", "W1.1").principle == "W1"


def test_update_remove_and_restore_annotation(service, recording):
    clip = editing.add_clip(service, recording.id, 10, 20)
    tag = editing.tag_clip(service, clip.id, "P2", "P2.1", "parent", "waited", frame=15)
    updated = editing.update_annotation(service, tag.id, text="waited calmly", frame=None, who=UNCHANGED)
    assert (updated.principle, updated.behaviour, updated.who, updated.text, updated.frame) == (
        "P2", "P2.1", Who.PARENT, "waited calmly", None)
    updated = editing.update_annotation(service, tag.id, principle="P3", behaviour=None, who="child")
    assert editing.get_annotation(service, tag.id) == updated and updated.who == Who.CHILD

    before = library_state(service)
    with pytest.raises(InvalidInput, match="does not belong"):
        editing.update_annotation(service, tag.id, behaviour="P1.1")
    with pytest.raises(InvalidInput, match="outside clip"):
        editing.update_annotation(service, tag.id, frame=25)
    with pytest.raises(NotFound, match="unknown annotation: 999"):
        editing.update_annotation(service, 999, text="x")
    assert library_state(service) == before

    removed = editing.remove_annotation(service, tag.id)
    assert editing.get_clip(service, clip.id).annotations == ()
    assert editing.restore_annotation(service, removed) == removed
    assert editing.get_clip(service, clip.id).annotations == (updated,)
    with pytest.raises(InvalidInput, match="already exists"):
        editing.restore_annotation(service, removed)


def test_clip_list_queries_carry_tags_and_filter_by_principle(service, recording):
    a, b, c = (editing.add_clip(service, recording.id, n, n + 5) for n in (0, 10, 20))
    editing.tag_clip(service, a.id, "P2")
    editing.tag_clip(service, a.id, "P1")
    editing.tag_clip(service, a.id, "P2", "P2.1")
    editing.tag_clip(service, c.id, "P1")
    listed = editing.clips_of_session(service, recording.session_id)
    assert [x.principles for x in listed] == [["P2", "P1"], [], ["P1"]]
    assert [x.clip.id for x in editing.clips_of_session(service, recording.session_id, principle="P1")] == [a.id, c.id]
    assert [x.clip.id for x in editing.clips_of_recording(service, recording.id, principle="P2")] == [a.id]
    assert editing.clips_of_session(service, recording.session_id, principle="P6") == []
    with pytest.raises(InvalidInput, match="unknown principle code"):
        editing.clips_of_session(service, recording.session_id, principle="P42")
    with pytest.raises(NotFound, match="unknown session: 999"):
        editing.clips_of_session(service, 999)
    assert b.id not in [x.clip.id for x in editing.clips_of_session(service, recording.session_id, principle="P2")]


# -- stills, markers, notes -------------------------------------------------------------------------


def test_stills_add_caption_delete_restore(service, recording, changes):
    first = editing.add_still(service, recording.id, 0, "You waited")
    second = editing.add_still(service, recording.id, FRAMES - 1)
    assert [(s.id, s.frame, s.position) for s in editing.stills_of_session(service, recording.session_id)] == [
        (first.id, 0, 0), (second.id, FRAMES - 1, 1)]
    assert (changes[-1].kind, changes[-1].action) == (ChangeKind.STILL, ChangeAction.ADDED)
    editing.set_still_caption(service, second.id, "and she turned to you")
    assert editing.get_still(service, second.id).caption == "and she turned to you"

    removed = editing.delete_still(service, first.id)
    assert [(s.id, s.position) for s in editing.stills_of_recording(service, recording.id)] == [(second.id, 0)]
    editing.restore_still(service, removed)
    assert [(s.id, s.position, s.caption) for s in editing.stills_of_session(service, recording.session_id)] == [
        (first.id, 0, "You waited"), (second.id, 1, "and she turned to you")]

    before = library_state(service)
    for frame in (-1, FRAMES):
        with pytest.raises(InvalidInput, match=f"frame {frame} is outside recording {recording.id}"):
            editing.add_still(service, recording.id, frame, SECRET)
    with pytest.raises(NotFound, match="unknown recording: 999"):
        editing.add_still(service, 999, 0)
    with pytest.raises(NotFound, match="unknown still: 999"):
        editing.set_still_caption(service, 999, "x")
    assert library_state(service) == before


def test_markers(service, recording, changes):
    marker = editing.add_marker(service, recording.id, 30, "look again")
    assert (changes[-1].kind, changes[-1].action, changes[-1].ids) == (ChangeKind.MARKER, ChangeAction.ADDED,
                                                                       (marker.id, recording.id))
    assert changes[-1].session_id == recording.session_id and changes[-1].case_id is not None
    other = editing.add_marker(service, recording.id, 5)
    assert [m.id for m in editing.markers_of_recording(service, recording.id)] == [other.id, marker.id]
    assert editing.markers_of_session(service, recording.session_id) == editing.markers_of_recording(service, recording.id)
    removed = editing.delete_marker(service, marker.id)
    assert (changes[-1].kind, changes[-1].action) == (ChangeKind.MARKER, ChangeAction.DELETED)
    assert editing.markers_of_recording(service, recording.id) == [other]
    assert editing.restore_marker(service, removed) == marker
    assert editing.get_marker(service, marker.id) == marker
    before = library_state(service)
    with pytest.raises(InvalidInput, match="outside recording"):
        editing.add_marker(service, recording.id, FRAMES)
    with pytest.raises(NotFound):
        editing.delete_marker(service, 999)
    assert library_state(service) == before


def test_session_notes_and_helping_question(service, recording, changes, passphrase):
    session_id = recording.session_id
    editing.set_session_notes(service, session_id, "mum tired today")
    cycle = editing.cycle_of_session(service, session_id)
    editing.set_helping_question(service, cycle.id, "How can I help her settle?")
    assert (changes[-1].kind, changes[-1].action, changes[-1].ids) == (ChangeKind.CYCLE, ChangeAction.UPDATED,
                                                                       (cycle.id,))
    with pytest.raises(NotFound, match="unknown cycle: 999"):
        editing.set_helping_question(service, 999, "x")
    with pytest.raises(NotFound, match="unknown session: 999"):
        editing.set_session_notes(service, 999, "x")
    path = service.path
    service.close()
    service.open(path, passphrase)
    assert editing.get_session(service, session_id).notes == "mum tired today"
    assert editing.cycle_of_session(service, session_id).helping_question == "How can I help her settle?"
    assert [r.id for r in editing.recordings_of_session(service, session_id)] == [recording.id]


def test_edits_log_nothing_a_family_wrote(service, recording, caplog):
    caplog.set_level(logging.DEBUG)
    clip = editing.add_clip(service, recording.id, 0, 5, SECRET)
    editing.tag_clip(service, clip.id, "P1", text=SECRET)
    editing.add_still(service, recording.id, 3, SECRET)
    editing.add_marker(service, recording.id, 3, SECRET)
    editing.set_session_notes(service, recording.session_id, SECRET)
    editing.restore_clip(service, editing.delete_clip(service, clip.id))
    with pytest.raises(InvalidInput):
        editing.add_clip(service, recording.id, 5, 1, SECRET)
    assert SECRET not in caplog.text
    with service.read() as repos:
        assert not any(SECRET in e.object for e in repos.audit.list())
