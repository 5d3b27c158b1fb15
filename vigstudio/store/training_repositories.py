"""Repositories for the training record: stages entered, supervisions held, completed cycles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from vigstudio.domain import training
from vigstudio.domain.model import SessionKind

from . import schema
from .repositories import _Repository


class TrainingStageRepository(_Repository[training.TrainingStage]):
    domain, row, kind = training.TrainingStage, schema.TrainingStageRow, "training stage"

    def list(self) -> list[training.TrainingStage]:
        r = schema.TrainingStageRow
        return self._all(select(r).order_by(r.started_on, r.id))


class SupervisionRecordRepository(_Repository[training.SupervisionRecord]):
    domain, row, kind = training.SupervisionRecord, schema.SupervisionRecordRow, "supervision"

    def list(self) -> list[training.SupervisionRecord]:
        r = schema.SupervisionRecordRow
        return self._all(select(r).order_by(r.date, r.id))


class CompletedCycles:
    """Cycles with a filming session holding a recording, edited clips, and a shared review."""

    def __init__(self, session: OrmSession):
        self._s = session

    def list(self) -> list[training.CompletedCycle]:
        s, c, i, k = schema.SessionRow, schema.CycleRow, schema.InterventionRow, schema.CaseRow
        rec, clip = schema.RecordingRow, schema.ClipRow
        filmed = {cycle for (cycle,) in self._s.execute(
            select(s.cycle_id).join(rec, rec.session_id == s.id).where(s.kind == SessionKind.FILMING.value))}
        edited = {cycle for (cycle,) in self._s.execute(
            select(s.cycle_id).join(rec, rec.session_id == s.id).join(clip, clip.recording_id == rec.id))}
        reviewed: dict[int, tuple[int, str, dt.date]] = {}
        stmt = (select(s.cycle_id, i.case_id, k.code, s.date).join(c, s.cycle_id == c.id)
                .join(i, c.intervention_id == i.id).join(k, i.case_id == k.id)
                .where(s.kind == SessionKind.SHARED_REVIEW.value, k.is_demo.is_(False),
                       k.origin == "local").order_by(s.date))
        for cycle_id, case_id, code, date in self._s.execute(stmt):
            if cycle_id is not None:
                reviewed.setdefault(cycle_id, (case_id, code, date))  # the first shared review of the cycle
        return sorted((training.CompletedCycle(cycle, case_id, code, date)
                       for cycle, (case_id, code, date) in reviewed.items() if cycle in filmed and cycle in edited),
                      key=lambda x: (x.reviewed_on, x.cycle_id))
