"""Consent per case and scope (storage, supervision, training, keepsake), and what it allows.

One rule for every way a family's pictures or words leave the library, so the GUI and the CLI agree:
`NEEDED` says which scope each `Use` needs, and `require_for(service, case, use)` is the gate every
exporting use case calls before it writes anything:

| use                                                  | needs         |
|------------------------------------------------------|---------------|
| a plain clip, still or whole-review export           | `keepsake`    |
| the family's keepsake (PDF and its clips)            | `keepsake`    |
| the closing letter to the parent                     | `keepsake`    |
| a training export (faces blurred)                    | `training`    |
| a supervision bundle (and feedback on it)            | `supervision` |
| an anonymous report (no pictures, no case code)      | nothing, but it is audited |

"storage" is the consent to keep the recordings in the library at all; no export needs it alone.
Withdrawing a scope is recorded (never deleted) and refuses that use from then on
(`ConsentWithdrawn`, saying since when); the case's media can then be deleted with
`delete_case_media` (audited).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import ConsentMissing, InvalidInput, VigError
from vigstudio.domain.model import AuditEvent, Consent, ConsentScope

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

log = logging.getLogger(__name__)


class Use(StrEnum):
    """What a family's pictures or words are taken out of the library for."""

    PLAIN_EXPORT = "plain export"  # a clip, still or whole review as a plain MP4/PNG
    KEEPSAKE = "keepsake"  # the family's keepsake PDF and the clips beside it
    CLOSING_LETTER = "closing letter"
    TRAINING_EXPORT = "training export"  # faces always blurred
    SUPERVISION_BUNDLE = "supervision bundle"
    ANONYMOUS_REPORT = "anonymous report"


NEEDED: dict[Use, ConsentScope | None] = {
    Use.PLAIN_EXPORT: ConsentScope.KEEPSAKE,
    Use.KEEPSAKE: ConsentScope.KEEPSAKE,
    Use.CLOSING_LETTER: ConsentScope.KEEPSAKE,
    Use.TRAINING_EXPORT: ConsentScope.TRAINING,
    Use.SUPERVISION_BUNDLE: ConsentScope.SUPERVISION,
    Use.ANONYMOUS_REPORT: None,  # nothing that identifies the family leaves; audited all the same
}

SCOPE_MEANINGS = {  # what each scope lets the service do, in the words the consent form uses
    ConsentScope.STORAGE: "keep the recordings in this encrypted library",
    ConsentScope.SUPERVISION: "share clips with a supervisor in an encrypted bundle",
    ConsentScope.TRAINING: "show clips, faces blurred, for training",
    ConsentScope.KEEPSAKE: "give the family copies to keep (clips, stills, keepsake, letter)",
}


class ConsentWithdrawn(ConsentMissing):
    """The scope was given once and then withdrawn: said so, with the date, rather than "missing"."""

    def __init__(self, case_code: str, scope: str, on: dt.date):
        VigError.__init__(self, f"case {case_code} has no '{scope}' consent: it was withdrawn on {on.isoformat()}")
        # (the "has no ... consent" start matches ConsentMissing's, which scripts and tests look for)


@dataclass(frozen=True)
class ConsentCheck:
    """Whether a use is allowed now for a case, and why (for a dialog to show before it starts)."""

    use: Use
    scope: ConsentScope | None  # the scope it needs (None: none)
    allowed: bool
    withdrawn_on: dt.date | None = None  # when it was refused because the scope was withdrawn


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
        active = {c.scope for c in repos.consents.of_case(case.saved_id) if c.active}
        for scope in parsed:
            if scope in active:
                continue
            consent = repos.consents.add(Consent(case_id=case.saved_id, scope=scope, recorded_by=by,
                                                 date=date or dt.date.today()))
            repos.audit.append(AuditEvent("consent_add", f"case {case.code} scope {scope.value}"))
            added.append(consent)
    service.emit(Change(ChangeKind.CONSENT, ChangeAction.ADDED, tuple(c.saved_id for c in added), case.saved_id))
    return added


def withdraw(service: LibraryService, case_code: str, scope: str | ConsentScope,
             on: dt.date | None = None) -> Consent:
    scope = parse_scope(scope)
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        active = [c for c in repos.consents.of_case(case.saved_id) if c.active and c.scope == scope]
        if not active:
            raise ConsentMissing(case.code, scope.value)
        for consent in active:
            consent.withdrawn_on = on or dt.date.today()
            repos.consents.update(consent)
        repos.audit.append(AuditEvent("consent_withdraw", f"case {case.code} scope {scope.value}"))
    service.emit(Change(ChangeKind.CONSENT, ChangeAction.UPDATED, tuple(c.saved_id for c in active), case.saved_id))
    return active[0]


def consents(service: LibraryService, case_code: str) -> list[Consent]:
    """Every consent record of the case (active and withdrawn), oldest first."""
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        return repos.consents.of_case(case.saved_id)


def active_scopes(service: LibraryService, case_code: str) -> set[ConsentScope]:
    return {c.scope for c in consents(service, case_code) if c.active}


def require(service: LibraryService, case_code: str, scope: str | ConsentScope) -> None:
    """Raise `ConsentMissing` (naming the scope; `ConsentWithdrawn` when it was withdrawn) unless the
    case has that consent, active."""
    scope = parse_scope(scope)
    active, withdrawn_on = _state(service, case_code, scope)
    if active:
        return
    if withdrawn_on is not None:
        raise ConsentWithdrawn(case_code.strip(), scope.value, withdrawn_on)
    raise ConsentMissing(case_code.strip(), scope.value)


def check_use(service: LibraryService, case_code: str, use: Use) -> ConsentCheck:
    """Whether `use` is allowed for the case now (no exception: for a dialog to grey out its button)."""
    scope = NEEDED[use]
    if scope is None:
        return ConsentCheck(use, None, True)
    active, withdrawn_on = _state(service, case_code, scope)
    return ConsentCheck(use, scope, active, None if active else withdrawn_on)


def require_for(service: LibraryService, case_code: str, use: Use) -> ConsentScope | None:
    """The gate: raise `ConsentMissing`/`ConsentWithdrawn` unless the case's consent allows `use`;
    returns the scope that allowed it (None for a use that needs none)."""
    scope = NEEDED[use]
    if scope is not None:
        require(service, case_code, scope)
    return scope


def _state(service: LibraryService, case_code: str, scope: ConsentScope) -> tuple[bool, dt.date | None]:
    """(active now, the latest withdrawal date of that scope if any)."""
    records = [c for c in consents(service, case_code) if c.scope == scope]
    withdrawn = [c.withdrawn_on for c in records if c.withdrawn_on is not None]
    return any(c.active for c in records), max(withdrawn, default=None)


def was_withdrawn(service: LibraryService, case_code: str, scope: str | ConsentScope) -> bool:
    scope = parse_scope(scope)
    records = [c for c in consents(service, case_code) if c.scope == scope]
    return bool(records) and not any(c.active for c in records)


def delete_case_media(service: LibraryService, case_code: str) -> int:
    """Delete every recording of the case (clips, stills and assets go with them), then their
    encrypted containers; one audit event per recording. Returns how many were deleted."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        doomed = [r for s in repos.sessions.of_case(case.saved_id) for r in repos.recordings.of_session(s.saved_id)]
        for recording in doomed:
            repos.recordings.delete(recording.saved_id)
            repos.audit.append(AuditEvent("delete", f"recording {recording.id} case {case.code} (consent)"))
    remove_containers(service, [r.container for r in doomed])
    if doomed:
        service.emit(Change(ChangeKind.RECORDING, ChangeAction.DELETED, tuple(r.saved_id for r in doomed), case.saved_id))
    return len(doomed)


def remove_containers(service: LibraryService, names: Iterable[str]) -> None:
    """Remove container files whose rows (and keys) are already gone; a file left behind is unreadable
    without its key and is removed on the next open."""
    for name in names:
        try:
            service.library.containers.delete(name)
        except OSError:
            log.warning("a deleted recording's container was left for the next open")
