"""What a WWW session adds to a supervision bundle, and takes back out of one (all additive to the
session bundle's JSON: new keys, new members).

- `www`: the course's kind and planned sessions, the session's attendance and who came (roles).
- `www_recordings`: the session's own recordings, streamed as their original bytes (its observations
  are coded on them; the bundle needs supervision consent like every bundle). Opened, each is stored
  with the origin `review_sha256`, so the supervisor's comments on it go back in feedback bundles
  exactly like comments on a shared-review recording.
- `observations` and `wonder_notes`, with uids; links between them by uid.
- `observation_codes`: the definition of every code used that is not one of VIG Studio's defaults,
  so the receiving library shows the sender's own codes by their labels.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio.app.www.observations import learn_codes, library_catalogue
from vigstudio.domain.model import Attendance, CancelledBy, Recording, Session, SessionKind
from vigstudio.domain.observations import parse_code
from vigstudio.domain.www import Observation, WonderKind, WonderNote, parse_roles

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

WWW_MEMBER_DIR = "www"


def www_recordings(repos: Repos, session: Session) -> list[tuple[Recording, str]]:
    """The recordings a WWW session's bundle carries, with their member names."""
    if session.kind != SessionKind.WWW:
        return []
    found = []
    for r in repos.recordings.of_session(session.saved_id):
        suffix = Path(r.file_name).suffix.lower()
        suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ".bin"
        found.append((r, f"{WWW_MEMBER_DIR}/{r.id}{suffix}"))
    return found


def www_doc(service: LibraryService, repos: Repos, session: Session,
            recordings: list[tuple[Recording, str]]) -> dict[str, Any]:
    """The JSON keys a WWW session adds to session.json (empty for other sessions)."""
    if session.kind != SessionKind.WWW:
        return {}
    intervention = repos.interventions.get(session.saved_intervention_id)
    observations = repos.observations.of_session(session.saved_id)
    notes = repos.wonder_notes.of_session(session.saved_id)
    uid_of = {o.id: o.uid for o in observations}
    catalogue = library_catalogue(service, repos)
    used = sorted({o.code for o in observations if catalogue.has(o.code) and not catalogue.is_default(o.code)})
    return {
        "www": {"kind": intervention.kind.value, "planned_sessions": intervention.planned_sessions,
                "attendance": session.attendance.value,
                "cancelled_by": session.cancelled_by.value if session.cancelled_by else None,
                "attendance_reason": session.attendance_reason, "attendees": list(session.attendees)},
        "www_recordings": [{"recording": r.id, "sha256": r.sha256, "fps": r.fps, "frame_count": r.frame_count,
                            "member": name} for r, name in recordings],
        "observations": [{"uid": o.uid, "recording": o.recording_id, "frame": o.frame, "end_frame": o.end_frame,
                          "code": o.code, "text": o.text, "coder": o.coder,
                          "responds_to": uid_of.get(o.responds_to) if o.responds_to else None,
                          "created_at": o.created_at.isoformat()} for o in observations],
        "wonder_notes": [{"uid": n.uid, "kind": n.kind.value, "text": n.text, "theme": n.theme,
                          "observation": uid_of.get(n.observation_id) if n.observation_id else None,
                          "recording": n.recording_id, "frame": n.frame, "created_at": n.created_at.isoformat()}
                         for n in notes],
        "observation_codes": [catalogue.code(code).to_json() for code in used],
    }


def www_session_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Attendance fields of the session (defaults for a bundle without them)."""
    www = doc.get("www") or {}
    attendance = Attendance(www.get("attendance") or Attendance.ATTENDED.value)
    by = www.get("cancelled_by")
    return {"attendance": attendance, "cancelled_by": CancelledBy(by) if by else None,
            "attendance_reason": str(www.get("attendance_reason") or ""),
            "attendees": parse_roles(list(www.get("attendees") or []))}


def add_www_rows(service: LibraryService, repos: Repos, doc: dict[str, Any], session_id: int,
                 recordings: dict[object, Recording]) -> int:
    """Observations and Wonder notes of the bundle, on the recordings opened from it (`recordings`:
    the sender's recording id → the recording made here). Returns how many observations were added."""
    learn_codes(service, repos, [parse_code(c) for c in doc.get("observation_codes", [])])
    catalogue = library_catalogue(service, repos)
    by_uid: dict[str, Observation] = {}
    pending_links: list[tuple[Observation, str]] = []
    for item in doc.get("observations", []):
        recording = recordings.get(item.get("recording"))
        if recording is None:
            continue  # its recording did not travel: nothing to show it on
        catalogue.code(str(item["code"]))
        end = item.get("end_frame")
        obs = repos.observations.add(Observation(
            recording_id=recording.saved_id, frame=int(item["frame"]), code=str(item["code"]),
            end_frame=None if end is None else int(end), text=str(item.get("text") or ""),
            coder=str(item.get("coder") or ""), created_at=dt.datetime.fromisoformat(item["created_at"]),
            uid=str(item["uid"])))
        by_uid[obs.uid] = obs
        if item.get("responds_to"):
            pending_links.append((obs, str(item["responds_to"])))
    for obs, target in pending_links:
        if target in by_uid:
            obs.responds_to = by_uid[target].id
            repos.observations.update(obs)
    for item in doc.get("wonder_notes", []):
        recording = recordings.get(item.get("recording")) if item.get("recording") is not None else None
        observation = by_uid.get(str(item.get("observation"))) if item.get("observation") else None
        frame = item.get("frame")
        repos.wonder_notes.add(WonderNote(
            session_id=session_id, kind=WonderKind(item["kind"]), text=str(item.get("text") or ""),
            theme=item.get("theme"), observation_id=observation.id if observation else None,
            recording_id=recording.id if recording else None,
            frame=int(frame) if frame is not None and recording is not None else None,
            created_at=dt.datetime.fromisoformat(item["created_at"]), uid=str(item["uid"])))
    return len(by_uid)
