"""The trainee's portfolio for the transition or accreditation meeting: a PDF summarising the stages,
the cycles counted from the library (case codes only), the supervision log with its goals and
reflections, and the reflective statement. Anonymous: no family's name, words or pictures appear,
so it needs no consent; it leaves the library all the same, so it is audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from vigstudio.app import pdf, training
from vigstudio.domain.model import AuditEvent
from vigstudio.domain.training import SupervisionRecord

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService


def flowables(progress: training.TrainingProgress, supervisions: list[SupervisionRecord],
              statement: str) -> list[Flowable]:
    s = pdf.styles()
    story: list[Flowable] = [Paragraph("Training portfolio", s.title),
                             Paragraph("Video Interaction Guidance — route to accreditation", s.subtitle),
                             Spacer(1, 6 * mm)]
    if not progress.stages:
        story.append(pdf.paragraph("No training stage has been recorded yet.", s.body))
    for stage in progress.stages:
        r = stage.requirement
        since = f" (since {stage.started_on:%d %B %Y})" if stage.started_on else ""
        story.append(Paragraph(f"Stage {r.stage}{since}", s.heading))
        story.append(pdf.paragraph(r.text, s.body))
        story.append(pdf.table([["", "done", "required"],
                                ["VIG cycles", str(len(stage.cycles)), str(r.cycles)],
                                ["further clients" if r.further_clients else "clients", str(len(stage.clients)),
                                 str(r.clients)],
                                ["supervision hours", f"{stage.hours:g}", f"{r.supervision_hours:g}"]],
                               [60 * mm, 30 * mm, 30 * mm]))
        story.append(Spacer(1, 2 * mm))
        missing = stage.missing()
        story.append(pdf.paragraph("Still needed: " + "; ".join(missing) if missing else
                                   "Everything this stage asks for is done.", s.body))
        if stage.cycles:
            story.append(pdf.table([["cycle", "case", "shared review"]] +
                                   [[str(n), c.case_code, c.reviewed_on.strftime("%d %b %Y")]
                                    for n, c in enumerate(stage.cycles, 1)],
                                   [20 * mm, 40 * mm, 40 * mm]))
        story.append(Spacer(1, 4 * mm))
    story.append(PageBreak())
    story.append(Paragraph("Supervision log", s.heading))
    if not supervisions:
        story.append(pdf.paragraph("No supervision logged yet.", s.body))
    for record in supervisions:
        story.append(Paragraph(f"{record.date:%d %B %Y} — {record.supervisor}, {record.minutes} minutes", s.body))
        for label, text in (("Discussed", record.discussed), ("Goals agreed", record.goals),
                            ("My reflection", record.reflection)):
            if text:
                story.append(pdf.paragraph(f"{label}: {text}", s.body))
    story.append(Paragraph("Reflective statement", s.heading))
    story.append(pdf.paragraph(statement or "(not written yet)", s.body))
    return story


def make_portfolio(service: LibraryService, out_pdf: Path | str,
                   progress: Callable[[float, str], None] | None = None) -> Path:
    target = pdf.check_target(out_pdf, ".pdf")
    if progress:
        progress(0.0, "gathering the record")
    story = flowables(*training.record(service))
    data = pdf.render(story, title="Training portfolio", on_page=pdf.page_number)
    written = pdf.write(target, data)
    with service.edit() as repos:
        repos.audit.append(AuditEvent("export", "training portfolio"))
    if progress:
        progress(1.0, "done")
    return written
