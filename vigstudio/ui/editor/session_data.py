"""SessionData: what the editor shows of one session, read through the app's editing queries.

The one owner of the editor's state. It reloads from the library whenever the app announces a
committed edit (`LibraryService.subscribe`) that can touch this session, then emits `changed` with
the parts it read again (`"clips"`, `"stills"`...); every panel (clip list, stills, notes, timeline)
redraws from it, and only for the parts it shows, so no two views can disagree, an undo shows up
everywhere at once, and a caption does not redraw the timeline. Changes committed on another thread
arrive through a queued signal.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from vigstudio.app import editing
from vigstudio.app.cases import case_of_session
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing import ClipWithTags
from vigstudio.app.library import LibraryService
from vigstudio.app.www import Observations, WonderNotes
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Cycle, Marker, Recording, Session, SessionKind, Still
from vigstudio.domain.wording import counted
from vigstudio.domain.www import Observation, WonderNote

# What to read again after each kind of change (cases, interventions: only through LIBRARY). Deleting
# a recording takes its clips and stills. "comments" and "reflections" are read by their own panels:
# SessionData reads nothing for them, it only tells those panels (`changed`).
_PARTS: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.SESSION: ("session",),
    ChangeKind.CYCLE: ("cycle",),
    ChangeKind.RECORDING: ("recordings", "markers", "clips", "stills", "observations"),
    ChangeKind.CLIP: ("clips",),
    ChangeKind.ANNOTATION: ("clips",),
    ChangeKind.STILL: ("stills",),
    ChangeKind.OBSERVATION: ("observations", "notes"),  # a deleted observation unlinks its notes
    ChangeKind.WONDER_NOTE: ("notes",),
    ChangeKind.MARKER: ("markers",),
    ChangeKind.COMMENT: ("comments",),
    ChangeKind.REFLECTION: ("reflections",),
}
_ALL_PARTS = ("session", "cycle", "recordings", "clips", "stills", "markers", "observations", "notes", "comments",
              "reflections")
EVERYTHING = frozenset(_ALL_PARTS)  # what `changed` names after a full reload


@dataclass(frozen=True)
class ReviewReadiness:
    """Is the session ready for the shared review? Every clip tagged with a principle, and a still
    with a caption inside every clip (the family reads those words). Counts only, no text."""

    clips: int
    tagged: int
    captioned: int

    @property
    def ready(self) -> bool:
        return self.clips > 0 and self.tagged == self.clips and self.captioned == self.clips

    def summary(self) -> str:
        if not self.clips:
            return "No clips yet: set an in point (I), an out point (O), then make a clip (C)."
        parts = [counted(self.clips, "clip"),
                 f"{self.tagged} tagged", f"{self.captioned} with a captioned still"]
        text = " · ".join(parts)
        return f"Ready for review — {text}" if self.ready else f"Not ready yet — {text}"


def review_readiness(clips: list[ClipWithTags], stills: list[Still]) -> ReviewReadiness:
    tagged = sum(1 for c in clips if c.annotations)
    captioned = sum(1 for c in clips if any(
        s.recording_id == c.clip.recording_id and c.clip.contains(s.frame) and s.caption.strip()
        for s in stills))
    return ReviewReadiness(len(clips), tagged, captioned)


class SessionData(QObject):
    changed = Signal(object)  # frozenset of the parts read again (EVERYTHING after a full reload)
    closed = Signal(str)  # the library was locked/closed or the session is gone: the editor must close
    _arrived = Signal(object)  # a Change, re-emitted so one from a worker thread reaches the GUI thread

    def __init__(self, service: LibraryService, session_id: int, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.session_id = session_id
        case = case_of_session(service, session_id)
        self.case_id, self.case_code = case.id, case.code  # (id, pseudonymous code) of its case
        self.catalogue = editing.principles_catalogue(service)  # the principles its clips are tagged with
        # A supervision case's session: its clips, tags, stills and words are the practitioner's.
        self.read_only = editing.is_read_only(service, session_id)
        self.session: Session
        self.cycle: Cycle | None  # None for a WWW session (outside VIG cycles)
        self.observations: list[Observation] = []
        self.notes: list[WonderNote] = []  # the Wonder half's notes (WWW)
        self.recordings: list[Recording] = []
        self.clips: list[ClipWithTags] = []
        self.stills: list[Still] = []
        self.markers: list[Marker] = []
        self._load()
        self._arrived.connect(self._on_change)
        self._unsubscribe = service.subscribe(self._arrived.emit)

    def detach(self) -> None:
        """Stop listening to the library (the editor window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # -- reading ------------------------------------------------------------------------------------

    def _load(self, parts: tuple[str, ...] = _ALL_PARTS) -> None:
        service, sid = self.service, self.session_id
        readers = {
            "session": lambda: editing.get_session(service, sid),
            "cycle": lambda: editing.cycle_of_session(service, sid),
            "recordings": lambda: editing.recordings_of_session(service, sid),
            "clips": lambda: editing.clips_of_session(service, sid),
            "stills": lambda: editing.stills_of_session(service, sid),
            "markers": lambda: editing.markers_of_session(service, sid),
            "observations": lambda: Observations(service).of_session(sid),
            "notes": lambda: WonderNotes(service).of_session(sid),
        }
        for part in parts:
            if part in readers:
                setattr(self, part, readers[part]())

    def reload(self, parts: tuple[str, ...] = _ALL_PARTS) -> None:
        """Read `parts` again (only what a change can have touched: a caption edit on a long session
        must not re-read every clip), then tell the views."""
        try:
            self._load(parts)
        except VigError as err:  # the session was deleted, or the library locked under us
            self.closed.emit(str(err))
            return
        self.changed.emit(frozenset(parts))

    @Slot(object)
    def _on_change(self, change: Change) -> None:
        if self._unsubscribe is None:
            return
        if change.kind == ChangeKind.LIBRARY:
            if change.action == ChangeAction.CLOSED:
                self.closed.emit("The library was closed.")
            else:
                self.reload()
        elif change.kind in _PARTS and self._touches(change):
            self.reload(_PARTS[change.kind])

    def _touches(self, change: Change) -> bool:
        """Whether the change can concern this session: its own edits, its cycle's, or a change that
        names only its case (or nothing narrower, e.g. recordings deleted by retention)."""
        if change.kind == ChangeKind.CYCLE:
            return self.cycle is not None and self.cycle.id in change.ids
        if change.session_id is not None:
            return change.session_id == self.session_id
        return change.case_id in (None, self.case_id)

    # -- lookups ------------------------------------------------------------------------------------

    def clip(self, clip_id: int) -> ClipWithTags | None:
        return next((c for c in self.clips if c.clip.id == clip_id), None)

    def still(self, still_id: int) -> Still | None:
        return next((s for s in self.stills if s.id == still_id), None)

    def recording(self, recording_id: int) -> Recording | None:
        return next((r for r in self.recordings if r.id == recording_id), None)

    def clips_of_recording(self, recording_id: int) -> list[ClipWithTags]:
        return [c for c in self.clips if c.clip.recording_id == recording_id]

    def observations_of_recording(self, recording_id: int) -> list[Observation]:
        return [o for o in self.observations if o.recording_id == recording_id]

    def observation(self, observation_id: int) -> Observation | None:
        return next((o for o in self.observations if o.id == observation_id), None)

    @property
    def is_www(self) -> bool:
        return self.session.kind == SessionKind.WWW

    def markers_of_recording(self, recording_id: int) -> list[Marker]:
        return [m for m in self.markers if m.recording_id == recording_id]

    def clip_at(self, recording_id: int, frame: int) -> ClipWithTags | None:
        """The clip containing `frame` (the shortest when clips overlap)."""
        inside = [c for c in self.clips_of_recording(recording_id) if c.clip.contains(frame)]
        return min(inside, key=lambda c: c.clip.frame_count, default=None)

    def review_number(self, clip_id: int) -> int:
        """1-based place of the clip in the review order (0 if unknown)."""
        for number, c in enumerate(self.clips, start=1):
            if c.clip.id == clip_id:
                return number
        return 0

    def readiness(self) -> ReviewReadiness:
        return review_readiness(self.clips, self.stills)

