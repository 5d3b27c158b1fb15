"""The course summary of a WWW intervention as an A4 PDF, for the case record or the closing letter.

Anonymous by construction: no case code, no name, and none of the words people typed (cancellation
reasons, notes, themes in the therapist's own words may name someone): only dates, attendance, the
roles of who came, counts of what was coded, and catalogue wording. Made with reportlab through
`app.pdf` (embedded font, written atomically) and audited as an export; it needs no consent scope
(`Use.ANONYMOUS_REPORT`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from vigstudio.app import pdf
from vigstudio.app.consent import Use, require_for
from vigstudio.app.www.overview import CourseOverview, course_overview
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Attendance, AuditEvent, CancelledBy, InterventionKind

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

ROLE_WORDS = {"mother": "mother", "father": "father", "other_carer": "other carer"}


def attendance_words(attendance: Attendance, cancelled_by: CancelledBy | None) -> str:
    if attendance == Attendance.CANCELLED:
        return f"cancelled by the {cancelled_by.value if cancelled_by else 'family'}"
    return {Attendance.PLANNED: "planned", Attendance.ATTENDED: "attended", Attendance.DNA: "not attended"}[attendance]


def _table_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    body = pdf.styles().body
    cell = ParagraphStyle("www_cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0)
    head = ParagraphStyle("www_head", parent=cell, fontName=pdf.BOLD, fontSize=9)
    return cell, head


def _story(overview: CourseOverview) -> list[Flowable]:
    styles = pdf.styles()
    cell_style, head_style = _table_styles()
    progress, course = overview.progress, overview.intervention
    story: list[Flowable] = [Paragraph("Watch, Wait and Wonder", styles.title),
                   Paragraph("Course summary", styles.subtitle), Spacer(1, 8 * mm)]
    dates = [s.date for s in progress.sessions if s.attendance == Attendance.ATTENDED]
    span = f"{min(dates):%d %B %Y} to {max(dates):%d %B %Y}" if dates else "no session attended yet"
    facts = [f"{progress.attended} of {course.planned_sessions or len(progress.sessions)} planned sessions attended "
             f"({span}).",
             f"{progress.cancelled(CancelledBy.FAMILY)} cancelled by the family, "
             f"{progress.cancelled(CancelledBy.SERVICE)} cancelled by the service, "
             f"{progress.not_attended} not attended."]
    if overview.followed or overview.redirected:
        facts.append(f"Of the infant's initiatives answered on the recordings, the mother followed "
                     f"{overview.followed} and redirected {overview.redirected}.")
    for fact in facts:
        story.append(Paragraph(fact, styles.body))
    story += [Spacer(1, 4 * mm), Paragraph("Sessions", styles.heading)]
    head = ["Date", "No.", "Attendance", "Who came", "Coded", "Followed", "Redirected"]
    rows = [[Paragraph(h, head_style) for h in head]]
    for s in overview.sessions:
        who = ", ".join(ROLE_WORDS.get(r, r) for r in s.session.attendees) or "—"
        cells = [f"{s.session.date:%d %b %Y}", str(s.number) if s.number else "—",
                 attendance_words(s.session.attendance, s.session.cancelled_by), who, str(len(s.observations)),
                 str(s.followed), str(s.redirected)]
        rows.append([Paragraph(c, cell_style) for c in cells])
    # 166 mm: the A4 frame; a date, "No." and "Followed" each on one line (narrower, they broke mid-word)
    widths = [28 * mm, 12 * mm, 30 * mm, 32 * mm, 16 * mm, 23 * mm, 25 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(pdf.INK)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f1ed")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),  # the table's own default is Helvetica, not embedded
    ]))
    story.append(table)
    themes = overview.themes()
    own = sum(len(s.own_themes) for s in overview.sessions)
    if themes or own:
        story += [Spacer(1, 6 * mm), Paragraph("Themes that came up in the Wonder half", styles.heading)]
        for label, count in themes:
            story.append(Paragraph(f"{label} — {count} session{'s' if count != 1 else ''}", styles.body))
        if own:
            story.append(Paragraph(f"and {own} theme{'s' if own != 1 else ''} in the therapist's own words "
                                   "(kept in the case record)", styles.body))
    return story


def make_course_summary(service: LibraryService, intervention_id: int, out_path: Path | str) -> Path:
    target = pdf.check_target(out_path, ".pdf")
    overview = course_overview(service, intervention_id)
    if overview.intervention.kind != InterventionKind.WWW:
        raise InvalidInput(f"intervention {intervention_id} is not a Watch, Wait and Wonder course")
    with service.read() as repos:
        case = repos.cases.get(overview.intervention.case_id)
    require_for(service, case.code, Use.ANONYMOUS_REPORT)
    data = pdf.render(_story(overview), title="Course summary", on_page=pdf.page_number)
    path = pdf.write(target, data)
    try:
        with service.edit() as repos:
            repos.audit.append(AuditEvent("export", f"course summary intervention {intervention_id} "
                                                    f"case {case.code}"))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
