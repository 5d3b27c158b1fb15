"""A practitioner's library after some years, made in seconds: bulk inserts, no media.

    generate(service, cases=300)  # adds cases S-0001..S-0300

Per case, as issue 18 sizes it: one VIG intervention with one cycle, 4 filming sessions with a
recording each, 16 clips (4 per session) with 2 principle tags each, 4 stills (one per session) and
1 comment. The recordings are rows only (made-up containers, never opened): enough for the library
window, the tree and every listing, which never decode video. Rows go in with explicit ids in one
transaction, a few multi-row INSERTs per table, so 300 cases take about a second.
`fill_session(service, recording)` gives a real, imported recording the same per-session content.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, insert, select

from vigstudio.app.library import LibraryService
from vigstudio.domain.model import Recording
from vigstudio.store import schema

SESSIONS_PER_CASE = 4
CLIPS_PER_SESSION = 4
TAGS_PER_CLIP = 2
FRAMES = 3000  # a 2-minute recording at 25 fps
PRINCIPLES = ("P1", "P2", "P3", "P4", "P5", "P6")


def _uid() -> str:
    return uuid.uuid4().hex


class Rows:
    """Rows per table, with ids continuing after the library's own; inserted in the order the tables
    were first used (so parents before their children)."""

    def __init__(self, session) -> None:
        self.session = session
        self.rows: dict[type, list[dict]] = {}
        self.next_id: dict[type, int] = {}

    def add(self, table: type, **values) -> int:
        if table not in self.next_id:
            self.next_id[table] = (self.session.scalar(select(func.max(table.id))) or 0) + 1
        values["id"] = row_id = self.next_id[table]
        self.next_id[table] += 1
        self.rows.setdefault(table, []).append(values)
        return row_id

    def insert(self) -> None:
        for table, rows in self.rows.items():
            self.session.execute(insert(table), rows)


def _session_content(rows: Rows, session_id: int, recording_id: int, frames: int, *, comment: bool,
                     position: int = 0, still_position: int = 0) -> None:
    span = max(2, frames // (CLIPS_PER_SESSION + 1))
    for n in range(CLIPS_PER_SESSION):
        start = n * span
        clip_id = rows.add(schema.ClipRow, recording_id=recording_id, start_frame=start,
                           end_frame=min(frames, start + span // 2 + 1), title=f"moment {n + 1}",
                           position=position + n, uid=_uid())
        for t in range(TAGS_PER_CLIP):
            rows.add(schema.AnnotationRow, clip_id=clip_id, principle=PRINCIPLES[(n + t) % len(PRINCIPLES)],
                     behaviour=None, who=None, text="", frame=None)
    rows.add(schema.StillRow, recording_id=recording_id, frame=1, caption="", position=still_position,
             uid=_uid())
    if comment:
        rows.add(schema.CommentRow, session_id=session_id, text="a supervisor's note", author="supervisor",
                 created_at=dt.datetime.now(dt.UTC), uid=_uid(), clip_id=None, recording_id=None, frame=None,
                 principle=None, behaviour=None)


def generate(service: LibraryService, cases: int = 300, *, first: int = 1) -> list[int]:
    """Add `cases` cases (codes S-0001...) with their sessions, recordings, clips, tags, stills and a
    comment, in one transaction; returns the new case ids."""
    now = dt.datetime.now(dt.UTC)
    with service.edit() as repos:
        rows = Rows(repos.orm_session)
        case_ids = []
        for number in range(first, first + cases):
            case_id = rows.add(schema.CaseRow, code=f"S-{number:04d}", name=None, referral="health_visitor",
                               status="open", is_demo=False, created_at=now, origin="local")
            case_ids.append(case_id)
            intervention_id = rows.add(schema.InterventionRow, case_id=case_id, kind="vig")
            cycle_id = rows.add(schema.CycleRow, intervention_id=intervention_id, number=1, helping_question="")
            for s in range(SESSIONS_PER_CASE):
                session_id = rows.add(schema.SessionRow, intervention_id=intervention_id, cycle_id=cycle_id, kind="filming",
                                      date=dt.date(2024, 1, 1) + dt.timedelta(days=7 * s), notes="",
                                      source_uid=None, uid=_uid())
                recording_id = rows.add(schema.RecordingRow, session_id=session_id, file_name=f"visit {s + 1}.mp4",
                                        container=f"generated-{_uid()}.vigm", container_key="0" * 64,
                                        sha256="0" * 64, frame_count=FRAMES, fps=25.0, duration=FRAMES / 25,
                                        width=1280, height=720, has_audio=True, imported_at=now)
                _session_content(rows, session_id, recording_id, FRAMES, comment=s == 0)
        rows.insert()
    return case_ids


def fill_session(service: LibraryService, recording: Recording) -> None:
    """Give a real recording's session the generated content (clips, tags, a still) after its own."""
    with service.edit() as repos:
        rows = Rows(repos.orm_session)
        _session_content(rows, recording.session_id, recording.id, recording.frame_count, comment=False,
                         position=len(repos.clips.of_session(recording.session_id)),
                         still_position=len(repos.stills.of_session(recording.session_id)))
        rows.insert()
