"""The Wonder half of a WWW session: what the mother observed (in her words), what she felt, what it
reminded her of, the therapist's reflections and the themes that came up, each optionally about an
observation or a moment of the session's recording."""

from __future__ import annotations

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
from vigstudio.app.www.observations import library_catalogue
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.www import MAX_TEXT, WonderKind, WonderNote

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos


def parse_wonder_kind(kind: WonderKind | str) -> WonderKind:
    try:
        return WonderKind(str(kind).strip().lower().replace("-", "_"))
    except ValueError:
        known = ", ".join(k.value for k in WonderKind)
        raise InvalidInput(f"unknown kind of note {kind!r} ({known})") from None


def _emit(service: LibraryService, action: ChangeAction, ids: tuple[int, ...], case_id: int,
          session_id: int) -> None:
    service.emit(Change(ChangeKind.WONDER_NOTE, action, ids, case_id, session_id))


def _checked(service: LibraryService, repos: Repos, note: WonderNote) -> WonderNote:
    if is_supervision_session(repos, note.session_id):
        raise ReadOnlySupervision("session", note.session_id, "Wonder notes")
    note.kind = parse_wonder_kind(note.kind)
    if not isinstance(note.text, str) or len(note.text) > MAX_TEXT:
        raise InvalidInput(f"a note is text of at most {MAX_TEXT} characters")
    note.text = note.text.strip()
    if note.kind == WonderKind.THEME:
        if note.theme:
            note.theme = library_catalogue(service, repos).theme(note.theme.strip()).code
        elif not note.text:
            raise InvalidInput("a theme needs a theme code or its own words")
    else:
        if note.theme:
            raise InvalidInput("only a theme note names a theme code")
        if not note.text:
            raise InvalidInput("the note is empty")
    if note.observation_id is not None:
        obs = repos.observations.find(note.observation_id)
        if obs is None or repos.recordings.get(obs.recording_id).session_id != note.session_id:
            raise InvalidInput(f"observation {note.observation_id} is not part of session {note.session_id}")
    if note.frame is not None and note.recording_id is None:
        raise InvalidInput("a moment of the recording needs the recording too")
    if note.recording_id is not None:
        recording = repos.recordings.get(note.recording_id)
        if recording.session_id != note.session_id:
            raise InvalidInput(f"recording {note.recording_id} is not part of session {note.session_id}")
        if note.frame is not None and not 0 <= note.frame < recording.frame_count:
            raise InvalidInput(f"frame {note.frame} is outside recording {recording.id} "
                               f"(frames 0-{recording.frame_count - 1})")
    return note


def add_note(service: LibraryService, session_id: int, kind: WonderKind | str, text: str = "", *,
             theme: str | None = None, observation_id: int | None = None, recording_id: int | None = None,
             frame: int | None = None) -> WonderNote:
    with service.edit() as repos:
        repos.sessions.get(session_id)
        note = _checked(service, repos, WonderNote(session_id, parse_wonder_kind(kind), text, theme,
                                                   observation_id, recording_id, frame))
        repos.wonder_notes.add(note)
        case = repos.sessions.case_of(session_id)
    _emit(service, ChangeAction.ADDED, (note.saved_id,), case.saved_id, note.session_id)
    return note


def notes_of_session(service: LibraryService, session_id: int) -> list[WonderNote]:
    with service.read() as repos:
        repos.sessions.get(session_id)
        return repos.wonder_notes.of_session(session_id)


def update_note(service: LibraryService, note_id: int, *, kind: WonderKind | str | None = None,
                text: str | None = None, theme: str | None | Unchanged = UNCHANGED,
                observation_id: int | None | Unchanged = UNCHANGED,
                recording_id: int | None | Unchanged = UNCHANGED,
                frame: int | None | Unchanged = UNCHANGED) -> tuple[WonderNote, WonderNote]:
    with service.edit() as repos:
        note = repos.wonder_notes.get(note_id)
        before = copy(note)
        if kind is not None:
            note.kind = parse_wonder_kind(kind)
        if text is not None:
            note.text = text
        if not isinstance(theme, Unchanged):
            note.theme = theme
        if not isinstance(observation_id, Unchanged):
            note.observation_id = observation_id
        if not isinstance(recording_id, Unchanged):
            note.recording_id = recording_id
        if not isinstance(frame, Unchanged):
            note.frame = frame
        _checked(service, repos, note)
        repos.wonder_notes.update(note)
        case = repos.sessions.case_of(note.session_id)
    _emit(service, ChangeAction.UPDATED, (note_id,), case.saved_id, note.session_id)
    return before, note


def restore_note_fields(service: LibraryService, before: WonderNote) -> WonderNote:
    return update_note(service, before.saved_id, kind=before.kind, text=before.text, theme=before.theme,
                       observation_id=before.observation_id, recording_id=before.recording_id,
                       frame=before.frame)[1]


def delete_note(service: LibraryService, note_id: int) -> WonderNote:
    with service.edit() as repos:
        note = repos.wonder_notes.get(note_id)
        if is_supervision_session(repos, note.session_id):
            raise ReadOnlySupervision("session", note.session_id, "Wonder notes")
        repos.wonder_notes.delete(note_id)
        case = repos.sessions.case_of(note.session_id)
    _emit(service, ChangeAction.DELETED, (note_id,), case.saved_id, note.session_id)
    return copy(note)


def restore_note(service: LibraryService, note: WonderNote) -> WonderNote:
    note = copy(note)
    with service.edit() as repos:
        if note.observation_id is not None and repos.observations.find(note.observation_id) is None:
            note.observation_id = None
        _checked(service, repos, note)
        reinsert(repos, repos.wonder_notes, note)
        case = repos.sessions.case_of(note.session_id)
    _emit(service, ChangeAction.ADDED, (note.saved_id,), case.saved_id, note.session_id)
    return note


def note_to_json(note: WonderNote) -> dict[str, object]:
    return {"id": note.id, "session_id": note.session_id, "kind": note.kind.value, "text": note.text,
            "theme": note.theme, "observation_id": note.observation_id, "recording_id": note.recording_id,
            "frame": note.frame}
