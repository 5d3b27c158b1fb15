"""The things a VIG practitioner works with, as plain dataclasses.

Frames are integer indices in presentation order; times are always derived from them
(see `timecode`), so a clip boundary never drifts when a recording has a variable frame rate.
Ids are `None` until the store has saved the object; `saved_id` is the id of one that was saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import uuid4


class ReferralSource(StrEnum):
    HEALTH_VISITOR = "health_visitor"
    GP = "gp"
    MIDWIFERY = "midwifery"
    OBSTETRICS = "obstetrics"
    SOCIAL_CARE = "social_care"
    MENTAL_HEALTH = "mental_health"
    SELF = "self"
    OTHER = "other"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class InterventionKind(StrEnum):
    VIG = "vig"
    WWW = "www"


class InterventionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"  # the family stopped or the service closed it before the planned end


class Attendance(StrEnum):
    """Whether a session took place. `CANCELLED` says by whom in `Session.cancelled_by`."""

    PLANNED = "planned"
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    DNA = "dna"  # did not attend, without cancelling


class CancelledBy(StrEnum):
    FAMILY = "family"
    SERVICE = "service"


class CarerRole(StrEnum):
    """Who came to a session: roles, never names."""

    MOTHER = "mother"
    FATHER = "father"
    OTHER_CARER = "other_carer"


class SessionKind(StrEnum):
    FILMING = "filming"
    SHARED_REVIEW = "shared_review"
    WWW = "www"
    SUPERVISION = "supervision"


class Who(StrEnum):
    PARENT = "parent"
    CHILD = "child"
    PRACTITIONER = "practitioner"


class ConsentScope(StrEnum):
    STORAGE = "storage"
    SUPERVISION = "supervision"
    TRAINING = "training"
    KEEPSAKE = "keepsake"  # the family may keep copies (plain clips, stills, the keepsake, the letter)


class CaseOrigin(StrEnum):
    LOCAL = "local"
    SUPERVISION = "supervision"  # imported from a practitioner's bundle; its clips are read-only


class ContactRole(StrEnum):
    SUPERVISOR = "supervisor"
    PRACTITIONER = "practitioner"


class BundleKind(StrEnum):
    SESSION = "session"
    FEEDBACK = "feedback"
    OUTCOMES = "outcomes"  # a practitioner's anonymous outcomes, for the lead's service report


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_uid() -> str:
    """A stable id that travels between libraries (UUID4, 32 hex digits)."""
    return uuid4().hex


class Stored:
    """What every object the store keeps shares: its row id, `None` until the store has saved it."""

    id: int | None

    @property
    def saved_id(self) -> int:
        """The id of an object the store returned (what a reference to it needs); an unsaved one is a bug."""
        if self.id is None:
            raise ValueError(f"this {type(self).__name__} has not been saved yet")
        return self.id


@dataclass
class Case(Stored):
    code: str  # pseudonymous, e.g. "F-014"; the only identifier that ever leaves the library
    name: str | None = None
    referral: ReferralSource = ReferralSource.OTHER
    status: CaseStatus = CaseStatus.OPEN
    is_demo: bool = False
    created_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None
    origin: CaseOrigin = CaseOrigin.LOCAL


# A WWW course is about 15 weekly sessions (the programme runs at least 8, at most 18).
WWW_PLANNED_SESSIONS = 15


@dataclass
class Intervention(Stored):
    """VIG (in cycles) or a WWW course (sessions directly); a case may have both side by side."""

    case_id: int
    kind: InterventionKind = InterventionKind.VIG
    id: int | None = None
    status: InterventionStatus = InterventionStatus.ACTIVE
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    planned_sessions: int | None = None  # WWW: 15 unless the service plans otherwise; VIG: often unset


@dataclass
class Cycle(Stored):
    intervention_id: int
    number: int
    helping_question: str = ""
    id: int | None = None


@dataclass
class Session(Stored):
    """A session of an intervention. VIG sessions sit in a cycle; WWW sessions have none.

    `intervention_id` may be left None when `cycle_id` is given: the store takes the cycle's.
    """

    cycle_id: int | None = None
    kind: SessionKind = SessionKind.FILMING
    date: dt.date = field(default_factory=dt.date.today)
    notes: str = ""
    id: int | None = None
    source_uid: str | None = None  # on an imported supervision session: the sender's session uid
    uid: str = field(default_factory=new_uid)
    intervention_id: int | None = None
    attendance: Attendance = Attendance.ATTENDED
    cancelled_by: CancelledBy | None = None  # only when cancelled
    attendance_reason: str = ""  # why cancelled or not attended (the practitioner's words)
    attendees: tuple[str, ...] = ()  # `CarerRole` values of who came

    @property
    def saved_intervention_id(self) -> int:
        """The intervention of a session the store returned (the store always sets it)."""
        if self.intervention_id is None:
            raise ValueError("this session has no intervention yet: it has not been saved")
        return self.intervention_id


@dataclass
class Recording(Stored):
    session_id: int
    file_name: str  # original file name, as the practitioner knows it
    container: str  # file name of the encrypted media container inside the library folder
    sha256: str  # of the original bytes, verified after the encrypted copy was written
    frame_count: int
    fps: float  # average; exact times come from the frame index
    duration: float  # seconds
    width: int = 0
    height: int = 0
    has_audio: bool = False
    imported_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class Clip(Stored):
    recording_id: int
    start_frame: int  # inclusive
    end_frame: int  # exclusive
    title: str = ""
    position: int = 0  # order in the shared review
    id: int | None = None
    uid: str = field(default_factory=new_uid)

    @property
    def frame_count(self) -> int:
        return self.end_frame - self.start_frame

    def contains(self, frame: int) -> bool:
        return self.start_frame <= frame < self.end_frame


def clip_name(title: str, number: int) -> str:
    """How every screen names a clip: its title, or "Clip N" by its place in the review order
    (N from 1). One name for the editor, the timeline, the library, the presenter and the export."""
    return title.strip() if title and title.strip() else f"Clip {number}"


@dataclass
class Annotation(Stored):
    clip_id: int
    principle: str  # catalogue code, e.g. "P2"
    behaviour: str | None = None  # catalogue code, e.g. "P2.1"
    who: Who | None = None
    text: str = ""
    frame: int | None = None  # a frame inside the clip, or None for the whole clip
    id: int | None = None


@dataclass
class Still(Stored):
    recording_id: int
    frame: int
    caption: str = ""
    position: int = 0
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Marker(Stored):
    recording_id: int
    frame: int
    note: str = ""
    id: int | None = None


@dataclass
class Consent(Stored):
    case_id: int
    scope: ConsentScope
    recorded_by: str
    date: dt.date = field(default_factory=dt.date.today)
    withdrawn_on: dt.date | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


@dataclass
class AuditEvent(Stored):
    action: str  # e.g. "unlock", "import", "export", "delete"
    object: str  # ids and codes only, never names or notes
    at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class Reflection(Stored):
    """The parent's own words, written down during the shared review, with where they were said."""

    session_id: int
    text: str
    said_at: dt.datetime = field(default_factory=utcnow)
    clip_id: int | None = None
    still_id: int | None = None
    frame: int | None = None  # frame of the recording shown when it was said
    id: int | None = None


@dataclass
class Contact(Stored):
    display_name: str
    public_key: str  # age X25519 recipient, "age1..."
    role: ContactRole = ContactRole.SUPERVISOR
    id: int | None = None
    signing_key: str | None = None  # Ed25519 (base64url); None until a legacy contact's first bundle


@dataclass
class BundleRecipient(Stored):
    """One person a session bundle was sent to (feedback on that session is accepted only from them)."""

    bundle_uid: str
    session_id: int
    recipient: str  # the age public key the bundle was for (the contact's, for a passphrase bundle)
    contact_id: int | None = None
    sent_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class Comment(Stored):
    """A supervisor's timed comment on a clip frame or a time in the shared-review recording."""

    session_id: int
    text: str
    author: str
    created_at: dt.datetime = field(default_factory=utcnow)
    uid: str = field(default_factory=new_uid)  # de-duplicates comments travelling between libraries
    clip_id: int | None = None
    recording_id: int | None = None
    frame: int | None = None  # a frame of the clip's (or the given) recording
    principle: str | None = None  # catalogue code, e.g. "P2"
    behaviour: str | None = None
    # The comment rates the guider (the principles as the practitioner showed them with the parent, on
    # the shared-review recording), not the parent and child: shown in its own timeline lane.
    rates_guider: bool = False
    id: int | None = None


@dataclass
class ImportedBundle(Stored):
    """A bundle already opened in this library, so that opening it again is refused."""

    uid: str
    kind: BundleKind
    imported_at: dt.datetime = field(default_factory=utcnow)
    case_id: int | None = None
    id: int | None = None
