"""Repositories for the guider's self-assessment and a named second coder's tags."""

from __future__ import annotations

from sqlalchemy import select

from vigstudio.domain import guider

from . import schema
from .repositories import _Repository


class SelfAssessmentRepository(_Repository[guider.SelfAssessment]):
    domain, row, kind = guider.SelfAssessment, schema.SelfAssessmentRow, "self-assessment"

    def add(self, obj: guider.SelfAssessment) -> guider.SelfAssessment:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_recording(self, recording_id: int) -> list[guider.SelfAssessment]:
        r = schema.SelfAssessmentRow
        return self._all(select(r).where(r.recording_id == recording_id).order_by(r.frame, r.id))


class CoderTagRepository(_Repository[guider.CoderTag]):
    domain, row, kind = guider.CoderTag, schema.CoderTagRow, "coder tag"

    def of_clip(self, clip_id: int, coder: str | None = None) -> list[guider.CoderTag]:
        r = schema.CoderTagRow
        stmt = select(r).where(r.clip_id == clip_id)
        if coder is not None:
            stmt = stmt.where(r.coder == coder)
        return self._all(stmt.order_by(r.id))

    def coders(self) -> list[str]:
        r = schema.CoderTagRow
        return sorted({c for (c,) in self._s.execute(select(r.coder).distinct())})
