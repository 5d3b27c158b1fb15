"""Undo and redo for the Watch, Wait and Wonder records (interventions, course sessions, observations,
Wonder notes), one generic set of QUndoCommands over each record's app calls.

Every record's use cases follow one pattern (`vigstudio.app.www`): a delete returns a snapshot that
its restore brings back with the same id (and links); an update returns (before, after) and
`restore_fields(before)` puts the fields back. `RecordCalls` names those calls for one kind of
record; `UndoableRecords` makes each edit at once (the app commits it) and pushes one command on the
window's stack through `UndoableEditor.push`, so a refused undo is reported and the history cleared
the same way as for clips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vigstudio.app.www import Courses, Observations, WonderNotes
from vigstudio.ui.commands import EditCommand, UndoableEditor


@dataclass(frozen=True)
class RecordCalls:
    """The app calls undo needs for one kind of record."""

    what: str  # "observation", "note", ... as the Edit menu names it
    delete: Callable[[int], Any]  # id -> snapshot
    restore: Callable[[Any], Any]  # snapshot -> record (same id)
    restore_fields: Callable[[Any], Any]  # record as it was -> record
    update: Callable[..., tuple[Any, Any]]  # (id, **changes) -> (before, after)
    record_of: Callable[[Any], Any] = lambda snapshot: snapshot  # a snapshot's record (a note is its own)

    def id_of(self, snapshot: Any) -> int:
        return int(self.record_of(snapshot).id)


class _RecordCommand(EditCommand):
    def __init__(self, calls: RecordCalls, text: str):
        super().__init__(calls, text)  # (EditCommand only keeps its first argument)
        self.calls = calls


class AddRecord(_RecordCommand):
    """Undo deletes the new record; redo brings it back with the same id."""

    def __init__(self, calls: RecordCalls, record_id: int, text: str):
        super().__init__(calls, text)
        self.record_id = record_id
        self.snapshot: Any = None

    def undo_edit(self) -> None:
        self.snapshot = self.calls.delete(self.record_id)

    def do(self) -> None:
        if self.snapshot is not None:
            self.calls.restore(self.snapshot)


class DeleteRecord(_RecordCommand):
    def __init__(self, calls: RecordCalls, snapshot: Any, text: str):
        super().__init__(calls, text)
        self.snapshot = snapshot

    def undo_edit(self) -> None:
        self.calls.restore(self.snapshot)

    def do(self) -> None:
        self.snapshot = self.calls.delete(self.calls.id_of(self.snapshot))


class EditRecord(_RecordCommand):
    def __init__(self, calls: RecordCalls, before: Any, after: Any, text: str):
        super().__init__(calls, text)
        self.before, self.after = before, after

    def undo_edit(self) -> None:
        self.calls.restore_fields(self.before)

    def do(self) -> None:
        self.calls.restore_fields(self.after)


class UndoableRecords:
    """One kind of record's edits, each made at once and pushed as one undo step. `describe(record)`
    names the record in the Edit menu ("I-REACH at frame 20")."""

    def __init__(self, calls: RecordCalls, undoable: UndoableEditor,
                 describe: Callable[[Any], str] | None = None):
        self.calls = calls
        self.undoable = undoable
        self.describe = describe or (lambda record: f"{calls.what} {record.id}")

    def added(self, record: Any) -> Any:
        """Push the undo step of a record an app call has just added; returns it."""
        self.undoable.push(AddRecord(self.calls, record.id, f"Add {self.describe(record)}"))
        return record

    def add(self, make: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.added(make(*args, **kwargs))

    def delete(self, record_id: int) -> Any:
        snapshot = self.calls.delete(record_id)
        self.undoable.push(DeleteRecord(self.calls, snapshot, f"Delete {self.describe(self.calls.record_of(snapshot))}"))
        return snapshot

    def update(self, record_id: int, **changes: Any) -> Any:
        """The record after the change (no step when nothing changed)."""
        before, after = self.calls.update(record_id, **changes)
        if before != after:
            self.undoable.push(EditRecord(self.calls, before, after, f"Edit {self.describe(after)}"))
        return after


def observation_calls(observations: Observations) -> RecordCalls:
    return RecordCalls("observation", observations.delete, observations.restore, observations.restore_fields,
                       observations.update, record_of=lambda snapshot: snapshot.observation)


def note_calls(notes: WonderNotes) -> RecordCalls:
    return RecordCalls("note", notes.delete, notes.restore, notes.restore_fields, notes.update)


def session_calls(courses: Courses) -> RecordCalls:
    return RecordCalls("session", courses.delete_session, courses.restore_session, courses.restore_session_fields,
                       courses.update_session, record_of=lambda snapshot: snapshot.session)


def intervention_calls(courses: Courses) -> RecordCalls:
    return RecordCalls("intervention", courses.delete_intervention, courses.restore_intervention,
                       courses.restore_intervention_fields, courses.update_intervention,
                       record_of=lambda snapshot: snapshot.intervention)
