"""A named second coder in one library: a colleague's principle tags on the same clips, for coding
agreement between two practitioners (`app.agreement` with `coders=("practitioner", "Anna")`).

The library's own tags (annotations) are the coder "practitioner", the supervisor's principle comments
the coder "supervisor"; any other name is a second coder whose tags are kept apart (`coder_tags`), never
shown or sent as the practitioner's own. They are typed in one by one or imported from the ELAN `.eaf` or
BORIS/Datavyu CSV that coder wrote (their rows, by the coder column or tier name), each row landing on
the recording's clip that shows its onset. All-or-nothing, as the other coding import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.interchange import ImportRefused, read_moments
from vigstudio.app.recordings import open_recording_media
from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.guider import PRACTITIONER_CODER, SUPERVISOR_CODER, CoderTag
from vigstudio.domain.model import AuditEvent, Clip
from vigstudio.domain.principles import load_catalogue

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

RESERVED = (PRACTITIONER_CODER, SUPERVISOR_CODER)


def coder_name(value: object) -> str:
    """A second coder's name: one line, and not one of the two coders the library already has."""
    name = text_rules.single_line(value, "a coder's name", text_rules.MAX_NAME_LENGTH)
    if not name:
        raise InvalidInput("a second coder needs a name")
    if name.casefold() in RESERVED:
        raise InvalidInput(f"{name!r} names the library's own coders; give the second coder's own name")
    return name


def add_tag(service: LibraryService, clip_id: int, coder: str, principle: str, frame: int | None = None,
            text: str = "") -> CoderTag:
    coder = coder_name(coder)
    code = (principle or "").strip().upper()
    load_catalogue().principle(code)
    with service.edit() as repos:
        clip = repos.clips.get(clip_id)
        coder = _spelled(repos.coder_tags.coders(), coder)
        if frame is not None and not clip.contains(frame):
            raise InvalidInput(f"frame {frame} is outside clip {clip_id}")
        tag = repos.coder_tags.add(CoderTag(clip_id=clip_id, coder=coder, principle=code, frame=frame,
                                            text=text_rules.free_text(text or "", "a tag's text")))
        session_id = repos.recordings.get(clip.recording_id).session_id
        case = repos.sessions.case_of(session_id)
        repos.audit.append(AuditEvent("coder_tag_add", f"coder tag {tag.id} clip {clip_id} case {case.code}"))
    service.emit(Change(ChangeKind.CODER_TAG, ChangeAction.ADDED, (tag.saved_id, clip_id), case.saved_id, session_id))
    return tag


def delete_tag(service: LibraryService, tag_id: int) -> CoderTag:
    with service.edit() as repos:
        tag = repos.coder_tags.get(tag_id)
        repos.coder_tags.delete(tag_id)
        session_id = repos.recordings.get(repos.clips.get(tag.clip_id).recording_id).session_id
        case = repos.sessions.case_of(session_id)
        repos.audit.append(AuditEvent("coder_tag_delete", f"coder tag {tag_id} clip {tag.clip_id} case {case.code}"))
    service.emit(Change(ChangeKind.CODER_TAG, ChangeAction.DELETED, (tag_id, tag.clip_id), case.saved_id, session_id))
    return tag


def tags_of_clip(service: LibraryService, clip_id: int, coder: str | None = None) -> list[CoderTag]:
    with service.read() as repos:
        repos.clips.get(clip_id)
        return repos.coder_tags.of_clip(clip_id, coder)


def second_coders(service: LibraryService) -> list[str]:
    """The named coders whose tags the library holds."""
    with service.read() as repos:
        return repos.coder_tags.coders()


def _spelled(known: list[str], name: str) -> str:
    """The coder's name as the library already spells it (names match whatever their case)."""
    return next((k for k in known if k.casefold() == name.casefold()), name)


def _clip_at(clips: list[Clip], frame: int) -> Clip | None:
    """The clip showing `frame` (the shortest when clips overlap)."""
    inside = [c for c in clips if c.contains(frame)]
    return min(inside, key=lambda c: (c.frame_count, c.start_frame), default=None)


def import_tags(service: LibraryService, recording_id: int, path: Path | str, coder: str) -> list[int]:
    """`coder`'s rows of a CSV or `.eaf` file as their tags on the recording's clips (the clip showing each
    row's onset). All-or-nothing: a row with an unknown code, outside the recording or on no clip refuses
    the whole file, naming every such row. Returns the new tags' ids."""
    coder = coder_name(coder)
    moments = read_moments(path)
    mine = [m for m in moments if m.coder.casefold() == coder.casefold() and m.code not in ("clip", "marker")]
    if not mine:
        found = sorted({m.coder for m in moments})
        raise InvalidInput(f"{Path(path).name} has no rows of coder {coder!r} (coders there: "
                           f"{', '.join(found) or 'none'})")
    codes = set(load_catalogue().codes())
    with service.read() as repos:
        clips = repos.clips.of_recording(recording_id)
        repos.recordings.get(recording_id)
        coder = _spelled(repos.coder_tags.coders(), coder_name(mine[0].coder))
    problems: list[str] = []
    planned: list[tuple[Clip, int, str, str]] = []
    with open_recording_media(service, recording_id) as media:
        duration = media.info.duration
        for n, m in enumerate(mine, start=1):
            where = f"row {n} of {coder} ({m.code} at {m.onset:g} s)"
            if m.code not in codes:
                problems.append(f"{where}: unknown code (known: {', '.join(sorted(codes))})")
                continue
            if not 0 <= m.onset <= duration:
                problems.append(f"{where}: outside the recording (0-{duration:.3f} s)")
                continue
            frame = media.frame_at_time(m.onset)
            clip = _clip_at(clips, frame)
            if clip is None:
                problems.append(f"{where}: no clip of recording {recording_id} shows frame {frame}")
                continue
            planned.append((clip, frame, m.code, m.comment))
    if problems:
        raise ImportRefused(problems)
    ids = []
    with service.edit() as repos:
        recording = repos.recordings.get(recording_id)
        for clip, frame, code, comment in planned:
            tag = repos.coder_tags.add(CoderTag(clip_id=clip.saved_id, coder=coder, principle=code, frame=frame,
                                                text=text_rules.free_text(comment, "a tag's text")))
            ids.append(tag.saved_id)
        case = repos.sessions.case_of(recording.session_id)
        repos.audit.append(AuditEvent("import_coding", f"recording {recording_id} {len(ids)} tags of a second coder"))
    service.emit(Change(ChangeKind.CODER_TAG, ChangeAction.ADDED, tuple(ids), case.saved_id, recording.session_id))
    return ids
