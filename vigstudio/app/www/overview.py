"""The course overview of a WWW intervention: every session in a row with its attendance, what was coded
(how many infant initiatives the mother followed against redirected, counted from responses that name
the initiative they answer), the themes that came up in the Wonder half, and the coded moments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigstudio.app.www.courses import CourseProgress
from vigstudio.app.www.observations import library_catalogue
from vigstudio.domain.model import Intervention, Session
from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import Observation, WonderKind, WonderNote

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService


@dataclass(frozen=True)
class SessionSummary:
    session: Session
    number: int | None  # its number among attended sessions
    recordings: int
    observations: tuple[Observation, ...]  # the coded moments, in frame order
    initiatives: int
    followed: int  # responses naming their initiative, of a "followed" code
    redirected: int
    themes: tuple[str, ...]  # catalogue labels of the themes noted
    own_themes: tuple[str, ...]  # themes in the therapist's own words
    notes: int  # Wonder notes of every kind


@dataclass(frozen=True)
class CourseOverview:
    intervention: Intervention
    progress: CourseProgress
    sessions: tuple[SessionSummary, ...]

    @property
    def followed(self) -> int:
        return sum(s.followed for s in self.sessions)

    @property
    def redirected(self) -> int:
        return sum(s.redirected for s in self.sessions)

    @property
    def initiatives(self) -> int:
        return sum(s.initiatives for s in self.sessions)

    def themes(self) -> list[tuple[str, int]]:
        """Catalogue themes by how many sessions they came up in (most first, then by name)."""
        counts = Counter(label for s in self.sessions for label in set(s.themes))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _counts(observations: list[Observation], catalogue: ObservationCatalogue) -> tuple[int, int, int]:
    initiatives = followed = redirected = 0
    for o in observations:
        code = catalogue.code(o.code) if catalogue.has(o.code) else None
        if code is None:
            continue
        if code.is_initiative:
            initiatives += 1
        elif code.is_response and o.responds_to is not None:
            followed += code.response == "followed"
            redirected += code.response == "redirected"
    return initiatives, followed, redirected


def _themes(notes: list[WonderNote], catalogue: ObservationCatalogue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    known, own = [], []
    for n in notes:
        if n.kind != WonderKind.THEME:
            continue
        if n.theme:
            known.append(catalogue.theme(n.theme).label if any(t.code == n.theme for t in catalogue.themes)
                         else n.theme)
        elif n.text:
            own.append(n.text)
    return tuple(dict.fromkeys(known)), tuple(dict.fromkeys(own))


def course_overview(service: LibraryService, intervention_id: int) -> CourseOverview:
    with service.read() as repos:
        catalogue = library_catalogue(service, repos)
        intervention = repos.interventions.get(intervention_id)
        sessions = repos.sessions.of_intervention(intervention_id)
        # The whole course in three queries, not three per session.
        observations_of = repos.reports.course_observations(intervention_id)
        notes_of = repos.reports.course_notes(intervention_id)
        recordings_of = repos.reports.course_recording_counts(intervention_id)
    progress = CourseProgress(intervention, tuple(sessions))
    rows = []
    for s in sessions:
        observations = observations_of.get(s.saved_id, [])
        notes = notes_of.get(s.saved_id, [])
        initiatives, followed, redirected = _counts(observations, catalogue)
        themes, own = _themes(notes, catalogue)
        rows.append(SessionSummary(s, progress.number_of(s.saved_id), recordings_of.get(s.saved_id, 0),
                                   tuple(observations), initiatives, followed, redirected, themes, own, len(notes)))
    return CourseOverview(intervention, progress, tuple(rows))
