"""A referral through the whole pathway to closure and retention, on a real library."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app import consent, outcomes, pathway, retention
from vigstudio.app.audit import list_events
from vigstudio.app.cases import add_case, find_case
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.domain.model import CaseStatus

D = dt.date


@pytest.fixture
def case(service):
    add_case(service, "F-050")
    return "F-050"


def test_a_referral_runs_the_whole_pathway_to_closure_and_retention(service, case):
    ref = pathway.add_referral(service, case, D(2026, 1, 5), "health-visitor", reasons=["low-mood", "bonding"],
                               perinatal="postnatal", birth_date=D(2025, 11, 3), referrer_role="health visitor",
                               referrer_team="North locality")
    assert (ref.source, ref.reasons, ref.weeks()) == ("health_visitor", ["low_mood", "bonding"], 9)
    pathway.decide(service, ref.id, "accepted", on=D(2026, 1, 7))
    pathway.set_stage(service, case, "assessment", on=D(2026, 1, 19))
    pathway.set_stage(service, case, "waiting", on=D(2026, 1, 20))
    pathway.set_stage(service, case, "in-intervention", on=D(2026, 2, 2))
    [row] = pathway.caseload(service, today=D(2026, 2, 3))
    assert (row.stage, row.days_waiting) == ("in_intervention", 14)  # received → assessment
    assert "consent_missing" in row.outstanding and "measure_due" in row.outstanding
    with pytest.raises(InvalidInput, match="say why it ended"):
        pathway.set_stage(service, case, "ended", on=D(2026, 5, 1))
    pathway.set_stage(service, case, "ended", on=D(2026, 5, 1), reason="completed")
    pathway.set_stage(service, case, "closed", on=D(2026, 5, 8))
    assert find_case(service, case).status == CaseStatus.CLOSED
    assert [e.stage.value for e in pathway.pathway(service, case)] == [
        "referred", "assessment", "waiting", "in_intervention", "ended", "closed"]
    retention.set_weeks(service, 4)
    [row] = pathway.caseload(service, today=D(2026, 6, 10), include_closed=True)
    assert "retention_review_due" in row.outstanding
    assert pathway.caseload(service, today=D(2026, 6, 10)) == []  # closed cases leave the caseload
    actions = [e.action for e in list_events(service)]
    assert actions.count("pathway") == 5 and "referral_add" in actions and "referral_decide" in actions


def test_a_closed_case_reopens_only_with_a_new_referral(service, case):
    ref = pathway.add_referral(service, case, D(2026, 1, 5), "gp")
    pathway.decide(service, ref.id, "signposted", reason="to IAPT", on=D(2026, 1, 6))
    pathway.set_stage(service, case, "closed", on=D(2026, 1, 6))  # straight to closed
    with pytest.raises(InvalidInput, match="reopens only with a new referral"):
        pathway.set_stage(service, case, "in-intervention", on=D(2026, 2, 1))
    pathway.add_referral(service, case, D(2026, 3, 1), "midwifery", perinatal="antenatal", due_date=D(2026, 5, 1))
    assert find_case(service, case).status == CaseStatus.OPEN
    [row] = pathway.caseload(service, today=D(2026, 3, 11))
    assert row.stage == "referred" and row.days_waiting == 10 and len(row.referrals) == 2
    assert row.referrals[-1].weeks() == 32  # 40 - 8 weeks before the due date


def test_pathway_refusals_and_a_case_entering_only_by_referral(service, case):
    with pytest.raises(InvalidInput, match="with a referral"):
        pathway.set_stage(service, case, "assessment")
    with pytest.raises(InvalidInput, match="unknown referral source"):
        pathway.add_referral(service, case, D(2026, 1, 5), "pharmacy")
    with pytest.raises(InvalidInput, match="date of birth"):
        pathway.add_referral(service, case, D(2026, 1, 5), "gp", perinatal="postnatal")
    with pytest.raises(InvalidInput, match="unknown pathway status"):
        pathway.set_stage(service, case, "finished")
    pathway.add_referral(service, case, D(2026, 1, 5), "gp")
    pathway.set_stage(service, case, "assessment", on=D(2026, 1, 10))
    with pytest.raises(InvalidInput, match="cannot be earlier"):
        pathway.set_stage(service, case, "waiting", on=D(2026, 1, 9))


def test_retention_close_is_the_pathways_last_step_and_outstanding_items_clear(service, case):
    pathway.add_referral(service, case, D(2026, 1, 5), "gp")
    pathway.set_stage(service, case, "in-intervention", on=D(2026, 1, 12))
    consent.add(service, case, ["storage"], "HV")
    outcomes.add_completion(service, case, "PHQ-9", "pre", answers=[0] * 8 + [1])
    [row] = pathway.caseload(service, today=D(2026, 1, 13))
    assert row.outstanding == ["risk_flag_open"]
    retention.close_case(service, case, on=D(2026, 2, 1))
    assert pathway.pathway(service, case)[-1].stage.value == "closed"


def test_closing_keeps_a_written_summary_and_the_retention_review_offers_three_ways(service, case, video):
    from vigstudio.app.importing import import_recording

    pathway.add_referral(service, case, D(2026, 1, 5), "gp")
    pathway.set_stage(service, case, "in-intervention", on=D(2026, 1, 12))
    recording = import_recording(service, case, video)
    outcomes.add_completion(service, case, "GAD-7", "post", answers=[1] * 7)
    with pytest.raises(InvalidInput, match="cannot go from in intervention to closed"):
        pathway.close_with_summary(service, case, reason="completed")
    pathway.set_stage(service, case, "ended", on=D(2026, 4, 1), reason="completed")
    summary = pathway.close_with_summary(service, case, reason="completed", offered="3 VIG cycles",
                                         note="Mum now names what her baby shows her.", on=D(2026, 4, 2))
    assert summary.last_scores == {"GAD-7": 7.0} and find_case(service, case).status == CaseStatus.CLOSED
    with pytest.raises(InvalidInput, match="open"):
        add_case(service, "OPEN-1")
        pathway.review_retention(service, "OPEN-1", "keep")
    assert pathway.review_retention(service, case, "keep", today=D(2027, 4, 2)) == 0
    retention.set_weeks(service, 52)
    row = next(r for r in pathway.caseload(service, today=D(2027, 6, 1), include_closed=True) if r.code == case)
    assert "retention_review_due" not in row.outstanding  # reviewed on 2 April 2027, a year after closing
    row = next(r for r in pathway.caseload(service, today=D(2028, 4, 3), include_closed=True) if r.code == case)
    assert "retention_review_due" in row.outstanding  # a period after the last review
    assert pathway.review_retention(service, case, "summary") == 1
    with pytest.raises(NotFound):
        open_recording_media(service, recording.id)
    assert pathway.closing_summary(service, case).note.startswith("Mum now")  # the summary stays
    assert pathway.review_retention(service, case, "delete-all") == 0
    assert [c.case.code for c in library_tree(service)] == ["OPEN-1"]
    assert [e.object for e in list_events(service) if e.action == "retention_review"][-1].endswith(
        "deleted with 0 recordings")
