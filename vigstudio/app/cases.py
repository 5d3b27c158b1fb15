"""Cases and their sessions: add, find and list them (the use cases the GUI and the CLI share).

Module functions taking the open `LibraryService` first, as every use case in `app`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.library import normalise_case_code, parse_referral
from vigstudio.app.sessions import new_session
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Case, ReferralSource, Session, SessionKind

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService


def add_case(service: LibraryService, code: str, name: str | None = None,
             referral: ReferralSource | str = ReferralSource.OTHER, *, is_demo: bool = False) -> Case:
    code = normalise_case_code(code)
    referral = parse_referral(referral)
    name = (name or "").strip() or None
    with service.edit() as repos:
        taken = {c.code.casefold(): c.code for c in repos.cases.list()}
        if code.casefold() in taken:
            existing = taken[code.casefold()]
            raise InvalidInput(f"case {existing} already exists" if existing == code else
                               f"case {existing} already exists (codes ignore upper/lower case)")
        case = repos.cases.add(Case(code=code, name=name, referral=referral, is_demo=is_demo))
        repos.audit.append(AuditEvent("case_add", f"case {case.id} {case.code}"))
    service.emit(Change(ChangeKind.CASE, ChangeAction.ADDED, (case.saved_id,), case.saved_id))
    return case


def list_cases(service: LibraryService) -> list[Case]:
    """Every case, ordered by code (one query)."""
    with service.read() as repos:
        return repos.cases.list()


def find_case(service: LibraryService, code: str) -> Case:
    with service.read() as repos:
        return repos.cases.by_code(code.strip())


def find_session(service: LibraryService, session_id: int, case_code: str | None = None) -> Session:
    """The session, checked to belong to `case_code` when given."""
    with service.read() as repos:
        session = repos.sessions.get(session_id)
        if case_code is not None and repos.sessions.case_of(session_id).code != case_code.strip():
            raise InvalidInput(f"session {session_id} does not belong to case {case_code}")
        return session


def case_of_session(service: LibraryService, session_id: int) -> Case:
    """The case a session belongs to (`NotFound` for an unknown session)."""
    with service.read() as repos:
        return repos.sessions.case_of(session_id)


def add_session(service: LibraryService, case_code: str, kind: SessionKind = SessionKind.FILMING, *,
                notes: str = "", date: dt.date | None = None) -> Session:
    """A new session in the case's current cycle (a VIG intervention and cycle 1 made if needed)."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        session = new_session(repos, case, kind, notes=notes, date=date)
    service.emit(Change(ChangeKind.SESSION, ChangeAction.ADDED, (session.saved_id,), case.saved_id,
                        session.saved_id))
    return session


def update_session_notes(service: LibraryService, session_id: int, notes: str) -> Session:
    """The session's notes, as they are (`editing.set_session_notes` checks them first)."""
    with service.edit() as repos:
        session = repos.sessions.get(session_id)
        session.notes = notes
        repos.sessions.update(session)
        case = repos.sessions.case_of(session_id)
    service.emit(Change(ChangeKind.SESSION, ChangeAction.UPDATED, (session_id,), case.id, session_id))
    return session
