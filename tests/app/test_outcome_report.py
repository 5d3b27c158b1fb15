"""The service's outcome report against scipy on a generated cohort, read back from the PDF and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import subprocess

import numpy as np
import pytest
from scipy import stats

from vigstudio.app import outcomes
from vigstudio.app.audit import list_events
from vigstudio.app.cases import add_case, add_session, find_session
from vigstudio.app.outcome_report import csv_text, gather, make_outcome_report


def _phq_answers(total: int) -> list[int]:
    """Nine PHQ-9 answers adding up to `total` (item 9 always 0: no risk flag)."""
    answers = [0] * 9
    for n in range(total):
        answers[n % 8] += 1
    return answers


@pytest.fixture
def cohort(service):
    """Fourteen VIG families with PHQ-9 and GAD-7 before and after, five WWW ones, one of each lost."""
    rng = random.Random(7)
    made = []
    for n in range(19):
        code = f"F-{n:03d}"
        add_case(service, code)
        session = add_session(service, code)
        if n >= 14:  # the WWW families: their intervention is WWW only
            with service.edit() as repos:
                case = repos.cases.by_code(code)
                for i in repos.interventions.of_case(case.id):
                    i.kind = "www"
                    repos.interventions.update(i)
        before = rng.randint(8, 22)
        after = max(0, before - rng.randint(-2, 10))
        outcomes.add_completion(service, code, "PHQ-9", "pre", answers=_phq_answers(before),
                                date=dt.date(2026, 1, 10))
        gad_before, gad_after = rng.randint(5, 18), rng.randint(2, 14)
        outcomes.add_completion(service, code, "GAD-7", "pre", answers=[gad_before // 7 + (i < gad_before % 7)
                                                                         for i in range(7)],
                                date=dt.date(2026, 1, 10))
        if n in (5, 16):  # lost to follow-up
            continue
        outcomes.add_completion(service, code, "PHQ-9", "post", answers=_phq_answers(after),
                                date=dt.date(2026, 4, 10))
        outcomes.add_completion(service, code, "GAD-7", "post", answers=[gad_after // 7 + (i < gad_after % 7)
                                                                          for i in range(7)],
                                date=dt.date(2026, 4, 10))
        made.append((code, before, after, n >= 14))
        del session
    return made


def test_statistics_match_scipy_on_the_generated_cohort(service, cohort):
    report = gather(service)
    row = next(r for r in report.rows if r.measure.id == "PHQ-9" and r.group == "all")
    assert (row.started, row.completers, row.lost) == (19, 17, 2)
    before = np.array([b for _, b, _, _ in cohort], float)
    after = np.array([a for _, _, a, _ in cohort], float)
    s = row.summary
    assert s.mean_before == pytest.approx(before.mean()) and s.sd_before == pytest.approx(before.std(ddof=1))
    assert s.t_p == pytest.approx(stats.ttest_rel(after, before).pvalue)
    assert s.wilcoxon_p == pytest.approx(stats.wilcoxon(after, before).pvalue)
    diff = after - before
    assert s.d_z == pytest.approx(diff.mean() / diff.std(ddof=1))
    low, high = stats.t.interval(0.95, len(diff) - 1, loc=diff.mean(), scale=stats.sem(diff))
    assert (s.ci_low, s.ci_high) == (pytest.approx(low), pytest.approx(high))
    improved = np.mean(before - after >= 6)
    assert s.reliable_improvement == pytest.approx(improved)
    # The WWW group has 4 completers (one of its five was lost): fewer than 5, so not broken out.
    www = next(r for r in report.rows if r.measure.id == "PHQ-9" and r.group == "www")
    assert www.completers == 4 and not www.broken_out and www.summary is None
    vig = next(r for r in report.rows if r.measure.id == "PHQ-9" and r.group == "vig")
    assert vig.completers == 13 and vig.summary is not None
    assert any(j.group == "all" for j in report.joint)


def test_pdf_and_csv_carry_the_same_rounded_numbers_and_no_case_code(service, cohort, tmp_path):
    files = make_outcome_report(service, tmp_path / "report.pdf", csv_path=tmp_path / "data.csv")
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    rows = list(csv.DictReader(io.StringIO(files.csv.read_text())))
    phq = next(r for r in rows if r["measure"] == "PHQ-9" and r["group"] == "all")
    assert f"{phq['mean_pre']} ({phq['sd_pre']})" in text
    assert phq["paired_t_p"] in text and len(phq["paired_t_p"].split(".")[1]) == 3
    assert "Outcome evaluation" in text and "How these figures are made" in text
    assert "fewer than 5 completers" in text
    for code, *_ in cohort:
        assert code not in text and code not in files.csv.read_text()
    assert not [r for r in rows if r["group"] == "www"]  # not broken out in the CSV either
    assert any(e.action == "report" for e in list_events(service))
    assert csv_text(gather(service)) == files.csv.read_text()


def test_kind_filter_and_period(service, cohort):
    assert gather(service, kind="www").cases == 5
    assert gather(service, date_from=dt.date(2026, 2, 1)).rows == []  # every pre is in January
    with pytest.raises(Exception, match="--kind"):
        gather(service, kind="cbt")


def test_goals_are_reported_as_mean_change_and_share_moved_up(service):
    add_case(service, "G-1")
    session = add_session(service, "G-1")
    cycle_id = find_session(service, session.id).cycle_id
    for start, end in ((2, 6), (5, 5), (3, 8)):
        goal = outcomes.add_goal(service, cycle_id, f"goal {start}")
        outcomes.rate_goal(service, goal.id, "start", start)
        outcomes.rate_goal(service, goal.id, "end", end)
    outcomes.add_goal(service, cycle_id, "not rated yet")
    g = gather(service).goals
    assert (g.n, g.mean_start, g.mean_end, g.mean_change) == (3, pytest.approx(10 / 3), pytest.approx(19 / 3), 3.0)
    assert g.moved_up == pytest.approx(2 / 3)


def test_p_values_print_three_decimals_and_a_tiny_p_is_less_than_not_zero():
    from vigstudio.app.outcome_stats import p_value

    assert [p_value(v) for v in (None, 0.0, 0.0004999, 0.0005, 0.0123, 0.5)] == [
        "n/a", "<0.001", "<0.001", "0.001", "0.012", "0.500"]
