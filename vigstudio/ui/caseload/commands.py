"""Undo for the caseload's edits: one `QUndoCommand` per app call, on the library window's stack.

As in the editor (`ui.commands`), the app call is made and committed first and its command pushed
after, so a refused edit pushes nothing; the first `redo()` (from `push`) is skipped. A pathway
edit (a new referral, a decision, a step, closing a case, a correction) is undone by putting the
case's whole pathway record back (`app.pathway_records.restore`, the very rows and ids), and redone
by putting the record after it back; either is refused if the record changed meanwhile. An
activity's add, edit and delete are undone with the inverse app call (a delete brings back the
same id). When an undo or redo is refused, the message is shown and the stack cleared: its history
no longer matches the library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from vigstudio.app import activities, pathway_records
from vigstudio.app.library import LibraryService
from vigstudio.app.pathway_records import CaseRecord
from vigstudio.domain.errors import VigError
from vigstudio.domain.pathway import Activity

log = logging.getLogger(__name__)
T = TypeVar("T")


class CaseloadCommand(QUndoCommand):
    def __init__(self, undo: CaseloadUndo, text: str):
        super().__init__(text)
        self.undoable = undo
        self._pushed = False

    def do(self) -> None:
        raise NotImplementedError

    def undo_edit(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_edit)

    def _run(self, step: Callable[[], None]) -> None:
        try:  # nothing may escape into Qt's event loop from a menu action
            step()
        except VigError as err:
            self.undoable.refused(self, err)


class PathwayCommand(CaseloadCommand):
    def __init__(self, undo: CaseloadUndo, text: str, before: CaseRecord, after: CaseRecord):
        super().__init__(undo, text)
        self.before, self.after = before, after

    def undo_edit(self) -> None:
        pathway_records.restore(self.undoable.service, self.before, expect=self.after)

    def do(self) -> None:
        pathway_records.restore(self.undoable.service, self.after, expect=self.before)


class AddActivity(CaseloadCommand):
    def __init__(self, undo: CaseloadUndo, activity: Activity):
        super().__init__(undo, f"Add {activity.kind.value} '{_short(activity.title)}'")
        self.activity = activity

    def undo_edit(self) -> None:
        self.activity = activities.delete_activity(self.undoable.service, self.activity.saved_id)

    def do(self) -> None:
        activities.restore_activity(self.undoable.service, self.activity)


class DeleteActivity(AddActivity):
    def __init__(self, undo: CaseloadUndo, activity: Activity):
        super().__init__(undo, activity)
        self.setText(f"Delete {activity.kind.value} '{_short(activity.title)}'")

    def undo_edit(self) -> None:
        super().do()

    def do(self) -> None:
        super().undo_edit()


class EditActivity(CaseloadCommand):
    def __init__(self, undo: CaseloadUndo, before: Activity, after: Activity):
        super().__init__(undo, f"Edit {before.kind.value} '{_short(after.title)}'")
        self.before, self.after = before, after

    def _apply(self, values: Activity) -> None:
        activities.update_activity(self.undoable.service, values.saved_id,
                                   **{name: getattr(values, name) for name in activities.EDITABLE})

    def undo_edit(self) -> None:
        self._apply(self.before)

    def do(self) -> None:
        self._apply(self.after)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


class CaseloadUndo(QObject):
    """The caseload's undoable edits over one stack (the library window's). Each method makes the app
    call (which raises `VigError` with nothing pushed when refused) and pushes its command."""

    failed = Signal(str)  # an undo or redo was refused: the message

    def __init__(self, service: LibraryService, stack: QUndoStack | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.stack = stack if stack is not None else QUndoStack(self)

    def pathway_edit(self, text: str, case_code: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case that changes only the case's pathway record, as one undo step."""
        before = pathway_records.record(self.service, case_code)
        result = call(*args, **kwargs)
        self.stack.push(PathwayCommand(self, text, before, pathway_records.record(self.service, case_code)))
        return result

    def add_activity(self, *args: Any, **kwargs: Any) -> Activity:
        activity = activities.add_activity(self.service, *args, **kwargs)
        self.stack.push(AddActivity(self, activity))
        return activity

    def edit_activity(self, activity_id: int, **changes: Any) -> Activity:
        before = activities.activity(self.service, activity_id)
        after = activities.update_activity(self.service, activity_id, **changes)
        self.stack.push(EditActivity(self, before, after))
        return after

    def delete_activity(self, activity_id: int) -> Activity:
        activity = activities.delete_activity(self.service, activity_id)
        self.stack.push(DeleteActivity(self, activity))
        return activity

    def refused(self, command: CaseloadCommand, err: VigError) -> None:
        log.warning("%s could not be undone/redone: %s", type(command).__name__, type(err).__name__)
        self.failed.emit(str(err))
        QTimer.singleShot(0, self.stack.clear)  # not from inside the stack's own undo()


def add_undo_keys(widget: QWidget, stack: QUndoStack) -> tuple[QAction, QAction]:
    """Undo and redo actions on `widget` with the usual keys (a modal dialog over the library window
    keeps the window's own from firing)."""
    undo, redo = stack.createUndoAction(widget, "Undo"), stack.createRedoAction(widget, "Redo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    widget.addAction(undo)
    widget.addAction(redo)
    return undo, redo
