"""Editing use cases: clips, tags, stills, markers, session notes and the helping question.

Use cases are module functions taking the open `LibraryService` first (`add_clip(service, recording_id,
start, end)`), as everywhere in `app`. Every edit is checked first (unknown ids raise
`NotFound`, out-of-range frames and bad codes `InvalidInput`, before anything is written), then
committed in its own transaction, then announced with a `Change` through the service so every view
reloads from the library. There is no Save: once a method returns, the edit is on disk.

Deletes return what they removed (`ClipSnapshot`, `Still`, `Marker`, `Annotation`) and the matching
`restore_*` puts it back with the same ids and review position, which is what undo needs: later
commands on an undo stack refer to those ids.

Clips and stills have a dense review order (positions 0..n-1) per session, across the session's
recordings; adding appends, deleting and moving renumber.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio.app.cases import update_session_notes
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import (
    UNCHANGED,
    ClipSnapshot,
    ClipWithTags,
    ReadOnlySupervision,
    Unchanged,
    annotations_outside,
    check_clip_range,
    check_cycle_words_editable,
    check_editable,
    check_frame_in_clip,
    check_frame_in_recording,
    check_frame_number,
    check_session_words_editable,
    check_text,
    check_title,
    copy,
    is_supervision_session,
    parse_who,
    reinsert,
    renumber,
)
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Annotation, AuditEvent, Clip, Cycle, Marker, Recording, Session, Still, Who
from vigstudio.domain.principles import Catalogue, load_catalogue
from vigstudio.store.tree_rows import tags_of_session

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

__all__ = ["CATALOGUE_EXTENSION", "ClipSnapshot", "ClipWithTags", "ReadOnlySupervision", "UNCHANGED",
           "annotation_to_json", "clip_to_json"]

log = logging.getLogger(__name__)

# A service's own codes (e.g. WWW observations) dropped into the library folder extend the catalogue.
CATALOGUE_EXTENSION = "principles.json"


_catalogues: dict[Path, tuple[float | None, Catalogue]] = {}


def principles_catalogue(service: LibraryService) -> Catalogue:
    """The principles to tag with: the published catalogue, extended by the library's own
    `principles.json` if it has one (read again only when that file changes)."""
    extension = Path(service.path) / CATALOGUE_EXTENSION
    try:
        stamp: float | None = extension.stat().st_mtime
    except OSError:
        stamp = None
    known = _catalogues.get(extension)
    if known is None or known[0] != stamp:
        known = _catalogues[extension] = (stamp, load_catalogue(extension))
    return known[1]


def _emit(service: LibraryService, kind: ChangeKind, action: ChangeAction, ids: Iterable[int | None],
          where: tuple[int, int]) -> None:
    case_id, session_id = where
    service.emit(Change(kind, action, tuple(i for i in ids if i is not None), case_id, session_id))


# -- clips ----------------------------------------------------------------------------------------


def add_clip(service: LibraryService, recording_id: int, start_frame: int, end_frame: int, title: str = "") -> Clip:
    """A clip of frames [start_frame, end_frame) placed last in its session's review order."""
    title = check_title(title)
    with service.edit() as repos:
        recording = repos.recordings.get(recording_id)
        check_editable(repos, recording, "recording", recording_id)
        start, end = check_clip_range(start_frame, end_frame, recording)
        position = len(repos.clips.of_session(recording.session_id))
        clip = repos.clips.add(Clip(recording_id, start, end, title, position))
        where = _where(repos, recording)
        repos.audit.append(AuditEvent("clip_add", f"clip {clip.id} recording {recording_id}"))
    _emit(service, ChangeKind.CLIP, ChangeAction.ADDED, (clip.id,), where)
    return clip


def trim_clip(service: LibraryService, clip_id: int, start_frame: int, end_frame: int) -> Clip:
    """New bounds for the clip. Refused if a tag on a single frame would fall outside them."""
    with service.edit() as repos:
        clip = repos.clips.get(clip_id)
        recording = repos.recordings.get(clip.recording_id)
        check_editable(repos, recording, "clip", clip_id)
        start, end = check_clip_range(start_frame, end_frame, recording)
        outside = annotations_outside(repos.annotations.of_clip(clip_id), start, end)
        if outside:
            frames = ", ".join(str(a.frame) for a in outside)
            raise InvalidInput(f"clip {clip_id} has tags on frame {frames}, outside frames "
                               f"{start}-{end - 1}: remove those tags or keep the frames in the clip")
        clip.start_frame, clip.end_frame = start, end
        repos.clips.update(clip)
        where = _where(repos, recording)
    _emit(service, ChangeKind.CLIP, ChangeAction.UPDATED, (clip_id,), where)
    return clip


def rename_clip(service: LibraryService, clip_id: int, title: str) -> Clip:
    title = check_title(title)
    with service.edit() as repos:
        clip = repos.clips.get(clip_id)
        recording = repos.recordings.get(clip.recording_id)
        check_editable(repos, recording, "clip", clip_id)
        clip.title = title
        repos.clips.update(clip)
        where = _where(repos, recording)
    _emit(service, ChangeKind.CLIP, ChangeAction.UPDATED, (clip_id,), where)
    return clip


def move_clip(service: LibraryService, clip_id: int, new_position: int) -> Clip:
    """Put the clip at `new_position` (0-based) of its session's review order; the others shift."""
    new_position = check_frame_number(new_position, "a review position")
    with service.edit() as repos:
        clip = repos.clips.get(clip_id)
        recording = repos.recordings.get(clip.recording_id)
        check_editable(repos, recording, "clip", clip_id)
        order = [c for c in repos.clips.of_session(recording.session_id) if c.id != clip_id]
        if not 0 <= new_position <= len(order):
            raise InvalidInput(f"position {new_position} is outside the review order of session "
                               f"{recording.session_id} (positions 0-{len(order)})")
        order.insert(new_position, clip)
        changed = renumber(repos.clips, order)
        where = _where(repos, recording)
    _emit(service, ChangeKind.CLIP, ChangeAction.UPDATED, changed or (clip_id,), where)
    return clip


def delete_clip(service: LibraryService, clip_id: int) -> ClipSnapshot:
    """Delete the clip and its tags; returns what `restore_clip` needs to bring them back."""
    with service.edit() as repos:
        clip = repos.clips.get(clip_id)
        recording = repos.recordings.get(clip.recording_id)
        check_editable(repos, recording, "clip", clip_id)
        snapshot = ClipSnapshot(copy(clip), tuple(repos.annotations.of_clip(clip_id)),
                                tuple(repos.coder_tags.of_clip(clip_id)))
        repos.clips.delete(clip_id)  # its annotations go with it (ON DELETE CASCADE)
        renumber(repos.clips, repos.clips.of_session(recording.session_id))
        where = _where(repos, recording)
        repos.audit.append(AuditEvent("clip_delete", f"clip {clip_id} recording {recording.id}"))
    _emit(service, ChangeKind.CLIP, ChangeAction.DELETED, (clip_id,), where)
    return snapshot


def restore_clip(service: LibraryService, snapshot: ClipSnapshot) -> Clip:
    """Bring back a deleted clip with its id, review position and tags (with their ids)."""
    clip = copy(snapshot.clip)
    with service.edit() as repos:
        recording = repos.recordings.get(clip.recording_id)
        check_editable(repos, recording, "clip", clip.id)
        check_clip_range(clip.start_frame, clip.end_frame, recording)
        for annotation in snapshot.annotations:
            principles_catalogue(service).validate(annotation.principle, annotation.behaviour)
            if annotation.frame is not None:
                check_frame_in_clip(annotation.frame, clip)
        order = repos.clips.of_session(recording.session_id)
        order.insert(max(0, min(clip.position, len(order))), clip)
        renumber(repos.clips, order, skip_id=clip.id)
        reinsert(repos, repos.clips, clip)
        for annotation in snapshot.annotations:
            reinsert(repos, repos.annotations, annotation)
        for tag in snapshot.coder_tags:
            reinsert(repos, repos.coder_tags, tag)
        where = _where(repos, recording)
        repos.audit.append(AuditEvent("clip_restore", f"clip {clip.id} recording {recording.id}"))
    _emit(service, ChangeKind.CLIP, ChangeAction.ADDED, (clip.id,), where)
    return clip

# -- tags -----------------------------------------------------------------------------------------


def tag_clip(service: LibraryService, clip_id: int, principle: str, behaviour: str | None = None,
             who: Who | str | None = None, text: str = "", frame: int | None = None) -> Annotation:
    """Tag the clip (or one frame inside it) with a principle of the catalogue."""
    principle, behaviour, who, text = check_tag(service, principle, behaviour, who, text)
    with service.edit() as repos:
        clip = repos.clips.get(clip_id)
        recording = repos.recordings.get(clip.recording_id)
        check_editable(repos, recording, "clip", clip_id)
        if frame is not None:
            frame = check_frame_in_clip(frame, clip)
        annotation = repos.annotations.add(Annotation(clip_id, principle, behaviour, who, text, frame))
        where = _where(repos, recording)
    _emit(service, ChangeKind.ANNOTATION, ChangeAction.ADDED, (annotation.id, clip_id), where)
    return annotation


def check_tag(service: LibraryService, principle: str, behaviour: str | None = None, who: Who | str | None = None,
              text: str = "") -> tuple[str, str | None, Who | None, str]:
    """The tag's fields checked against the catalogue (nothing is read or written)."""
    if not isinstance(principle, str) or not principle.strip():
        raise InvalidInput("a tag needs a principle code, e.g. P2")
    catalogue = principles_catalogue(service)
    principle = _known_spelling(principle.strip(), catalogue.codes())
    if isinstance(behaviour, str):
        behaviour = behaviour.strip() or None
    if behaviour is not None:
        behaviour = _known_spelling(behaviour, [b.code for p in catalogue.principles for b in p.behaviours])
    catalogue.validate(principle, behaviour)
    return principle, behaviour, parse_who(who), check_text(text, "a tag's text")


def update_annotation(service: LibraryService, annotation_id: int, *, principle: str | Unchanged = UNCHANGED,
                      behaviour: str | None | Unchanged = UNCHANGED,
                      who: Who | str | None | Unchanged = UNCHANGED, text: str | Unchanged = UNCHANGED,
                      frame: int | None | Unchanged = UNCHANGED) -> Annotation:
    """Change some fields of a tag; the others stay as they are."""
    with service.edit() as repos:
        annotation = repos.annotations.get(annotation_id)
        clip = repos.clips.get(annotation.clip_id)
        check_editable(repos, repos.recordings.get(clip.recording_id), "clip", clip.id)
        fields = {"principle": principle, "behaviour": behaviour, "who": who, "text": text}
        for name, value in fields.items():
            if value is not UNCHANGED:
                setattr(annotation, name, value)
        (annotation.principle, annotation.behaviour, annotation.who, annotation.text) = check_tag(service,
            annotation.principle, annotation.behaviour, annotation.who, annotation.text)
        if frame is not UNCHANGED:
            annotation.frame = None if frame is None else check_frame_in_clip(frame, clip)
        repos.annotations.update(annotation)
        where = _where(repos, repos.recordings.get(clip.recording_id))
    _emit(service, ChangeKind.ANNOTATION, ChangeAction.UPDATED, (annotation_id, clip.id), where)
    return annotation


def remove_annotation(service: LibraryService, annotation_id: int) -> Annotation:
    """Remove a tag; returns it for `restore_annotation`."""
    with service.edit() as repos:
        annotation = repos.annotations.get(annotation_id)
        clip = repos.clips.get(annotation.clip_id)
        check_editable(repos, repos.recordings.get(clip.recording_id), "clip", clip.id)
        repos.annotations.delete(annotation_id)
        where = _where(repos, repos.recordings.get(clip.recording_id))
    _emit(service, ChangeKind.ANNOTATION, ChangeAction.DELETED, (annotation_id, clip.id), where)
    return annotation


def restore_annotation(service: LibraryService, annotation: Annotation) -> Annotation:
    annotation = copy(annotation)
    check_tag(service, annotation.principle, annotation.behaviour, annotation.who, annotation.text)
    with service.edit() as repos:
        clip = repos.clips.get(annotation.clip_id)
        check_editable(repos, repos.recordings.get(clip.recording_id), "clip", clip.id)
        if annotation.frame is not None:
            check_frame_in_clip(annotation.frame, clip)
        reinsert(repos, repos.annotations, annotation)
        where = _where(repos, repos.recordings.get(clip.recording_id))
    _emit(service, ChangeKind.ANNOTATION, ChangeAction.ADDED, (annotation.id, clip.id), where)
    return annotation

# -- stills ---------------------------------------------------------------------------------------


def add_still(service: LibraryService, recording_id: int, frame: int, caption: str = "") -> Still:
    """A still of `frame`, placed last among its session's stills."""
    caption = check_text(caption, "a caption")
    with service.edit() as repos:
        recording = repos.recordings.get(recording_id)
        check_editable(repos, recording, "recording", recording_id)
        frame = check_frame_in_recording(frame, recording)
        position = len(repos.stills.of_session(recording.session_id))
        still = repos.stills.add(Still(recording_id, frame, caption, position))
        where = _where(repos, recording)
        repos.audit.append(AuditEvent("still_add", f"still {still.id} recording {recording_id}"))
    _emit(service, ChangeKind.STILL, ChangeAction.ADDED, (still.id,), where)
    return still


def set_still_caption(service: LibraryService, still_id: int, caption: str) -> Still:
    caption = check_text(caption, "a caption")
    with service.edit() as repos:
        still = repos.stills.get(still_id)
        recording = repos.recordings.get(still.recording_id)
        check_editable(repos, recording, "still", still_id)
        still.caption = caption
        repos.stills.update(still)
        where = _where(repos, recording)
    _emit(service, ChangeKind.STILL, ChangeAction.UPDATED, (still_id,), where)
    return still


def delete_still(service: LibraryService, still_id: int) -> Still:
    """Delete the still; returns it for `restore_still`."""
    with service.edit() as repos:
        still = repos.stills.get(still_id)
        recording = repos.recordings.get(still.recording_id)
        check_editable(repos, recording, "still", still_id)
        repos.stills.delete(still_id)
        renumber(repos.stills, repos.stills.of_session(recording.session_id))
        where = _where(repos, recording)
        repos.audit.append(AuditEvent("still_delete", f"still {still_id} recording {recording.id}"))
    _emit(service, ChangeKind.STILL, ChangeAction.DELETED, (still_id,), where)
    return still


def restore_still(service: LibraryService, still: Still) -> Still:
    still = copy(still)
    with service.edit() as repos:
        recording = repos.recordings.get(still.recording_id)
        check_editable(repos, recording, "still", still.id)
        check_frame_in_recording(still.frame, recording)
        order = repos.stills.of_session(recording.session_id)
        order.insert(max(0, min(still.position, len(order))), still)
        renumber(repos.stills, order, skip_id=still.id)
        reinsert(repos, repos.stills, still)
        where = _where(repos, recording)
        repos.audit.append(AuditEvent("still_restore", f"still {still.id} recording {recording.id}"))
    _emit(service, ChangeKind.STILL, ChangeAction.ADDED, (still.id,), where)
    return still

# -- markers --------------------------------------------------------------------------------------


def add_marker(service: LibraryService, recording_id: int, frame: int, note: str = "") -> Marker:
    """A "look again here" marker on a frame of the recording."""
    note = check_text(note, "a marker's note")
    with service.edit() as repos:
        recording = repos.recordings.get(recording_id)
        frame = check_frame_in_recording(frame, recording)
        marker = repos.markers.add(Marker(recording_id, frame, note))
        where = _where(repos, recording)
    _emit(service, ChangeKind.MARKER, ChangeAction.ADDED, (marker.id, recording_id), where)
    return marker


def delete_marker(service: LibraryService, marker_id: int) -> Marker:
    with service.edit() as repos:
        marker = repos.markers.get(marker_id)
        repos.markers.delete(marker_id)
        where = _where(repos, repos.recordings.get(marker.recording_id))
    _emit(service, ChangeKind.MARKER, ChangeAction.DELETED, (marker_id, marker.recording_id), where)
    return marker


def restore_marker(service: LibraryService, marker: Marker) -> Marker:
    marker = copy(marker)
    with service.edit() as repos:
        recording = repos.recordings.get(marker.recording_id)
        check_frame_in_recording(marker.frame, recording)
        reinsert(repos, repos.markers, marker)
        where = _where(repos, recording)
    _emit(service, ChangeKind.MARKER, ChangeAction.ADDED, (marker.id, marker.recording_id), where)
    return marker

# -- session notes and helping question -----------------------------------------------------------

# In a supervision case both came in the bundle as the practitioner's words: `ReadOnlySupervision`.


def set_session_notes(service: LibraryService, session_id: int, text: str) -> Session:
    text = check_text(text, "session notes")
    with service.read() as repos:
        repos.sessions.get(session_id)
        check_session_words_editable(repos, session_id)
    return update_session_notes(service, session_id, text)


def set_helping_question(service: LibraryService, cycle_id: int, text: str) -> Cycle:
    text = check_text(text, "a helping question")
    with service.edit() as repos:
        cycle = repos.cycles.get(cycle_id)
        check_cycle_words_editable(repos, cycle)
        cycle.helping_question = text
        repos.cycles.update(cycle)
        case_id = repos.interventions.get(cycle.intervention_id).case_id
    service.emit(Change(ChangeKind.CYCLE, ChangeAction.UPDATED, (cycle_id,), case_id))
    return cycle

# -- queries --------------------------------------------------------------------------------------


def get_clip(service: LibraryService, clip_id: int) -> ClipWithTags:
    with service.read() as repos:
        return _with_tags(repos, repos.clips.get(clip_id))


def get_annotation(service: LibraryService, annotation_id: int) -> Annotation:
    with service.read() as repos:
        return repos.annotations.get(annotation_id)


def get_still(service: LibraryService, still_id: int) -> Still:
    with service.read() as repos:
        return repos.stills.get(still_id)


def get_marker(service: LibraryService, marker_id: int) -> Marker:
    with service.read() as repos:
        return repos.markers.get(marker_id)


def get_session(service: LibraryService, session_id: int) -> Session:
    with service.read() as repos:
        return repos.sessions.get(session_id)


def is_read_only(service: LibraryService, session_id: int) -> bool:
    """Whether the session's clips, stills and tags are read-only: it belongs to a supervision case
    (opened from a practitioner's bundle), where the supervisor adds comments instead."""
    with service.read() as repos:
        repos.sessions.get(session_id)
        return is_supervision_session(repos, session_id)


def get_cycle(service: LibraryService, cycle_id: int) -> Cycle:
    with service.read() as repos:
        return repos.cycles.get(cycle_id)


def cycle_of_session(service: LibraryService, session_id: int) -> Cycle | None:
    """The session's cycle (its helping question is shown beside the session notes); None for a
    session outside cycles (a WWW course's)."""
    with service.read() as repos:
        cycle_id = repos.sessions.get(session_id).cycle_id
        return None if cycle_id is None else repos.cycles.get(cycle_id)


def recordings_of_session(service: LibraryService, session_id: int) -> list[Recording]:
    with service.read() as repos:
        repos.sessions.get(session_id)
        return repos.recordings.of_session(session_id)


def clips_of_session(service: LibraryService, session_id: int, principle: str | None = None) -> list[ClipWithTags]:
    """The session's clips in review order with their tags; with `principle`, only clips tagged
    with it (the clip list's filter)."""
    if principle is not None:
        principles_catalogue(service).principle(principle)
    with service.read() as repos:
        repos.sessions.get(session_id)
        tags = tags_of_session(repos, session_id)  # one query, not one per clip
        clips = [ClipWithTags(c, tuple(tags.get(c.saved_id, ()))) for c in repos.clips.of_session(session_id)]
    return [c for c in clips if principle is None or principle in c.principles]


def clips_of_recording(service: LibraryService, recording_id: int, principle: str | None = None) -> list[ClipWithTags]:
    if principle is not None:
        principles_catalogue(service).principle(principle)
    with service.read() as repos:
        repos.recordings.get(recording_id)
        clips = [_with_tags(repos, c) for c in repos.clips.of_recording(recording_id)]
    return [c for c in clips if principle is None or principle in c.principles]


def stills_of_session(service: LibraryService, session_id: int) -> list[Still]:
    with service.read() as repos:
        repos.sessions.get(session_id)
        return repos.stills.of_session(session_id)


def stills_of_recording(service: LibraryService, recording_id: int) -> list[Still]:
    with service.read() as repos:
        repos.recordings.get(recording_id)
        return repos.stills.of_recording(recording_id)


def markers_of_recording(service: LibraryService, recording_id: int) -> list[Marker]:
    with service.read() as repos:
        repos.recordings.get(recording_id)
        return repos.markers.of_recording(recording_id)


def markers_of_session(service: LibraryService, session_id: int) -> list[Marker]:
    with service.read() as repos:
        repos.sessions.get(session_id)
        return [m for r in repos.recordings.of_session(session_id) for m in repos.markers.of_recording(r.saved_id)]




def annotation_to_json(a: Annotation) -> dict[str, Any]:
    return {"id": a.id, "clip_id": a.clip_id, "principle": a.principle, "behaviour": a.behaviour,
            "who": a.who.value if a.who else None, "text": a.text, "frame": a.frame}


def clip_to_json(item: ClipWithTags) -> dict[str, Any]:
    """A clip with its tags, in the shape `vigstudio clip list --json` prints."""
    c = item.clip
    return {"id": c.id, "recording_id": c.recording_id, "start_frame": c.start_frame, "end_frame": c.end_frame,
            "title": c.title, "position": c.position,
            "annotations": [annotation_to_json(a) for a in item.annotations]}


def _with_tags(repos: Repos, clip: Clip) -> ClipWithTags:
    return ClipWithTags(clip, tuple(repos.annotations.of_clip(clip.saved_id)))


def _known_spelling(code: str, known: list[str]) -> str:
    """'p2' typed at a prompt means 'P2': codes are matched ignoring upper/lower case."""
    return next((k for k in known if k.casefold() == code.casefold()), code)


def _where(repos: Repos, recording: Recording) -> tuple[int, int]:
    """(case id, session id) of the recording: what the edit's `Change` names."""
    return repos.sessions.case_of(recording.session_id).saved_id, recording.session_id
