"""The library as a tree of plain dataclasses: cases → interventions → cycles → sessions → media.

A VIG intervention holds its sessions in cycles; a WWW course holds them directly (`sessions`).

What `library_tree(service)` returns and what `vigstudio list` prints. The nodes wrap the domain
objects unchanged; `to_json` gives the `list --json` shape (no names or notes: those stay in the app).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vigstudio.domain.model import Annotation, Case, Clip, Cycle, Intervention, Recording, Session, Still
from vigstudio.store.tree_rows import TreeRows, tree_rows

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService


@dataclass
class SessionNode:
    session: Session
    recordings: list[Recording] = field(default_factory=list)
    clips: list[Clip] = field(default_factory=list)
    stills: list[Still] = field(default_factory=list)
    annotations: dict[int, list[Annotation]] = field(default_factory=dict)  # by clip id
    # How many clips and stills it has (also when they were left out: `tree(items=False)`).
    clip_count: int = 0
    still_count: int = 0

    def to_json(self, cycle: Cycle | None, intervention: Intervention) -> dict[str, Any]:
        s = self.session
        return {
            "id": s.id,
            "kind": s.kind.value,
            "date": s.date.isoformat(),
            "intervention": intervention.kind.value,
            "intervention_id": intervention.id,
            "cycle": cycle.number if cycle else None,
            "cycle_id": cycle.id if cycle else None,
            "attendance": s.attendance.value,
            "cancelled_by": s.cancelled_by.value if s.cancelled_by else None,
            "attendees": list(s.attendees),
            "recordings": [
                {"id": r.id, "file_name": r.file_name, "frame_count": r.frame_count, "fps": r.fps,
                 "duration": r.duration, "width": r.width, "height": r.height, "has_audio": r.has_audio,
                 "sha256": r.sha256, "imported_at": r.imported_at.isoformat()}
                for r in self.recordings
            ],
            "clips": [
                {"id": c.id, "recording_id": c.recording_id, "start_frame": c.start_frame,
                 "end_frame": c.end_frame, "title": c.title, "position": c.position,
                 "annotations": [
                     {"id": a.id, "principle": a.principle, "behaviour": a.behaviour,
                      "who": a.who.value if a.who else None, "text": a.text, "frame": a.frame}
                     for a in self.annotations.get(c.saved_id, [])
                 ]}
                for c in self.clips
            ],
            "stills": [
                {"id": st.id, "recording_id": st.recording_id, "frame": st.frame, "caption": st.caption,
                 "position": st.position}
                for st in self.stills
            ],
        }


    def outline(self, indent: str) -> list[str]:
        s = self.session
        attendance = "" if s.attendance.value == "attended" else f" [{s.attendance.value}]"
        lines = [f"{indent}session {s.id}: {s.kind.value} {s.date}{attendance}"]
        for r in self.recordings:
            lines.append(f"{indent}  recording {r.id}: {r.file_name} ({r.frame_count} frames, {r.duration:.1f} s)")
        for cl in self.clips:
            lines.append(f"{indent}  clip {cl.id}: recording {cl.recording_id} frames {cl.start_frame}-{cl.end_frame}")
        for st in self.stills:
            lines.append(f"{indent}  still {st.id}: recording {st.recording_id} frame {st.frame}")
        return lines


@dataclass
class CycleNode:
    cycle: Cycle
    sessions: list[SessionNode] = field(default_factory=list)


@dataclass
class InterventionNode:
    intervention: Intervention
    cycles: list[CycleNode] = field(default_factory=list)
    sessions: list[SessionNode] = field(default_factory=list)  # sessions outside cycles (WWW)

    def all_sessions(self) -> list[tuple[Cycle | None, SessionNode]]:
        in_cycles: list[tuple[Cycle | None, SessionNode]] = [(c.cycle, s) for c in self.cycles for s in c.sessions]
        return in_cycles + [(None, s) for s in self.sessions]

    def to_json(self) -> dict[str, Any]:
        i = self.intervention
        return {"id": i.id, "kind": i.kind.value, "planned_sessions": i.planned_sessions,
                "status": i.status.value, "started_on": i.started_on.isoformat() if i.started_on else None,
                "ended_on": i.ended_on.isoformat() if i.ended_on else None}


@dataclass
class CaseNode:
    case: Case
    interventions: list[InterventionNode] = field(default_factory=list)

    def sessions(self) -> list[tuple[Intervention, Cycle | None, SessionNode]]:
        """Every session of the case with its intervention and its cycle (None outside cycles)."""
        return [(i.intervention, c, s) for i in self.interventions for c, s in i.all_sessions()]

    def to_json(self) -> dict[str, Any]:
        c = self.case
        return {
            "id": c.id,
            "code": c.code,
            "referral": c.referral.value,
            "status": c.status.value,
            "is_demo": c.is_demo,
            "interventions": [i.to_json() for i in self.interventions],
            "sessions": [node.to_json(cycle, intervention) for intervention, cycle, node in self.sessions()],
        }

    def outline(self) -> list[str]:
        """Indented human-readable lines for `vigstudio list`."""
        c = self.case
        demo = " [demo]" if c.is_demo else ""
        lines = [f"case {c.code}{demo} ({c.status.value}, referral: {c.referral.value})"]
        for i in self.interventions:
            planned = (f" ({i.intervention.planned_sessions} sessions planned)"
                       if i.intervention.planned_sessions else "")
            lines.append(f"  {i.intervention.kind.value.upper()} intervention {i.intervention.id}{planned}")
            for cy in i.cycles:
                lines.append(f"    cycle {cy.cycle.number}")
                for s in cy.sessions:
                    lines.extend(s.outline("      "))
            for s in i.sessions:
                lines.extend(s.outline("    "))
        return lines


def build_tree(rows: TreeRows) -> list[CaseNode]:
    """Group the bulk-read rows under their parents (each parent's children keep the rows' order)."""
    sessions: dict[int, SessionNode] = {}
    by_cycle: dict[int, list[SessionNode]] = {}
    outside_cycles: dict[int, list[SessionNode]] = {}  # WWW sessions, by intervention
    for session in rows.sessions:
        node = sessions[session.saved_id] = SessionNode(session)
        if session.cycle_id is None:
            outside_cycles.setdefault(session.saved_intervention_id, []).append(node)
        else:
            by_cycle.setdefault(session.cycle_id, []).append(node)
    for recording in rows.recordings:
        sessions[recording.session_id].recordings.append(recording)
    of_recording = rows.session_of_recording
    for clip in rows.clips:
        sessions[of_recording[clip.recording_id]].clips.append(clip)
    session_of_clip = {clip.id: of_recording[clip.recording_id] for clip in rows.clips}
    for still in rows.stills:
        sessions[of_recording[still.recording_id]].stills.append(still)
    for node in sessions.values():
        node.clip_count = rows.clip_counts.get(node.session.saved_id, len(node.clips))
        node.still_count = rows.still_counts.get(node.session.saved_id, len(node.stills))
    for annotation in rows.annotations:
        sessions[session_of_clip[annotation.clip_id]].annotations.setdefault(annotation.clip_id, []).append(annotation)
    by_intervention: dict[int, list[CycleNode]] = {}
    for cycle in rows.cycles:
        by_intervention.setdefault(cycle.intervention_id, []).append(CycleNode(cycle, by_cycle.get(cycle.saved_id, [])))
    by_case: dict[int, list[InterventionNode]] = {}
    for intervention in rows.interventions:
        by_case.setdefault(intervention.case_id, []).append(
            InterventionNode(intervention, by_intervention.get(intervention.saved_id, []),
                             outside_cycles.get(intervention.saved_id, [])))
    return [CaseNode(case, by_case.get(case.saved_id, [])) for case in rows.cases]


def library_tree(service: LibraryService, case_id: int | None = None, *, annotations: bool = True,
                 items: bool = True) -> list[CaseNode]:
    """Cases → interventions → cycles → sessions → recordings / clips / stills, as plain data: the
    whole library, or the one case `case_id` (empty if it is gone). A handful of bulk queries on a
    read snapshot, whatever the library's size; `annotations=False` leaves the tags out,
    `items=False` the clips and stills too (sessions still carry their counts)."""
    with service.read() as repos:
        return build_tree(tree_rows(repos, case_id, annotations=annotations, items=items))
