"""The service activity report for a period: referrals, waiting, interventions, attendance, endings,
and the service's own work (consultations, training, liaison), as an anonymous PDF and CSV.

Anonymous: counts only, no case code, name or exact date of a family; any count from 1 to 4 is shown
as "<5" (small numbers could identify a family), and a rate is shown only when neither count it is
made of is such a small number (else the rate would give the count away). The file leaves the
library, so it is audited.

Attendance counts the sessions dated in the period by intervention kind (VIG, WWW), from each
session's recorded attendance: offered = every session with an outcome (attended, cancelled by the
family, cancelled by the service, not attended); sessions still marked planned are not offered yet.
The attendance rate is attended / (offered − cancelled by the service): a session the service
cancelled was never there for the family to attend.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer

from vigstudio.app import pathway as pathway_app
from vigstudio.app import pdf
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Attendance, CancelledBy, CaseOrigin
from vigstudio.domain.pathway import ActivityKind, Decision, PathwayEvent, Stage

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

SMALL = 5
ATTENDANCE = "attendance"  # the CSV's sections "attendance (VIG sessions)", one per intervention kind


def shown(count: int) -> str:
    """A count as printed: small numbers suppressed."""
    return "<5" if 0 < count < SMALL else str(count)


def rate(part: int, whole: int, *hidden: int) -> str:
    """`part` of `whole` as a percentage, or why not: "n/a" with nothing to divide by, "suppressed"
    when the percentage, read with the counts printed beside it, would reveal a small number: `part`,
    `whole`, or any of the `hidden` counts the rate is made from."""
    if whole == 0:
        return "n/a"
    if any(0 < count < SMALL for count in (part, whole, *hidden)):
        return "suppressed"
    return f"{100 * part / whole:.0f}%"


@dataclass
class Attendances:
    """Sessions of one intervention kind in the period, by what happened."""

    attended: int = 0
    cancelled_by_family: int = 0
    cancelled_by_service: int = 0
    not_attended: int = 0
    planned: int = 0  # no outcome recorded yet: not counted as offered

    @property
    def offered(self) -> int:
        return self.attended + self.cancelled_by_family + self.cancelled_by_service + self.not_attended

    @property
    def could_attend(self) -> int:
        return self.offered - self.cancelled_by_service

    def count(self, attendance: Attendance, cancelled_by: CancelledBy | None) -> None:
        if attendance == Attendance.ATTENDED:
            self.attended += 1
        elif attendance == Attendance.DNA:
            self.not_attended += 1
        elif attendance == Attendance.CANCELLED:
            if cancelled_by == CancelledBy.SERVICE:
                self.cancelled_by_service += 1
            else:
                self.cancelled_by_family += 1
        else:
            self.planned += 1


@dataclass
class ActivityReport:
    start: dt.date
    end: dt.date
    referrals: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_quarter: Counter[str] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)
    by_perinatal: Counter[str] = field(default_factory=Counter)
    decided: int = 0
    accepted: int = 0
    waits: list[int] = field(default_factory=list)
    started: Counter[str] = field(default_factory=Counter)  # by intervention kind
    completed: Counter[str] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    attendance: dict[str, Attendances] = field(default_factory=dict)  # by intervention kind
    consultations: Counter[tuple[str, str]] = field(default_factory=Counter)  # by (team, topic)
    consultation_minutes: int = 0
    training: Counter[str] = field(default_factory=Counter)  # sessions by audience
    trained: Counter[str] = field(default_factory=Counter)  # attendees by audience
    liaison: Counter[str] = field(default_factory=Counter)
    resources: Counter[str] = field(default_factory=Counter)

    @property
    def acceptance(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def gather(service: LibraryService, start: dt.date, end: dt.date) -> ActivityReport:
    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= end

    if end < start:
        raise InvalidInput("the period ends before it starts")
    cat = pathway_app.catalogue(service)
    report = ActivityReport(start, end)
    with service.read() as repos:  # one snapshot, a handful of bulk queries whatever the number of cases
        cases = {c.saved_id: c for c in repos.reports.cases() if not c.is_demo}
        interventions = [i for i in repos.reports.interventions() if i.case_id in cases]
        referrals = [r for r in repos.reports.referrals() if r.case_id in cases]
        events = [e for e in repos.reports.pathway_events() if e.case_id in cases]
        all_sessions = repos.reports.sessions_by_case()
        activities = repos.activities.between(start, end)
    kinds_of: dict[int, set[str]] = {}
    for i in interventions:
        kinds_of.setdefault(i.case_id, set()).add(i.kind.value)
    kinds = {cid: sorted(kinds_of.get(cid, set())) for cid in cases}
    kind_of = {i.saved_id: i.kind.value for i in interventions}
    case_sessions = {cid: all_sessions.get(cid, []) for cid in cases}
    events_of: dict[int, list[PathwayEvent]] = {}
    for e in events:
        events_of.setdefault(e.case_id, []).append(e)
    sessions = {cid: [s.date for s in found] for cid, found in case_sessions.items()}
    for cid, found in case_sessions.items():
        if cases[cid].origin != CaseOrigin.LOCAL:  # a supervisee's sessions are not this service's
            continue
        for s in found:
            if within(s.date) and s.intervention_id is not None:
                kind = kind_of.get(s.intervention_id, "other")
                report.attendance.setdefault(kind, Attendances()).count(s.attendance, s.cancelled_by)
    for r in referrals:
        if within(r.received):
            report.referrals += 1
            report.by_source[cat.label(r.source)] += 1
            report.by_quarter[_quarter(r.received)] += 1
            report.by_reason.update(cat.label(code) for code in r.reasons)
            report.by_perinatal[r.perinatal.value if r.perinatal else "not recorded"] += 1
            if r.decision in (None, Decision.ACCEPTED):  # a declined or signposted family waits for nothing
                report.waits.append(pathway_app.days_waiting(r, events_of.get(r.case_id, []), sessions[r.case_id],
                                                             min(end, dt.date.today())))
        if within(r.decision_date):
            report.decided += 1
            report.accepted += r.decision == Decision.ACCEPTED
    for e in events:
        if not within(e.date):
            continue
        kind = "+".join(kinds.get(e.case_id, [])) or "none"
        if e.stage == Stage.IN_INTERVENTION:
            report.started[kind] += 1
        elif e.stage == Stage.ENDED:
            report.endings[e.reason.replace("_", " ") or "not given"] += 1
            if e.reason == "completed":
                report.completed[kind] += 1
    for a in activities:
        if a.kind == ActivityKind.CONSULTATION:
            report.consultations[(a.team or "not recorded", a.title)] += 1
            report.consultation_minutes += a.minutes or 0
        elif a.kind == ActivityKind.TRAINING:
            audience = a.role or "not recorded"
            report.training[audience] += 1
            report.trained[audience] += a.attendees or 0
        elif a.kind == ActivityKind.LIAISON:
            report.liaison[a.team or "not recorded"] += 1
        else:
            report.resources[a.title] += a.attendees or 1
    return report


def _waits(report: ActivityReport) -> tuple[str, str]:
    if not report.waits:
        return "n/a", "n/a"
    if len(report.waits) < SMALL:  # a median and range of 1-4 waits would give those families' waits away
        return "suppressed (<5)", "suppressed (<5)"
    return f"{statistics.median(report.waits):g}", f"{min(report.waits)}–{max(report.waits)}"


def rows(report: ActivityReport) -> list[tuple[str, str, str]]:
    """(section, item, value) for the CSV and the PDF alike."""
    out = [("referrals", "total", shown(report.referrals))]
    out += [("referrals by source", k, shown(v)) for k, v in sorted(report.by_source.items())]
    out += [("referrals by quarter", k, shown(v)) for k, v in sorted(report.by_quarter.items())]
    out += [("referral reasons", k, shown(v)) for k, v in report.by_reason.most_common()]
    out += [("perinatal stage at referral", k, shown(v)) for k, v in sorted(report.by_perinatal.items())]
    out.append(("decisions", "accepted of decided", f"{shown(report.accepted)} of {shown(report.decided)} "
                                                    f"({rate(report.accepted, report.decided)})"))
    median, spread = _waits(report)
    out += [("waiting (days, referral to first contact)", "median", median),
            ("waiting (days, referral to first contact)", "range", spread)]
    out += [("interventions started", k, shown(v)) for k, v in sorted(report.started.items())]
    out += [("interventions completed", k, shown(v)) for k, v in sorted(report.completed.items())]
    for kind, a in sorted(report.attendance.items()):
        section = f"attendance ({kind.upper()} sessions)"
        out += [(section, "offered", shown(a.offered)), (section, "attended", shown(a.attended)),
                (section, "cancelled by the family", shown(a.cancelled_by_family)),
                (section, "cancelled by the service", shown(a.cancelled_by_service)),
                (section, "not attended", shown(a.not_attended)),
                (section, "attendance rate", rate(a.attended, a.could_attend, a.cancelled_by_service,
                                                       a.could_attend - a.attended))]
        if a.planned:
            out.append((section, "planned, no outcome recorded yet", shown(a.planned)))
    out += [("endings by reason", k, shown(v)) for k, v in sorted(report.endings.items())]
    out += [("consultations", f"{team} · {topic}", shown(v)) for (team, topic), v in sorted(report.consultations.items())]
    out.append(("consultations", "time (hours)", f"{report.consultation_minutes / 60:.1f}"))
    out += [("training sessions", k, shown(v)) for k, v in sorted(report.training.items())]
    out += [("people trained", k, shown(v)) for k, v in sorted(report.trained.items())]
    out += [("liaison", k, shown(v)) for k, v in sorted(report.liaison.items())]
    out += [("resources handed out", k, shown(v)) for k, v in sorted(report.resources.items())]
    return out


def csv_text(report: ActivityReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "item", "value"))
    writer.writerows(rows(report))
    return out.getvalue()


def _bar_chart(title: str, counts: Counter[str]) -> bytes:
    # Imported here: matplotlib costs seconds to import, which opening the library window (whose caseload
    # dialogs import this module) must not wait for.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 2.4), dpi=150, layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    labels = sorted(counts)
    ax.bar(range(len(labels)), [counts[k] for k in labels], color="#2f6f8f")
    ax.set_xticks(range(len(labels)), labels, fontsize=7.5)
    ax.set_title(title, fontsize=9.5, loc="left", color="#33302b")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def _attendance_table(report: ActivityReport) -> list[Flowable]:
    """Sessions by what happened, a column per intervention kind (the same cells as the CSV's rows)."""
    kinds = sorted(report.attendance)
    cells: dict[str, dict[str, str]] = {}
    for name, item, value in rows(report):
        if name.startswith(ATTENDANCE):
            cells.setdefault(item, {})[name[len(ATTENDANCE) + 2:].split()[0].lower()] = value
    data = [["sessions", *(k.upper() for k in kinds)]]
    data += [[item, *(by_kind.get(k, "0") for k in kinds)] for item, by_kind in cells.items()]
    width = 60 * mm / max(1, len(kinds))
    return [KeepTogether([Paragraph("Attendance", pdf.styles().heading),
                          pdf.table(data, [100 * mm, *[width] * len(kinds)])]), Spacer(1, 3 * mm)]


def flowables(report: ActivityReport) -> list[Flowable]:
    s = pdf.styles()
    story: list[Flowable] = [Paragraph("Service activity", s.title),
                   Paragraph(f"{report.start:%d %B %Y} to {report.end:%d %B %Y}", s.subtitle), Spacer(1, 5 * mm)]
    section = ""
    data: list[list[str]] = []
    for name, item, value in [*rows(report), ("", "", "")]:
        if name.startswith(ATTENDANCE):
            if section != ATTENDANCE:  # every kind's attendance in one table, where the first was
                story += _attendance_table(report)
                section, data = ATTENDANCE, []
            continue
        if name != section:
            if data:
                story += [KeepTogether([Paragraph(section.capitalize(), s.heading),  # a heading never alone
                                        pdf.table(data, [110 * mm, 50 * mm])]), Spacer(1, 3 * mm)]
            section, data = name, [["", "number"]]
        data.append([item, value])
    # Charts only where no bar would reveal a small number.
    if report.by_quarter and min(report.by_quarter.values()) >= SMALL:
        story += [Image(io.BytesIO(_bar_chart("Referrals by quarter", report.by_quarter)),
                        width=150 * mm, height=60 * mm)]
    story.append(pdf.paragraph(
        "Counts from 1 to 4 are shown as <5 so that no family can be recognised. Waiting runs from the "
        "referral's receipt to the first contact (an assessment, the intervention starting or the first "
        "session), or to the end of the period while there has been none. Sessions offered are those with "
        "an outcome recorded (attended, cancelled by the family or the service, not attended); the "
        "attendance rate is attended of those offered less those the service cancelled, and a rate is "
        "suppressed where a count it is made of is below 5.", s.small))
    return story


@dataclass(frozen=True)
class ActivityFiles:
    pdf: Path
    csv: Path | None
    report: ActivityReport


def make_activity_report(service: LibraryService, out_pdf: Path | str, start: dt.date, end: dt.date, *,
                         csv_path: Path | str | None = None,
                         progress: Callable[[float, str], None] | None = None) -> ActivityFiles:
    target = pdf.check_target(out_pdf, ".pdf")
    csv_target = pdf.check_target(csv_path, ".csv") if csv_path is not None else None
    if progress:
        progress(0.0, "counting")
    report = gather(service, start, end)
    data = pdf.render(flowables(report), title="Service activity", on_page=pdf.page_number)
    written, written_csv = pdf.write_report(service, target, data, csv_target, csv_text(report),
                                            f"activity {start.isoformat()}..{end.isoformat()}")
    if progress:
        progress(1.0, "done")
    return ActivityFiles(written, written_csv, report)
