"""The bulk reads of the service's reports (outcomes, activity, caseload, WWW course summaries): one
query per table for the whole library, whatever its number of cases, sessions or completions.

Rows come back as plain result rows turned straight into the domain dataclasses (`tree_rows`' fast
path: no ORM objects, which cost more than the query itself at thousands of rows), in the order the
per-parent repository queries give (`SessionRepository.of_case`, `GoalRepository.of_cycle`, ...), so
grouping them by parent keeps each parent's rows in that order.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from vigstudio.domain import model, outcomes, pathway, www

from . import schema
from .tree_rows import _to_domain_fast, columns

_T = TypeVar("_T")


def _grouped(keyed: list[tuple[int, _T]]) -> dict[int, list[_T]]:
    out: dict[int, list[_T]] = {}
    for key, value in keyed:
        out.setdefault(key, []).append(value)
    return out


class ReportQueries:
    def __init__(self, session: OrmSession):
        self._s = session

    def _rows(self, cls: type[Any], stmt: Any) -> list[Any]:
        return _to_domain_fast(cls, self._s.execute(stmt))

    def cases(self) -> list[model.Case]:
        """Every case, by code (as `CaseRepository.list`)."""
        r = schema.CaseRow
        return self._rows(model.Case, columns(r, model.Case).order_by(r.code))

    def interventions(self) -> list[model.Intervention]:
        r = schema.InterventionRow
        return self._rows(model.Intervention, columns(r, model.Intervention).order_by(r.id))

    def referrals(self) -> list[pathway.Referral]:
        r = schema.ReferralRow
        return self._rows(pathway.Referral, columns(r, pathway.Referral).order_by(r.received, r.id))

    def pathway_events(self) -> list[pathway.PathwayEvent]:
        r = schema.PathwayEventRow
        return self._rows(pathway.PathwayEvent, columns(r, pathway.PathwayEvent).order_by(r.case_id, r.date, r.id))

    def completions(self) -> list[outcomes.Completion]:
        """Every questionnaire completion (as `CompletionRepository.all`)."""
        r = schema.CompletionRow
        return self._rows(outcomes.Completion, columns(r, outcomes.Completion).order_by(r.case_id, r.date, r.id))

    def sessions_by_case(self) -> dict[int, list[model.Session]]:
        """Every session grouped by its case, each case's in `SessionRepository.of_case`'s order."""
        r, i = schema.SessionRow, schema.InterventionRow
        stmt = columns(r, model.Session).add_columns(i.case_id).join(i, r.intervention_id == i.id)
        rows = self._s.execute(stmt.order_by(r.date, r.id)).all()
        sessions = _to_domain_fast(model.Session, iter([row[:-1] for row in rows]))  # type: ignore[arg-type]
        return _grouped([(row[-1], s) for row, s in zip(rows, sessions, strict=True)])

    def goals_by_case(self) -> dict[int, list[outcomes.Goal]]:
        """Every goal grouped by its case (through its cycle's intervention), in intervention, cycle and
        goal order: what `GoalRepository.of_cycle` gives cycle by cycle."""
        r, c, i = schema.GoalRow, schema.CycleRow, schema.InterventionRow
        stmt = (columns(r, outcomes.Goal).add_columns(i.case_id).join(c, r.cycle_id == c.id)
                .join(i, c.intervention_id == i.id).order_by(i.id, c.number, c.id, r.position, r.id))
        rows = self._s.execute(stmt).all()
        goals = _to_domain_fast(outcomes.Goal, iter([row[:-1] for row in rows]))  # type: ignore[arg-type]
        return _grouped([(row[-1], g) for row, g in zip(rows, goals, strict=True)])

    def course_observations(self, intervention_id: int) -> dict[int, list[www.Observation]]:
        """The observations of every session of the intervention by session id, each session's in
        `ObservationRepository.of_session`'s order."""
        r, rec, s = schema.ObservationRow, schema.RecordingRow, schema.SessionRow
        stmt = (columns(r, www.Observation).add_columns(rec.session_id).join(rec, r.recording_id == rec.id)
                .join(s, rec.session_id == s.id).where(s.intervention_id == intervention_id)
                .order_by(rec.imported_at, rec.id, r.frame, r.id))
        rows = self._s.execute(stmt).all()
        found = _to_domain_fast(www.Observation, iter([row[:-1] for row in rows]))  # type: ignore[arg-type]
        return _grouped([(row[-1], o) for row, o in zip(rows, found, strict=True)])

    def course_notes(self, intervention_id: int) -> dict[int, list[www.WonderNote]]:
        """The Wonder notes of every session of the intervention by session id, each session's in
        `WonderNoteRepository.of_session`'s order."""
        r, s = schema.WonderNoteRow, schema.SessionRow
        stmt = (columns(r, www.WonderNote).join(s, r.session_id == s.id).where(s.intervention_id == intervention_id)
                .order_by(r.created_at, r.id))
        return _grouped([(n.session_id, n) for n in self._rows(www.WonderNote, stmt)])

    def course_recording_counts(self, intervention_id: int) -> dict[int, int]:
        """How many recordings each session of the intervention holds (sessions without any left out)."""
        r, s = schema.RecordingRow, schema.SessionRow
        stmt = (select(r.session_id, func.count(r.id)).join(s, r.session_id == s.id)
                .where(s.intervention_id == intervention_id).group_by(r.session_id))
        return {session_id: count for session_id, count in self._s.execute(stmt)}
