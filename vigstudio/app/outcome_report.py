"""The service's anonymous outcome evaluation: the statistics per measure and intervention, as a
PDF a lead takes to commissioners and a CSV, from the same data in one call.

Anonymous: no case code, name, date of birth or exact date appears; a group (VIG, WWW, both) with
fewer than `MIN_GROUP` completers is not broken out. Pairs are each case's first `pre` with its last
`post` on a measure. The file leaves the encrypted library, so making it is audited.

The report covers the whole service: this library's own families and every practitioner's whose
anonymous outcomes bundle it imported (`app.outcome_bundles`; their completions carry a month, not a
day, so `date_from`/`date_to` select them by month). The report names those practitioners and when
each bundle was made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, Spacer

from vigstudio.app import charts, outcome_bundles, outcomes, pdf
from vigstudio.app.outcome_stats import (
    MIN_GROUP,
    PairedSummary,
    one_decimal,
    p_value,
    percent,
    summarise,
    three_decimals,
)
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.measures import Measure, joint_change
from vigstudio.domain.model import InterventionKind
from vigstudio.domain.outcomes import time_point_order
from vigstudio.domain.service_outcomes import month_of

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

GROUPS = ("all", "vig", "www", "both")
GROUP_NAMES = {"all": "All interventions", "vig": "VIG only", "www": "Watch, Wait and Wonder only",
               "both": "VIG and WWW together"}


@dataclass
class MeasureGroup:
    measure: Measure
    group: str
    started: int = 0
    pairs: list[tuple[float, float]] = field(default_factory=list)
    summary: PairedSummary | None = None

    @property
    def completers(self) -> int:
        return len(self.pairs)

    @property
    def lost(self) -> int:
        return self.started - self.completers

    @property
    def broken_out(self) -> bool:
        return self.group == "all" or self.completers >= MIN_GROUP


@dataclass(frozen=True)
class JointSummary:
    group: str
    n: int
    reliable_improvement: float
    reliable_deterioration: float
    recovered: float | None
    n_case_at_start: int


@dataclass(frozen=True)
class GoalSummary:
    """Goals rated by the parent at both the start and the end of their cycle."""

    n: int
    mean_start: float
    mean_end: float
    mean_change: float
    moved_up: float  # share of goals rated higher at the end


@dataclass
class OutcomeReport:
    period: tuple[dt.date | None, dt.date | None]
    kind: str
    cases: int
    rows: list[MeasureGroup]
    joint: list[JointSummary]
    goals: GoalSummary | None = None
    sources: list[outcome_bundles.SourceInfo] = field(default_factory=list)  # practitioners' bundles included


def summarise_goals(rated: list[tuple[int, int]]) -> GoalSummary | None:
    if not rated:
        return None
    n = len(rated)
    return GoalSummary(n, sum(s for s, _ in rated) / n, sum(e for _, e in rated) / n,
                       sum(e - s for s, e in rated) / n, sum(1 for s, e in rated if e > s) / n)


def _case_group(kinds: set[InterventionKind]) -> str | None:
    if kinds == {InterventionKind.VIG}:
        return "vig"
    if kinds == {InterventionKind.WWW}:
        return "www"
    if kinds == {InterventionKind.VIG, InterventionKind.WWW}:
        return "both"
    return None


def gather(service: LibraryService, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
           kind: str = "all") -> OutcomeReport:
    """The report's numbers from the library: every case's pairs (this library's own and the imported
    practitioners'), grouped, summarised."""
    kind = kind.strip().lower()
    if kind not in GROUPS:
        raise InvalidInput(f"--kind must be one of {', '.join(GROUPS)} (got {kind!r})")
    cat = outcomes.catalogue(service)
    with service.read() as repos:  # one snapshot, a handful of bulk queries whatever the number of cases
        cases = [c for c in repos.reports.cases() if not c.is_demo]
        kinds: dict[int, set[InterventionKind]] = {}
        for intervention in repos.reports.interventions():
            kinds.setdefault(intervention.case_id, set()).add(intervention.kind)
        groups: dict[object, str | None] = {c.saved_id: _case_group(kinds.get(c.saved_id, set())) for c in cases}
        completions = [c for c in repos.reports.completions() if c.case_id in groups]
        goals_of = repos.reports.goals_by_case()
        goal_rows = [(c.saved_id, g) for c in cases for g in goals_of.get(c.saved_id, [])]
        imported, imported_goals = outcome_bundles.imported_cases_in(
            repos, month_of(date_from) if date_from else None, month_of(date_to) if date_to else None)
        sources = outcome_bundles.sources_in(repos)
    rows: dict[tuple[str, str], MeasureGroup] = {}
    by_case: dict[object, list[outcomes.ScoredCompletion]] = {}
    for c in completions:
        if (date_from and c.date < date_from) or (date_to and c.date > date_to):
            continue
        measure = cat.measure(c.measure)
        if measure.is_typed and measure.total_key is None:
            continue
        by_case.setdefault(c.case_id, []).append(
            outcomes.ScoredCompletion(c, measure, outcomes.score_of(measure, c)))
    known = {m.id.upper() for m in cat.measures}
    for case in imported:  # a practitioner's case: scores as their library computed them
        groups[case.key] = case.kind
        for completion, score in case.completions:
            if completion.measure.upper() not in known:
                continue  # a measure this library's catalogue does not have: nothing to judge it by
            measure = cat.measure(completion.measure)
            if measure.is_typed and measure.total_key is None:
                continue
            by_case.setdefault(case.key, []).append(outcomes.ScoredCompletion(completion, measure, score))
    joint_pairs: dict[str, list[tuple[float, float, float, float]]] = {}
    included = 0
    for case_id, scored in by_case.items():
        group = groups[case_id]
        if kind != "all" and group != kind:
            continue
        included += 1
        scored.sort(key=lambda s: (time_point_order(s.completion.when), s.completion.date))
        for name in ("all", group):
            if name is None:
                continue
            for measure_id in {s.measure.id for s in scored if s.completion.when == "pre"}:
                row = rows.setdefault((measure_id, name), MeasureGroup(cat.measure(measure_id), name))
                row.started += 1
            for point, a, b in outcomes.pairs(scored):
                if point == "post" and a.score.total is not None and b.score.total is not None:
                    rows[(a.measure.id, name)].pairs.append((a.score.total, b.score.total))
            j = {a.measure.id: (a.score.total, b.score.total) for point, a, b in outcomes.pairs(scored)
                 if point == "post" and a.score.total is not None and b.score.total is not None}
            if all(m in j for m in outcomes.JOINT):
                (p0, p1), (g0, g1) = j[outcomes.JOINT[0]], j[outcomes.JOINT[1]]
                joint_pairs.setdefault(name, []).append((p0, p1, g0, g1))
    for row in rows.values():
        row.summary = summarise(row.measure, row.pairs) if row.broken_out else None
    phq, gad = cat.measure(outcomes.JOINT[0]), cat.measure(outcomes.JOINT[1])
    joint = []
    for name, quads in joint_pairs.items():
        if name != "all" and len(quads) < MIN_GROUP:
            continue
        verdicts = [joint_change(phq, p0, p1, gad, g0, g1) for p0, p1, g0, g1 in quads]
        cases_at_start = [v for v in verdicts if v.recovered is not None]
        joint.append(JointSummary(
            name, len(quads),
            sum(v.reliable_improvement for v in verdicts) / len(verdicts),
            sum(v.reliable_deterioration for v in verdicts) / len(verdicts),
            (sum(bool(v.recovered) for v in cases_at_start) / len(cases_at_start)) if cases_at_start else None,
            len(cases_at_start)))
    order = {m.id: n for n, m in enumerate(cat.measures)}
    ordered = sorted(rows.values(), key=lambda r: (order[r.measure.id], GROUPS.index(r.group)))
    rated = [(g.start_score, g.end_score) for case_id, g in goal_rows
             if (kind == "all" or groups[case_id] == kind)
             and g.start_score is not None and g.end_score is not None]
    rated += [(start, end) for group, start, end in imported_goals if kind == "all" or group == kind]
    return OutcomeReport((date_from, date_to), kind, included, ordered, joint, summarise_goals(rated), sources)


CSV_COLUMNS = ("measure", "group", "n_started", "n_completers", "n_lost", "mean_pre", "sd_pre", "mean_post",
               "sd_post", "mean_change", "ci95_low", "ci95_high", "paired_t_p", "wilcoxon_p", "cohens_dz",
               "reliable_improvement", "reliable_deterioration", "recovered")


def csv_text(report: OutcomeReport) -> str:
    """One row per measure and group; means and SDs to one decimal, p-values to three (as the PDF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        if not row.broken_out:
            continue
        s = row.summary
        writer.writerow([
            row.measure.id, row.group, row.started, row.completers, row.lost,
            *((one_decimal(s.mean_before), one_decimal(s.sd_before), one_decimal(s.mean_after),
               one_decimal(s.sd_after), one_decimal(s.mean_change), one_decimal(s.ci_low),
               one_decimal(s.ci_high), p_value(s.t_p), p_value(s.wilcoxon_p),
               three_decimals(s.d_z), percent(s.reliable_improvement), percent(s.reliable_deterioration),
               percent(s.recovered)) if s else ("n/a",) * 13)])
    return out.getvalue()


METHOD = [
    "Each family's first questionnaire marked 'pre' is paired with its last marked 'post' on the same measure; "
    "families with a 'pre' but no 'post' count as started and lost. Scores are computed from the answers by the "
    "measures catalogue (reverse-scored items, subscales and missing-item rules as published); a completion "
    "that its missing-item rule makes unscorable is left out.",
    "Change is post minus pre, so a fall is an improvement on every measure shown. The 95% confidence interval of "
    "the mean change uses the t distribution; p-values are from the paired t-test and the Wilcoxon signed-rank "
    "test (scipy); Cohen's d_z is the mean change divided by the standard deviation of the changes.",
    "Reliable improvement and deterioration follow NHS Talking Therapies: PHQ-9 changes by 6 or more, GAD-7 by "
    "4 or more. Recovery (of those who were a case at the start: PHQ-9 10 or more, GAD-7 8 or more, EPDS 13 or "
    "more) means no longer a case at the end. Judged together, PHQ-9 and GAD-7: recovery is a case on either at "
    "the start and on neither at the end; reliable improvement is a reliable fall on at least one and no "
    "reliable rise on the other. Measures with no published criterion show change only (n/a).",
    "Goals: the helping question and up to three goals per VIG cycle, rated 0 to 10 by the parent at the "
    "start and at the end of the cycle (as Goal Based Outcomes are); a goal counts when both ratings exist.",
    "Across the service: a practitioner's anonymous outcomes bundle carries each family's scores as their "
    "library computed them, the time points, the intervention and the month of each questionnaire (never a day, "
    "a case code or a name); a random token, the same in every export, pairs a family's questionnaires. A newer "
    "bundle from a practitioner replaces their earlier one. With a period chosen, imported questionnaires are "
    "selected by their month.",
    f"The report is anonymous: no case code, name or date of birth appears, and a group with fewer than "
    f"{MIN_GROUP} completers is not broken out.",
]


def _period(report: OutcomeReport) -> str:
    start, end = report.period
    if start is None and end is None:
        return "all completions held" if report.sources else "all completions in the library"
    return f"questionnaires from {start.strftime('%B %Y') if start else 'the start'} to " \
           f"{end.strftime('%B %Y') if end else 'today'}"


def _sources_text(held: list[outcome_bundles.SourceInfo]) -> str:
    """Whose data the report covers: this library and each practitioner's latest bundle."""
    listed = "; ".join(f"{h.name}, exported {h.exported_at.day} {h.exported_at.strftime('%B %Y')}" for h in held)
    count = "1 practitioner" if len(held) == 1 else f"{len(held)} practitioners"
    return (f"Service-wide: this library's families and the anonymous outcomes of {count} "
            f"({listed}). Imported questionnaires carry their month only.")


def flowables(report: OutcomeReport) -> list[Flowable]:
    s = pdf.styles()
    story: list[Flowable] = [
        Paragraph("Outcome evaluation", s.title),
        Paragraph(f"{GROUP_NAMES[report.kind]} · {_period(report)} · {report.cases} families", s.subtitle),
    ]
    if report.sources:
        story.append(pdf.paragraph(_sources_text(report.sources), s.body))
    story.append(Spacer(1, 6 * mm))
    if not report.rows:
        story.append(pdf.paragraph("No questionnaires were recorded in this period.", s.body))
    measures = list(dict.fromkeys(r.measure.id for r in report.rows))
    for measure_id in measures:
        rows = [r for r in report.rows if r.measure.id == measure_id]
        measure = rows[0].measure
        story.append(Paragraph(f"{measure.id} — {measure.name}", s.heading))
        head = ["Group", "n: started / done / lost", "Pre mean (SD)", "Post mean (SD)",
                "Change (95% CI)", "t-test p", "Wilcoxon p", "d_z"]
        data = [head]
        verdicts = [["Group", "Reliable improvement", "Reliable deterioration", "Recovered (cases at start)"]]
        for row in rows:
            name = GROUP_NAMES[row.group]
            counts = f"{row.started} / {row.completers} / {row.lost}"
            if not row.broken_out:
                data.append([name, counts, f"fewer than {MIN_GROUP} completers: not shown", "", "", "", "", ""])
                continue
            x = row.summary
            if x is None:
                data.append([name, counts, "too few pairs for statistics", "", "", "", "", ""])
                continue
            data.append([name, counts, f"{one_decimal(x.mean_before)} ({one_decimal(x.sd_before)})",
                         f"{one_decimal(x.mean_after)} ({one_decimal(x.sd_after)})",
                         f"{one_decimal(x.mean_change)} ({one_decimal(x.ci_low)} to {one_decimal(x.ci_high)})",
                         p_value(x.t_p), p_value(x.wilcoxon_p), three_decimals(x.d_z)])
            verdicts.append([name, percent(x.reliable_improvement), percent(x.reliable_deterioration),
                             f"{percent(x.recovered)} (of {x.n_case_at_start})" if x.recovered is not None
                             else "n/a"])
        summary = pdf.table(data, [23 * mm, 21 * mm, 19 * mm, 19 * mm, 30 * mm, 15 * mm, 20 * mm, 14 * mm])
        # A group that is not broken out says so across the figures' columns, not in a narrow cell.
        summary.setStyle([("SPAN", (2, r), (-1, r)) for r, line in enumerate(data) if r and line[3] == ""])
        story.append(summary)
        story.append(Spacer(1, 3 * mm))
        if len(verdicts) > 1:
            story.append(pdf.table(verdicts, [40 * mm, 36 * mm, 36 * mm, 50 * mm]))
        all_rows = [r for r in rows if r.group == "all" and r.pairs]
        if all_rows:
            png = charts.pre_post(measure, all_rows[0].pairs)
            story.append(Spacer(1, 3 * mm))
            story.append(Image(io.BytesIO(png), width=120 * mm, height=120 * mm * 3.0 / 5.2))
        story.append(Spacer(1, 6 * mm))
    if report.joint:
        story.append(Paragraph("PHQ-9 and GAD-7 judged together", s.heading))
        data = [["Group", "n", "Reliable improvement", "Reliable deterioration", "Recovered (cases at start)"]]
        for j in report.joint:
            data.append([GROUP_NAMES[j.group], str(j.n), percent(j.reliable_improvement),
                         percent(j.reliable_deterioration),
                         f"{percent(j.recovered)} (of {j.n_case_at_start})" if j.recovered is not None else "n/a"])
        story.append(pdf.table(data, [40 * mm, 12 * mm, 36 * mm, 36 * mm, 40 * mm]))
    if report.goals is not None:
        g = report.goals
        story.append(Paragraph("The parents' goals", s.heading))
        story.append(pdf.table([["Goals rated at start and end", "Mean at start", "Mean at end", "Mean change",
                              "Moved up"],
                             [str(g.n), one_decimal(g.mean_start), one_decimal(g.mean_end),
                              one_decimal(g.mean_change), percent(g.moved_up)]],
                            [44 * mm, 28 * mm, 28 * mm, 28 * mm, 28 * mm]))
    story.append(PageBreak())
    story.append(Paragraph("How these figures are made", s.heading))
    for text in METHOD:
        story.append(pdf.paragraph(text, s.body))
    return story


@dataclass(frozen=True)
class ReportFiles:
    pdf: Path
    csv: Path | None
    report: OutcomeReport


def make_outcome_report(service: LibraryService, out_pdf: Path | str, *, csv_path: Path | str | None = None,
                        date_from: dt.date | None = None, date_to: dt.date | None = None, kind: str = "all",
                        progress: Callable[[float, str], None] | None = None) -> ReportFiles:
    """Write the PDF (and the CSV) atomically; audited as an anonymous report leaving the library."""
    target = pdf.check_target(out_pdf, ".pdf")
    csv_target = pdf.check_target(csv_path, ".csv") if csv_path is not None else None
    if progress:
        progress(0.0, "gathering the questionnaires")
    report = gather(service, date_from=date_from, date_to=date_to, kind=kind)
    if progress:
        progress(0.4, "drawing the report")
    data = pdf.render(flowables(report), title="Outcome evaluation", on_page=pdf.page_number)
    written, written_csv = pdf.write_report(service, target, data, csv_target, csv_text(report),
                                            f"outcomes {kind} cases {report.cases} rows {len(report.rows)} "
                                            f"sources {len(report.sources)}")
    if progress:
        progress(1.0, "done")
    return ReportFiles(written, written_csv, report)
