"""Undo/redo of every edit on a real QUndoStack over a real library (no widgets needed)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from tests.videos import make_video
from vigstudio.app import editing
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.domain.model import Who
from vigstudio.ui.commands import AddClip, TrimClip, UndoableEditor

FRAMES = 60


@pytest.fixture(scope="module")
def numbered_video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("videos") / "visit.mp4", frames=FRAMES)


@pytest.fixture
def service(tmp_path, passphrase, numbered_video):
    svc = LibraryService()
    svc.create(tmp_path / "lib", passphrase)
    add_case(svc, "F-014")
    import_recording(svc, "F-014", numbered_video)
    yield svc
    svc.close()


@pytest.fixture
def recording(service):
    [case] = library_tree(service)
    [(_, _, session)] = case.sessions()
    return session.recordings[0]


@pytest.fixture
def undoable(qapp, service):
    facade = UndoableEditor(service)
    yield facade
    facade.stack.clear()


def state(service: LibraryService, session_id: int) -> dict:
    """What the editor shows for the session, read back from the library."""
    return {
        "clips": [(c.clip, c.annotations) for c in editing.clips_of_session(service, session_id)],
        "stills": editing.stills_of_session(service, session_id),
        "markers": editing.markers_of_session(service, session_id),
        "notes": editing.get_session(service, session_id).notes,
        "question": editing.cycle_of_session(service, session_id).helping_question,
    }


def undo_text(stack: QUndoStack) -> str:
    return stack.createUndoAction(stack, "Undo").text()


def check_undo_redo(undoable: UndoableEditor, session_id: int, before: dict, steps: int = 1) -> dict:
    """Undo `steps` steps (back to `before`) and redo them; returns the state after the edits."""
    service, stack = undoable.service, undoable.stack
    after = state(service, session_id)
    assert after != before
    for _ in range(steps):
        stack.undo()
    assert state(service, session_id) == before
    for _ in range(steps):
        stack.redo()
    assert state(service, session_id) == after
    return after


# -- one command each -------------------------------------------------------------------------------


def test_add_clip_undo_redo_keeps_the_same_id(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    before = state(service, sid)
    clip = undoable.add_clip(recording.id, 10, 20, "First smile")
    assert stack.count() == 1 and undo_text(stack) == "Undo Make clip 'First smile'"
    seen = []
    undoable.service.subscribe(seen.append)
    check_undo_redo(undoable, sid, before)
    assert [c.clip.id for c in editing.clips_of_session(service, sid)] == [clip.id]
    # Views refresh from the same change notifications on undo and redo as on the edit itself.
    assert [(c.kind.value, c.action.value, c.ids) for c in seen] == [
        ("clip", "deleted", (clip.id,)), ("clip", "added", (clip.id,))]


def test_trims_of_one_clip_merge_into_one_undo_step(undoable, recording):
    service, stack = undoable.service, undoable.stack
    clip = undoable.add_clip(recording.id, 10, 20, "First smile")
    for end in range(21, 26):  # dragging the out handle: 5 trims
        undoable.trim_clip(clip.id, 10, end)
    assert stack.count() == 2
    assert undo_text(stack) == "Undo Trim clip 'First smile'"
    stack.undo()
    assert (editing.get_clip(service, clip.id).clip.start_frame, editing.get_clip(service, clip.id).clip.end_frame) == (10, 20)
    stack.redo()
    assert editing.get_clip(service, clip.id).clip.end_frame == 25

    # A final trim (mouse released) closes the step: the next drag is a step of its own.
    undoable.trim_clip(clip.id, 11, 25, final=True)
    assert stack.count() == 2
    undoable.trim_clip(clip.id, 12, 25)
    assert stack.count() == 3
    undoable.end_merge()
    undoable.trim_clip(clip.id, 13, 25)
    assert stack.count() == 4
    stack.undo()
    stack.undo()
    assert editing.get_clip(service, clip.id).clip.start_frame == 11
    stack.undo()
    assert (editing.get_clip(service, clip.id).clip.start_frame, editing.get_clip(service, clip.id).clip.end_frame) == (10, 20)


def test_trims_of_other_clips_do_not_merge_and_a_round_trip_drops_the_step(undoable, recording):
    stack = undoable.stack
    a = undoable.add_clip(recording.id, 0, 10)
    b = undoable.add_clip(recording.id, 20, 30)
    undoable.trim_clip(a.id, 0, 11)
    undoable.trim_clip(b.id, 20, 31)
    assert stack.count() == 4 and undo_text(stack) == f"Undo Trim clip {b.id}"
    undoable.trim_clip(b.id, 20, 30)  # dragged back to where it was: nothing left to undo
    assert stack.count() == 3


def test_rename_and_move(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    clips = [undoable.add_clip(recording.id, n, n + 5, f"clip {n}") for n in (0, 10, 20)]
    before = state(service, sid)
    undoable.rename_clip(clips[0].id, "She turns")
    assert undo_text(stack) == "Undo Rename clip 'clip 0'"
    check_undo_redo(undoable, sid, before)

    undoable.rename_clip(clips[0].id, " She turns ")  # the same title again: no step
    undoable.move_clip(clips[1].id, 1)  # already there: no step
    assert stack.count() == 4

    before = state(service, sid)
    undoable.move_clip(clips[0].id, 2)
    assert [c.clip.id for c in editing.clips_of_session(service, sid)] == [clips[1].id, clips[2].id, clips[0].id]
    assert undo_text(stack) == "Undo Move clip 'She turns' to place 3"
    check_undo_redo(undoable, sid, before)


def test_delete_clip_undo_restores_its_tags_and_place(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    clips = [undoable.add_clip(recording.id, n, n + 5, f"clip {n}") for n in (0, 10, 20)]
    tag = undoable.tag_clip(clips[1].id, "P2", "P2.1", Who.PARENT, "waited", frame=12)
    assert undo_text(stack) == "Undo Tag clip 'clip 10' with P2 Encouraging initiatives"
    before = state(service, sid)
    undoable.delete_clip(clips[1].id)
    assert undo_text(stack) == "Undo Delete clip 'clip 10'"
    check_undo_redo(undoable, sid, before)
    stack.undo()
    assert editing.get_annotation(service, tag.id) == tag
    # The steps before the delete still undo, because the restored clip and tag kept their ids.
    while stack.canUndo():
        stack.undo()
    assert editing.clips_of_session(service, sid) == []


def test_ids_freed_by_a_delete_and_reused_still_undo_in_order(undoable, recording):
    """SQLite may give a new clip the id of a just-deleted one; linear undo keeps them apart."""
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    empty = state(service, sid)
    first = undoable.add_clip(recording.id, 0, 10, "first")
    undoable.delete_clip(first.id)
    second = undoable.add_clip(recording.id, 20, 30, "second")
    undoable.tag_clip(second.id, "P1")
    full = state(service, sid)
    for _ in range(4):
        stack.undo()
    assert state(service, sid) == empty
    for _ in range(4):
        stack.redo()
    assert state(service, sid) == full
    stack.undo()
    stack.undo()
    stack.undo()
    assert [(c.clip.id, c.clip.title) for c in editing.clips_of_session(service, sid)] == [(first.id, "first")]


def test_tags_update_and_remove(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    clip = undoable.add_clip(recording.id, 10, 20, "Waiting")
    before = state(service, sid)
    tag = undoable.tag_clip(clip.id, "P1", who="child")
    check_undo_redo(undoable, sid, before)

    before = state(service, sid)
    undoable.update_annotation(tag.id, principle="P3", behaviour="P3.1", text="noticed", frame=15)
    assert undo_text(stack) == "Undo Edit tag P3 of clip 'Waiting'"
    check_undo_redo(undoable, sid, before)

    before = state(service, sid)
    undoable.remove_annotation(tag.id)
    assert undo_text(stack) == "Undo Remove tag P3 from clip 'Waiting'"
    check_undo_redo(undoable, sid, before)


def test_stills_markers_notes_and_helping_question(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    cycle_id = editing.cycle_of_session(service, sid).id

    before = state(service, sid)
    still = undoable.add_still(recording.id, 12)
    assert undo_text(stack) == "Undo Take still of frame 12"
    check_undo_redo(undoable, sid, before)

    before = state(service, sid)
    for typed in ("You", "You waited", "You waited, and she turned to you"):  # typing merges
        undoable.set_still_caption(still.id, typed)
    check_undo_redo(undoable, sid, before)

    before = state(service, sid)
    undoable.delete_still(still.id)
    check_undo_redo(undoable, sid, before)

    before = state(service, sid)
    marker = undoable.add_marker(recording.id, 30, "look again")
    assert undo_text(stack) == "Undo Add marker at frame 30"
    check_undo_redo(undoable, sid, before)
    before = state(service, sid)
    undoable.delete_marker(marker.id)
    check_undo_redo(undoable, sid, before)

    before = state(service, sid)
    undoable.set_session_notes(sid, "calm")
    undoable.set_session_notes(sid, "calm start", final=True)
    undoable.set_helping_question(cycle_id, "How can I help him settle?")
    assert undo_text(stack) == "Undo Edit helping question"
    check_undo_redo(undoable, sid, before, steps=2)


def test_make_clip_and_tag_is_one_undo_step(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    before = state(service, sid)
    clip, tag = undoable.make_clip_and_tag(recording.id, 10, 30, "First smile", "P3", "P3.4", "child")
    assert stack.count() == 1 and undo_text(stack) == "Undo Make clip 'First smile' and tag it P3"
    after = check_undo_redo(undoable, sid, before)
    assert after["clips"] == [(clip, (tag,))]


def test_refused_edits_push_nothing(undoable, recording):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    clip = undoable.add_clip(recording.id, 10, 20)
    before = state(service, sid)
    with pytest.raises(InvalidInput):
        undoable.add_clip(recording.id, 10, FRAMES + 1)
    with pytest.raises(InvalidInput):
        undoable.trim_clip(clip.id, 5, 5)
    with pytest.raises(NotFound):
        undoable.tag_clip(999, "P1")
    with pytest.raises(InvalidInput):  # a bad tag is refused before the clip is made
        undoable.make_clip_and_tag(recording.id, 0, 5, "", "P1", "P2.1")
    with pytest.raises(InvalidInput):
        undoable.make_clip_and_tag(recording.id, 0, 5, "", "P1", frame=5)
    assert stack.count() == 1 and state(service, sid) == before


def test_an_undo_the_library_refuses_is_reported_and_clears_the_history(undoable, recording, qtbot):
    clip = undoable.add_clip(recording.id, 10, 20)
    editing.delete_clip(undoable.service, clip.id)  # behind the stack's back, e.g. from the command line
    with qtbot.waitSignal(undoable.failed) as failure:
        undoable.stack.undo()
    assert failure.args[0] == f"unknown clip: {clip.id}; the undo history was cleared"
    qtbot.waitUntil(lambda: undoable.stack.count() == 0)


def test_commands_survive_being_pushed_on_a_plain_stack(qapp, service, recording):
    """The command classes work on any QUndoStack, without the facade."""
    stack = QUndoStack()
    clip = editing.add_clip(service, recording.id, 0, 10)
    stack.push(AddClip(service, clip))
    for end in (11, 12):
        trimmed = editing.trim_clip(service, clip.id, 0, end)
        stack.push(TrimClip(service, clip.id, "", (0, end - 1), (0, trimmed.end_frame)))
    assert stack.count() == 2  # merged, even though the Python references are gone
    stack.undo()
    assert editing.get_clip(service, clip.id).clip.end_frame == 10
    stack.undo()
    assert editing.clips_of_session(service, recording.session_id) == []
    stack.redo()
    stack.redo()
    assert editing.get_clip(service, clip.id).clip.end_frame == 12


# -- a whole session of work, persisted -----------------------------------------------------------


def test_a_session_of_edits_undoes_redoes_and_is_on_disk(undoable, recording, service, passphrase):
    service, stack, sid = undoable.service, undoable.stack, recording.session_id
    empty = state(service, sid)
    first, _ = undoable.make_clip_and_tag(recording.id, 5, 15, "First smile", "P1", "P1.3", "child")
    second = undoable.add_clip(recording.id, 30, 40, "Waiting")
    undoable.tag_clip(second.id, "P2", "P2.1", "parent", "waited for her")
    for start in (31, 32, 33):
        undoable.trim_clip(second.id, start, 40)
    undoable.move_clip(second.id, 0)
    undoable.rename_clip(first.id, "The turn")
    still = undoable.add_still(recording.id, 8, "You waited, and she turned to you")
    undoable.add_marker(recording.id, 50, "look again")
    undoable.set_session_notes(sid, "a good morning")
    undoable.delete_clip(first.id)
    full = state(service, sid)
    steps = stack.count()
    assert steps == 10

    for _ in range(steps):
        stack.undo()
    assert state(service, sid) == empty
    for _ in range(steps):
        stack.redo()
    assert state(service, sid) == full
    stack.undo()  # bring the deleted clip back

    expected = state(service, sid)
    assert [c.clip.title for c in editing.clips_of_session(service, sid)] == ["Waiting", "The turn"]
    path = service.path
    service.close()
    reopened = LibraryService()
    reopened.open(path, passphrase)
    try:
        assert state(reopened, sid) == expected
        assert editing.get_still(reopened, still.id).caption == "You waited, and she turned to you"
    finally:
        reopened.close()
