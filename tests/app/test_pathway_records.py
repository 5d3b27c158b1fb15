"""Correcting a case's pathway record (referrals, steps, the closing summary) and putting the whole
record back as it was (what undo does), on a real library."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app import activities, pathway, pathway_records, retention
from vigstudio.app.audit import list_events
from vigstudio.app.cases import add_case, find_case
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.domain.model import CaseStatus

D = dt.date


@pytest.fixture
def case(service):
    add_case(service, "F-070")
    return "F-070"


def _through_closure(service, case):
    ref = pathway.add_referral(service, case, D(2026, 1, 5), "gp", reasons=["low-mood"])
    pathway.decide(service, ref.id, "accepted", on=D(2026, 1, 6))
    pathway.set_stage(service, case, "in-intervention", on=D(2026, 1, 20))
    pathway.set_stage(service, case, "ended", on=D(2026, 4, 1), reason="completed")
    pathway.close_with_summary(service, case, reason="completed", offered="2 VIG cycles", note="Going well.",
                               on=D(2026, 4, 2))
    return ref


def test_a_record_put_back_is_exactly_the_record_before_and_redo_puts_the_after_back(service, case):
    empty = pathway_records.record(service, case)
    _through_closure(service, case)
    closed = pathway_records.record(service, case)
    assert closed.status == CaseStatus.CLOSED and closed.closed_on == "2026-04-02" and closed.summary is not None
    pathway_records.restore(service, empty, expect=closed)  # undo of everything at once
    assert pathway_records.record(service, case) == empty
    assert find_case(service, case).status == CaseStatus.OPEN and pathway.pathway(service, case) == []
    pathway_records.restore(service, closed, expect=empty)  # redo: the very rows, with their ids
    assert pathway_records.record(service, case) == closed
    assert [e.action for e in list_events(service)].count("pathway_restore") == 2


def test_a_record_changed_meanwhile_is_not_overwritten(service, case):
    before = pathway_records.record(service, case)
    pathway.add_referral(service, case, D(2026, 1, 5), "gp")
    after = pathway_records.record(service, case)
    pathway.set_stage(service, case, "assessment", on=D(2026, 1, 9))  # e.g. from the command line
    now = pathway_records.record(service, case)
    with pytest.raises(InvalidInput, match="changed meanwhile"):
        pathway_records.restore(service, before, expect=after)
    assert pathway_records.record(service, case) == now


def test_a_referral_is_corrected_and_its_referred_step_moves_with_it(service, case):
    ref = pathway.add_referral(service, case, D(2026, 1, 5), "gp")
    pathway.set_stage(service, case, "assessment", on=D(2026, 1, 20))
    fixed = pathway_records.edit_referral(service, ref.id, received=D(2026, 1, 8), source="midwifery",
                                          reasons=["anxiety"], perinatal="postnatal", birth_date=D(2025, 12, 11),
                                          decision="declined", decision_reason="  out of area ")
    assert (fixed.source, fixed.reasons, fixed.weeks(), fixed.decision.value, fixed.decision_reason) == (
        "midwifery", ["anxiety"], 4, "declined", "out of area")
    assert pathway.pathway(service, case)[0].date == D(2026, 1, 8)
    assert pathway.referrals(service, case)[0] == fixed
    with pytest.raises(InvalidInput, match="next step"):
        pathway_records.edit_referral(service, ref.id, received=D(2026, 1, 21))
    with pytest.raises(InvalidInput, match="unknown referral source"):
        pathway_records.edit_referral(service, ref.id, source="pharmacy")
    with pytest.raises(InvalidInput, match="has no"):
        pathway_records.edit_referral(service, ref.id, case_id=99)


def test_steps_are_corrected_between_their_neighbours_and_only_the_last_is_deleted(service, case):
    _through_closure(service, case)
    steps = pathway.pathway(service, case)
    pathway_records.edit_step(service, steps[2].id, reason="moved away")
    assert pathway.pathway(service, case)[2].reason == "moved_away"
    with pytest.raises(InvalidInput, match="say why it ended"):
        pathway_records.edit_step(service, steps[2].id, reason="bored")
    with pytest.raises(InvalidInput, match="step before it"):
        pathway_records.edit_step(service, steps[1].id, date=D(2026, 1, 1))
    pathway_records.edit_step(service, steps[3].id, date=D(2026, 4, 5))
    assert pathway_records.record(service, case).closed_on == "2026-04-05"  # the retention clock follows
    with pytest.raises(InvalidInput, match="only the case's last step"):
        pathway_records.delete_last_step(service, steps[1].id)
    pathway_records.delete_last_step(service, steps[3].id)  # closed by mistake: open again, ended
    assert find_case(service, case).status == CaseStatus.OPEN and pathway_records.record(service, case).closed_on is None
    assert pathway.current_stage(pathway.pathway(service, case)).value == "ended"


def test_the_closing_summary_is_edited_and_deleted(service, case):
    _through_closure(service, case)
    pathway_records.edit_summary(service, case, note="Mum names what her baby shows her.", offered="3 VIG cycles")
    summary = pathway.closing_summary(service, case)
    assert (summary.reason, summary.offered, summary.note) == ("completed", "3 VIG cycles",
                                                               "Mum names what her baby shows her.")
    with pytest.raises(InvalidInput, match="say why"):
        pathway_records.edit_summary(service, case, reason=" ")
    pathway_records.delete_summary(service, case)
    assert pathway.closing_summary(service, case) is None and find_case(service, case).status == CaseStatus.CLOSED
    with pytest.raises(InvalidInput, match="no written summary"):
        pathway.review_retention(service, case, "summary")
    assert retention.period(service).is_default


def test_an_activity_deleted_comes_back_with_its_id(service):
    a = activities.add_activity(service, "training", D(2026, 3, 3), "Perinatal mental health", role="midwives",
                                attendees=18, minutes=90)
    gone = activities.delete_activity(service, a.id)
    assert gone == a and activities.activities(service) == []
    with pytest.raises(NotFound):
        activities.activity(service, a.id)
    activities.restore_activity(service, gone)
    assert activities.activities(service) == [a]
    with pytest.raises(InvalidInput, match="already exists"):
        activities.restore_activity(service, gone)
