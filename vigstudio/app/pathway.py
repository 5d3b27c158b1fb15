"""Referrals, the case pathway and the caseload: use cases the GUI and the CLI share.

The pathway is a list of dated steps per case (`PathwayEvent`); its last step is the case's stage,
and the case's stored `status` (open/closed) follows it, so retention and `list` keep working. A
closed case reopens only with a new referral. `days_waiting` runs from a referral's receipt to the
first contact with the family (an assessment, the intervention starting or the first session),
to today while there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio.app import retention
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, CaseStatus, ConsentScope
from vigstudio.domain.pathway import (
    CONTACT_STAGES,
    ClosingSummary,
    Decision,
    EndReason,
    PathwayEvent,
    PerinatalStage,
    Referral,
    ReferralCatalogue,
    RetentionAction,
    Stage,
    check_transition,
    load_referral_catalogue,
    parse_stage,
)

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

REFERRALS_EXTENSION = "referrals.json"  # the library's own sources and reasons


def catalogue(service: LibraryService | None = None) -> ReferralCatalogue:
    return load_referral_catalogue(Path(service.path) / REFERRALS_EXTENSION if service is not None else None)


def current_stage(events: Iterable[PathwayEvent]) -> Stage | None:
    last = None
    for event in events:
        last = event.stage
    return last


def _emit(service: LibraryService, case_id: int) -> None:
    service.emit(Change(ChangeKind.PATHWAY, ChangeAction.UPDATED, (case_id,), case_id))


def _set_status(repos: Repos, case_id: int, stage: Stage, on: dt.date) -> None:
    """Keep the stored open/closed status (and retention's closing date) in step with the pathway."""
    case = repos.cases.get(case_id)
    closed = stage == Stage.CLOSED
    case.status = CaseStatus.CLOSED if closed else CaseStatus.OPEN
    repos.cases.update(case)
    key = retention.CLOSED_ON_SETTING.format(case_id=case_id)
    if closed:
        repos.settings.set(key, on.isoformat())
    else:
        repos.settings.delete(key)


def add_referral(service: LibraryService, case_code: str, received: dt.date, source: str, *,
                 reasons: Iterable[str] = (), reason_text: str = "", referrer_role: str = "",
                 referrer_team: str = "", contact: str = "", perinatal: str | None = None,
                 due_date: dt.date | None = None, birth_date: dt.date | None = None,
                 urgency: str = "routine") -> Referral:
    """Record a referral; a case not yet on the pathway, or closed, (re)enters it as referred."""
    cat = catalogue(service)
    if received > dt.date.today():
        raise InvalidInput(f"a referral cannot be received in the future ({received.isoformat()})")
    stage = None
    if perinatal is not None:
        try:
            stage = PerinatalStage(perinatal.strip().lower())
        except ValueError:
            raise InvalidInput("perinatal stage is antenatal or postnatal") from None
        if stage == PerinatalStage.ANTENATAL and due_date is None:
            raise InvalidInput("an antenatal referral needs the expected date of delivery")
        if stage == PerinatalStage.POSTNATAL and birth_date is None:
            raise InvalidInput("a postnatal referral needs the infant's date of birth")
    if urgency not in cat.urgencies:
        raise InvalidInput(f"urgency is one of {', '.join(cat.urgencies)} (got {urgency!r})")
    referral = Referral(case_id=0, received=received, source=cat.source(source),
                        reasons=[cat.reason(r) for r in reasons], reason_text=reason_text.strip(),
                        referrer_role=referrer_role.strip(), referrer_team=referrer_team.strip(),
                        contact=contact.strip(), perinatal=stage, due_date=due_date, birth_date=birth_date,
                        urgency=urgency)
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        referral.case_id = case.saved_id
        repos.referrals.add(referral)
        now = current_stage(repos.pathway.of_case(case.saved_id))
        if now is None or now == Stage.CLOSED:
            repos.pathway.add(PathwayEvent(case.saved_id, Stage.REFERRED, received, referral_id=referral.id))
            _set_status(repos, case.saved_id, Stage.REFERRED, received)
        repos.audit.append(AuditEvent("referral_add", f"referral {referral.id} case {case.code}"))
    _emit(service, case.saved_id)
    return referral


def decide(service: LibraryService, referral_id: int, decision: str, *, reason: str = "",
           on: dt.date | None = None) -> Referral:
    try:
        parsed = Decision(decision.strip().lower())
    except ValueError:
        raise InvalidInput("the decision is accepted, declined or signposted") from None
    with service.edit() as repos:
        referral = repos.referrals.get(referral_id)
        referral.decision, referral.decision_date = parsed, on or dt.date.today()
        referral.decision_reason = reason.strip()
        if referral.decision_date < referral.received:
            raise InvalidInput("a referral cannot be decided before it was received")
        repos.referrals.update(referral)
        repos.audit.append(AuditEvent("referral_decide", f"referral {referral_id} {parsed.value}"))
    _emit(service, referral.case_id)
    return referral


def set_stage(service: LibraryService, case_code: str, target: str | Stage, *, on: dt.date | None = None,
              reason: str = "") -> PathwayEvent:
    """Move the case along its pathway (refused with one line when the pathway does not allow it)."""
    stage = target if isinstance(target, Stage) else parse_stage(target)
    reason = reason.strip()
    if stage == Stage.ENDED:
        try:
            reason = EndReason(reason.lower().replace("-", "_").replace(" ", "_")).value
        except ValueError:
            raise InvalidInput("say why it ended: " + ", ".join(r.value.replace("_", " ") for r in EndReason)) \
                from None
    day = on or dt.date.today()
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        events = repos.pathway.of_case(case.saved_id)
        check_transition(current_stage(events), stage)
        if events and day < events[-1].date:
            raise InvalidInput(f"the case's last step was on {events[-1].date.isoformat()}; this one cannot "
                               "be earlier")
        event = repos.pathway.add(PathwayEvent(case.saved_id, stage, day, reason))
        _set_status(repos, case.saved_id, stage, day)
        repos.audit.append(AuditEvent("pathway", f"case {case.code} {stage.value}"))
    _emit(service, case.saved_id)
    return event


def referrals(service: LibraryService, case_code: str) -> list[Referral]:
    with service.read() as repos:
        return repos.referrals.of_case(repos.cases.by_code(case_code.strip()).saved_id)


def pathway(service: LibraryService, case_code: str) -> list[PathwayEvent]:
    with service.read() as repos:
        return repos.pathway.of_case(repos.cases.by_code(case_code.strip()).saved_id)


def delete_referral(service: LibraryService, referral_id: int) -> Referral:
    with service.edit() as repos:
        referral = repos.referrals.get(referral_id)
        repos.referrals.delete(referral_id)
        repos.audit.append(AuditEvent("referral_delete", f"referral {referral_id}"))
    _emit(service, referral.case_id)
    return referral


def days_waiting(referral: Referral, events: list[PathwayEvent], session_dates: list[dt.date],
                 today: dt.date) -> int:
    """Days from the referral's receipt to the first contact after it (to `today` while none)."""
    contacts = [e.date for e in events if e.stage in CONTACT_STAGES and e.date >= referral.received]
    contacts += [d for d in session_dates if d >= referral.received]
    first = min(contacts, default=today)
    return (first - referral.received).days


# -- the caseload -------------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    code: str
    status: str
    stage: str | None
    interventions: list[str]
    next_session: dt.date | None
    days_waiting: int | None
    referrals: list[Referral]
    outstanding: list[str] = field(default_factory=list)
    case_id: int = 0


OUTSTANDING = ("consent_missing", "measure_due", "risk_flag_open", "retention_review_due")


def caseload(service: LibraryService, *, today: dt.date | None = None, include_closed: bool = False
             ) -> list[CaseloadRow]:
    """Every local, non-demo case (open ones only by default) with what needs doing, in a few bulk reads."""
    today = today or dt.date.today()
    weeks = retention.weeks(service)
    prefix = retention.CLOSED_ON_SETTING.format(case_id="")
    reviewed = REVIEWED_ON_SETTING.format(case_id="")
    with service.read() as repos:
        cases = [c for c in repos.reports.cases() if not c.is_demo and c.origin.value == "local"]
        referrals_of: dict[int, list[Referral]] = {}
        for referral in repos.reports.referrals():
            referrals_of.setdefault(referral.case_id, []).append(referral)
        events_of = repos.caseload.pathway_steps()
        consented = {c.case_id for c in repos.consents.list() if c.scope == ConsentScope.STORAGE and c.active}
        points_of = repos.caseload.completion_points()
        flagged = {f.case_id for f in repos.risk_flags.open()}
        kinds_of: dict[int, list[str]] = {}
        for i in repos.reports.interventions():
            kinds_of.setdefault(i.case_id, []).append(i.kind.value)
        dates_of = repos.caseload.session_dates()
        closed_on = repos.caseload.settings_with_prefix(prefix)
        reviewed_on = repos.caseload.settings_with_prefix(reviewed)
    rows = []
    for case in cases:
        if case.status == CaseStatus.CLOSED and not include_closed:
            continue
        case_id = case.saved_id
        events, refs = events_of.get(case_id, []), referrals_of.get(case_id, [])
        stage = current_stage(events)
        dates = dates_of.get(case_id, [])
        waiting = days_waiting(refs[-1], events, dates, today) if refs else None
        outstanding = []
        if case_id not in consented:
            outstanding.append("consent_missing")
        whens = points_of.get(case_id, set())
        if (stage == Stage.IN_INTERVENTION and "pre" not in whens) or (stage == Stage.ENDED and "post" not in whens):
            outstanding.append("measure_due")
        if case_id in flagged:
            outstanding.append("risk_flag_open")
        closed = reviewed_on.get(f"{reviewed}{case_id}") or closed_on.get(f"{prefix}{case_id}")
        if closed and dt.date.fromisoformat(closed) + dt.timedelta(weeks=weeks) <= today:
            outstanding.append("retention_review_due")
        rows.append(CaseloadRow(
            code=case.code, status=case.status.value, stage=stage.value if stage else None,
            interventions=kinds_of.get(case_id, []),
            next_session=next((d for d in dates if d >= today), None), days_waiting=waiting,
            referrals=refs, outstanding=outstanding, case_id=case_id))
    return rows


def caseload_json(rows: list[CaseloadRow]) -> dict[str, Any]:
    return {"cases": [{
        "code": r.code, "status": r.status, "pathway": r.stage, "interventions": r.interventions,
        "next_session": r.next_session.isoformat() if r.next_session else None,
        "days_waiting": r.days_waiting,
        "referrals": [{"id": x.id, "received": x.received.isoformat(), "source": x.source,
                       "decision": x.decision.value if x.decision else None, "weeks": x.weeks(),
                       "perinatal": x.perinatal.value if x.perinatal else None} for x in r.referrals],
        "outstanding": r.outstanding} for r in rows]}


# -- closing and the retention review ------------------------------------------------------------------


def close_with_summary(service: LibraryService, case_code: str, *, reason: str, offered: str = "",
                       note: str = "", on: dt.date | None = None) -> ClosingSummary:
    """Close the case (its pathway's last step) and keep the written summary, with each measure's last
    total when the case has questionnaires; the retention clock starts from `on`."""
    from vigstudio.app import outcomes

    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the case closes (e.g. completed, disengaged, moved away)")
    day = on or dt.date.today()
    scored = outcomes.completions(service, case_code)
    last = {s.measure.id: s.score.total for s in scored if s.score.total is not None}
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        steps = repos.pathway.of_case(case.saved_id)
        current = current_stage(steps)
        if current is not None:
            check_transition(current, Stage.CLOSED)
            repos.pathway.add(PathwayEvent(case.saved_id, Stage.CLOSED, day, reason))
        _set_status(repos, case.saved_id, Stage.CLOSED, day)
        old = repos.closing_summaries.of_case(case.saved_id)
        if old is not None:
            repos.closing_summaries.delete(old.saved_id)
        summary = repos.closing_summaries.add(ClosingSummary(
            case.saved_id, day, reason, offered.strip(), note.strip(), {k: float(v) for k, v in last.items()}))
        repos.audit.append(AuditEvent("case_close", f"case {case.code} with summary"))
    _emit(service, case.saved_id)
    return summary


def closing_summary(service: LibraryService, case_code: str) -> ClosingSummary | None:
    with service.read() as repos:
        return repos.closing_summaries.of_case(repos.cases.by_code(case_code.strip()).saved_id)


REVIEWED_ON_SETTING = "retention_reviewed_on:{case_id}"


def review_retention(service: LibraryService, case_code: str, action: str | RetentionAction,
                     today: dt.date | None = None) -> int:
    """The retention review of a closed case: keep everything for another period, keep the written
    summary and delete the recordings, or delete the case entirely. Audited; returns how many
    recordings were deleted."""
    from vigstudio.app.consent import delete_case_media, remove_containers

    try:
        chosen = RetentionAction(action) if isinstance(action, str) else action
    except ValueError:
        raise InvalidInput("the retention action is keep, summary or delete-all") from None
    day = today or dt.date.today()
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        has_summary = repos.closing_summaries.of_case(case.saved_id) is not None
    if case.status != CaseStatus.CLOSED:
        raise InvalidInput(f"case {case.code} is open: retention is reviewed once a case has closed")
    if chosen == RetentionAction.KEEP:
        with service.edit() as repos:
            repos.settings.set(REVIEWED_ON_SETTING.format(case_id=case.saved_id), day.isoformat())
            repos.audit.append(AuditEvent("retention_review", f"case {case.code} keep"))
        _emit(service, case.saved_id)
        return 0
    if chosen == RetentionAction.SUMMARY:
        if not has_summary:
            raise InvalidInput(f"case {case.code} has no written summary: close it with one first")
        deleted = delete_case_media(service, case.code)
        with service.edit() as repos:
            repos.settings.set(REVIEWED_ON_SETTING.format(case_id=case.saved_id), day.isoformat())
            repos.audit.append(AuditEvent("retention_review", f"case {case.code} summary kept, "
                                                              f"{deleted} recordings deleted"))
        _emit(service, case.saved_id)
        return deleted
    with service.edit() as repos:
        containers = [r.container for s in repos.sessions.of_case(case.saved_id)
                      for r in repos.recordings.of_session(s.saved_id)]
        repos.cases.delete(case.saved_id)
        repos.settings.delete(retention.CLOSED_ON_SETTING.format(case_id=case.saved_id))
        repos.settings.delete(REVIEWED_ON_SETTING.format(case_id=case.saved_id))
        repos.audit.append(AuditEvent("retention_review", f"case {case.code} deleted with "
                                                          f"{len(containers)} recordings"))
    remove_containers(service, containers)
    service.emit(Change(ChangeKind.CASE, ChangeAction.DELETED, (case.saved_id,), case.saved_id))
    return len(containers)
