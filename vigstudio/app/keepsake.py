"""What the family keeps: a printable A4 keepsake of a shared review, and the clips beside it.

The keepsake follows the review order (`review.playlist`): each still large with its caption, a
frame from the middle of each clip with its title, and the parent's own words said in the review
(reflections) under the moment they were said on, the others on a last page. With `clips_dir` the
clips are exported beside it as MP4 files, their titles burned in (`exporting.export_clip`).

It is gentle by design: the family's chosen title on the cover (a neutral one if they chose none),
no case code, no principle codes or names, no clinical notes or prompts, so nothing in it needs
explaining to a grandparent. A family's name appears only if they typed it as the title.

It is an export like any other: it needs the case's `keepsake` consent (checked before anything is
decoded or written), the GUI shows `exporting.LEAVES_LIBRARY` first, pictures are decoded in memory
only, every file is written atomically, and one audit event (ids and counts; never the title or a
file name) records it; if anything fails, every file this call wrote is removed again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from vigstudio.app import pdf
from vigstudio.app.consent import Use, require_for
from vigstudio.app.exporting import export_clip
from vigstudio.app.pictures import still_pictures
from vigstudio.app.progress import as_progress
from vigstudio.app.review import PlaylistItem, playlist, reflections
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Reflection

if TYPE_CHECKING:
    import numpy as np

    from vigstudio.app.library import LibraryService
    from vigstudio.app.progress import Progress, ProgressCallback

DEFAULT_TITLE = "Our time together"
MAX_TITLE_LENGTH = 120
SUBTITLE = "The moments we watched together"
PICTURE_HEIGHT = 720  # px decoded per picture: sharp at A4 width without a huge file
STILL_MAX_HEIGHT = 150 * mm
CLIP_MAX_HEIGHT = 115 * mm
COVER_MAX_HEIGHT = 105 * mm


@dataclass(frozen=True)
class KeepsakeResult:
    pdf: Path
    clips: list[Path] = field(default_factory=list)  # in review order
    pages: int = 0
    stills: int = 0
    words: int = 0  # the parent's words printed


def keepsake_title(text: str | None) -> str:
    """The cover title as the family chose it, on one line; the neutral default when empty."""
    title = " ".join(unicodedata.normalize("NFC", text or "").split())
    title = "".join(c for c in title if c.isprintable())
    if not title:
        return DEFAULT_TITLE
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidInput(f"a keepsake title has at most {MAX_TITLE_LENGTH} characters")
    return title


def make_keepsake(service: LibraryService, session_id: int, out_path: Path | str, *,
                  title: str | None = None, clips_dir: Path | str | None = None,
                  progress: Progress | ProgressCallback | None = None) -> KeepsakeResult:
    """Write the session's keepsake PDF to `out_path` (and, with `clips_dir`, its clips as MP4)."""
    title = keepsake_title(title)
    target = pdf.check_target(out_path, ".pdf")
    with service.read() as repos:
        session = repos.sessions.get(session_id)
        case = repos.sessions.case_of(session_id)
    require_for(service, case.code, Use.KEEPSAKE)
    items = playlist(service, session_id)
    if not items:
        raise InvalidInput(f"session {session_id} has no clips or stills for a keepsake")
    clips = [item for item in items if not item.is_still]
    folder = Path(clips_dir) if clips_dir is not None else None
    clip_files = _clip_files(folder, clips) if folder is not None else {}
    progress = as_progress(progress, "keepsake")

    pictures = _pictures(service, items, progress.part(0.0, 0.3))
    said = reflections(service, session_id)
    story, printed_words = _story(title, session.date, items, pictures, said, clip_files)
    progress(0.35, "laying out the pages")
    data = pdf.render(story, title=title, on_page=pdf.page_number)

    written: list[Path] = []
    made_folder = folder is not None and not folder.exists()
    try:
        if folder is not None and clip_files:
            folder.mkdir(exist_ok=True)
            span = 0.6 / len(clips)
            for n, item in enumerate(clips):
                part = progress.part(0.35 + n * span, 0.35 + (n + 1) * span)
                result = export_clip(service, item.id, clip_files[item.id], caption=bool(item.title.strip()),
                                     progress=part)
                assert result.path is not None  # exported to a file, not a file object
                written.append(result.path)
        progress(0.97, "writing the keepsake")
        written.append(pdf.write(target, data))
        stills = sum(1 for item in items if item.is_still)
        with service.edit() as repos:
            repos.audit.append(AuditEvent("export", f"keepsake session {session_id} case {case.code} "
                                                    f"clips {len(clips)} stills {stills} words {printed_words}"
                                                    + (" with clip files" if clip_files else "")))
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        if made_folder and folder is not None:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    progress(1.0, "keepsake written")
    return KeepsakeResult(written[-1], written[:-1], pages=pdf.page_count(data), stills=stills,
                          words=printed_words)


# -- the pieces -------------------------------------------------------------------------------------


def clip_file_name(number: int, title: str) -> str:
    """"01 Turning.mp4": the review order first, then the title in letters, digits, spaces, dashes."""
    words = re.sub(r"[^\w\- ]+", " ", unicodedata.normalize("NFC", title), flags=re.UNICODE)
    words = " ".join(words.replace("_", " ").split())[:40].strip()
    return f"{number:02d} {words or 'film'}.mp4"


def _clip_files(folder: Path, clips: list[PlaylistItem]) -> dict[int, Path]:
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"cannot put the clips in {folder}: it is not a folder")
    if not folder.parent.is_dir():
        raise InvalidInput(f"cannot put the clips in {folder}: its folder does not exist")
    files = {item.id: folder / clip_file_name(n, item.title) for n, item in enumerate(clips, start=1)}
    taken = [p.name for p in files.values() if p.exists()]
    if taken:  # never overwrite what is there already (it may be another family's)
        raise InvalidInput(f"{folder} already holds {taken[0]}: choose an empty folder")
    return files


def _picture_frame(item: PlaylistItem) -> int:
    """A still's own frame; for a clip, its middle frame (its first is often the moment before)."""
    return item.frame if item.is_still else (item.start_frame + item.last_frame) // 2


def _pictures(service: LibraryService, items: list[PlaylistItem], progress: Progress) -> dict[int, np.ndarray]:
    """Picture of each item (by its index in `items`), decoded in memory, one pass per recording."""
    wanted: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, item in enumerate(items):
        wanted[item.recording_id][_picture_frame(item)].append(n)
    pictures: dict[int, np.ndarray] = {}
    for done, (recording_id, frames) in enumerate(wanted.items()):
        part = progress.part(done / len(wanted), (done + 1) / len(wanted))
        for frame, rgb in still_pictures(service, recording_id, frames, PICTURE_HEIGHT, progress=part):
            for n in frames[frame]:
                pictures[n] = rgb
    return pictures


def _story(title: str, date: dt.date, items: list[PlaylistItem], pictures: dict[int, np.ndarray],
           said: list[Reflection], clip_files: dict[int, Path]) -> tuple[list[Flowable], int]:
    """The flowables: a cover, one moment per page, then the words said outside any moment."""
    s = pdf.styles()
    words_on: dict[tuple[str, int], list[Reflection]] = defaultdict(list)
    placed = set()
    for reflection in said:
        for kind, item_id in (("still", reflection.still_id), ("clip", reflection.clip_id)):
            if item_id is not None and any((i.kind, i.id) == (kind, item_id) for i in items):
                words_on[(kind, item_id)].append(reflection)
                placed.add(id(reflection))
                break
    cover_page: list[Flowable] = [pdf.paragraph(title, s.title), pdf.paragraph(SUBTITLE, s.subtitle),
                        pdf.paragraph(f"{date.day} {date:%B %Y}", s.subtitle), Spacer(1, 12 * mm)]
    cover = next((n for n, item in enumerate(items) if item.is_still and n in pictures), None)
    cover = cover if cover is not None else next(iter(sorted(pictures)), None)
    if cover is not None:
        cover_page.append(pdf.picture(pictures[cover], pdf.FRAME_WIDTH * 0.8, COVER_MAX_HEIGHT))
    story: list[Flowable] = pdf.centred(cover_page, rise=0.35)
    printed = 0
    for n, item in enumerate(items):
        page: list[Flowable] = []
        if not item.is_still and item.title.strip():
            page.append(pdf.paragraph(item.title, s.heading_centered))
        if n in pictures:
            height = STILL_MAX_HEIGHT if item.is_still else CLIP_MAX_HEIGHT
            page.append(pdf.picture(pictures[n], pdf.FRAME_WIDTH, height))
        if item.is_still and item.caption.strip():
            page.append(pdf.paragraph(item.caption, s.caption))
        if not item.is_still and item.id in clip_files:
            page.append(pdf.paragraph(f"The film is beside this booklet: {clip_files[item.id].name}", s.small))
        for reflection in words_on[(item.kind, item.id)]:
            page.append(pdf.paragraph(pdf.quoted(reflection.text), s.words))
            printed += 1
        story += [PageBreak(), *pdf.centred(page)]
    loose = [r for r in said if id(r) not in placed]
    if loose:
        page = [pdf.paragraph("In your words", s.heading_centered)]
        page += [pdf.paragraph(pdf.quoted(r.text), s.words) for r in loose]
        story += [PageBreak(), *pdf.centred(page)]
        printed += len(loose)
    return story, printed
