"""Repositories for outcome measures: completions, risk flags and rated goals."""

from __future__ import annotations

from sqlalchemy import select

from vigstudio.domain import outcomes
from vigstudio.domain.errors import InvalidInput

from . import schema
from .repositories import _Repository


class CompletionRepository(_Repository[outcomes.Completion]):
    domain, row, kind = outcomes.Completion, schema.CompletionRow, "measure completion"

    def add(self, obj: outcomes.Completion) -> outcomes.Completion:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_case(self, case_id: int) -> list[outcomes.Completion]:
        r = schema.CompletionRow
        return self._all(select(r).where(r.case_id == case_id).order_by(r.date, r.id))

    def all(self) -> list[outcomes.Completion]:
        r = schema.CompletionRow
        return self._all(select(r).order_by(r.case_id, r.date, r.id))


class RiskFlagRepository(_Repository[outcomes.RiskFlag]):
    domain, row, kind = outcomes.RiskFlag, schema.RiskFlagRow, "risk flag"

    def of_case(self, case_id: int) -> list[outcomes.RiskFlag]:
        r = schema.RiskFlagRow
        return self._all(select(r).where(r.case_id == case_id).order_by(r.raised_at, r.id))

    def open(self) -> list[outcomes.RiskFlag]:
        r = schema.RiskFlagRow
        return self._all(select(r).where(r.action.is_(None)).order_by(r.raised_at, r.id))


class GoalRepository(_Repository[outcomes.Goal]):
    domain, row, kind = outcomes.Goal, schema.GoalRow, "goal"

    def add(self, obj: outcomes.Goal) -> outcomes.Goal:
        if len(self.of_cycle(obj.cycle_id)) >= outcomes.GOALS_PER_CYCLE:
            raise InvalidInput(f"cycle {obj.cycle_id} already has the helping question and three goals")
        return super().add(obj)

    def of_cycle(self, cycle_id: int) -> list[outcomes.Goal]:
        r = schema.GoalRow
        return self._all(select(r).where(r.cycle_id == cycle_id).order_by(r.position, r.id))
