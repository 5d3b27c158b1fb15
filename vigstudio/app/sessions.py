"""Where a new session goes in a case: shared by `cases.add_session`, imports and bundles."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from vigstudio.domain.model import Case, Cycle, Intervention, InterventionKind, Session, SessionKind

if TYPE_CHECKING:
    from vigstudio.store.repositories import Repos


def new_session(repos: Repos, case: Case, kind: SessionKind = SessionKind.FILMING, *, notes: str = "",
                date: dt.date | None = None) -> Session:
    """Add a session to the case's latest cycle of its first VIG intervention, creating the
    intervention and cycle 1 when the case has none yet."""
    interventions = [i for i in repos.interventions.of_case(case.saved_id) if i.kind == InterventionKind.VIG]
    intervention = interventions[0] if interventions else repos.interventions.add(
        Intervention(case_id=case.saved_id, kind=InterventionKind.VIG))
    cycles = repos.cycles.of_intervention(intervention.saved_id)
    cycle = cycles[-1] if cycles else repos.cycles.add(Cycle(intervention_id=intervention.saved_id, number=1))
    session = Session(cycle_id=cycle.saved_id, kind=kind, notes=notes)
    if date is not None:
        session.date = date
    return repos.sessions.add(session)
