"""A practitioner's route to accreditation: stage requirements as data, supervisions held, and the
cycles counted from the library itself.

The requirements are a versioned catalogue (`data/training.json`, the published route; a service's own
`training.json` in the library folder replaces a stage's numbers when its handbook differs). A cycle
counts when it has a filming session with a recording, edited clips and a shared review; it counts
for the stage in which its shared review happened. "Further clients" are families not counted in an
earlier stage.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import InvalidInput
from .model import Stored


@dataclass(frozen=True)
class StageRequirement:
    stage: int
    cycles: int
    clients: int
    further_clients: bool  # clients must be new to this stage
    supervision_hours: float
    text: str


@dataclass(frozen=True)
class TrainingCatalogue:
    version: int
    name: str
    stages: tuple[StageRequirement, ...]

    def stage(self, number: int) -> StageRequirement:
        for s in self.stages:
            if s.stage == number:
                return s
        raise InvalidInput(f"unknown training stage {number} (stages: {', '.join(str(s.stage) for s in self.stages)})")


def load_training_catalogue(extension: Path | None = None) -> TrainingCatalogue:
    docs = [json.loads(resources.files(__package__).joinpath("data/training.json").read_text("utf-8"))]
    if extension is not None and extension.exists():
        docs.append(json.loads(extension.read_text("utf-8")))
    stages: dict[int, StageRequirement] = {}
    for doc in docs:
        if not isinstance(doc, dict) or doc.get("format") != "vigstudio-training":
            raise InvalidInput("not a training catalogue (its format is not vigstudio-training)")
        try:
            for s in doc.get("stages", []):
                stages[int(s["stage"])] = StageRequirement(
                    int(s["stage"]), int(s["cycles"]), int(s["clients"]), bool(s.get("further_clients", False)),
                    float(s["supervision_hours"]), str(s.get("text", "")))
        except (KeyError, TypeError, ValueError) as err:
            raise InvalidInput(f"training catalogue is malformed ({type(err).__name__})") from None
    return TrainingCatalogue(int(docs[0].get("version", 1)), str(docs[0].get("name", "")),
                             tuple(stages[k] for k in sorted(stages)))


@dataclass
class TrainingStage(Stored):
    """The practitioner entered `stage` on `started_on` (a transition meeting moves them on)."""

    stage: int
    started_on: dt.date
    id: int | None = None


@dataclass
class SupervisionRecord(Stored):
    """One supervision held: who (a contact's name), how long, what was reviewed and agreed."""

    date: dt.date
    supervisor: str
    minutes: int
    sessions: list[int] = field(default_factory=list)  # the sessions (or bundles' sessions) reviewed
    discussed: str = ""
    goals: str = ""
    reflection: str = ""  # the trainee's own reflection on it
    id: int | None = None


@dataclass(frozen=True)
class CompletedCycle:
    cycle_id: int
    case_id: int
    case_code: str
    reviewed_on: dt.date  # the date of the cycle's shared review


@dataclass(frozen=True)
class StageProgress:
    requirement: StageRequirement
    started_on: dt.date | None
    cycles: list[CompletedCycle]
    clients: list[str]  # case codes counted for this stage
    supervisions: list[SupervisionRecord]

    @property
    def hours(self) -> float:
        return sum(s.minutes for s in self.supervisions) / 60

    def missing(self) -> list[str]:
        """What is still needed before this stage's transition meeting, in words."""
        r = self.requirement
        out = []
        if len(self.cycles) < r.cycles:
            out.append(f"{r.cycles - len(self.cycles)} more VIG cycles")
        if len(self.clients) < r.clients:
            further = "further " if r.further_clients else ""
            out.append(f"{r.clients - len(self.clients)} more {further}clients")
        if self.hours < r.supervision_hours:
            out.append(f"{r.supervision_hours - self.hours:g} more hours of supervision")
        return out
