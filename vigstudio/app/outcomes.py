"""Outcome measures on a case: record a completion, score it, raise risk flags, pair before/after.

Scores are always computed from the stored answers by the catalogue (`domain.measures`); the
catalogue version a completion was recorded with is stored, and only `rescore` (explicit and
audited) moves a completion to a newer catalogue. A risk item's answer raises a `RiskFlag` that stays
open in the case until the practitioner records the action taken (`act_on_flag`); both are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.domain.measures import (
    NOT_APPLICABLE,
    Answer,
    JointChange,
    Measure,
    MeasureCatalogue,
    Score,
    ScoreChange,
    change,
    joint_change,
    load_measures,
    score,
    typed_score,
)
from vigstudio.domain.model import AuditEvent, utcnow
from vigstudio.domain.outcomes import (
    GOAL_MAX,
    GOAL_MIN,
    CompletedBy,
    Completion,
    Goal,
    RiskFlag,
    time_point,
    time_point_order,
)

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

MEASURES_EXTENSION = "measures.json"  # the library's own additions to the measures catalogue
JOINT = ("PHQ-9", "GAD-7")  # judged together as NHS Talking Therapies do


def catalogue(service: LibraryService | None = None) -> MeasureCatalogue:
    """The shipped measures, with the library's own extension file when there is one."""
    extension = Path(service.path) / MEASURES_EXTENSION if service is not None else None
    return load_measures(extension)


def parse_answers(text: str) -> list[Answer]:
    """`1,2,0,3,-` → [1, 2, 0, 3, None]: option positions as printed; `-` missing, `na` not applicable."""
    answers: list[Answer] = []
    for part in text.split(","):
        token = part.strip().lower()
        if token in ("-", ""):
            answers.append(None)
        elif token in (NOT_APPLICABLE, "n/a"):
            answers.append(NOT_APPLICABLE)
        elif token.isdigit():
            answers.append(int(token))
        else:
            raise InvalidInput(f"answer {part.strip()!r} is not an option number, '-' or 'na'")
    return answers


def parse_typed_scores(text: str) -> dict[str, int]:
    """`PD=30,PCDI=25,...` → {"PD": 30, ...}."""
    values: dict[str, int] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not value.strip().lstrip("-").isdigit():
            raise InvalidInput(f"scores are given as KEY=NUMBER,... (got {part.strip()!r})")
        values[key.strip()] = int(value.strip())
    return values


@dataclass(frozen=True)
class ScoredCompletion:
    completion: Completion
    measure: Measure
    score: Score


@dataclass(frozen=True)
class Recorded:
    completion: Completion
    score: Score
    flags: list[RiskFlag]


def score_of(measure: Measure, completion: Completion) -> Score:
    if measure.is_typed:
        return typed_score(measure, completion.typed_scores or {})
    return score(measure, completion.answers)


def add_completion(service: LibraryService, case_code: str, measure_id: str, when: str, *,
                   answers: Sequence[Answer] | None = None, typed_scores: dict[str, int] | None = None,
                   date: dt.date | None = None, intervention_id: int | None = None,
                   completed_by: CompletedBy | str = CompletedBy.PRACTITIONER) -> Recorded:
    """Record and score one completed questionnaire; risk items raise flags in the same commit."""
    cat = catalogue(service)
    measure = cat.measure(measure_id)
    point = time_point(when)
    try:
        by = CompletedBy(str(completed_by).strip().lower())
    except ValueError:
        raise InvalidInput(f"completed by must be parent or practitioner (got {completed_by!r})") from None
    if by.value not in measure.entered_by:
        raise InvalidInput(f"{measure.id} is entered by the {' or '.join(measure.entered_by)} from the paper form")
    completion = Completion(
        case_id=0, measure=measure.id, measure_version=measure.version, catalogue_version=cat.version,
        when=point, answers=list(answers or []), typed_scores=typed_scores,
        date=date or dt.date.today(), completed_by=by, intervention_id=intervention_id)
    result = score_of(measure, completion)  # refuses wrong counts and out-of-range options first
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        if intervention_id is not None and repos.interventions.get(intervention_id).case_id != case.id:
            raise InvalidInput(f"intervention {intervention_id} does not belong to case {case.code}")
        completion.case_id = case.saved_id
        repos.completions.add(completion)
        repos.audit.append(AuditEvent("measure_add", f"completion {completion.id} case {case.code} {measure.id}"))
        flags = []
        for item in result.risk_items:
            why = next(r.why for r in measure.risk_items if r.item == item)
            flag = repos.risk_flags.add(RiskFlag(case_id=case.saved_id, completion_id=completion.saved_id,
                                                 measure=measure.id, item=item, why=why))
            repos.audit.append(AuditEvent("risk_flag", f"flag {flag.id} case {case.code} {measure.id} item {item}"))
            flags.append(flag)
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED, (case.saved_id,), case.saved_id))
    return Recorded(completion, result, flags)


def delete_completion(service: LibraryService, completion_id: int) -> None:
    """Delete a completion (its flags go with it only once acted on; an open flag keeps it)."""
    with service.edit() as repos:
        completion = repos.completions.get(completion_id)
        open_flags = [f for f in repos.risk_flags.of_case(completion.case_id)
                      if f.completion_id == completion_id and f.open]
        if open_flags:
            raise InvalidInput(f"completion {completion_id} has an open risk flag ({open_flags[0].id}): "
                               "record the action taken first")
        case = repos.cases.get(completion.case_id)
        repos.completions.delete(completion_id)
        repos.audit.append(AuditEvent("measure_delete", f"completion {completion_id} case {case.code}"))
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED, (completion.case_id,), completion.case_id))


def act_on_flag(service: LibraryService, flag_id: int, action: str, by: str) -> RiskFlag:
    """Record what was done about a risk flag, by whom and when; the flag then closes (audited)."""
    action, by = (action or "").strip(), (by or "").strip()
    if not action:
        raise InvalidInput("say what action was taken (e.g. discussed, safety plan, GP informed)")
    if not by:
        raise InvalidInput("say who took the action")
    with service.edit() as repos:
        flag = repos.risk_flags.get(flag_id)
        if not flag.open:
            raise InvalidInput(f"risk flag {flag_id} already has its action recorded")
        flag.action, flag.action_by, flag.action_at = action, by, utcnow()
        repos.risk_flags.update(flag)
        case = repos.cases.get(flag.case_id)
        repos.audit.append(AuditEvent("risk_flag_action", f"flag {flag_id} case {case.code}"))
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED, (flag.case_id,), flag.case_id))
    return flag


def flags(service: LibraryService, case_code: str | None = None, *, open_only: bool = False) -> list[RiskFlag]:
    with service.read() as repos:
        if case_code is None:
            found = repos.risk_flags.open() if open_only else repos.risk_flags.list()
        else:
            found = repos.risk_flags.of_case(repos.cases.by_code(case_code.strip()).saved_id)
    return [f for f in found if f.open] if open_only else found


def completions(service: LibraryService, case_code: str) -> list[ScoredCompletion]:
    """The case's completions in time-point order, each scored by the catalogue."""
    cat = catalogue(service)
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        found = repos.completions.of_case(case.saved_id)
    found.sort(key=lambda c: (c.measure, time_point_order(c.when), c.date, c.id or 0))
    return [ScoredCompletion(c, m, score_of(m, c)) for c in found for m in [cat.measure(c.measure)]]


def pairs(scored: Sequence[ScoredCompletion]) -> list[tuple[str, ScoredCompletion, ScoredCompletion]]:
    """For each measure: the first `pre` with the last `post`, and with the last `follow-up`."""
    out = []
    by_measure: dict[str, list[ScoredCompletion]] = {}
    for s in scored:
        by_measure.setdefault(s.measure.id, []).append(s)
    for items in by_measure.values():
        pre = [s for s in items if s.completion.when == "pre"]
        if not pre:
            continue
        for point in ("post", "follow-up"):
            later = [s for s in items if s.completion.when == point]
            if later:
                out.append((point, pre[0], later[-1]))
    return out


def changes(scored: Sequence[ScoredCompletion]) -> list[tuple[str, ScoreChange]]:
    return [(point, change(a.measure, a.score.total, b.score.total)) for point, a, b in pairs(scored)]


def joint(scored: Sequence[ScoredCompletion]) -> JointChange | None:
    """PHQ-9 and GAD-7 judged together (pre → post), or None without both measures' pairs."""
    found = {a.measure.id: (a, b) for point, a, b in pairs(scored) if point == "post"}
    if not all(m in found for m in JOINT):
        return None
    (pa, pb), (ga, gb) = found[JOINT[0]], found[JOINT[1]]
    p_before, p_after, g_before, g_after = pa.score.total, pb.score.total, ga.score.total, gb.score.total
    if p_before is None or p_after is None or g_before is None or g_after is None:
        return None
    return joint_change(pa.measure, p_before, p_after, ga.measure, g_before, g_after)


def rescore(service: LibraryService, completion_id: int) -> Score:
    """Move a completion to today's catalogue (an explicit, audited step; answers are not touched)."""
    cat = catalogue(service)
    with service.edit() as repos:
        completion = repos.completions.get(completion_id)
        measure = cat.measure(completion.measure)
        result = score_of(measure, completion)
        old = (completion.measure_version, completion.catalogue_version)
        completion.measure_version, completion.catalogue_version = measure.version, cat.version
        repos.completions.update(completion)
        case = repos.cases.get(completion.case_id)
        repos.audit.append(AuditEvent(
            "measure_rescore", f"completion {completion_id} case {case.code} {old[0]}/{old[1]} -> "
                               f"{measure.version}/{cat.version}"))
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED, (completion.case_id,), completion.case_id))
    return result


# -- goals ----------------------------------------------------------------------------------------


def add_goal(service: LibraryService, cycle_id: int, text: str) -> Goal:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("a goal needs its words")
    with service.edit() as repos:
        cycle = repos.cycles.get(cycle_id)
        position = len(repos.goals.of_cycle(cycle_id))
        goal = repos.goals.add(Goal(cycle_id=cycle_id, text=text, position=position))
        case_id = repos.interventions.get(cycle.intervention_id).case_id
        repos.audit.append(AuditEvent("goal_add", f"goal {goal.id} cycle {cycle_id}"))
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED, (cycle_id,), case_id))
    return goal


def rate_goal(service: LibraryService, goal_id: int, when: str, rating: int) -> Goal:
    """The parent's rating of a goal, 0–10, at the start or the end of the cycle."""
    when = when.strip().lower()
    if when not in ("start", "end"):
        raise InvalidInput(f"a goal is rated at the start or the end (got {when!r})")
    if isinstance(rating, bool) or not GOAL_MIN <= rating <= GOAL_MAX:
        raise InvalidInput(f"a goal is rated {GOAL_MIN}-{GOAL_MAX} (got {rating})")
    with service.edit() as repos:
        goal = repos.goals.get(goal_id)
        setattr(goal, f"{when}_score", rating)
        repos.goals.update(goal)
        cycle = repos.cycles.get(goal.cycle_id)
        case_id = repos.interventions.get(cycle.intervention_id).case_id
        repos.audit.append(AuditEvent("goal_rate", f"goal {goal_id} {when}"))
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED, (goal.cycle_id,), case_id))
    return goal


def goals_of_case(service: LibraryService, case_code: str) -> list[Goal]:
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        return [g for i in repos.interventions.of_case(case.saved_id)
                for c in repos.cycles.of_intervention(i.saved_id)
                for g in repos.goals.of_cycle(c.saved_id)]


def completion(service: LibraryService, completion_id: int) -> Completion:
    with service.read() as repos:
        found = repos.completions.find(completion_id)
    if found is None:
        raise NotFound("measure completion", completion_id)
    return found
