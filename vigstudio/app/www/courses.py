"""Interventions on a case (VIG, a WWW course, or both side by side) and the sessions of a WWW course
with their attendance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import UNCHANGED, ReadOnlySupervision, Unchanged, copy, reinsert
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import (
    WWW_PLANNED_SESSIONS,
    Attendance,
    AuditEvent,
    CancelledBy,
    CaseOrigin,
    Cycle,
    Intervention,
    InterventionKind,
    InterventionStatus,
    Session,
    SessionKind,
)
from vigstudio.domain.www import check_attendance, parse_roles

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

MAX_PLANNED = 52  # a weekly course of a year at most; the programme itself runs 8 to 18 sessions


@dataclass(frozen=True)
class CourseProgress:
    """Where an intervention stands: "WWW session 6 of 15", attendance counts, the next session."""

    intervention: Intervention
    sessions: tuple[Session, ...]

    @property
    def attended(self) -> int:
        return sum(1 for s in self.sessions if s.attendance == Attendance.ATTENDED)

    def cancelled(self, by: CancelledBy | None = None) -> int:
        return sum(1 for s in self.sessions if s.attendance == Attendance.CANCELLED
                   and (by is None or s.cancelled_by == by))

    @property
    def not_attended(self) -> int:
        return sum(1 for s in self.sessions if s.attendance == Attendance.DNA)

    def next_planned(self, today: dt.date | None = None) -> Session | None:
        today = today or dt.date.today()
        planned = [s for s in self.sessions if s.attendance == Attendance.PLANNED and s.date >= today]
        return min(planned, key=lambda s: (s.date, s.id or 0)) if planned else None

    def number_of(self, session_id: int) -> int | None:
        """The session's number in the course (attended sessions counted in date order)."""
        n = 0
        for s in self.sessions:
            if s.attendance == Attendance.ATTENDED:
                n += 1
                if s.id == session_id:
                    return n
        return None

    def headline(self) -> str:
        i = self.intervention
        kind = i.kind.value.upper()
        planned = f" of {i.planned_sessions}" if i.planned_sessions else ""
        return f"{kind} session {self.attended}{planned}"

    def attendance_line(self, today: dt.date | None = None) -> str:
        parts = [f"{self.attended} attended",
                 f"{self.cancelled(CancelledBy.FAMILY)} cancelled by the family",
                 f"{self.cancelled(CancelledBy.SERVICE)} cancelled by the service",
                 f"{self.not_attended} not attended"]
        upcoming = self.next_planned(today)
        parts.append(f"next planned {upcoming.date:%d %b %Y}" if upcoming else "no session planned")
        return ", ".join(parts)


@dataclass(frozen=True)
class SessionSnapshot:
    session: Session


@dataclass(frozen=True)
class InterventionSnapshot:
    intervention: Intervention


def parse_kind(kind: InterventionKind | str) -> InterventionKind:
    try:
        return InterventionKind(str(kind).strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown intervention kind {kind!r} (vig or www)") from None


def check_planned(planned: int | None) -> int | None:
    if planned is None:
        return None
    if isinstance(planned, bool) or not isinstance(planned, int) or not 1 <= planned <= MAX_PLANNED:
        raise InvalidInput(f"planned sessions must be a whole number from 1 to {MAX_PLANNED}")
    return planned


def check_dates(started_on: dt.date | None, ended_on: dt.date | None) -> None:
    if started_on and ended_on and ended_on < started_on:
        raise InvalidInput(f"an intervention cannot end ({ended_on}) before it starts ({started_on})")


def _refuse_supervision(repos: Repos, case_id: int, what: str, key: object) -> None:
    if repos.cases.get(case_id).origin == CaseOrigin.SUPERVISION:
        raise ReadOnlySupervision(what, key, "sessions and interventions")


def _emit(service: LibraryService, kind: ChangeKind, action: ChangeAction, ids: tuple[int | None, ...],
          case_id: int, session_id: int | None = None) -> None:
    service.emit(Change(kind, action, tuple(i for i in ids if i is not None), case_id, session_id))


# -- interventions --------------------------------------------------------------------------------


def add_intervention(service: LibraryService, case_code: str, kind: InterventionKind | str = InterventionKind.WWW,
                     *, planned: int | None = None, started_on: dt.date | None = None) -> Intervention:
    """A new intervention on the case; a WWW course plans 15 sessions unless told otherwise."""
    kind = parse_kind(kind)
    planned = check_planned(planned)
    if planned is None and kind == InterventionKind.WWW:
        planned = WWW_PLANNED_SESSIONS
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        _refuse_supervision(repos, case.saved_id, "case", case.code)
        intervention = repos.interventions.add(Intervention(case.saved_id, kind, planned_sessions=planned,
                                                            started_on=started_on))
        repos.audit.append(AuditEvent("intervention_add", f"intervention {intervention.id} case {case.code}"))
    _emit(service, ChangeKind.INTERVENTION, ChangeAction.ADDED, (intervention.id,), case.saved_id)
    return intervention


def get_intervention(service: LibraryService, intervention_id: int) -> Intervention:
    with service.read() as repos:
        return repos.interventions.get(intervention_id)


def interventions_of_case(service: LibraryService, case_code: str) -> list[Intervention]:
    with service.read() as repos:
        return repos.interventions.of_case(repos.cases.by_code(case_code.strip()).saved_id)


def update_intervention(service: LibraryService, intervention_id: int, *,
                        status: InterventionStatus | str | None = None,
                        started_on: dt.date | None | Unchanged = UNCHANGED,
                        ended_on: dt.date | None | Unchanged = UNCHANGED,
                        planned: int | None | Unchanged = UNCHANGED) -> tuple[Intervention, Intervention]:
    """Change what is given (`UNCHANGED` leaves a field as it is); returns (before, after) for undo."""
    with service.edit() as repos:
        current = repos.interventions.get(intervention_id)
        _refuse_supervision(repos, current.case_id, "intervention", intervention_id)
        before = copy(current)
        if status is not None:
            try:
                current.status = InterventionStatus(str(status))
            except ValueError:
                raise InvalidInput(f"unknown status {status!r} (active, completed, ended_early)") from None
        if not isinstance(started_on, Unchanged):
            current.started_on = started_on
        if not isinstance(ended_on, Unchanged):
            current.ended_on = ended_on
        if not isinstance(planned, Unchanged):
            current.planned_sessions = check_planned(planned)
        check_dates(current.started_on, current.ended_on)
        repos.interventions.update(current)
    _emit(service, ChangeKind.INTERVENTION, ChangeAction.UPDATED, (intervention_id,), current.case_id)
    return before, current


def restore_intervention_fields(service: LibraryService, before: Intervention) -> Intervention:
    """Undo of `update_intervention`."""
    update_intervention(service, before.saved_id, status=before.status, started_on=before.started_on,
                        ended_on=before.ended_on, planned=before.planned_sessions)
    return before


def delete_intervention(service: LibraryService, intervention_id: int) -> InterventionSnapshot:
    """Delete an intervention that has no sessions (sessions hold recordings: delete those first)."""
    with service.edit() as repos:
        intervention = repos.interventions.get(intervention_id)
        _refuse_supervision(repos, intervention.case_id, "intervention", intervention_id)
        if repos.sessions.of_intervention(intervention_id) or repos.cycles.of_intervention(intervention_id):
            raise InvalidInput(f"intervention {intervention_id} still has sessions or cycles; "
                               "delete those first")
        repos.interventions.delete(intervention_id)
        repos.audit.append(AuditEvent("intervention_delete", f"intervention {intervention_id}"))
    _emit(service, ChangeKind.INTERVENTION, ChangeAction.DELETED, (intervention_id,), intervention.case_id)
    return InterventionSnapshot(copy(intervention))


def restore_intervention(service: LibraryService, snapshot: InterventionSnapshot) -> Intervention:
    intervention = copy(snapshot.intervention)
    with service.edit() as repos:
        repos.cases.get(intervention.case_id)
        reinsert(repos, repos.interventions, intervention)
    _emit(service, ChangeKind.INTERVENTION, ChangeAction.ADDED, (intervention.id,), intervention.case_id)
    return intervention


def intervention_progress(service: LibraryService, intervention_id: int) -> CourseProgress:
    with service.read() as repos:
        intervention = repos.interventions.get(intervention_id)
        return CourseProgress(intervention, tuple(repos.sessions.of_intervention(intervention_id)))


def case_progress(service: LibraryService, case_id: int) -> list[CourseProgress]:
    """Every intervention of the case with its sessions, in the order they were added."""
    with service.read() as repos:
        return [CourseProgress(i, tuple(repos.sessions.of_intervention(i.saved_id)))
                for i in repos.interventions.of_case(case_id)]


# -- sessions of a course -------------------------------------------------------------------------


def add_session(service: LibraryService, intervention_id: int, date: dt.date, *,
                kind: SessionKind | str | None = None, attendance: Attendance | str | None = None,
                cancelled_by: CancelledBy | str | None = None,
                reason: str = "", attendees: tuple[str, ...] | list[str] = (), notes: str = "",
                case_code: str | None = None) -> Session:
    """A session of the intervention (kind www for a WWW course, filming by default for VIG, whose
    sessions join its latest cycle). Without `attendance`: planned when the date is still ahead,
    attended otherwise."""
    with service.read() as repos:
        if kind is None:
            www = repos.interventions.get(intervention_id).kind == InterventionKind.WWW
            kind = SessionKind.WWW if www else SessionKind.FILMING
    session = _session_values(Session(intervention_id=intervention_id, date=date, notes=notes),
                              kind=kind, attendance=attendance, cancelled_by=cancelled_by,
                              reason=reason, attendees=attendees)
    with service.edit() as repos:
        intervention = repos.interventions.get(intervention_id)
        case = repos.cases.get(intervention.case_id)
        if case_code is not None and case.code != case_code.strip():
            raise InvalidInput(f"intervention {intervention_id} does not belong to case {case_code}")
        _refuse_supervision(repos, case.saved_id, "case", case.code)
        if intervention.kind == InterventionKind.VIG:
            # A VIG session joins the intervention's latest cycle (cycle 1 made if needed).
            if session.kind == SessionKind.WWW:
                raise InvalidInput(f"intervention {intervention_id} is VIG: a WWW session needs a WWW course")
            cycles = repos.cycles.of_intervention(intervention_id)
            cycle = cycles[-1] if cycles else repos.cycles.add(Cycle(intervention_id=intervention_id, number=1))
            session.cycle_id = cycle.id
        elif session.kind != SessionKind.WWW:
            raise InvalidInput(f"intervention {intervention_id} is a WWW course: its sessions are of kind www")
        repos.sessions.add(session)
        repos.audit.append(AuditEvent("session_add", f"session {session.id} intervention {intervention_id}"))
    _emit(service, ChangeKind.SESSION, ChangeAction.ADDED, (session.id,), case.saved_id, session.id)
    return session


def _session_values(session: Session, *, kind: SessionKind | str | None = None,
                    attendance: Attendance | str | None = None, cancelled_by: CancelledBy | str | None = None,
                    reason: str | None = None, attendees: tuple[str, ...] | list[str] | None = None) -> Session:
    if kind is not None:
        try:
            session.kind = SessionKind(str(kind))
        except ValueError:
            raise InvalidInput(f"unknown session kind {kind!r}") from None
    if attendance is None and session.id is None:
        attendance = Attendance.PLANNED if session.date > dt.date.today() else Attendance.ATTENDED
    if attendance is not None:
        try:
            session.attendance = Attendance(str(attendance))
        except ValueError:
            raise InvalidInput(f"unknown attendance {attendance!r} (planned, attended, cancelled, dna)") from None
        if session.attendance != Attendance.CANCELLED:
            session.cancelled_by = None
        if session.attendance != Attendance.ATTENDED:
            session.attendees = ()
        if session.attendance not in (Attendance.CANCELLED, Attendance.DNA):
            session.attendance_reason = ""
    if cancelled_by is not None:
        try:
            session.cancelled_by = CancelledBy(str(cancelled_by))
        except ValueError:
            raise InvalidInput(f"cancelled by {cancelled_by!r}? (family or service)") from None
    elif session.attendance == Attendance.CANCELLED and session.cancelled_by is None:
        session.cancelled_by = CancelledBy.FAMILY
    if reason is not None:
        session.attendance_reason = reason.strip()
    if attendees is not None:
        session.attendees = parse_roles(list(attendees))
    check_attendance(session)
    return session


def update_session(service: LibraryService, session_id: int, *, date: dt.date | None = None,
                   attendance: Attendance | str | None = None, cancelled_by: CancelledBy | str | None = None,
                   reason: str | None = None, attendees: tuple[str, ...] | list[str] | None = None,
                   notes: str | None = None) -> tuple[Session, Session]:
    """Change what is given; returns (before, after), and `restore_session_fields(before)` undoes it."""
    with service.edit() as repos:
        session = repos.sessions.get(session_id)
        case = repos.sessions.case_of(session_id)
        _refuse_supervision(repos, case.saved_id, "session", session_id)
        before = dataclasses.replace(session)
        if date is not None:
            session.date = date
        if notes is not None:
            session.notes = notes
        _session_values(session, attendance=attendance, cancelled_by=cancelled_by, reason=reason,
                        attendees=attendees)
        repos.sessions.update(session)
    _emit(service, ChangeKind.SESSION, ChangeAction.UPDATED, (session_id,), case.saved_id, session_id)
    return before, session


def restore_session_fields(service: LibraryService, before: Session) -> Session:
    with service.edit() as repos:
        case = repos.sessions.case_of(before.saved_id)
        check_attendance(before)
        repos.sessions.update(dataclasses.replace(before))
    _emit(service, ChangeKind.SESSION, ChangeAction.UPDATED, (before.id,), case.saved_id, before.id)
    return before


def delete_session(service: LibraryService, session_id: int) -> SessionSnapshot:
    """Delete a session that holds nothing yet (no recording, note, reflection or comment)."""
    with service.edit() as repos:
        session = repos.sessions.get(session_id)
        case = repos.sessions.case_of(session_id)
        _refuse_supervision(repos, case.saved_id, "session", session_id)
        if (repos.recordings.of_session(session_id) or repos.wonder_notes.of_session(session_id)
                or repos.reflections.of_session(session_id) or repos.comments.of_session(session_id)):
            raise InvalidInput(f"session {session_id} still holds recordings or notes; delete those first")
        repos.sessions.delete(session_id)
        repos.audit.append(AuditEvent("session_delete", f"session {session_id} case {case.code}"))
    _emit(service, ChangeKind.SESSION, ChangeAction.DELETED, (session_id,), case.saved_id, session_id)
    return SessionSnapshot(copy(session))


def restore_session(service: LibraryService, snapshot: SessionSnapshot) -> Session:
    session = copy(snapshot.session)
    with service.edit() as repos:
        repos.interventions.get(session.saved_intervention_id)  # NotFound if the course went meanwhile
        reinsert(repos, repos.sessions, session)
        case = repos.sessions.case_of(session.saved_id)
    _emit(service, ChangeKind.SESSION, ChangeAction.ADDED, (session.id,), case.saved_id, session.id)
    return session


