"""Completed outcome questionnaires, their risk flags and the parent's rated goals.

A completion keeps every item's answer (an option position as printed, `None` for a missing item)
and the catalogue version it was scored with; its score is always computed from those answers by
`domain.measures`, never typed — except the licensed PSI short form, whose totals are typed from its
manual and kept in `typed_scores`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InvalidInput
from .model import Stored, new_uid, utcnow

_SESSION_N = re.compile(r"^session-([1-9][0-9]{0,2})$")
TIME_POINTS = ("referral", "pre", "mid", "post", "follow-up")


def time_point(text: str) -> str:
    """A valid time point: referral, pre, mid, post, follow-up or session-N (refused otherwise)."""
    value = text.strip().lower()
    if value in TIME_POINTS or _SESSION_N.match(value):
        return value
    raise InvalidInput(f"unknown time point {text!r} (use {', '.join(TIME_POINTS)} or session-N)")


def time_point_order(point: str) -> tuple[int, int]:
    """Sort key: referral, pre, session-1..N and mid in between, post, follow-up."""
    match = _SESSION_N.match(point)
    if match:
        return (2, int(match.group(1)))
    return {"referral": (0, 0), "pre": (1, 0), "mid": (2, 500), "post": (3, 0), "follow-up": (4, 0)}[point]


class CompletedBy(StrEnum):
    PARENT = "parent"
    PRACTITIONER = "practitioner"


@dataclass
class Completion(Stored):
    case_id: int
    measure: str  # catalogue id, e.g. "PHQ-9"
    measure_version: str
    catalogue_version: int
    when: str  # see `time_point`
    answers: list[int | str | None] = field(default_factory=list)  # option positions; None missing
    typed_scores: dict[str, int] | None = None  # only for licensed measures recorded as totals
    date: dt.date = field(default_factory=dt.date.today)
    completed_by: CompletedBy = CompletedBy.PRACTITIONER
    intervention_id: int | None = None
    recorded_at: dt.datetime = field(default_factory=utcnow)
    uid: str = field(default_factory=new_uid)
    id: int | None = None


@dataclass
class RiskFlag(Stored):
    """Raised by a risk item's answer; it stays in the case until the action taken is recorded."""

    case_id: int
    completion_id: int
    measure: str
    item: int
    why: str
    raised_at: dt.datetime = field(default_factory=utcnow)
    action: str | None = None
    action_by: str | None = None
    action_at: dt.datetime | None = None
    id: int | None = None

    @property
    def open(self) -> bool:
        return self.action is None


@dataclass
class Goal(Stored):
    """The helping question or one of up to three goals the parent names, rated 0–10 start and end."""

    cycle_id: int
    text: str
    start_score: int | None = None
    end_score: int | None = None
    position: int = 0
    id: int | None = None


GOAL_MIN, GOAL_MAX, GOALS_PER_CYCLE = 0, 10, 4  # the helping question and up to three goals
