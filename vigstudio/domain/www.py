"""Watch, Wait and Wonder: timed observations on a session's recording and the Wonder half's notes.

Observations are addressed by frames like clips (`frame`, and an exclusive `end_frame` for a range);
times are derived. A response observation (the mother follows or redirects) may name the infant
initiative it answers (`responds_to`), which is what the course overview counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InvalidInput
from .model import Attendance, CancelledBy, CarerRole, Session, Stored, new_uid, utcnow

MAX_TEXT = 4000


@dataclass
class Observation(Stored):
    recording_id: int
    frame: int  # first frame
    code: str  # observation catalogue code, e.g. "M-FOLLOW"
    end_frame: int | None = None  # exclusive, as for clips; None for a single moment
    text: str = ""
    coder: str = ""  # "" = this library's practitioner; otherwise a named second coder
    responds_to: int | None = None  # id of the infant-initiative observation a response answers
    created_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None
    uid: str = field(default_factory=new_uid)

    @property
    def last_frame(self) -> int:
        """The last frame the observation covers (inclusive)."""
        return self.frame if self.end_frame is None else self.end_frame - 1


class WonderKind(StrEnum):
    """What a note of the Wonder half holds."""

    MOTHER_OBSERVED = "mother_observed"  # what she saw, in her own words
    MOTHER_FELT = "mother_felt"
    REMINDED_OF = "reminded_of"  # what it reminded her of
    THERAPIST = "therapist"  # the therapist's reflection
    THEME = "theme"  # a theme that came up (catalogue code in `theme`, or free words in `text`)


@dataclass
class WonderNote(Stored):
    session_id: int
    kind: WonderKind
    text: str = ""
    theme: str | None = None  # a theme code of the observation catalogue (kind THEME only)
    observation_id: int | None = None  # the observation it is about, if any
    recording_id: int | None = None  # or a moment of a recording
    frame: int | None = None
    created_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None
    uid: str = field(default_factory=new_uid)


def check_attendance(session: Session) -> None:
    """Refuse attendance details that contradict each other, before anything is written."""
    if session.cancelled_by is not None and session.attendance != Attendance.CANCELLED:
        raise InvalidInput("only a cancelled session says who cancelled it")
    if session.attendance == Attendance.CANCELLED and session.cancelled_by is None:
        raise InvalidInput("say who cancelled the session: the family or the service")
    if session.attendees and session.attendance != Attendance.ATTENDED:
        raise InvalidInput("only an attended session has people who attended")
    if session.attendance_reason and session.attendance not in (Attendance.CANCELLED, Attendance.DNA):
        raise InvalidInput("a reason is kept only for a cancelled or not attended session")
    if len(session.attendance_reason) > MAX_TEXT:
        raise InvalidInput(f"the reason is longer than {MAX_TEXT} characters")
    parse_roles(session.attendees)


def parse_roles(roles: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Roles of who attended (mother, father, other_carer), de-duplicated in the given order."""
    known = {r.value for r in CarerRole}
    out: list[str] = []
    for role in roles:
        value = role.strip().lower().replace(" ", "_").replace("-", "_")
        if value not in known:
            raise InvalidInput(f"unknown role {role!r} (roles: {', '.join(sorted(known))})")
        if value not in out:
            out.append(value)
    return tuple(out)


def parse_attendance(text: str) -> tuple[Attendance, CancelledBy | None]:
    """`planned`, `attended`, `dna`, `cancelled` (by the family), `cancelled-family`, `cancelled-service`."""
    value = text.strip().lower().replace("_", "-")
    if value in ("cancelled-family", "cancelled-by-family"):
        return Attendance.CANCELLED, CancelledBy.FAMILY
    if value in ("cancelled-service", "cancelled-by-service"):
        return Attendance.CANCELLED, CancelledBy.SERVICE
    try:
        attendance = Attendance(value)
    except ValueError:
        raise InvalidInput(f"unknown attendance {text!r} (planned, attended, cancelled, "
                           "cancelled-service, dna)") from None
    return attendance, (CancelledBy.FAMILY if attendance == Attendance.CANCELLED else None)


def check_observation_frames(obs: Observation, frame_count: int) -> None:
    if not 0 <= obs.frame < frame_count:
        raise InvalidInput(f"frame {obs.frame} is outside the recording (0-{frame_count - 1})")
    if obs.end_frame is not None and not obs.frame < obs.end_frame <= frame_count:
        raise InvalidInput(f"end frame {obs.end_frame} must be after frame {obs.frame} and at most "
                           f"{frame_count} (the end is exclusive)")
    if len(obs.text) > MAX_TEXT:
        raise InvalidInput(f"the observation's text is longer than {MAX_TEXT} characters")
    if len(obs.coder) > 200:
        raise InvalidInput("the coder's name is longer than 200 characters")
