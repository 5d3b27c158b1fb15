"""The service's outcomes gathered from several libraries: anonymous outcomes bundles.

A practitioner's library gives each case a random `OutcomeToken` the first time its outcomes are
exported, and keeps it, so the lead can pair a case's `pre` and `post` across exports without ever
learning which family it is. The lead's library keeps, per practitioner (`OutcomeSource`, identified
by the signing key of their bundles), only what the latest bundle held: scores as computed, time
points, completion months (`YYYY-MM`, no day), the intervention kind and goal ratings
(`ImportedCompletion`, `ImportedGoal`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import InvalidInput
from .model import Stored, utcnow

TOKEN = re.compile(r"[0-9a-f]{32}")
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
KINDS = ("vig", "www", "both")  # a case's interventions, as the report groups them


def month_of(date: dt.date) -> str:
    """`YYYY-MM`: the only date an outcomes bundle carries."""
    return f"{date.year:04d}-{date.month:02d}"


def month_start(month: str) -> dt.date:
    """The first day of a `YYYY-MM` month (`InvalidInput` if it is not one)."""
    match = MONTH.fullmatch(month or "")
    if not match:
        raise InvalidInput(f"not a month (YYYY-MM): {str(month)[:20]!r}")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


@dataclass
class OutcomeToken(Stored):
    """A case's random token in the anonymous outcomes bundles this library exports."""

    case_id: int
    token: str
    id: int | None = None


@dataclass
class OutcomeSource(Stored):
    """A practitioner whose anonymous outcomes this library holds: their latest bundle only."""

    signing_key: str  # Ed25519, base64url: a newer bundle with this key replaces the data
    name: str  # the contact's name when the bundle was imported
    bundle_uid: str
    exported_at: dt.datetime  # the bundle's signed creation time: older bundles are refused
    contact_id: int | None = None
    imported_at: dt.datetime = field(default_factory=utcnow)
    cases: int = 0
    completions: int = 0
    id: int | None = None


@dataclass
class ImportedCompletion(Stored):
    """One scored questionnaire of an imported case: no answers, no date but its month."""

    source_id: int
    token: str
    measure: str
    measure_version: str
    when: str
    month: str
    position: int  # the order the practitioner's library sorted the case's completions in
    kind: str | None = None  # vig, www, both (None: no intervention of those kinds)
    total: float | None = None
    subscales: dict[str, float | None] = field(default_factory=dict)
    band: str | None = None
    caseness: bool | None = None
    id: int | None = None


@dataclass
class ImportedGoal(Stored):
    """A goal of an imported case, as its two ratings only (never its words)."""

    source_id: int
    token: str
    kind: str | None = None
    start_score: int | None = None
    end_score: int | None = None
    id: int | None = None
