"""Repositories for outcome measures: completions, risk flags and rated goals; the anonymous outcomes
bundles' case tokens (practitioner) and imported sources with their scores (lead)."""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete, select

from vigstudio.domain import outcomes, service_outcomes
from vigstudio.domain.errors import InvalidInput

from . import schema
from .repositories import _Repository, _to_domain


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


class OutcomeTokenRepository(_Repository[service_outcomes.OutcomeToken]):
    domain, row, kind = service_outcomes.OutcomeToken, schema.OutcomeTokenRow, "outcome token"

    def by_case(self) -> dict[int, str]:
        """Every case's token, by case id."""
        return {t.case_id: t.token for t in self.list()}


class OutcomeSourceRepository(_Repository[service_outcomes.OutcomeSource]):
    domain, row, kind = service_outcomes.OutcomeSource, schema.OutcomeSourceRow, "outcomes source"

    def by_signing_key(self, key: str) -> service_outcomes.OutcomeSource | None:
        r = schema.OutcomeSourceRow
        found = self._all(select(r).where(r.signing_key == key))
        return found[0] if found else None

    def replace_data(self, source_id: int, completions: list[service_outcomes.ImportedCompletion],
                     goals: list[service_outcomes.ImportedGoal]) -> None:
        """The source's imported rows become exactly these (the previous bundle's go)."""
        for row in (schema.ImportedCompletionRow, schema.ImportedGoalRow):
            self._s.execute(delete(row).where(row.source_id == source_id))
        for c in completions:
            c.source_id = source_id
        for g in goals:
            g.source_id = source_id
        self._s.add_all([_row(schema.ImportedCompletionRow, c) for c in completions]
                        + [_row(schema.ImportedGoalRow, g) for g in goals])
        self._s.flush()

    def completions(self) -> list[service_outcomes.ImportedCompletion]:
        r = schema.ImportedCompletionRow
        return [_to_domain(service_outcomes.ImportedCompletion, row)
                for row in self._s.scalars(select(r).order_by(r.source_id, r.token, r.position, r.id))]

    def goals(self) -> list[service_outcomes.ImportedGoal]:
        r = schema.ImportedGoalRow
        return [_to_domain(service_outcomes.ImportedGoal, row)
                for row in self._s.scalars(select(r).order_by(r.source_id, r.id))]


def _row(row_class: type, obj: object) -> object:
    row = row_class()
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        if f.name != "id":
            setattr(row, f.name, getattr(obj, f.name))
    return row
