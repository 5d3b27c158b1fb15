"""Retention: how long a closed case's record is kept before it is reviewed, and purging recordings.

The period is the library setting `retention_weeks`; unset, the default applies: 25 years after the
case closed (`DEFAULT_WEEKS`, `DEFAULT_REASON` says why). A case's closing date is kept in the setting
`case_closed_on:<case id>` by `close_case`; a case marked closed without one counts from its last
session's date. When the period has passed the case's retention review is due (`app.pathway`:
keep for another period, keep the written summary and delete the recordings, or delete it all), and
its recordings are listed by `due`; `purge` deletes what the user confirmed, removing the encrypted
containers, one audit event per recording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.consent import remove_containers
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, CaseStatus, Session
from vigstudio.domain.pathway import PathwayEvent, Stage

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

WEEKS_SETTING = "retention_weeks"
CLOSED_ON_SETTING = "case_closed_on:{case_id}"
MAX_WEEKS = 52 * 100
# 25 years (1305 weeks are 25 years and a few days: never short of them).
DEFAULT_WEEKS = 1305
DEFAULT_REASON = (
    "25 years after the case closes, from the NHS Records Management Code of Practice (2021): "
    "children's records are kept until the 25th birthday (26th if 17 when treatment ended), maternity "
    "records (antenatal and postnatal) 25 years, and mental health records 20 years after treatment "
    "ended. A parent–infant case is all three, and the longest period applies. The Code also says a "
    "recording need not be kept once an accurate written summary of it is in the record: that is the "
    "review's \"keep the summary, delete the recordings\".")


@dataclass(frozen=True)
class Period:
    weeks: int
    is_default: bool

    def words(self) -> str:
        years = self.weeks * 7 / 365.25
        notes = [f"about {years:.0f} years"] if self.weeks >= 104 else []
        notes += ["the default"] if self.is_default else []
        return f"{self.weeks} weeks" + (f" ({', '.join(notes)})" if notes else "")


@dataclass(frozen=True)
class DueRecording:
    recording_id: int
    case_code: str
    session_id: int
    closed_on: dt.date
    due_on: dt.date
    size_frames: int


def set_weeks(service: LibraryService, weeks: int | None) -> None:
    """Set the period (None: back to the default, `DEFAULT_WEEKS`)."""
    with service.edit() as repos:
        if weeks is None:
            repos.settings.delete(WEEKS_SETTING)
        else:
            if not 0 <= int(weeks) <= MAX_WEEKS:
                raise InvalidInput(f"retention must be between 0 and {MAX_WEEKS} weeks")
            repos.settings.set(WEEKS_SETTING, str(int(weeks)))
        repos.audit.append(AuditEvent("retention_set", f"weeks {weeks if weeks is not None else 'default'}"))
    service.emit(Change(ChangeKind.SETTINGS, ChangeAction.UPDATED))


def period(service: LibraryService) -> Period:
    with service.read() as repos:
        return _period(repos)


def _period(repos: Repos) -> Period:
    value = repos.settings.get(WEEKS_SETTING)
    return Period(DEFAULT_WEEKS, True) if value is None else Period(int(value), False)


def weeks(service: LibraryService) -> int:
    """The period in weeks (the default when the service has set none)."""
    return period(service).weeks


def close_case(service: LibraryService, case_code: str, on: dt.date | None = None) -> None:
    """Mark the case closed on `on` (today by default); the retention period counts from then."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        case.status = CaseStatus.CLOSED
        repos.cases.update(case)
        day = on or dt.date.today()
        repos.settings.set(CLOSED_ON_SETTING.format(case_id=case.id), day.isoformat())
        steps = repos.pathway.of_case(case.saved_id)
        if steps and steps[-1].stage != Stage.CLOSED:  # a case on the pathway: closing is its last step
            repos.pathway.add(PathwayEvent(case.saved_id, Stage.CLOSED, max(day, steps[-1].date), "retention close"))
        repos.audit.append(AuditEvent("case_close", f"case {case.code}"))
    service.emit(Change(ChangeKind.CASE, ChangeAction.UPDATED, (case.saved_id,), case.saved_id))


def due(service: LibraryService, today: dt.date | None = None) -> list[DueRecording]:
    """Recordings of closed cases whose retention period has passed by `today`."""
    today = today or dt.date.today()
    found = []
    with service.read() as repos:
        period = dt.timedelta(weeks=_period(repos).weeks)
        for case in repos.cases.list():
            if case.status != CaseStatus.CLOSED:
                continue
            sessions = repos.sessions.of_case(case.saved_id)
            closed_on = _closed_on(repos, case.saved_id, sessions)
            if closed_on is None or closed_on + period > today:
                continue
            for session in sessions:
                for r in repos.recordings.of_session(session.saved_id):
                    found.append(DueRecording(r.saved_id, case.code, session.saved_id, closed_on, closed_on + period,
                                              r.frame_count))
    return found


def _closed_on(repos: Repos, case_id: int, sessions: Iterable[Session]) -> dt.date | None:
    stored = repos.settings.get(CLOSED_ON_SETTING.format(case_id=case_id))
    if stored:
        return dt.date.fromisoformat(stored)
    return max((s.date for s in sessions), default=None)


def purge(service: LibraryService, recording_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Delete the given recordings, which must all still be due; returns how many were deleted."""
    wanted = set(recording_ids)
    due_now = {d.recording_id: d for d in due(service, today)}
    not_due = sorted(wanted - set(due_now))
    if not_due:
        raise InvalidInput(f"recording {not_due[0]} is not due for deletion; nothing was deleted")
    containers = []
    with service.edit() as repos:
        for rid in sorted(wanted):
            recording = repos.recordings.get(rid)
            containers.append(recording.container)
            repos.recordings.delete(rid)
            repos.audit.append(AuditEvent("delete", f"recording {rid} case {due_now[rid].case_code} (retention)"))
    remove_containers(service, containers)
    if wanted:
        service.emit(Change(ChangeKind.RECORDING, ChangeAction.DELETED, tuple(sorted(wanted))))
    return len(wanted)
