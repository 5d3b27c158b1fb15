"""The practitioner's own training record: stage, supervisions held, cycles counted from the library,
the reflective statement; and the progress against the stage requirements.

Everything stays in the encrypted library. Counting is done from the library itself (a cycle with
filming, edited clips and a shared review), never typed, so the record cannot drift from the work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent
from vigstudio.domain.training import (
    CompletedCycle,
    StageProgress,
    SupervisionRecord,
    TrainingCatalogue,
    TrainingStage,
    load_training_catalogue,
)

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

TRAINING_EXTENSION = "training.json"  # the service's own stage requirements
STATEMENT_SETTING = "training_reflective_statement"
MAX_MINUTES = 8 * 60


def catalogue(service: LibraryService | None = None) -> TrainingCatalogue:
    return load_training_catalogue(Path(service.path) / TRAINING_EXTENSION if service is not None else None)


def _emit(service: LibraryService, ids: tuple[int, ...] = ()) -> None:
    service.emit(Change(ChangeKind.TRAINING, ChangeAction.UPDATED, ids))


def enter_stage(service: LibraryService, stage: int, started_on: dt.date | None = None) -> TrainingStage:
    """Record that the practitioner entered `stage` (after a transition meeting) on `started_on`."""
    catalogue(service).stage(stage)
    day = started_on or dt.date.today()
    with service.edit() as repos:
        stages = repos.training_stages.list()
        if stages and day < stages[-1].started_on:
            raise InvalidInput(f"stage {stages[-1].stage} began on {stages[-1].started_on.isoformat()}; "
                               "a later stage cannot begin before it")
        entered = repos.training_stages.add(TrainingStage(stage, day))
        repos.audit.append(AuditEvent("training_stage", f"stage {stage}"))
    _emit(service)
    return entered


def add_supervision(service: LibraryService, date: dt.date, supervisor: str, minutes: int, *,
                    sessions: Iterable[int] = (), discussed: str = "", goals: str = "",
                    reflection: str = "") -> SupervisionRecord:
    """Log a supervision; `supervisor` must name one of the library's contacts."""
    if not 0 < minutes <= MAX_MINUTES:
        raise InvalidInput(f"a supervision lasts 1-{MAX_MINUTES} minutes (got {minutes})")
    if date > dt.date.today():
        raise InvalidInput("a supervision cannot be logged before it happened")
    with service.edit() as repos:
        names = {c.display_name.casefold(): c.display_name for c in repos.contacts.list()}
        name = names.get(supervisor.strip().casefold())
        if name is None:
            raise InvalidInput(f"{supervisor!r} is not one of this library's contacts (add them first: "
                               "vigstudio contact add)")
        reviewed = sorted(set(sessions))
        for session_id in reviewed:
            repos.sessions.get(session_id)
        record = repos.supervisions.add(SupervisionRecord(date, name, minutes, reviewed, discussed.strip(),
                                                          goals.strip(), reflection.strip()))
        repos.audit.append(AuditEvent("supervision_log", f"supervision {record.id} {minutes} min"))
    _emit(service, (record.saved_id,))
    return record


def update_supervision(service: LibraryService, record_id: int, **changes: Any) -> SupervisionRecord:
    allowed = {"discussed", "goals", "reflection", "minutes", "date"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"unknown supervision detail {sorted(unknown)[0]}")
    with service.edit() as repos:
        record = repos.supervisions.get(record_id)
        for name, value in changes.items():
            setattr(record, name, value.strip() if isinstance(value, str) else value)
        if not 0 < record.minutes <= MAX_MINUTES:
            raise InvalidInput(f"a supervision lasts 1-{MAX_MINUTES} minutes")
        repos.supervisions.update(record)
        repos.audit.append(AuditEvent("supervision_edit", f"supervision {record_id}"))
    _emit(service, (record_id,))
    return record


def delete_supervision(service: LibraryService, record_id: int) -> None:
    with service.edit() as repos:
        repos.supervisions.delete(record_id)
        repos.audit.append(AuditEvent("supervision_delete", f"supervision {record_id}"))
    _emit(service, (record_id,))


def supervisions(service: LibraryService) -> list[SupervisionRecord]:
    with service.read() as repos:
        return repos.supervisions.list()


def set_statement(service: LibraryService, text: str) -> None:
    with service.edit() as repos:
        repos.settings.set(STATEMENT_SETTING, text.strip())
        repos.audit.append(AuditEvent("training_statement", "reflective statement saved"))
    service.emit(Change(ChangeKind.SETTINGS, ChangeAction.UPDATED))


def statement(service: LibraryService) -> str:
    with service.read() as repos:
        return repos.settings.get(STATEMENT_SETTING) or ""


@dataclass(frozen=True)
class TrainingProgress:
    current_stage: int | None
    stages: list[StageProgress]


def progress(service: LibraryService) -> TrainingProgress:
    """Per stage entered: cycles, clients and supervision hours done against the requirements."""
    return record(service)[0]


def record(service: LibraryService) -> tuple[TrainingProgress, list[SupervisionRecord], str]:
    """The progress, the supervision log and the reflective statement, read in one snapshot (the
    portfolio), in a few bulk queries whatever the number of cases and cycles."""
    cat = catalogue(service)
    with service.read() as repos:
        entered = repos.training_stages.list()
        cycles = repos.completed_cycles.list()
        logged = repos.supervisions.list()
        text = repos.settings.get(STATEMENT_SETTING) or ""
    return _progress(cat, entered, cycles, logged), logged, text


def _progress(cat: TrainingCatalogue, entered: list[TrainingStage], cycles: list[CompletedCycle],
              logged: list[SupervisionRecord]) -> TrainingProgress:
    out: list[StageProgress] = []
    seen_clients: set[str] = set()
    for n, stage in enumerate(entered):
        until = entered[n + 1].started_on if n + 1 < len(entered) else dt.date.max
        requirement = cat.stage(stage.stage)
        mine = [c for c in cycles if stage.started_on <= c.reviewed_on < until]
        clients = list(dict.fromkeys(c.case_code for c in mine))
        if requirement.further_clients:
            clients = [c for c in clients if c not in seen_clients]
        seen_clients.update(c.case_code for c in mine)
        held = [s for s in logged if stage.started_on <= s.date < until]
        out.append(StageProgress(requirement, stage.started_on, mine, clients, held))
    return TrainingProgress(entered[-1].stage if entered else None, out)


def progress_json(p: TrainingProgress) -> dict[str, Any]:
    return {"stage": p.current_stage, "stages": [{
        "stage": s.requirement.stage, "started_on": s.started_on.isoformat() if s.started_on else None,
        "requirements": {"cycles": s.requirement.cycles, "clients": s.requirement.clients,
                         "further_clients": s.requirement.further_clients,
                         "supervision_hours": s.requirement.supervision_hours, "text": s.requirement.text},
        "done": {"cycles": len(s.cycles), "clients": len(s.clients), "supervision_hours": round(s.hours, 2),
                 "supervisions": len(s.supervisions)},
        "cycles": [{"cycle_id": c.cycle_id, "case": c.case_code, "reviewed_on": c.reviewed_on.isoformat()}
                   for c in s.cycles],
        "missing": s.missing()} for s in p.stages]}
