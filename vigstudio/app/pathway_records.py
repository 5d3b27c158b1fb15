"""Editing what a case's pathway records (referrals, steps, the closing summary), and putting a case's
whole pathway record back as it was, which is what undo does in the GUI.

`CaseRecord` is everything the pathway keeps about one case: its referrals, its dated steps, its
closing summary, its open/closed status and the retention dates (closed on, last reviewed). Every
pathway use case changes only these, so undo and redo are `restore(service, before, expect=after)`
and back: the very rows (same ids) come back, and a record changed meanwhile (another window, the
command line) is refused rather than overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vigstudio.app import retention
from vigstudio.app.pathway import REVIEWED_ON_SETTING, _emit, _set_status, catalogue, current_stage
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Case, CaseStatus
from vigstudio.domain.pathway import (
    ClosingSummary,
    Decision,
    EndReason,
    PathwayEvent,
    PerinatalStage,
    Referral,
    Stage,
)

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos


@dataclass(frozen=True)
class CaseRecord:
    case_id: int
    code: str
    status: CaseStatus
    referrals: tuple[Referral, ...]
    steps: tuple[PathwayEvent, ...]
    summary: ClosingSummary | None
    closed_on: str | None
    reviewed_on: str | None


def _record(repos: Repos, case: Case) -> CaseRecord:
    cid = case.saved_id
    return CaseRecord(cid, case.code, case.status, tuple(repos.referrals.of_case(cid)),
                      tuple(repos.pathway.of_case(cid)), repos.closing_summaries.of_case(cid),
                      repos.settings.get(retention.CLOSED_ON_SETTING.format(case_id=cid)),
                      repos.settings.get(REVIEWED_ON_SETTING.format(case_id=cid)))


def record(service: LibraryService, case_code: str) -> CaseRecord:
    with service.read() as repos:
        return _record(repos, repos.cases.by_code(case_code.strip()))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _reinsert(repos: Repos, repository: Any, obj: Referral | PathwayEvent | ClosingSummary) -> None:
    """Insert `obj` with its own id (`add` would give it a new one)."""
    values = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    repos.orm_session.add(repository.row(**values))
    repos.orm_session.flush()


def restore(service: LibraryService, target: CaseRecord, *, expect: CaseRecord) -> None:
    """Make the case's pathway record `target` again, provided it is still `expect` (else refused with
    nothing changed: someone else has changed it since)."""
    with service.edit() as repos:
        case = repos.cases.get(target.case_id)
        now = _record(repos, case)
        if now != expect:
            raise InvalidInput(f"case {case.code}'s referrals or pathway changed meanwhile; nothing was undone")
        for step in now.steps:  # steps first: they may point at a referral
            repos.pathway.delete(step.saved_id)
        if now.summary is not None:
            repos.closing_summaries.delete(now.summary.saved_id)
        for referral in now.referrals:
            repos.referrals.delete(referral.saved_id)
        for referral in target.referrals:
            _reinsert(repos, repos.referrals, referral)
        for step in target.steps:
            _reinsert(repos, repos.pathway, step)
        if target.summary is not None:
            _reinsert(repos, repos.closing_summaries, target.summary)
        case = repos.cases.get(target.case_id)
        case.status = target.status
        repos.cases.update(case)
        for key, value in ((retention.CLOSED_ON_SETTING, target.closed_on), (REVIEWED_ON_SETTING, target.reviewed_on)):
            if value is None:
                repos.settings.delete(key.format(case_id=case.saved_id))
            else:
                repos.settings.set(key.format(case_id=case.saved_id), value)
        repos.audit.append(AuditEvent("pathway_restore", f"case {case.code}"))
    _emit(service, target.case_id)


# -- referrals ----------------------------------------------------------------------------------------

REFERRAL_FIELDS = ("received", "source", "reasons", "reason_text", "referrer_role", "referrer_team", "contact",
                   "perinatal", "due_date", "birth_date", "urgency", "decision", "decision_date", "decision_reason")


def edit_referral(service: LibraryService, referral_id: int, **changes: Any) -> Referral:
    """Correct a referral (any of `REFERRAL_FIELDS`); checked as a new one is. The step it opened
    moves with its date of receipt."""
    unknown = set(changes) - set(REFERRAL_FIELDS)
    if unknown:
        raise InvalidInput(f"a referral has no {sorted(unknown)[0]}")
    cat = catalogue(service)
    with service.edit() as repos:
        referral = repos.referrals.get(referral_id)
        updated = dataclasses.replace(referral, **changes)
        _check_referral(updated, cat.urgencies)
        updated.source = cat.source(updated.source)
        updated.reasons = [cat.reason(r) for r in _as_list(updated.reasons)]
        for name in ("reason_text", "referrer_role", "referrer_team", "contact", "decision_reason"):
            setattr(updated, name, str(getattr(updated, name)).strip())
        repos.referrals.update(updated)
        steps = repos.pathway.of_case(referral.case_id)
        for i, step in enumerate(steps):
            if step.referral_id == referral_id and step.stage == Stage.REFERRED and step.date != updated.received:
                later = steps[i + 1].date if i + 1 < len(steps) else None
                if later is not None and updated.received > later:
                    raise InvalidInput(f"received after the case's next step ({later.isoformat()}): change that first")
                step.date = updated.received
                repos.pathway.update(step)
        repos.audit.append(AuditEvent("referral_edit", f"referral {referral_id}"))
    _emit(service, referral.case_id)
    return updated


def _as_list(reasons: Iterable[str] | str) -> list[str]:
    return [reasons] if isinstance(reasons, str) else list(reasons)


def _check_referral(r: Referral, urgencies: tuple[str, ...]) -> None:
    if r.received > dt.date.today():
        raise InvalidInput(f"a referral cannot be received in the future ({r.received.isoformat()})")
    if r.perinatal is not None:
        try:
            r.perinatal = PerinatalStage(str(_plain(r.perinatal)).strip().lower())
        except ValueError:
            raise InvalidInput("perinatal stage is antenatal or postnatal") from None
        if r.perinatal == PerinatalStage.ANTENATAL:
            r.birth_date = None
            if r.due_date is None:
                raise InvalidInput("an antenatal referral needs the expected date of delivery")
        else:
            r.due_date = None
            if r.birth_date is None:
                raise InvalidInput("a postnatal referral needs the infant's date of birth")
    else:
        r.due_date = r.birth_date = None
    if r.urgency not in urgencies:
        raise InvalidInput(f"urgency is one of {', '.join(urgencies)} (got {r.urgency!r})")
    if r.decision is not None:
        try:
            r.decision = Decision(str(_plain(r.decision)).strip().lower())
        except ValueError:
            raise InvalidInput("the decision is accepted, declined or signposted") from None
        r.decision_date = r.decision_date or dt.date.today()
        if r.decision_date < r.received:
            raise InvalidInput("a referral cannot be decided before it was received")
    else:
        r.decision_date, r.decision_reason = None, ""


# -- steps of the pathway -----------------------------------------------------------------------------


def edit_step(service: LibraryService, step_id: int, *, date: dt.date | None = None,
              reason: str | None = None) -> PathwayEvent:
    """Correct a step's date (kept between the steps before and after it) or its reason (an ended
    step's reason is one of `EndReason`)."""
    with service.edit() as repos:
        step = repos.pathway.get(step_id)
        steps = repos.pathway.of_case(step.case_id)
        at = next(i for i, s in enumerate(steps) if s.id == step_id)
        if date is not None:
            if at > 0 and date < steps[at - 1].date:
                raise InvalidInput(f"the step before it was on {steps[at - 1].date.isoformat()}")
            if at + 1 < len(steps) and date > steps[at + 1].date:
                raise InvalidInput(f"the step after it was on {steps[at + 1].date.isoformat()}")
            if date > dt.date.today():
                raise InvalidInput("a step of the pathway cannot be in the future")
            step.date = date
        if reason is not None:
            step.reason = reason.strip()
            if step.stage == Stage.ENDED:
                try:
                    step.reason = EndReason(step.reason.lower().replace("-", "_").replace(" ", "_")).value
                except ValueError:
                    raise InvalidInput("say why it ended: " + ", ".join(r.value.replace("_", " ")
                                                                         for r in EndReason)) from None
        repos.pathway.update(step)
        if at == len(steps) - 1:
            _set_status(repos, step.case_id, step.stage, step.date)
        repos.audit.append(AuditEvent("pathway_edit", f"step {step_id}"))
    _emit(service, step.case_id)
    return step


def delete_last_step(service: LibraryService, step_id: int) -> PathwayEvent:
    """Delete a step recorded by mistake: only the case's last one (the steps before it stay a path the
    pathway allows); the case's status follows the step now last."""
    with service.edit() as repos:
        step = repos.pathway.get(step_id)
        steps = repos.pathway.of_case(step.case_id)
        if steps[-1].id != step_id:
            raise InvalidInput(f"only the case's last step can be deleted (step {steps[-1].id}, "
                               f"{steps[-1].stage.value.replace('_', ' ')})")
        repos.pathway.delete(step_id)
        now = current_stage(steps[:-1])
        case = repos.cases.get(step.case_id)
        if now is None:  # off the pathway again: an open case, as before its first referral
            case.status = CaseStatus.OPEN
            repos.cases.update(case)
            repos.settings.delete(retention.CLOSED_ON_SETTING.format(case_id=case.saved_id))
        else:
            _set_status(repos, case.saved_id, now, steps[-2].date)
        repos.audit.append(AuditEvent("pathway_delete", f"step {step_id} case {case.code}"))
    _emit(service, step.case_id)
    return step


# -- the closing summary ------------------------------------------------------------------------------


def edit_summary(service: LibraryService, case_code: str, *, reason: str | None = None,
                 offered: str | None = None, note: str | None = None) -> ClosingSummary:
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        summary = repos.closing_summaries.of_case(case.saved_id)
        if summary is None:
            raise InvalidInput(f"case {case.code} has no closing summary (close it with one first)")
        if reason is not None:
            if not reason.strip():
                raise InvalidInput("say why the case closed")
            summary.reason = reason.strip()
        if offered is not None:
            summary.offered = offered.strip()
        if note is not None:
            summary.note = note.strip()
        repos.closing_summaries.update(summary)
        repos.audit.append(AuditEvent("closing_summary_edit", f"case {case.code}"))
    _emit(service, case.saved_id)
    return summary


def delete_summary(service: LibraryService, case_code: str) -> ClosingSummary:
    """Delete the written summary (the case stays closed; the review can then no longer keep only it)."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        summary = repos.closing_summaries.of_case(case.saved_id)
        if summary is None:
            raise InvalidInput(f"case {case.code} has no closing summary")
        repos.closing_summaries.delete(summary.saved_id)
        repos.audit.append(AuditEvent("closing_summary_delete", f"case {case.code}"))
    _emit(service, case.saved_id)
    return summary
