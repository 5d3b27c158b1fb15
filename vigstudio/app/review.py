"""The shared review: the session's playlist, the parent's own words, and the way out of review.

`playlist(service, session_id)` gives the session's clips and stills in the order the review shows
them. Clips come in their review order (`Clip.position`); each still follows the first clip (in that
order) that contains its frame, so the family pauses on the moment right after watching it; stills
outside every clip come after the last clip, in their own order (`Still.position`).

Reflections are the parent's words, written down by the practitioner during the review, each with
the clip or still and the frame on screen when they were said; each is committed at once.

Leaving review needs the library passphrase or a short review PIN (4–8 digits) the practitioner sets
for the library, kept only as an Argon2 hash in the library's (encrypted) settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import Annotation, AuditEvent, Clip, Reflection, Still, clip_name
from vigstudio.domain.principles import Catalogue, load_catalogue
from vigstudio.store.keys import unwrap_keyfile
from vigstudio.store.library import KEY_FILE

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.containers import ContainerReader

PIN_SETTING = "review_pin_hash"
PIN_PATTERN = re.compile(r"[0-9]{4,8}")
MAX_REFLECTION_LENGTH = 4000
CATALOGUE_EXTENSION = "principles.json"  # the library's own additions to the principles catalogue


@dataclass(frozen=True)
class PlaylistItem:
    """One thing the family watches: a clip (frames start..end-1) or a still (one frame)."""

    kind: str  # "clip" or "still"
    id: int
    recording_id: int
    start_frame: int  # a still: its frame
    end_frame: int  # exclusive; a still: frame + 1
    title: str = ""  # a clip's title
    caption: str = ""  # a still's caption
    principles: tuple[str, ...] = ()  # principle codes tagged on the clip (a still: its clip's)
    prompts: tuple[str, ...] = ()  # the practitioner's notes on the clip's tags, for the presenter
    clip_id: int | None = None  # a still: the clip it follows, if any
    number: int = 0  # a clip's place among the session's clips in review order (from 1); a still: its clip's

    @property
    def name(self) -> str:
        """The practitioner's name for the item (`domain.model.clip_name` for a clip)."""
        if self.is_still:
            return f"Still “{self.caption}”" if self.caption else f"Still at frame {self.frame}"
        return clip_name(self.title, self.number)

    @property
    def is_still(self) -> bool:
        return self.kind == "still"

    @property
    def frame(self) -> int:
        """The frame a still shows (for a clip: its first frame)."""
        return self.start_frame

    @property
    def last_frame(self) -> int:
        return self.end_frame - 1

    @property
    def label(self) -> str:
        """What the family screen may show: a still's caption or a clip's title ("" for none)."""
        return self.caption if self.is_still else self.title


@dataclass(frozen=True)
class ReviewPlan:
    """The playlist plus what the presenter needs to name the principles."""

    session_id: int
    case_code: str
    items: list[PlaylistItem] = field(default_factory=list)
    principle_names: dict[str, str] = field(default_factory=dict)  # code → name


# -- the playlist -----------------------------------------------------------------------------------


def playlist(service: LibraryService, session_id: int) -> list[PlaylistItem]:
    """The session's clips and stills in review order (see the module doc)."""
    with service.read() as repos:
        repos.sessions.get(session_id)
        clips = repos.clips.of_session(session_id)
        stills = repos.stills.of_session(session_id)
        annotations = {c.saved_id: repos.annotations.of_clip(c.saved_id) for c in clips}
    return order_items(clips, stills, annotations)


def review_plan(service: LibraryService, session_id: int) -> ReviewPlan:
    with service.read() as repos:
        case = repos.sessions.case_of(session_id)
    items = playlist(service, session_id)
    catalogue = _catalogue(service)
    names = {}
    for item in items:
        for code in item.principles:
            try:
                names[code] = catalogue.principle(code).name
            except Exception:  # a code the catalogue no longer has: show the code alone
                names[code] = ""
    return ReviewPlan(session_id, case.code, items, names)


def order_items(clips: list[Clip], stills: list[Still], annotations: dict[int, list[Annotation]]) -> list[PlaylistItem]:
    clips = sorted(clips, key=lambda c: (c.position, c.id))
    stills = sorted(stills, key=lambda s: (s.position, s.frame, s.id))
    clip_items = {c.saved_id: _clip_item(c, annotations.get(c.saved_id, []), number)
                  for number, c in enumerate(clips, 1)}
    after_clip: dict[int, list[PlaylistItem]] = {c.saved_id: [] for c in clips}
    loose: list[PlaylistItem] = []
    for still in stills:
        home = next((c for c in clips if c.recording_id == still.recording_id and c.contains(still.frame)), None)
        if home is None:
            loose.append(_still_item(still, None))
        else:
            after_clip[home.saved_id].append(_still_item(still, clip_items[home.saved_id]))
    items: list[PlaylistItem] = []
    for clip in clips:
        items.append(clip_items[clip.saved_id])
        items.extend(after_clip[clip.saved_id])
    return items + loose


def _clip_item(clip: Clip, annotations: list[Annotation], number: int) -> PlaylistItem:
    principles = tuple(dict.fromkeys(a.principle for a in annotations))
    prompts = tuple(a.text.strip() for a in annotations if a.text and a.text.strip())
    return PlaylistItem("clip", clip.saved_id, clip.recording_id, clip.start_frame, clip.end_frame,
                        title=clip.title, principles=principles, prompts=prompts, number=number)


def _still_item(still: Still, clip: PlaylistItem | None) -> PlaylistItem:
    return PlaylistItem("still", still.saved_id, still.recording_id, still.frame, still.frame + 1,
                        caption=still.caption,
                        principles=clip.principles if clip else (), prompts=clip.prompts if clip else (),
                        clip_id=clip.id if clip else None, number=clip.number if clip else 0)


def _catalogue(service: LibraryService) -> Catalogue:
    return load_catalogue(Path(service.path) / CATALOGUE_EXTENSION)


def open_recording_file(service: LibraryService, recording_id: int) -> ContainerReader:
    """A fresh seekable reader of the recording's encrypted container (decrypting as it reads;
    nothing plaintext is written anywhere). The caller closes it."""
    with service.read() as repos:
        recording = repos.recordings.get(recording_id)
        key_hex = repos.recordings.container_key(recording_id)
    return service.library.containers.open_reader(recording.container, key_hex)


# -- reflections ------------------------------------------------------------------------------------


def add_reflection(service: LibraryService, session_id: int, text: str, clip_id: int | None = None,
                   still_id: int | None = None, frame: int | None = None) -> Reflection:
    """Write down the parent's words now (committed before this returns)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("a reflection needs some words")
    if len(text) > MAX_REFLECTION_LENGTH:
        raise InvalidInput(f"a reflection has at most {MAX_REFLECTION_LENGTH} characters")
    if frame is not None and (isinstance(frame, bool) or not isinstance(frame, int) or frame < 0):
        raise InvalidInput("the frame of a reflection must be a whole number ≥ 0")
    with service.edit() as repos:
        repos.sessions.get(session_id)
        recording_ids = {r.id for r in repos.recordings.of_session(session_id)}
        for kind, item_id, repo in (("clip", clip_id, repos.clips), ("still", still_id, repos.stills)):
            if item_id is not None and repo.get(item_id).recording_id not in recording_ids:
                raise InvalidInput(f"{kind} {item_id} does not belong to session {session_id}")
        reflection = repos.reflections.add(Reflection(session_id, text, clip_id=clip_id, still_id=still_id,
                                                      frame=frame))
        case = repos.sessions.case_of(session_id)
        repos.audit.append(AuditEvent("reflection_add", f"reflection {reflection.id} session {session_id}"))
    service.emit(Change(ChangeKind.REFLECTION, ChangeAction.ADDED, (reflection.saved_id,), case.saved_id, session_id))
    return reflection


def reflections(service: LibraryService, session_id: int) -> list[Reflection]:
    """The session's reflections, oldest first."""
    with service.read() as repos:
        repos.sessions.get(session_id)
        return repos.reflections.of_session(session_id)


# -- the review PIN and the way out -----------------------------------------------------------------


def set_pin(service: LibraryService, pin: str) -> None:
    """Set the library's review PIN (4–8 digits); only its Argon2 hash is kept."""
    pin = (pin or "").strip()
    if not PIN_PATTERN.fullmatch(pin):
        raise InvalidInput("a review PIN is 4 to 8 digits")
    digest = PasswordHasher().hash(pin)
    with service.edit() as repos:
        repos.settings.set(PIN_SETTING, digest)
        repos.audit.append(AuditEvent("review_pin_set", "library"))
    service.emit(Change(ChangeKind.SETTINGS, ChangeAction.UPDATED))


def clear_pin(service: LibraryService) -> None:
    """No PIN: leaving review then needs the library passphrase."""
    with service.edit() as repos:
        repos.settings.delete(PIN_SETTING)
        repos.audit.append(AuditEvent("review_pin_clear", "library"))
    service.emit(Change(ChangeKind.SETTINGS, ChangeAction.UPDATED))


def has_pin(service: LibraryService) -> bool:
    with service.read() as repos:
        return bool(repos.settings.get(PIN_SETTING))


def verify_exit(service: LibraryService, secret: str) -> bool:
    """True if `secret` is the review PIN or the library passphrase. The passphrase is checked
    against the key file (the open library stays open); it takes about as long as an unlock."""
    if not secret:
        return False
    with service.read() as repos:
        digest = repos.settings.get(PIN_SETTING)
    if digest and PIN_PATTERN.fullmatch(secret.strip()):
        try:
            if PasswordHasher().verify(digest, secret.strip()):
                return True
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            pass
    try:
        unwrap_keyfile(Path(service.path) / KEY_FILE, secret)
    except VigError:  # wrong passphrase, or a key file that cannot be read: not a way out
        return False
    return True
