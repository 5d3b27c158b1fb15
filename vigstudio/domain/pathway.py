"""The referral and care pathway of a case, and the service's own recorded work.

A case moves referred → assessment → waiting → in intervention → ended → closed, each step dated;
a declined or signposted referral may go straight to closed, and a closed case reopens only with a
new referral (re-referral). The case's `status` (open/closed), used by retention and `list`, is
derived from its pathway. Sources and reasons are a versioned catalogue (`data/referrals.json`), so a
service can add its own, like the principles.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path

from .errors import InvalidInput
from .model import Stored, utcnow


class Stage(StrEnum):
    REFERRED = "referred"
    ASSESSMENT = "assessment"
    WAITING = "waiting"
    IN_INTERVENTION = "in_intervention"
    ENDED = "ended"
    CLOSED = "closed"


class Decision(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SIGNPOSTED = "signposted"


class EndReason(StrEnum):
    COMPLETED = "completed"
    DISENGAGED = "disengaged"
    MOVED_AWAY = "moved_away"
    TRANSFERRED = "transferred"


class PerinatalStage(StrEnum):
    ANTENATAL = "antenatal"
    POSTNATAL = "postnatal"


class ActivityKind(StrEnum):
    CONSULTATION = "consultation"
    TRAINING = "training"
    LIAISON = "liaison"
    RESOURCE = "resource"  # booklets and other materials handed out


# Where a case may go from each stage (a new referral reopens a closed case: see `Referral`).
ALLOWED: dict[Stage, frozenset[Stage]] = {
    Stage.REFERRED: frozenset({Stage.ASSESSMENT, Stage.WAITING, Stage.IN_INTERVENTION, Stage.CLOSED}),
    Stage.ASSESSMENT: frozenset({Stage.WAITING, Stage.IN_INTERVENTION, Stage.ENDED, Stage.CLOSED}),
    Stage.WAITING: frozenset({Stage.ASSESSMENT, Stage.IN_INTERVENTION, Stage.ENDED, Stage.CLOSED}),
    Stage.IN_INTERVENTION: frozenset({Stage.WAITING, Stage.ENDED}),
    Stage.ENDED: frozenset({Stage.CLOSED, Stage.IN_INTERVENTION}),
    Stage.CLOSED: frozenset(),
}
CONTACT_STAGES = frozenset({Stage.ASSESSMENT, Stage.IN_INTERVENTION})  # a first contact with the family


def parse_stage(text: str) -> Stage:
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Stage(value)
    except ValueError:
        names = ", ".join(s.value.replace("_", "-") for s in Stage)
        raise InvalidInput(f"unknown pathway status {text!r} (one of: {names})") from None


def check_transition(current: Stage | None, target: Stage) -> None:
    """Refuse a step the pathway does not allow, saying what would make it possible."""
    if current is None:
        if target != Stage.REFERRED:
            raise InvalidInput("a case enters the pathway with a referral: add one first")
        return
    if target == current:
        raise InvalidInput(f"the case is already {current.value.replace('_', ' ')}")
    if target not in ALLOWED[current]:
        hint = " (a closed case reopens only with a new referral)" if current == Stage.CLOSED else ""
        raise InvalidInput(f"a case cannot go from {current.value.replace('_', ' ')} to "
                           f"{target.value.replace('_', ' ')}{hint}")


@dataclass
class Referral(Stored):
    case_id: int
    received: dt.date
    source: str  # catalogue code, e.g. "health_visitor"
    referrer_role: str = ""
    referrer_team: str = ""
    contact: str = ""  # how to reach the referrer (kept encrypted like everything); no names needed
    reasons: list[str] = field(default_factory=list)  # catalogue codes
    reason_text: str = ""
    perinatal: PerinatalStage | None = None
    due_date: dt.date | None = None  # antenatal: the expected date of delivery
    birth_date: dt.date | None = None  # postnatal: the infant's date of birth
    urgency: str = "routine"
    decision: Decision | None = None
    decision_date: dt.date | None = None
    decision_reason: str = ""
    id: int | None = None

    def weeks(self) -> int | None:
        """Weeks of pregnancy (antenatal, from the due date: 40 weeks at term) or the infant's age in
        weeks (postnatal), at the date the referral was received; computed, never typed."""
        if self.perinatal == PerinatalStage.ANTENATAL and self.due_date is not None:
            return 40 - (self.due_date - self.received).days // 7
        if self.perinatal == PerinatalStage.POSTNATAL and self.birth_date is not None:
            return (self.received - self.birth_date).days // 7
        return None


@dataclass
class PathwayEvent(Stored):
    case_id: int
    stage: Stage
    date: dt.date
    reason: str = ""  # for ended: completed, disengaged, moved_away, transferred; or free words
    referral_id: int | None = None
    recorded_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class Activity(Stored):
    """The service's own work: a consultation, training delivered, liaison, resources handed out."""

    kind: ActivityKind
    date: dt.date
    title: str  # the topic or the training's title
    role: str = ""  # the professional's role, or the audience's roles
    team: str = ""  # the team or the other service
    attendees: int | None = None
    minutes: int | None = None
    outcome: str = ""  # advice, joint visit, referral made...
    materials: str = ""
    case_id: int | None = None
    id: int | None = None


@dataclass
class ClosingSummary(Stored):
    """The written summary kept when a case closes: what remains if the recordings are deleted."""

    case_id: int
    closed_on: dt.date
    reason: str
    offered: str = ""  # what the service offered (e.g. "3 VIG cycles, 12 WWW sessions")
    note: str = ""  # the practitioner's summary in their words
    last_scores: dict[str, float] = field(default_factory=dict)  # each measure's last total
    written_at: dt.datetime = field(default_factory=utcnow)
    id: int | None = None


class RetentionAction(StrEnum):
    KEEP = "keep"  # keep everything for another period
    SUMMARY = "summary"  # keep the written summary, delete the recordings
    DELETE_ALL = "delete-all"  # delete the case and everything of it


@dataclass(frozen=True)
class Option:
    code: str
    label: str


@dataclass(frozen=True)
class ReferralCatalogue:
    version: int
    sources: tuple[Option, ...]
    reasons: tuple[Option, ...]
    urgencies: tuple[str, ...]

    def source(self, text: str) -> str:
        """A source code from `health-visitor`, `health_visitor` or its label (case ignored)."""
        wanted = text.strip().lower().replace("-", "_")
        for o in self.sources:
            if wanted in (o.code, o.label.lower()):
                return o.code
        raise InvalidInput(f"unknown referral source {text!r} (one of: "
                           f"{', '.join(o.code.replace('_', '-') for o in self.sources)})")

    def reason(self, text: str) -> str:
        wanted = text.strip().lower().replace("-", "_")
        for o in self.reasons:
            if wanted in (o.code, o.label.lower()):
                return o.code
        raise InvalidInput(f"unknown referral reason {text!r} (one of: "
                           f"{', '.join(o.code.replace('_', '-') for o in self.reasons)})")

    def label(self, code: str) -> str:
        for o in (*self.sources, *self.reasons):
            if o.code == code:
                return o.label
        return code


def load_referral_catalogue(extension: Path | None = None) -> ReferralCatalogue:
    """The shipped sources and reasons, with the service's own additions when given."""
    docs = [json.loads(resources.files(__package__).joinpath("data/referrals.json").read_text("utf-8"))]
    if extension is not None and extension.exists():
        docs.append(json.loads(extension.read_text("utf-8")))
    sources: dict[str, Option] = {}
    reasons: dict[str, Option] = {}
    urgencies: list[str] = []
    for doc in docs:
        if not isinstance(doc, dict) or doc.get("format") != "vigstudio-referrals":
            raise InvalidInput("not a referrals catalogue (its format is not vigstudio-referrals)")
        try:
            for target, key in ((sources, "sources"), (reasons, "reasons")):
                for item in doc.get(key, []):
                    if item["code"] in target and target[item["code"]].label != item["label"]:
                        raise InvalidInput(f"referrals extension redefines {item['code']!r}")
                    target[item["code"]] = Option(str(item["code"]), str(item["label"]))
            urgencies += [u for u in doc.get("urgencies", []) if u not in urgencies]
        except (KeyError, TypeError) as err:
            raise InvalidInput(f"referrals catalogue is malformed ({type(err).__name__})") from None
    return ReferralCatalogue(int(docs[0].get("version", 1)), tuple(sources.values()), tuple(reasons.values()),
                             tuple(urgencies))
