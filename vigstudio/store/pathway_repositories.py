"""Repositories for the referral pathway and the service's own work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from vigstudio.domain import pathway

from . import schema
from .repositories import _Repository


class ReferralRepository(_Repository[pathway.Referral]):
    domain, row, kind = pathway.Referral, schema.ReferralRow, "referral"

    def of_case(self, case_id: int) -> list[pathway.Referral]:
        r = schema.ReferralRow
        return self._all(select(r).where(r.case_id == case_id).order_by(r.received, r.id))

    def all(self) -> list[pathway.Referral]:
        r = schema.ReferralRow
        return self._all(select(r).order_by(r.received, r.id))


class PathwayEventRepository(_Repository[pathway.PathwayEvent]):
    domain, row, kind = pathway.PathwayEvent, schema.PathwayEventRow, "pathway step"

    def of_case(self, case_id: int) -> list[pathway.PathwayEvent]:
        r = schema.PathwayEventRow
        return self._all(select(r).where(r.case_id == case_id).order_by(r.date, r.id))

    def all(self) -> list[pathway.PathwayEvent]:
        r = schema.PathwayEventRow
        return self._all(select(r).order_by(r.case_id, r.date, r.id))


class ActivityRepository(_Repository[pathway.Activity]):
    domain, row, kind = pathway.Activity, schema.ActivityRow, "activity"

    def between(self, start: dt.date | None = None, end: dt.date | None = None) -> list[pathway.Activity]:
        r = schema.ActivityRow
        stmt = select(r)
        if start is not None:
            stmt = stmt.where(r.date >= start)
        if end is not None:
            stmt = stmt.where(r.date <= end)
        return self._all(stmt.order_by(r.date, r.id))
