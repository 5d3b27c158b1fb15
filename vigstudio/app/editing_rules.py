"""Checks and small store helpers shared by the editing use cases (`vigstudio.app.editing`).

Every check raises `InvalidInput` / `NotFound` with a one-line message naming ids and frame numbers
only (never titles, captions or notes), and runs before the use case writes anything.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.guider import CoderTag
from vigstudio.domain.model import Annotation, CaseOrigin, Clip, Cycle, Recording, Still, Who

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from vigstudio.store.repositories import Repos

    class StoredRecord(DataclassInstance, Protocol):
        """Any of the store's dataclasses (they all have their row id)."""

        id: int | None

_Dataclass = TypeVar("_Dataclass", bound="DataclassInstance")

MAX_TITLE_LENGTH = 200


class Unchanged:
    """The type of `UNCHANGED`, "leave this field as it is" in an update; `isinstance` narrows it away."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged()


@dataclass(frozen=True)
class ClipWithTags:
    """A clip with its annotations, as the clip list shows it (title, length, principle chips)."""

    clip: Clip
    annotations: tuple[Annotation, ...] = ()
    coder_tags: tuple[CoderTag, ...] = ()  # a named second coder's tags (app.coders) go and come back too

    @property
    def principles(self) -> list[str]:
        """The principle codes tagged on the clip, each once, in the order they were first tagged."""
        return list(dict.fromkeys(a.principle for a in self.annotations))


@dataclass(frozen=True)
class ClipSnapshot:
    """Everything `delete_clip` removed, so `restore_clip` can bring back the same ids and position."""

    clip: Clip
    annotations: tuple[Annotation, ...] = ()
    coder_tags: tuple[CoderTag, ...] = ()  # a named second coder's tags (app.coders) go and come back too


class ReadOnlySupervision(VigError):
    """An edit of a clip, still or tag that came in a supervision bundle, or of the session notes and
    helping question that came with them: the supervisor comments on the practitioner's work, never
    changes it (the feedback bundle carries comments only)."""

    def __init__(self, kind: str, key: object, what: str = "clips and stills"):
        super().__init__(f"{kind} {key}: {what} from a supervision bundle are read-only "
                         "(add a comment instead)")
        self.kind = kind
        self.key = key


# The practitioner's own words about the session that came in the bundle: shown, never rewritten.
PRACTITIONER_WORDS = "the session notes and helping question"


# -- checks ------------------------------------------------------------------------------------------


def is_supervision_session(repos: Repos, session_id: int) -> bool:
    """Whether the session belongs to a supervision case (opened from a practitioner's bundle)."""
    return repos.sessions.case_of(session_id).origin == CaseOrigin.SUPERVISION


def check_editable(repos: Repos, recording: Recording, kind: str, key: object) -> None:
    """Refuse (`ReadOnlySupervision`) an edit of `kind` `key` on a recording of a supervision case."""
    if is_supervision_session(repos, recording.session_id):
        raise ReadOnlySupervision(kind, key)


def check_session_words_editable(repos: Repos, session_id: int) -> None:
    """Refuse an edit of a supervision session's notes (they are the practitioner's)."""
    if is_supervision_session(repos, session_id):
        raise ReadOnlySupervision("session", session_id, PRACTITIONER_WORDS)


def check_cycle_words_editable(repos: Repos, cycle: Cycle) -> None:
    """Refuse an edit of a supervision case's helping question (the parent's words, via the practitioner)."""
    case = repos.cases.get(repos.interventions.get(cycle.intervention_id).case_id)
    if case.origin == CaseOrigin.SUPERVISION:
        raise ReadOnlySupervision("cycle", cycle.id, PRACTITIONER_WORDS)


def check_frame_number(value: object, what: str = "frame") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number, not {type(value).__name__}")
    return value


def check_clip_range(start: object, end: object, recording: Recording) -> tuple[int, int]:
    """0 ≤ start < end ≤ frame_count (end exclusive)."""
    start = check_frame_number(start, "start frame")
    end = check_frame_number(end, "end frame")
    count = recording.frame_count
    if start >= end:
        raise InvalidInput(f"a clip must end after it starts (start {start}, end {end}; the end is exclusive)")
    if start < 0 or end > count:
        raise InvalidInput(f"frames {start}-{end} are outside recording {recording.id} "
                           f"(frames 0-{count - 1}; the end is exclusive, at most {count})")
    return start, end


def check_frame_in_recording(frame: object, recording: Recording) -> int:
    frame = check_frame_number(frame)
    if not 0 <= frame < recording.frame_count:
        raise InvalidInput(f"frame {frame} is outside recording {recording.id} "
                           f"(frames 0-{recording.frame_count - 1})")
    return frame


def check_frame_in_clip(frame: object, clip: Clip) -> int:
    frame = check_frame_number(frame)
    if not clip.contains(frame):
        raise InvalidInput(f"frame {frame} is outside clip {clip.id} "
                           f"(frames {clip.start_frame}-{clip.end_frame - 1})")
    return frame


def check_title(title: object) -> str:
    return text_rules.single_line(title, "a clip title", MAX_TITLE_LENGTH)


def check_text(text: object, what: str) -> str:
    return text_rules.free_text(text, what)


def parse_who(who: Who | str | None) -> Who | None:
    if who is None or isinstance(who, Who):
        return who
    key = str(who).strip().lower()
    if not key:
        return None
    try:
        return Who(key)
    except ValueError:
        raise InvalidInput(f"unknown 'who' {who!r} (one of: {', '.join(w.value for w in Who)})") from None


def annotations_outside(annotations: Sequence[Annotation], start: int, end: int) -> list[Annotation]:
    return [a for a in annotations if a.frame is not None and not start <= a.frame < end]


# -- store helpers -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def reinsert(repos: Repos, repository: Any, obj: StoredRecord) -> None:
    """Insert `obj` keeping its id (undo of a delete must bring back the very ids that later undo
    commands refer to). The store's `add` always allocates a new id, so this builds the row itself
    from the repository's own row class."""
    if obj.id is None:
        raise InvalidInput(f"cannot restore a {repository.kind} that was never saved")
    if repository.find(obj.id) is not None:
        raise InvalidInput(f"{repository.kind} {obj.id} already exists; nothing was restored")
    uid = getattr(obj, "uid", None)  # clips and stills keep a cross-library uid (bundles refer to it)
    if uid is not None and repository.by_uid(uid) is not None:
        raise InvalidInput(f"{repository.kind} {uid} already exists; nothing was restored")
    values = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    repos.orm_session.add(repository.row(**values))
    repos.orm_session.flush()


def renumber(repository: Any, ordered: Sequence[Clip | Still], skip_id: int | None = None) -> list[int]:
    """Give `ordered` the dense positions 0..n-1; returns the ids whose position changed.
    The object with `skip_id` only gets its position set in memory (it is written by the caller)."""
    changed = []
    for position, obj in enumerate(ordered):
        if obj.position != position:
            obj.position = position
            changed.append(obj.saved_id)
            if obj.id != skip_id:
                repository.update(obj)
    return changed


def copy(obj: _Dataclass) -> _Dataclass:
    """A detached copy, so a snapshot cannot be changed through an object the caller still holds."""
    return dataclasses.replace(obj)
