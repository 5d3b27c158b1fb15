"""A new VIG cycle in a case: helping question → filming → editing → shared review, about three per
intervention. New sessions go to the case's latest cycle, so starting a cycle is how the work moves on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.model import AuditEvent, Cycle, Intervention, InterventionKind

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService


def start_cycle(service: LibraryService, case_code: str, helping_question: str = "") -> Cycle:
    """Add the next cycle to the case's VIG intervention (made when the case has none)."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code.strip())
        vig = [i for i in repos.interventions.of_case(case.saved_id) if i.kind == InterventionKind.VIG]
        intervention = vig[0] if vig else repos.interventions.add(
            Intervention(case_id=case.saved_id, kind=InterventionKind.VIG))
        number = len(repos.cycles.of_intervention(intervention.saved_id)) + 1
        cycle = repos.cycles.add(Cycle(intervention_id=intervention.saved_id, number=number,
                                       helping_question=helping_question.strip()))
        repos.audit.append(AuditEvent("cycle_add", f"cycle {cycle.id} case {case.code}"))
    service.emit(Change(ChangeKind.CYCLE, ChangeAction.ADDED, (cycle.saved_id,), case.saved_id))
    return cycle
