"""A session's coding to and from the research tools: ELAN `.eaf` and the CSV that BORIS and Datavyu read.

Export: one ELAN tier per principle and coder (the practitioner's tags over their clip's span, the
supervisor's principle comments over theirs, a named second coder's tags (`app.coders`) over theirs), a tier of clips and one of markers; times in
milliseconds from the recording's own frame index (exact on variable frame rate). The CSV has one row
per coded moment: onset, offset (seconds), code, coder, comment. Both leave the encrypted library,
so they need the case's `training` consent, are written atomically and are audited.

Import: a CSV or `.eaf` onto a recording, each onset and offset mapped to the frame shown at that
time; every row becomes a clip tagged with its principle. All-or-nothing: a row beyond the end of
the recording or with an unknown code refuses the whole file, naming every such row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pympi import Elan

from vigstudio.app import consent
from vigstudio.app.cases import case_of_session
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.recordings import open_recording_media
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import Annotation, AuditEvent, Clip
from vigstudio.domain.principles import load_catalogue
from vigstudio.media.export_encode import AtomicTarget

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

PRACTITIONER = "practitioner"
CSV_COLUMNS = ("onset", "offset", "code", "coder", "comment")


@dataclass(frozen=True)
class Moment:
    onset: float  # seconds
    offset: float
    code: str
    coder: str
    comment: str = ""


class ImportRefused(VigError):
    """Rows that do not fit the recording; nothing was imported."""

    def __init__(self, problems: list[str]):
        super().__init__("nothing imported: " + "; ".join(problems))
        self.problems = problems


def _seconds(times: Any, frame: int) -> float:
    return float(times[frame]) if frame < len(times) else float(times[-1])


def session_moments(service: LibraryService, session_id: int) -> tuple[int, list[Moment], list[Moment]]:
    """(the recording id, the coded moments, the markers) of the session's first recording."""
    with service.read() as repos:
        recordings = repos.recordings.of_session(session_id)
        if not recordings:
            raise InvalidInput(f"session {session_id} has no recording to export the coding of")
        recording = recordings[0]
        clips = repos.clips.of_recording(recording.saved_id)
        tags = {c.saved_id: repos.annotations.of_clip(c.saved_id) for c in clips}
        second = {c.saved_id: repos.coder_tags.of_clip(c.saved_id) for c in clips}  # named second coders
        comments = [c for c in repos.comments.of_session(session_id) if c.principle and c.clip_id]
        markers = repos.markers.of_recording(recording.saved_id)
    with open_recording_media(service, recording.saved_id) as media:
        times = list(media.frame_times)
        duration = media.info.duration
    by_id = {c.saved_id: c for c in clips}

    def span(clip: Clip) -> tuple[float, float]:
        end = _seconds(times, clip.end_frame) if clip.end_frame < len(times) else duration
        return _seconds(times, clip.start_frame), end

    moments = []
    for clip in clips:
        start, end = span(clip)
        moments.append(Moment(start, end, "clip", PRACTITIONER, clip.title))
        for tag in tags[clip.saved_id]:
            moments.append(Moment(start, end, tag.principle, PRACTITIONER, tag.text))
        for other in second[clip.saved_id]:
            moments.append(Moment(start, end, other.principle, other.coder, other.text))
    for comment in comments:
        commented = by_id.get(comment.clip_id or -1)
        if commented is not None and comment.principle:
            start, end = span(commented)
            moments.append(Moment(start, end, comment.principle, comment.author, comment.text))
    frame_length = (times[1] - times[0]) if len(times) > 1 else 0.04
    marks = [Moment(_seconds(times, m.frame), _seconds(times, m.frame) + frame_length, "marker", PRACTITIONER,
                    m.note) for m in markers]
    return recording.saved_id, moments, marks


def _leaving(service: LibraryService, session_id: int, what: str) -> None:
    case = case_of_session(service, session_id)
    consent.require_for(service, case.code, consent.Use.TRAINING_EXPORT)
    with service.edit() as repos:
        repos.audit.append(AuditEvent("export", f"{what} session {session_id} case {case.code}"))


def export_csv(service: LibraryService, session_id: int, out_path: Path | str) -> Path:
    target = AtomicTarget(out_path)
    _leaving(service, session_id, "coding csv")
    _, moments, marks = session_moments(service, session_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in sorted(moments + marks, key=lambda m: (m.onset, m.code)):
        writer.writerow((f"{m.onset:.3f}", f"{m.offset:.3f}", m.code, m.coder, m.comment))
    target.write_bytes(out.getvalue().encode("utf-8"))  # written to .partial, fsynced and renamed
    return target.final


def export_eaf(service: LibraryService, session_id: int, out_path: Path | str) -> Path:
    target = AtomicTarget(out_path)
    _leaving(service, session_id, "coding eaf")
    _, moments, marks = session_moments(service, session_id)
    eaf = Elan.Eaf(author="VIG Studio")
    eaf.remove_tier("default")
    for m in moments + marks:
        tier = m.code if m.code in ("clip", "marker") else f"{m.code} ({m.coder})"
        if tier not in eaf.get_tier_names():
            eaf.add_tier(tier)
        start, end = round(m.onset * 1000), max(round(m.offset * 1000), round(m.onset * 1000) + 1)
        eaf.add_annotation(tier, start, end, m.comment)
    document = Elan.to_adocument(eaf, True)
    data = Elan.etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    target.write_bytes(data)
    return target.final


def read_moments(path: Path | str) -> list[Moment]:
    """The moments of a BORIS/Datavyu-shaped CSV or an ELAN `.eaf` file."""
    source = Path(path)
    if not source.is_file():
        raise InvalidInput(f"no such file: {source}")
    if source.suffix.lower() == ".eaf":
        try:
            eaf = Elan.Eaf(str(source))
        except Exception as exc:  # pympi raises whatever its XML parsing meets
            raise InvalidInput(f"{source.name} is not a readable ELAN file ({type(exc).__name__})") from None
        found = []
        for tier in eaf.get_tier_names():
            code, _, coder = tier.partition(" (")
            for start, end, value, *_ in eaf.get_annotation_data_for_tier(tier):
                found.append(Moment(start / 1000, end / 1000, code.strip(), coder.rstrip(")") or PRACTITIONER,
                                    value or ""))
        return found
    try:
        rows = list(csv.DictReader(io.StringIO(source.read_text("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{source.name} is not a UTF-8 CSV file ({type(exc).__name__})") from None
    found = []
    problems = []
    for n, row in enumerate(rows, start=2):
        try:
            found.append(Moment(float(row["onset"]), float(row["offset"]), (row.get("code") or "").strip(),
                                (row.get("coder") or PRACTITIONER).strip(), (row.get("comment") or "").strip()))
        except (KeyError, TypeError, ValueError):
            problems.append(f"line {n}: needs numeric onset and offset columns")
    if problems:
        raise ImportRefused(problems)
    return found


def import_moments(service: LibraryService, recording_id: int, path: Path | str) -> list[int]:
    """Every principle-coded row becomes a clip tagged with it, at the frames shown at its onset and
    offset; clip and marker rows of our own export are skipped. All-or-nothing; returns the clip ids."""
    moments = read_moments(path)
    codes = set(load_catalogue().codes())
    with open_recording_media(service, recording_id) as media:
        count = media.info.frame_count
        duration = media.info.duration
        problems, planned = [], []
        for n, m in enumerate(moments, start=1):
            if m.code in ("clip", "marker"):
                continue
            where = f"row {n} ({m.code} at {m.onset:g} s)"
            if m.code not in codes:
                problems.append(f"{where}: unknown code (known: {', '.join(sorted(codes))})")
                continue
            if not 0 <= m.onset < m.offset or m.offset > duration + 1e-6:
                problems.append(f"{where}: outside the recording (0-{duration:.3f} s) or ends before it starts")
                continue
            start = media.frame_at_time(m.onset)
            end = min(count, max(start + 1, media.frame_at_time(m.offset)))
            planned.append((start, end, m))
    if problems:
        raise ImportRefused(problems)
    ids = []
    with service.edit() as repos:
        recording = repos.recordings.get(recording_id)
        position = len(repos.clips.of_recording(recording_id))
        for start, end, m in planned:
            clip = repos.clips.add(Clip(recording_id, start, end, m.comment[:200], position))
            position += 1
            text = m.comment if m.coder == PRACTITIONER else f"{m.coder}: {m.comment}".rstrip(": ")
            repos.annotations.add(Annotation(clip.saved_id, m.code, text=text))
            ids.append(clip.saved_id)
        repos.audit.append(AuditEvent("import_coding", f"recording {recording_id} {len(ids)} clips"))
        case_id = repos.sessions.case_of(recording.session_id).saved_id
    service.emit(Change(ChangeKind.CLIP, ChangeAction.ADDED, tuple(ids), case_id))
    return ids
