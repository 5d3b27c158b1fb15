"""The guider's own attunement: the practitioner's self-assessment of their shared review, and a named
second coder's tags on clips (for coding agreement between two practitioners in one library).

The supervisor's rating of the guider is a `Comment` with `rates_guider` set (`domain.model`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import Stored, new_uid, utcnow

PRACTITIONER_CODER = "practitioner"  # the library's own tags (annotations)
SUPERVISOR_CODER = "supervisor"  # the supervisor's principle comments on clips


@dataclass
class SelfAssessment(Stored):
    """A moment of the practitioner's own shared-review recording tagged with a principle as they
    showed it with the parent (e.g. P3, "I named what she said"). Travels in the supervision bundle."""

    recording_id: int
    frame: int
    principle: str
    text: str = ""
    author: str = ""
    created_at: dt.datetime = field(default_factory=utcnow)
    uid: str = field(default_factory=new_uid)
    id: int | None = None


@dataclass
class CoderTag(Stored):
    """A named second coder's principle tag on a clip (a colleague coding the same clips)."""

    clip_id: int
    coder: str
    principle: str
    frame: int | None = None
    text: str = ""
    id: int | None = None
