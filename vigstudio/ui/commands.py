"""Undo and redo for every edit: one `QUndoCommand` per app call, on one `QUndoStack`.

An edit is made (and committed to the library) by the app call *before* its command is pushed, so
the stack never holds unsaved work and a refused edit (`InvalidInput`, `NotFound`) raises to the
caller with nothing pushed. `QUndoStack.push` calls `redo()` once: our commands skip that first call.
Undo performs the inverse app call; redo after an undo performs the edit again. Deletes are undone
by restoring the very same ids, so later commands on the stack keep referring to the right objects.

`UndoableEditor` is what the editor window uses: the edits of `vigstudio.app.editing`, with the same names,
each making the edit and pushing its command. Repeated trims of one clip (dragging a handle) and
repeated text edits of one caption / notes field merge into one undo step; `final=True` on the last
one (e.g. on mouse release) closes that step. A compound edit is one macro (`make_clip_and_tag`, or
`with undoable.macro("..."):`).

If an undo or redo is refused by the library (the clip was deleted elsewhere, the library was
locked), the command reports it through `UndoableEditor.failed` and the stack is cleared, since its
history no longer matches the library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from vigstudio.app import editing
from vigstudio.app.editing import ClipSnapshot
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import Annotation, Clip, Cycle, Marker, Session, Still, Who

log = logging.getLogger(__name__)

# Command ids for merging (QUndoCommand.id): only commands with the same id are offered to mergeWith.
TRIM_CLIP_ID = 5001
STILL_CAPTION_ID = 5002
SESSION_NOTES_ID = 5003
HELPING_QUESTION_ID = 5004

ErrorHandler = Callable[["EditCommand", VigError], None]


def clip_label(title: str, clip_id: int | None) -> str:
    """How a clip is named in the Edit menu: its title in quotes (shortened), or its id."""
    title = " ".join(title.split())
    if not title:
        return f"clip {clip_id}"
    return f"clip '{title if len(title) <= 40 else title[:39] + '…'}'"


def _log_failure(command: EditCommand, err: VigError) -> None:
    log.warning("%s could not be undone/redone: %s", type(command).__name__, type(err).__name__)


class EditCommand(QUndoCommand):
    """Base of every edit command. Subclasses implement `do()` and `undo_edit()` with app calls."""

    def __init__(self, service: LibraryService, text: str, on_error: ErrorHandler | None = None):
        super().__init__(text)
        self.service = service
        self.on_error = on_error or _log_failure
        self.error: VigError | None = None
        self._pushed = False

    def do(self) -> None:
        raise NotImplementedError

    def undo_edit(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if not self._pushed:  # the app call was made before the push: nothing to do now
            self._pushed = True
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_edit)

    def _run(self, step: Callable[[], None]) -> None:
        # An exception must not escape into Qt's event loop from a menu action: report it instead.
        try:
            step()
            self.error = None
        except VigError as err:
            self.error = err
            self.on_error(self, err)


class _MergingEdit(EditCommand):
    """An edit that absorbs the next ones of the same kind on the same object, until one is final."""

    merge_id = -1

    def __init__(self, service: LibraryService, text: str, target: int, old, new, *, final: bool = False,
                 on_error: ErrorHandler | None = None):
        super().__init__(service, text, on_error)
        self.target, self.old, self.new = target, old, new
        self.closed = final

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if self.closed or type(other) is not type(self) or other.target != self.target:
            return False
        self.new = other.new
        self.closed = other.closed
        self.setText(other.text())
        # Back where it started (e.g. a handle dragged away and back): the step is dropped.
        self.setObsolete(self.new == self.old)
        return True

    def do(self) -> None:
        self.apply(self.new)

    def undo_edit(self) -> None:
        self.apply(self.old)

    def apply(self, value) -> None:
        raise NotImplementedError


# -- clips --------------------------------------------------------------------------------------------


class AddClip(EditCommand):
    def __init__(self, service: LibraryService, clip: Clip, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Make {clip_label(clip.title, clip.id)}", on_error)
        self.clip_id = clip.id
        self.snapshot = ClipSnapshot(clip)

    def undo_edit(self) -> None:
        self.snapshot = editing.delete_clip(self.service, self.clip_id)

    def do(self) -> None:
        editing.restore_clip(self.service, self.snapshot)


class DeleteClip(EditCommand):
    def __init__(self, service: LibraryService, snapshot: ClipSnapshot, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Delete {clip_label(snapshot.clip.title, snapshot.clip.id)}", on_error)
        self.snapshot = snapshot

    def undo_edit(self) -> None:
        editing.restore_clip(self.service, self.snapshot)

    def do(self) -> None:
        self.snapshot = editing.delete_clip(self.service, self.snapshot.clip.id)


class TrimClip(_MergingEdit):
    """old/new are (start_frame, end_frame) pairs; consecutive trims of one clip merge."""

    merge_id = TRIM_CLIP_ID

    def __init__(self, service: LibraryService, clip_id: int, title: str, old: tuple[int, int], new: tuple[int, int],
                 *, final: bool = False, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Trim {clip_label(title, clip_id)}", clip_id, tuple(old), tuple(new),
                         final=final, on_error=on_error)

    def apply(self, bounds) -> None:
        editing.trim_clip(self.service, self.target, *bounds)


class RenameClip(EditCommand):
    def __init__(self, service: LibraryService, clip_id: int, old_title: str, new_title: str,
                 on_error: ErrorHandler | None = None):
        super().__init__(service, f"Rename {clip_label(old_title, clip_id)}", on_error)
        self.clip_id, self.old_title, self.new_title = clip_id, old_title, new_title

    def do(self) -> None:
        editing.rename_clip(self.service, self.clip_id, self.new_title)

    def undo_edit(self) -> None:
        editing.rename_clip(self.service, self.clip_id, self.old_title)


class MoveClip(EditCommand):
    def __init__(self, service: LibraryService, clip_id: int, title: str, old_position: int, new_position: int,
                 on_error: ErrorHandler | None = None):
        super().__init__(service, f"Move {clip_label(title, clip_id)} to place {new_position + 1}", on_error)
        self.clip_id, self.old_position, self.new_position = clip_id, old_position, new_position

    def do(self) -> None:
        editing.move_clip(self.service, self.clip_id, self.new_position)

    def undo_edit(self) -> None:
        # Moving it back from where it went restores the whole order: the others only shifted.
        editing.move_clip(self.service, self.clip_id, self.old_position)


# -- tags ---------------------------------------------------------------------------------------------


def _principle_label(service: LibraryService, code: str) -> str:
    try:
        return f"{code} {editing.principles_catalogue(service).principle(code).name}"
    except InvalidInput:
        return code


class TagClip(EditCommand):
    def __init__(self, service: LibraryService, annotation: Annotation, clip_title: str = "",
                 on_error: ErrorHandler | None = None):
        text = f"Tag {clip_label(clip_title, annotation.clip_id)} with {_principle_label(service, annotation.principle)}"
        super().__init__(service, text, on_error)
        self.annotation = annotation

    def undo_edit(self) -> None:
        self.annotation = editing.remove_annotation(self.service, self.annotation.id)

    def do(self) -> None:
        editing.restore_annotation(self.service, self.annotation)


class UpdateAnnotation(EditCommand):
    def __init__(self, service: LibraryService, before: Annotation, after: Annotation, clip_title: str = "",
                 on_error: ErrorHandler | None = None):
        super().__init__(service, f"Edit tag {after.principle} of {clip_label(clip_title, after.clip_id)}", on_error)
        self.before, self.after = before, after

    def _apply(self, a: Annotation) -> None:
        editing.update_annotation(self.service, a.id, principle=a.principle, behaviour=a.behaviour, who=a.who,
                                      text=a.text, frame=a.frame)

    def do(self) -> None:
        self._apply(self.after)

    def undo_edit(self) -> None:
        self._apply(self.before)


class RemoveAnnotation(EditCommand):
    def __init__(self, service: LibraryService, annotation: Annotation, clip_title: str = "",
                 on_error: ErrorHandler | None = None):
        text = f"Remove tag {annotation.principle} from {clip_label(clip_title, annotation.clip_id)}"
        super().__init__(service, text, on_error)
        self.annotation = annotation

    def undo_edit(self) -> None:
        editing.restore_annotation(self.service, self.annotation)

    def do(self) -> None:
        self.annotation = editing.remove_annotation(self.service, self.annotation.id)


# -- stills and markers -------------------------------------------------------------------------------


class AddStill(EditCommand):
    def __init__(self, service: LibraryService, still: Still, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Take still of frame {still.frame}", on_error)
        self.still = still

    def undo_edit(self) -> None:
        self.still = editing.delete_still(self.service, self.still.id)

    def do(self) -> None:
        editing.restore_still(self.service, self.still)


class DeleteStill(EditCommand):
    def __init__(self, service: LibraryService, still: Still, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Delete still of frame {still.frame}", on_error)
        self.still = still

    def undo_edit(self) -> None:
        editing.restore_still(self.service, self.still)

    def do(self) -> None:
        self.still = editing.delete_still(self.service, self.still.id)


class SetStillCaption(_MergingEdit):
    merge_id = STILL_CAPTION_ID

    def __init__(self, service: LibraryService, still: Still, old: str, new: str, *, final: bool = False,
                 on_error: ErrorHandler | None = None):
        super().__init__(service, f"Edit caption of still at frame {still.frame}", still.id, old, new,
                         final=final, on_error=on_error)

    def apply(self, caption: str) -> None:
        editing.set_still_caption(self.service, self.target, caption)


class AddMarker(EditCommand):
    def __init__(self, service: LibraryService, marker: Marker, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Add marker at frame {marker.frame}", on_error)
        self.marker = marker

    def undo_edit(self) -> None:
        self.marker = editing.delete_marker(self.service, self.marker.id)

    def do(self) -> None:
        editing.restore_marker(self.service, self.marker)


class DeleteMarker(EditCommand):
    def __init__(self, service: LibraryService, marker: Marker, on_error: ErrorHandler | None = None):
        super().__init__(service, f"Delete marker at frame {marker.frame}", on_error)
        self.marker = marker

    def undo_edit(self) -> None:
        editing.restore_marker(self.service, self.marker)

    def do(self) -> None:
        self.marker = editing.delete_marker(self.service, self.marker.id)


# -- session notes and helping question ---------------------------------------------------------------


class SetSessionNotes(_MergingEdit):
    merge_id = SESSION_NOTES_ID

    def __init__(self, service: LibraryService, session_id: int, old: str, new: str, *, final: bool = False,
                 on_error: ErrorHandler | None = None):
        super().__init__(service, "Edit session notes", session_id, old, new, final=final, on_error=on_error)

    def apply(self, text: str) -> None:
        editing.set_session_notes(self.service, self.target, text)


class SetHelpingQuestion(_MergingEdit):
    merge_id = HELPING_QUESTION_ID

    def __init__(self, service: LibraryService, cycle_id: int, old: str, new: str, *, final: bool = False,
                 on_error: ErrorHandler | None = None):
        super().__init__(service, "Edit helping question", cycle_id, old, new, final=final, on_error=on_error)

    def apply(self, text: str) -> None:
        editing.set_helping_question(self.service, self.target, text)


# -- the facade the editor window uses ----------------------------------------------------------------


class UndoableEditor(QObject):
    """The edits of `vigstudio.app.editing`, each made at once and pushed on `stack` as one undo step."""

    failed = Signal(str)  # an undo/redo the library refused (one line, fit to show)

    def __init__(self, service: LibraryService, stack: QUndoStack | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.stack = stack if stack is not None else QUndoStack(self)
        self._clear_pending = False

    def _report(self, command: EditCommand, err: VigError) -> None:
        _log_failure(command, err)
        self.failed.emit(f"{err}; the undo history was cleared")
        if not self._clear_pending:
            # Not from inside the command that is running: clear once control is back in the loop.
            self._clear_pending = True
            QTimer.singleShot(0, self._clear)

    def _clear(self) -> None:
        self._clear_pending = False
        self.stack.clear()

    def push(self, command: EditCommand) -> EditCommand:
        command.on_error = self._report
        self.stack.push(command)
        return command

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Every edit inside the block is one undo step. Make the first edit (the one most likely to
        be refused) before entering, so a refusal does not leave an empty step behind."""
        self.stack.beginMacro(text)
        try:
            yield
        finally:
            self.stack.endMacro()

    # -- clips --------------------------------------------------------------------------------------

    def add_clip(self, recording_id: int, start_frame: int, end_frame: int, title: str = "") -> Clip:
        clip = editing.add_clip(self.service, recording_id, start_frame, end_frame, title)
        self.push(AddClip(self.service, clip))
        return clip

    def trim_clip(self, clip_id: int, start_frame: int, end_frame: int, *, final: bool = False) -> Clip:
        before = editing.get_clip(self.service, clip_id).clip
        clip = editing.trim_clip(self.service, clip_id, start_frame, end_frame)
        self.push(TrimClip(self.service, clip_id, before.title, (before.start_frame, before.end_frame),
                           (clip.start_frame, clip.end_frame), final=final))
        return clip

    def end_merge(self) -> None:
        """Close the merge window of the last step (trim, caption, notes): the next edit is a new step."""
        index = self.stack.index()
        top = self.stack.command(index - 1) if index > 0 else None
        if isinstance(top, _MergingEdit):
            top.closed = True

    def rename_clip(self, clip_id: int, title: str) -> Clip:
        old = editing.get_clip(self.service, clip_id).clip.title
        clip = editing.rename_clip(self.service, clip_id, title)
        if clip.title != old:  # nothing to undo otherwise
            self.push(RenameClip(self.service, clip_id, old, clip.title))
        return clip

    def move_clip(self, clip_id: int, new_position: int) -> Clip:
        before = editing.get_clip(self.service, clip_id).clip
        clip = editing.move_clip(self.service, clip_id, new_position)
        if before.position != new_position:
            self.push(MoveClip(self.service, clip_id, before.title, before.position, new_position))
        return clip

    def delete_clip(self, clip_id: int) -> ClipSnapshot:
        snapshot = editing.delete_clip(self.service, clip_id)
        self.push(DeleteClip(self.service, snapshot))
        return snapshot

    def make_clip_and_tag(self, recording_id: int, start_frame: int, end_frame: int, title: str,
                          principle: str, behaviour: str | None = None, who: Who | str | None = None,
                          text: str = "", frame: int | None = None) -> tuple[Clip, Annotation]:
        """Make a clip from in/out and tag it: one undo step."""
        editing.check_tag(self.service, principle, behaviour, who, text)  # refuse a bad tag before the clip exists
        if frame is not None and not (isinstance(frame, int) and start_frame <= frame < end_frame):
            raise InvalidInput(f"frame {frame} is outside the new clip (frames {start_frame}-{end_frame - 1})")
        clip = editing.add_clip(self.service, recording_id, start_frame, end_frame, title)
        with self.macro(f"Make {clip_label(clip.title, clip.id)} and tag it {principle}"):
            self.push(AddClip(self.service, clip))
            annotation = editing.tag_clip(self.service, clip.id, principle, behaviour, who, text, frame)
            self.push(TagClip(self.service, annotation, clip.title))
        return clip, annotation

    # -- tags ---------------------------------------------------------------------------------------

    def tag_clip(self, clip_id: int, principle: str, behaviour: str | None = None,
                 who: Who | str | None = None, text: str = "", frame: int | None = None) -> Annotation:
        annotation = editing.tag_clip(self.service, clip_id, principle, behaviour, who, text, frame)
        self.push(TagClip(self.service, annotation, editing.get_clip(self.service, clip_id).clip.title))
        return annotation

    def update_annotation(self, annotation_id: int, **changes) -> Annotation:
        before = editing.get_annotation(self.service, annotation_id)
        after = editing.update_annotation(self.service, annotation_id, **changes)
        self.push(UpdateAnnotation(self.service, before, after, editing.get_clip(self.service, after.clip_id).clip.title))
        return after

    def remove_annotation(self, annotation_id: int) -> Annotation:
        annotation = editing.remove_annotation(self.service, annotation_id)
        self.push(RemoveAnnotation(self.service, annotation, editing.get_clip(self.service, annotation.clip_id).clip.title))
        return annotation

    # -- stills and markers -------------------------------------------------------------------------

    def add_still(self, recording_id: int, frame: int, caption: str = "") -> Still:
        still = editing.add_still(self.service, recording_id, frame, caption)
        self.push(AddStill(self.service, still))
        return still

    def set_still_caption(self, still_id: int, caption: str, *, final: bool = False) -> Still:
        old = editing.get_still(self.service, still_id).caption
        still = editing.set_still_caption(self.service, still_id, caption)
        self.push(SetStillCaption(self.service, still, old, still.caption, final=final))
        return still

    def delete_still(self, still_id: int) -> Still:
        still = editing.delete_still(self.service, still_id)
        self.push(DeleteStill(self.service, still))
        return still

    def add_marker(self, recording_id: int, frame: int, note: str = "") -> Marker:
        marker = editing.add_marker(self.service, recording_id, frame, note)
        self.push(AddMarker(self.service, marker))
        return marker

    def delete_marker(self, marker_id: int) -> Marker:
        marker = editing.delete_marker(self.service, marker_id)
        self.push(DeleteMarker(self.service, marker))
        return marker

    # -- notes ----------------------------------------------------------------------------------------

    def set_session_notes(self, session_id: int, text: str, *, final: bool = False) -> Session:
        old = editing.get_session(self.service, session_id).notes
        session = editing.set_session_notes(self.service, session_id, text)
        self.push(SetSessionNotes(self.service, session_id, old, session.notes, final=final))
        return session

    def set_helping_question(self, cycle_id: int, text: str, *, final: bool = False) -> Cycle:
        cycle_before = editing.get_cycle(self.service, cycle_id)
        cycle = editing.set_helping_question(self.service, cycle_id, text)
        self.push(SetHelpingQuestion(self.service, cycle_id, cycle_before.helping_question, cycle.helping_question,
                                     final=final))
        return cycle
