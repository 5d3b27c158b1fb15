"""Consent per case and scope (storage, supervision, training), and what it allows.

`require` is the gate every sharing use case calls first: bundles need "supervision", training
exports need "training". Withdrawing a scope is recorded (never deleted), and the case's media can then
be deleted with `delete_case_media` (audited).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import ConsentMissing, InvalidInput
from vigstudio.domain.model import AuditEvent, Consent, ConsentScope

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

log = logging.getLogger(__name__)


def parse_scope(scope: str | ConsentScope) -> ConsentScope:
    try:
        return ConsentScope(str(scope).strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in ConsentScope)
        raise InvalidInput(f"unknown consent scope {scope!r} (one of: {choices})") from None


def add(service: LibraryService, case_code: str, scopes: Iterable[str | ConsentScope], recorded_by: str,
        date: dt.date | None = None) -> list[Consent]:
    """Record consent for each scope (a scope already active is left as it is)."""
    parsed = sorted({parse_scope(s) for s in scopes})
    if not parsed:
        raise InvalidInput("give at least one consent scope")
    by = (recorded_by or "").strip()
    if not by:
        raise InvalidInput("say who recorded the consent")
    added = []
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        active = {c.scope for c in repos.consents.of_case(case.id) if c.active}
        for scope in parsed:
            if scope in active:
                continue
            consent = repos.consents.add(Consent(case_id=case.id, scope=scope, recorded_by=by,
                                                 date=date or dt.date.today()))
            repos.audit.append(AuditEvent("consent_add", f"case {case.code} scope {scope.value}"))
            added.append(consent)
    service.emit(Change(ChangeKind.CASE, ChangeAction.UPDATED, (case.id,), case.id))
    return added


def withdraw(service: LibraryService, case_code: str, scope: str | ConsentScope,
             on: dt.date | None = None) -> Consent:
    scope = parse_scope(scope)
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        active = [c for c in repos.consents.of_case(case.id) if c.active and c.scope == scope]
        if not active:
            raise ConsentMissing(case.code, scope.value)
        for consent in active:
            consent.withdrawn_on = on or dt.date.today()
            repos.consents.update(consent)
        repos.audit.append(AuditEvent("consent_withdraw", f"case {case.code} scope {scope.value}"))
    service.emit(Change(ChangeKind.CASE, ChangeAction.UPDATED, (case.id,), case.id))
    return active[0]


def consents(service: LibraryService, case_code: str) -> list[Consent]:
    """Every consent record of the case (active and withdrawn), oldest first."""
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        return repos.consents.of_case(case.id)


def active_scopes(service: LibraryService, case_code: str) -> set[ConsentScope]:
    return {c.scope for c in consents(service, case_code) if c.active}


def require(service: LibraryService, case_code: str, scope: str | ConsentScope) -> None:
    """Raise `ConsentMissing` (naming the scope) unless the case has that consent, active."""
    scope = parse_scope(scope)
    if scope not in active_scopes(service, case_code):
        raise ConsentMissing(case_code.strip(), scope.value)


def was_withdrawn(service: LibraryService, case_code: str, scope: str | ConsentScope) -> bool:
    scope = parse_scope(scope)
    records = [c for c in consents(service, case_code) if c.scope == scope]
    return bool(records) and not any(c.active for c in records)


def delete_case_media(service: LibraryService, case_code: str) -> int:
    """Delete every recording of the case (clips, stills and assets go with them), then their
    encrypted containers; one audit event per recording. Returns how many were deleted."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        doomed = [r for s in repos.sessions.of_case(case.id) for r in repos.recordings.of_session(s.id)]
        for recording in doomed:
            repos.recordings.delete(recording.id)
            repos.audit.append(AuditEvent("delete", f"recording {recording.id} case {case.code} (consent)"))
    remove_containers(service, [r.container for r in doomed])
    if doomed:
        service.emit(Change(ChangeKind.RECORDING, ChangeAction.DELETED, tuple(r.id for r in doomed), case.id))
    return len(doomed)


def remove_containers(service: LibraryService, names: Iterable[str]) -> None:
    """Remove container files whose rows (and keys) are already gone; a file left behind is unreadable
    without its key and is removed on the next open."""
    for name in names:
        try:
            service.library.containers.delete(name)
        except OSError:
            log.warning("a deleted recording's container was left for the next open")
