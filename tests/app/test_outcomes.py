"""Outcome measures on a real library: recorded answers scored by the catalogue, risk flags that stay
open until the action is recorded (audited), pairs for change, rescoring, goals."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app import outcomes
from vigstudio.app.audit import list_events as events
from vigstudio.app.cases import add_case, add_session
from vigstudio.domain.errors import InvalidInput


@pytest.fixture
def case(service):
    add_case(service, "F-020")
    return "F-020"


def test_a_completion_is_scored_from_its_answers_never_typed(service, case):
    rec = outcomes.add_completion(service, case, "PHQ-9", "pre", answers=[1, 2, 0, 3, 1, 0, 2, 1, 0],
                                  date=dt.date(2026, 3, 1))
    assert rec.score.total == 10.0 and rec.score.band == "moderate" and rec.flags == []
    [scored] = outcomes.completions(service, case)
    assert scored.completion.answers == [1, 2, 0, 3, 1, 0, 2, 1, 0]
    assert scored.completion.catalogue_version == outcomes.catalogue().version
    assert scored.score.total == 10.0


def test_wrong_input_is_refused_and_nothing_is_written(service, case):
    for kwargs in ({"answers": [1, 2]}, {"answers": [9] * 9}):
        with pytest.raises(InvalidInput):
            outcomes.add_completion(service, case, "PHQ-9", "pre", **kwargs)
    with pytest.raises(InvalidInput, match="unknown measure"):
        outcomes.add_completion(service, case, "XYZ", "pre", answers=[0])
    with pytest.raises(InvalidInput, match="time point"):
        outcomes.add_completion(service, case, "GAD-7", "later", answers=[0] * 7)
    with pytest.raises(InvalidInput, match="paper form"):  # EPDS is entered by the practitioner
        outcomes.add_completion(service, case, "EPDS", "pre", answers=[0] * 10, completed_by="parent")
    assert outcomes.completions(service, case) == []


def test_a_risk_item_raises_a_flag_that_only_a_recorded_action_closes(service, case):
    rec = outcomes.add_completion(service, case, "EPDS", "pre", answers=[0, 0, 3, 0, 3, 3, 3, 3, 3, 2])
    assert rec.score.total == 1.0  # far below the threshold, and still flagged
    [flag] = rec.flags
    assert (flag.measure, flag.item, flag.open) == ("EPDS", 10, True)
    assert [f.id for f in outcomes.flags(service, case, open_only=True)] == [flag.id]
    with pytest.raises(InvalidInput, match="open risk flag"):
        outcomes.delete_completion(service, rec.completion.id)
    with pytest.raises(InvalidInput, match="what action"):
        outcomes.act_on_flag(service, flag.id, "  ", "HV")
    done = outcomes.act_on_flag(service, flag.id, "discussed, safety plan, GP informed", "HV")
    assert done.action_at is not None and not done.open
    assert outcomes.flags(service, case, open_only=True) == []
    with pytest.raises(InvalidInput, match="already"):
        outcomes.act_on_flag(service, flag.id, "again", "HV")
    actions = [e.action for e in events(service)]
    assert "risk_flag" in actions and "risk_flag_action" in actions
    outcomes.delete_completion(service, rec.completion.id)  # allowed once acted on
    assert outcomes.completions(service, case) == []


def test_pairs_take_the_first_pre_and_the_last_post_and_judge_phq9_with_gad7(service, case):
    add = outcomes.add_completion
    add(service, case, "PHQ-9", "pre", answers=[2, 2, 2, 2, 2, 2, 1, 1, 0], date=dt.date(2026, 1, 5))  # 14
    add(service, case, "PHQ-9", "pre", answers=[3] * 8 + [0], date=dt.date(2026, 1, 12))  # ignored
    add(service, case, "PHQ-9", "session-3", answers=[1] * 9, date=dt.date(2026, 2, 1))
    add(service, case, "PHQ-9", "post", answers=[1] * 8 + [0], date=dt.date(2026, 3, 1))  # 8
    add(service, case, "GAD-7", "pre", answers=[1] * 7, date=dt.date(2026, 1, 5))  # 7
    add(service, case, "GAD-7", "post", answers=[1] * 6 + [0], date=dt.date(2026, 3, 1))  # 6
    scored = outcomes.completions(service, case)
    changes = dict((c.measure, c) for _, c in outcomes.changes(scored))
    phq = changes["PHQ-9"]
    assert (phq.before, phq.after, phq.change) == (14.0, 8.0, -6.0)
    assert (phq.reliable_improvement, phq.recovered) == (True, True)
    assert changes["GAD-7"].recovered is None  # not a case at the start
    joint = outcomes.joint(scored)
    assert (joint.reliable_improvement, joint.reliable_deterioration, joint.recovered) == (True, False, True)


def test_wsas_not_applicable_and_psi_typed_totals(service, case):
    rec = outcomes.add_completion(service, case, "WSAS", "pre", answers=outcomes.parse_answers("4,6,na,2,3"))
    assert rec.score.total == pytest.approx(18.75)
    rec = outcomes.add_completion(service, case, "PSI-SF", "pre",
                                  typed_scores=outcomes.parse_typed_scores("PD=30,PCDI=25,DC=28,TS=83,percentile=60"))
    assert rec.score.total == 83.0
    with pytest.raises(InvalidInput, match="not an option"):
        outcomes.parse_answers("1,x")


def test_rescore_moves_a_completion_to_the_current_catalogue_and_is_audited(service, case):
    rec = outcomes.add_completion(service, case, "GAD-7", "pre", answers=[0] * 7)
    with service.edit() as repos:  # as if recorded with an older catalogue
        old = repos.completions.get(rec.completion.id)
        old.catalogue_version = 0
        repos.completions.update(old)
    assert outcomes.rescore(service, rec.completion.id).total == 0.0
    assert outcomes.completion(service, rec.completion.id).catalogue_version == outcomes.catalogue().version
    assert "measure_rescore" in [e.action for e in events(service)]


def test_goals_rated_at_start_and_end(service, case):
    session = add_session(service, case)
    with service.read() as repos:
        cycle_id = repos.sessions.get(session.id).cycle_id
    goal = outcomes.add_goal(service, cycle_id, "To enjoy bath time together")
    outcomes.rate_goal(service, goal.id, "start", 3)
    rated = outcomes.rate_goal(service, goal.id, "end", 7)
    assert (rated.start_score, rated.end_score) == (3, 7)
    with pytest.raises(InvalidInput, match="0-10"):
        outcomes.rate_goal(service, goal.id, "end", 11)
    for n in range(3):
        outcomes.add_goal(service, cycle_id, f"goal {n}")
    with pytest.raises(InvalidInput, match="three goals"):
        outcomes.add_goal(service, cycle_id, "one too many")
    assert len(outcomes.goals_of_case(service, case)) == 4
