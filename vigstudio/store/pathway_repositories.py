"""Repositories for the referral pathway and the service's own work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

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


class ClosingSummaryRepository(_Repository[pathway.ClosingSummary]):
    domain, row, kind = pathway.ClosingSummary, schema.ClosingSummaryRow, "closing summary"

    def of_case(self, case_id: int) -> pathway.ClosingSummary | None:
        r = schema.ClosingSummaryRow
        found = self._all(select(r).where(r.case_id == case_id))
        return found[0] if found else None


class CaseloadQueries:
    """The few bulk reads the caseload needs, whatever the number of cases (no query per case)."""

    def __init__(self, session: OrmSession):
        self._s = session

    def session_dates(self) -> dict[int, list[dt.date]]:
        """Each case's session dates, ascending."""
        s, i = schema.SessionRow, schema.InterventionRow
        stmt = select(i.case_id, s.date).join(i, s.intervention_id == i.id).order_by(s.date)
        out: dict[int, list[dt.date]] = {}
        for case_id, date in self._s.execute(stmt):
            out.setdefault(case_id, []).append(date)
        return out

    def completion_points(self) -> dict[int, set[str]]:
        """The time points (pre, post, ...) at which each case has a questionnaire."""
        r = schema.CompletionRow
        out: dict[int, set[str]] = {}
        for case_id, when in self._s.execute(select(r.case_id, r.when)):
            out.setdefault(case_id, set()).add(when)
        return out

    def settings_with_prefix(self, prefix: str) -> dict[str, str]:
        r = schema.SettingRow
        return dict(self._s.execute(select(r.key, r.value).where(r.key.startswith(prefix))).all())

    def pathway_steps(self) -> dict[int, list[pathway.PathwayEvent]]:
        """Each case's pathway in order, read as plain columns (no ORM objects: it runs per refresh)."""
        r = schema.PathwayEventRow
        out: dict[int, list[pathway.PathwayEvent]] = {}
        stmt = select(r.case_id, r.stage, r.date, r.reason, r.id).order_by(r.case_id, r.date, r.id)
        for case_id, stage, date, reason, event_id in self._s.execute(stmt):
            out.setdefault(case_id, []).append(
                pathway.PathwayEvent(case_id, pathway.Stage(stage), date, reason, id=event_id))
        return out
