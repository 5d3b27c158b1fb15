"""The closing letter to the parent at the end of an intervention: a draft to edit, then the PDF.

`draft_letter` writes a plain-text draft from what the library holds for the intervention: the
helping question of each cycle, the moments the family watched (clip titles, still captions), a few
of the parent's own words from the reviews, and one still per cycle. The practitioner edits it in
any text editor, in their own plain words, and `make_letter` makes the A4 PDF from the edited text.
(Goal ratings are not recorded in the library yet: the draft says where to write them.)

The text format is small on purpose:

    %% a note for the practitioner: never printed
    # A heading
    [still 12]      that still, with its caption under it (a still of this case only; the rest of
                    the line, e.g. the caption the draft shows as a reminder, is not printed)
    anything else   paragraph text; a blank line starts a new paragraph, a line break is kept

Both files leave the encrypted library, so both need the case's `keepsake` consent, are written
atomically and are audited (ids only). The PDF carries no case code and no clinical codes: only
what the text says, the stills it names and their captions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from vigstudio.app import pdf
from vigstudio.app.cases import find_case
from vigstudio.app.consent import Use, require_for
from vigstudio.app.pictures import still_pictures
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Case, Cycle, Intervention, InterventionKind, Still

if TYPE_CHECKING:
    import numpy as np

    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

NOTE = "%%"
DRAFT_SUFFIXES = (".txt", ".md")
STILL_LINE = re.compile(r"\[\s*still\s+(\d+)\s*\]", re.IGNORECASE)
MAX_TEXT_LENGTH = 60_000
MAX_WORDS_QUOTED = 3
PICTURE_HEIGHT = 600
LETTER_PICTURE_HEIGHT = 95 * mm
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


@dataclass(frozen=True)
class LetterResult:
    path: Path
    stills: int


@dataclass
class _Material:
    """What the library holds for one intervention, gathered in one read."""

    case: Case
    intervention: Intervention
    cycles: list[Cycle]
    clip_titles: dict[int, list[str]] = field(default_factory=dict)  # by cycle id
    stills: dict[int, list[Still]] = field(default_factory=dict)  # by cycle id
    words: dict[int, list[str]] = field(default_factory=dict)  # the parent's words, by cycle id


# -- the draft --------------------------------------------------------------------------------------


def draft_text(service: LibraryService, case_code: str, intervention_id: int | None = None) -> str:
    """The draft letter for the intervention (default: the case's latest), as text to edit."""
    return _draft(_material(service, case_code, intervention_id))


def _draft(m: _Material) -> str:
    code, kind, count = m.case.code, m.intervention.kind.value.upper(), len(m.cycles)
    lines = [
        f"{NOTE} Closing letter draft for case {code}, intervention {m.intervention.id} "
        f"({kind}, {count} cycle{'s' if count != 1 else ''}).",
        f"{NOTE} Edit it freely, in your own words, then make the PDF from it:",
        f"{NOTE}     vigstudio letter LIBRARY --case {code} --text THIS-FILE --out letter.pdf",
        f"{NOTE} Lines starting with {NOTE} are notes for you and are never printed.",
        f"{NOTE} A line [still N] prints that still with its caption: keep, move or delete them.",
        f"{NOTE} A line starting with # is a heading. A blank line starts a new paragraph.",
        "",
        "Dear …,",
        "",
        "We have come to the end of our time working together, and I wanted to write down some of "
        "what we saw, so that you can keep it.",
        "",
    ]
    questions = [c.helping_question.strip() for c in m.cycles if c.helping_question.strip()]
    for n, question in enumerate(questions):
        if n == 0:
            lines.append(f"When we began, you wanted to know: “{question}”")
        elif question != questions[n - 1]:
            lines.append(f"Later you asked: “{question}”")
    if questions:
        lines.append("")
    lines += ["# What I saw", f"{NOTE} In plain words, what you saw across the cycles; the lines below only "
              "start it off.", ""]
    chosen, spare = [], []
    for cycle in m.cycles:
        titles = [t for t in m.clip_titles.get(cycle.saved_id, []) if t]
        if titles:
            lines += [f"In our {_ordinal(cycle.number)} film, we watched {_listed(titles)} together.", ""]
        stills = m.stills.get(cycle.saved_id, [])
        captioned = [s for s in stills if s.caption.strip()] or stills
        if captioned:
            chosen.append(captioned[0])
            spare += [s for s in stills if s.id != captioned[0].id]
    for still in chosen:
        lines += [f"[still {still.id}]", ""]
    if spare:
        lines.append(f"{NOTE} More stills you may add (remove the {NOTE} in front):")
        lines += [f"{NOTE} [still {s.id}]" + (f"  “{s.caption.strip()}”" if s.caption.strip() else "")
                  for s in spare]
        lines.append("")
    words = _spread([m.words.get(cycle.saved_id, []) for cycle in m.cycles], MAX_WORDS_QUOTED)
    if words:
        lines += ["# In your words", ""]
        lines += [f"You said: “{w}”" for w in words]
        lines.append("")
    lines += [f"{NOTE} Goals: the library records no ratings of the helping question. If you rated it "
              "together at the start and the end, say so here,",
              f"{NOTE} e.g. “At the start you gave it 3 out of 10; now you give it 7.”", "",
              "With warm wishes,", "", f"{NOTE} your name", ""]
    return "\n".join(lines)


def write_draft(service: LibraryService, case_code: str, out_path: Path | str,
                intervention_id: int | None = None) -> Path:
    """Write the draft as a UTF-8 .txt or .md file (atomically; needs `keepsake` consent; audited)."""
    target = pdf.check_target(out_path, DRAFT_SUFFIXES)
    case = find_case(service, case_code)
    require_for(service, case.code, Use.CLOSING_LETTER)
    m = _material(service, case.code, intervention_id)
    path = pdf.write(target, _draft(m).encode("utf-8"))
    _audit(service, path, f"letter draft case {case.code} intervention {m.intervention.id}")
    return path


# -- the PDF ----------------------------------------------------------------------------------------


def make_letter(service: LibraryService, case_code: str, out_path: Path | str, *, text: str | None = None,
                intervention_id: int | None = None, date: dt.date | None = None) -> LetterResult:
    """The letter as an A4 PDF from `text` (the edited draft; default: the fresh draft)."""
    target = pdf.check_target(out_path, ".pdf")
    case = find_case(service, case_code)
    require_for(service, case.code, Use.CLOSING_LETTER)
    if text is None:
        text = draft_text(service, case.code, intervention_id)
    blocks = parse(text)
    stills = _stills_of_case(service, case, [value for kind, value in blocks if kind == "still" and isinstance(value, int)])
    pictures = _pictures(service, stills)
    data = pdf.render(_story(blocks, stills, pictures, date or dt.date.today()), title="A letter",
                      on_page=pdf.page_number)
    path = pdf.write(target, data)
    _audit(service, path, f"letter case {case.code} stills {len(stills)}")
    return LetterResult(path, len(stills))


def parse(text: str) -> list[tuple[str, str | int]]:
    """("heading", str) | ("paragraph", str) | ("still", int) blocks of the letter text."""
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"a letter has at most {MAX_TEXT_LENGTH} characters")
    blocks: list[tuple[str, str | int]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(("paragraph", "\n".join(lines)))
            lines.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.lstrip().startswith(NOTE):
            continue
        still = STILL_LINE.match(line.strip())  # what follows it (the caption, as a reminder) is not printed
        if still or line.startswith("#") or not line.strip():
            flush()
        if still:
            blocks.append(("still", int(still.group(1))))
        elif line.startswith("#"):
            if line.lstrip("#").strip():
                blocks.append(("heading", line.lstrip("#").strip()))
        elif line.strip():
            lines.append(line.strip())
    flush()
    if not any(kind != "still" for kind, _ in blocks):
        raise InvalidInput("the letter has no words to print")
    return blocks


def _story(blocks: list[tuple[str, str | int]], stills: dict[int, Still], pictures: dict[int, np.ndarray],
           date: dt.date) -> list[Flowable]:
    s = pdf.styles()
    dated = ParagraphStyle("date", parent=s.body, alignment=TA_RIGHT, textColor=pdf.SOFT_INK)
    caption = ParagraphStyle("letter_caption", parent=s.words, fontSize=11.5, leading=16, spaceBefore=4,
                             spaceAfter=10)
    story: list[Flowable] = [pdf.paragraph(f"{date.day} {date:%B %Y}", dated), Spacer(1, 8 * mm)]
    row: list[Still] = []  # stills side by side, two to a row: a letter, not an album

    def flush_row() -> None:
        if not row:
            return
        width = pdf.FRAME_WIDTH * (0.62 if len(row) == 1 else 0.44)
        cells = []
        for still in row:
            cell = [pdf.picture(pictures[still.saved_id], width, LETTER_PICTURE_HEIGHT)]
            if still.caption.strip():
                cell.append(pdf.paragraph(still.caption, caption))
            cells.append(cell)
        table = Table([cells], colWidths=[pdf.FRAME_WIDTH / len(row)] * len(row))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                                   ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR)]))  # not Helvetica
        story.append(KeepTogether([table]))
        row.clear()

    for kind, value in blocks:
        if kind == "still":
            if int(value) in pictures:
                row.append(stills[int(value)])
                if len(row) == 2:
                    flush_row()
            continue
        flush_row()
        style = s.heading if kind == "heading" else s.body
        story.append(pdf.paragraph(str(value), style))
    flush_row()
    return story


# -- reading the library ----------------------------------------------------------------------------


def interventions(service: LibraryService, case_code: str) -> list[tuple[int, str]]:
    """(id, label) of the case's interventions, oldest first (the letter is about one of them)."""
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        found = []
        for i in repos.interventions.of_case(case.saved_id):
            count = len(repos.cycles.of_intervention(i.saved_id))
            found.append((i.saved_id, f"{i.kind.value.upper()}, {count} cycle{'s' if count != 1 else ''} (intervention {i.id})"))
    return found


def _material(service: LibraryService, case_code: str, intervention_id: int | None) -> _Material:
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        intervention = _intervention(repos, case, intervention_id)
        cycles = sorted(repos.cycles.of_intervention(intervention.saved_id), key=lambda c: (c.number, c.saved_id))
        m = _Material(case, intervention, cycles)
        for cycle in cycles:
            sessions = sorted(repos.sessions.of_cycle(cycle.saved_id), key=lambda s: (s.date, s.saved_id))
            clips = [c for s in sessions for c in sorted(repos.clips.of_session(s.saved_id),
                                                         key=lambda c: (c.position, c.id))]
            m.clip_titles[cycle.saved_id] = list(dict.fromkeys(f"“{c.title.strip()}”" for c in clips if c.title.strip()))
            m.stills[cycle.saved_id] = [st for s in sessions for st in sorted(repos.stills.of_session(s.saved_id),
                                                                        key=lambda st: (st.position, st.id))]
            m.words[cycle.saved_id] = [" ".join(r.text.split()) for s in sessions
                                 for r in repos.reflections.of_session(s.saved_id)]
    return m


def _intervention(repos: Repos, case: Case, intervention_id: int | None) -> Intervention:
    interventions = repos.interventions.of_case(case.saved_id)
    if intervention_id is None:
        if not interventions:
            raise InvalidInput(f"case {case.code} has no intervention to write a letter about")
        # The letter tells of VIG cycles: a WWW course added beside them is not the default.
        return next((i for i in reversed(interventions) if i.kind == InterventionKind.VIG), interventions[-1])
    chosen = next((i for i in interventions if i.id == intervention_id), None)
    if chosen is None:
        raise InvalidInput(f"intervention {intervention_id} is not one of case {case.code}'s")
    return chosen


def _stills_of_case(service: LibraryService, case: Case, ids: list[int]) -> dict[int, Still]:
    with service.read() as repos:
        mine = {st.saved_id: st for s in repos.sessions.of_case(case.saved_id) for st in repos.stills.of_session(s.saved_id)}
    for still_id in ids:
        if still_id not in mine:
            raise InvalidInput(f"still {still_id} is not one of case {case.code}'s stills")
    return {still_id: mine[still_id] for still_id in ids}


def _pictures(service: LibraryService, stills: dict[int, Still]) -> dict[int, np.ndarray]:
    by_recording: dict[int, dict[int, list[int]]] = {}
    for still in stills.values():
        by_recording.setdefault(still.recording_id, {}).setdefault(still.frame, []).append(still.saved_id)
    pictures = {}
    for recording_id, frames in by_recording.items():
        for frame, rgb in still_pictures(service, recording_id, frames, PICTURE_HEIGHT):
            for still_id in frames[frame]:
                pictures[still_id] = rgb
    return pictures


def _audit(service: LibraryService, written: Path, what: str) -> None:
    try:
        with service.edit() as repos:
            repos.audit.append(AuditEvent("export", what))
    except BaseException:
        written.unlink(missing_ok=True)
        raise


def _spread(per_cycle: list[list[str]], most: int) -> list[str]:
    """Up to `most` items taken in turn from each cycle (the first of each, then the second...),
    so the letter quotes the parent from across the work, not only from its first review."""
    taken: list[str] = []
    for round_ in range(max((len(words) for words in per_cycle), default=0)):
        taken += [words[round_] for words in per_cycle if round_ < len(words)]
    return taken[:most]


def _ordinal(number: int) -> str:
    return ORDINALS[number - 1] if 1 <= number <= len(ORDINALS) else f"number {number}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
