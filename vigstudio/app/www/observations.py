"""Timed WWW observations on a recording: a frame or a frame range (end exclusive, as for clips),
a code of the library's observation catalogue, free text, the coder, and for a response the infant
initiative it answers.

The library's catalogue is the built-in one, extended by the service's `observations.json` in the
library folder (beside the principles' extension) and by code definitions that arrived in bundles
(kept in the library's settings, so a supervisor sees a practitioner's own codes by their labels).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import (
    UNCHANGED,
    ReadOnlySupervision,
    Unchanged,
    copy,
    is_supervision_session,
    reinsert,
)
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Recording
from vigstudio.domain.observations import (
    ObservationCatalogue,
    ObservationCode,
    load_observation_catalogue,
    parse_code,
)
from vigstudio.domain.www import Observation, check_observation_frames

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

OBSERVATION_EXTENSION = "observations.json"  # the service's own codes, beside principles.json
IMPORTED_CODES_SETTING = "observation_codes_imported"  # definitions that came with bundles (JSON list)


@dataclass(frozen=True)
class ObservationSnapshot:
    """What `delete_observation` removed, so `restore_observation` brings back the same id and links."""

    observation: Observation
    response_ids: tuple[int, ...] = ()  # responses that named it as their initiative
    note_ids: tuple[int, ...] = ()  # Wonder notes that were about it


def imported_codes(repos: Repos) -> list[ObservationCode]:
    text = repos.settings.get(IMPORTED_CODES_SETTING)
    return [parse_code(doc) for doc in json.loads(text)] if text else []


def library_catalogue(service: LibraryService, repos: Repos | None = None) -> ObservationCatalogue:
    """The catalogue this library codes with (see the module's note)."""
    catalogue = load_observation_catalogue(Path(service.path) / OBSERVATION_EXTENSION)
    if repos is not None:
        return catalogue.extended(imported_codes(repos))
    with service.read() as own:
        return catalogue.extended(imported_codes(own))


def learn_codes(service: LibraryService, repos: Repos, codes: list[ObservationCode]) -> list[str]:
    """Keep the definitions of codes this library does not know yet (from a bundle); returns their codes.
    A code this library already defines differently is refused (`InvalidInput`)."""
    catalogue = library_catalogue(service, repos)
    new = []
    for code in codes:
        if catalogue.has(code.code):
            if catalogue.code(code.code) != code:
                raise InvalidInput(f"observation code {code.code!r} is defined differently in this library")
            continue
        new.append(code)
    if new:
        known = imported_codes(repos) + new
        repos.settings.set(IMPORTED_CODES_SETTING, json.dumps([c.to_json() for c in known], ensure_ascii=False))
    return [c.code for c in new]


def _check_editable(repos: Repos, recording: Recording, key: object) -> None:
    if is_supervision_session(repos, recording.session_id):
        raise ReadOnlySupervision("observation", key, "observations")


def _one_line(text: str, what: str, limit: int) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text")
    text = text.strip()
    if "\n" in text or "\r" in text or len(text) > limit:
        raise InvalidInput(f"{what} is one line of at most {limit} characters")
    return text


class Observations:
    def __init__(self, service: LibraryService):
        self.service = service

    def catalogue(self) -> ObservationCatalogue:
        return library_catalogue(self.service)

    def _emit(self, action: ChangeAction, ids: tuple[int, ...], case_id: int, session_id: int) -> None:
        self.service.emit(Change(ChangeKind.OBSERVATION, action, ids, case_id, session_id))

    def _checked(self, repos: Repos, obs: Observation, recording: Recording) -> Observation:
        catalogue = library_catalogue(self.service, repos)
        code = catalogue.code(obs.code.strip())
        obs.code = code.code
        obs.coder = _one_line(obs.coder, "the coder's name", 200)
        check_observation_frames(obs, recording.frame_count)
        if obs.responds_to is not None:
            if not code.is_response:
                raise InvalidInput(f"{code.code} is not a response: only a response names the initiative it answers")
            if obs.responds_to == obs.id:
                raise InvalidInput("an observation cannot answer itself")
            target = repos.observations.find(obs.responds_to)
            if target is None:
                raise InvalidInput(f"observation {obs.responds_to} does not exist")
            target_recording = repos.recordings.get(target.recording_id)
            if target_recording.session_id != recording.session_id:
                raise InvalidInput(f"observation {obs.responds_to} belongs to another session")
            if not catalogue.has(target.code) or not catalogue.code(target.code).is_initiative:
                raise InvalidInput(f"observation {obs.responds_to} is not an infant initiative")
        return obs

    def add(self, recording_id: int, frame: int, code: str, *, end_frame: int | None = None, text: str = "",
            coder: str = "", responds_to: int | None = None) -> Observation:
        """Code a moment (frame) or a range [frame, end_frame) of the recording."""
        with self.service.edit() as repos:
            recording = repos.recordings.get(recording_id)
            _check_editable(repos, recording, f"on recording {recording_id}")
            obs = self._checked(repos, Observation(recording_id, frame, code, end_frame, text, coder, responds_to),
                                recording)
            repos.observations.add(obs)
            case = repos.sessions.case_of(recording.session_id)
            repos.audit.append(AuditEvent("observation_add", f"observation {obs.id} recording {recording_id}"))
        self._emit(ChangeAction.ADDED, (obs.saved_id,), case.saved_id, recording.session_id)
        return obs

    def get(self, observation_id: int) -> Observation:
        with self.service.read() as repos:
            return repos.observations.get(observation_id)

    def of_recording(self, recording_id: int) -> list[Observation]:
        with self.service.read() as repos:
            repos.recordings.get(recording_id)
            return repos.observations.of_recording(recording_id)

    def of_session(self, session_id: int) -> list[Observation]:
        with self.service.read() as repos:
            repos.sessions.get(session_id)
            return repos.observations.of_session(session_id)

    def update(self, observation_id: int, *, frame: int | None = None, end_frame: int | None | Unchanged = UNCHANGED,
               code: str | None = None, text: str | None = None, coder: str | None = None,
               responds_to: int | None | Unchanged = UNCHANGED) -> tuple[Observation, Observation]:
        """Change what is given; returns (before, after). `restore_fields(before)` undoes it."""
        with self.service.edit() as repos:
            obs = repos.observations.get(observation_id)
            recording = repos.recordings.get(obs.recording_id)
            _check_editable(repos, recording, observation_id)
            before = copy(obs)
            if frame is not None:
                obs.frame = frame
            if not isinstance(end_frame, Unchanged):
                obs.end_frame = end_frame
            if code is not None:
                obs.code = code
            if text is not None:
                obs.text = text
            if coder is not None:
                obs.coder = coder
            if not isinstance(responds_to, Unchanged):
                obs.responds_to = responds_to
            self._checked(repos, obs, recording)
            if not library_catalogue(self.service, repos).code(obs.code).is_initiative \
                    and repos.observations.responses_to(observation_id):
                raise InvalidInput(f"observation {observation_id} is answered by responses: it must stay an initiative")
            repos.observations.update(obs)
            case = repos.sessions.case_of(recording.session_id)
        self._emit(ChangeAction.UPDATED, (observation_id,), case.saved_id, recording.session_id)
        return before, obs

    def restore_fields(self, before: Observation) -> Observation:
        return self.update(before.saved_id, frame=before.frame, end_frame=before.end_frame, code=before.code,
                           text=before.text, coder=before.coder, responds_to=before.responds_to)[1]

    def delete(self, observation_id: int) -> ObservationSnapshot:
        """Delete the observation; responses naming it and notes about it keep their words, unlinked."""
        with self.service.edit() as repos:
            obs = repos.observations.get(observation_id)
            recording = repos.recordings.get(obs.recording_id)
            _check_editable(repos, recording, observation_id)
            responses = tuple(r.saved_id for r in repos.observations.responses_to(observation_id))
            notes = tuple(n.saved_id for n in repos.wonder_notes.of_session(recording.session_id)
                          if n.observation_id == observation_id)
            repos.observations.delete(observation_id)
            case = repos.sessions.case_of(recording.session_id)
            repos.audit.append(AuditEvent("observation_delete", f"observation {observation_id} "
                                                                f"recording {recording.id}"))
        self._emit(ChangeAction.DELETED, (observation_id,), case.saved_id, recording.session_id)
        return ObservationSnapshot(copy(obs), responses, notes)

    def restore(self, snapshot: ObservationSnapshot) -> Observation:
        """Undo of `delete`: the same id, and the responses and notes linked to it again."""
        obs = copy(snapshot.observation)
        with self.service.edit() as repos:
            recording = repos.recordings.get(obs.recording_id)
            _check_editable(repos, recording, obs.id)
            if obs.responds_to is not None and repos.observations.find(obs.responds_to) is None:
                obs.responds_to = None
            reinsert(repos, repos.observations, obs)
            for response_id in snapshot.response_ids:
                response = repos.observations.find(response_id)
                if response is not None and response.responds_to is None:
                    response.responds_to = obs.id
                    repos.observations.update(response)
            for note_id in snapshot.note_ids:
                note = repos.wonder_notes.find(note_id)
                if note is not None and note.observation_id is None:
                    note.observation_id = obs.id
                    repos.wonder_notes.update(note)
            case = repos.sessions.case_of(recording.session_id)
        self._emit(ChangeAction.ADDED, (obs.saved_id,), case.saved_id, recording.session_id)
        return obs


def observation_to_json(obs: Observation) -> dict[str, object]:
    """The `observation list --json` shape."""
    return {"id": obs.id, "recording_id": obs.recording_id, "frame": obs.frame, "end_frame": obs.end_frame,
            "code": obs.code, "text": obs.text, "coder": obs.coder or None, "responds_to": obs.responds_to}
