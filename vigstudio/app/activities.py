"""The service's own work: consultations given, training delivered, liaison, resources handed out.

Kept in the library (encrypted) beside the cases; a consultation about a case may name its code.
Listed, edited and deleted like every record; every change is audited with ids only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent
from vigstudio.domain.pathway import Activity, ActivityKind

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

EDITABLE = ("date", "title", "role", "team", "attendees", "minutes", "outcome", "materials")


def parse_kind(text: str) -> ActivityKind:
    try:
        return ActivityKind(text.strip().lower())
    except ValueError:
        raise InvalidInput(f"activity kind is one of {', '.join(k.value for k in ActivityKind)}") from None


def _check(activity: Activity) -> None:
    if not activity.title.strip():
        raise InvalidInput("an activity needs a title or topic")
    for name in ("attendees", "minutes"):
        value = getattr(activity, name)
        if value is not None and not 0 <= value <= 100_000:
            raise InvalidInput(f"{name} must be a positive number")
    if activity.date > dt.date.today() + dt.timedelta(days=366):
        raise InvalidInput("that date is more than a year ahead")


def add_activity(service: LibraryService, kind: str | ActivityKind, date: dt.date, title: str, *,
                 case_code: str | None = None, **details: Any) -> Activity:
    unknown = set(details) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"unknown activity detail {sorted(unknown)[0]}")
    activity = Activity(kind=parse_kind(kind) if isinstance(kind, str) else kind, date=date, title=title.strip())
    for name, value in details.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    _check(activity)
    with service.edit() as repos:
        if case_code:
            activity.case_id = repos.cases.by_code(case_code.strip()).id
        repos.activities.add(activity)
        repos.audit.append(AuditEvent("activity_add", f"activity {activity.id} {activity.kind.value}"))
    service.emit(Change(ChangeKind.ACTIVITY, ChangeAction.UPDATED, (activity.saved_id,)))
    return activity


def update_activity(service: LibraryService, activity_id: int, **changes: Any) -> Activity:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"unknown activity detail {sorted(unknown)[0]}")
    with service.edit() as repos:
        activity = dataclasses.replace(repos.activities.get(activity_id), **changes)
        _check(activity)
        repos.activities.update(activity)
        repos.audit.append(AuditEvent("activity_edit", f"activity {activity_id}"))
    service.emit(Change(ChangeKind.ACTIVITY, ChangeAction.UPDATED, (activity_id,)))
    return activity


def delete_activity(service: LibraryService, activity_id: int) -> Activity:
    """Delete it; returns what was deleted, which `restore_activity` brings back (undo)."""
    with service.edit() as repos:
        activity = repos.activities.get(activity_id)
        repos.activities.delete(activity_id)
        repos.audit.append(AuditEvent("activity_delete", f"activity {activity_id}"))
    service.emit(Change(ChangeKind.ACTIVITY, ChangeAction.DELETED, (activity_id,)))
    return activity


def restore_activity(service: LibraryService, activity: Activity) -> Activity:
    """Bring back a deleted activity with its own id (undo of a delete, redo of an add)."""
    _check(activity)
    with service.edit() as repos:
        if repos.activities.find(activity.saved_id) is not None:
            raise InvalidInput(f"activity {activity.id} already exists; nothing was restored")
        values = {f.name: getattr(activity, f.name) for f in dataclasses.fields(activity)}
        values["kind"] = activity.kind.value
        repos.orm_session.add(repos.activities.row(**values))
        repos.orm_session.flush()
        repos.audit.append(AuditEvent("activity_restore", f"activity {activity.id}"))
    service.emit(Change(ChangeKind.ACTIVITY, ChangeAction.ADDED, (activity.saved_id,)))
    return activity


def activities(service: LibraryService, start: dt.date | None = None, end: dt.date | None = None) -> list[Activity]:
    with service.read() as repos:
        return repos.activities.between(start, end)


def activity(service: LibraryService, activity_id: int) -> Activity:
    with service.read() as repos:
        return repos.activities.get(activity_id)
