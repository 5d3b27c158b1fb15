"""Session bundles for supervision: make one from a session, open one into a library.

Making: consent "supervision" is required; clips are exact MP4 exports and stills PNGs (media.export),
the optional shared-review recording is streamed from its encrypted container as its original bytes;
the tar streams into the age encryptor (see `vigstudio.bundle`). Clips and stills are exported into
memory (io.BytesIO, at most MAX_MEMBER_BYTES each) and never touch a filesystem, tmpfs included.

Opening is all-or-nothing: the whole file is decrypted and authenticated in memory, the tar checked
against its manifest, the bundle uid checked against those already opened; then each clip (and the
review recording) is stored as its own encrypted recording through the import machinery, and every
row is added in ONE transaction. On any failure the containers made are deleted and the library is as
it was. Clips of a supervision case are read-only (`is_read_only`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio import __version__
from vigstudio.app import consent as consent_rules
from vigstudio.app import importing, keys
from vigstudio.app.bundle_types import ORIGIN_ASSET, BundleMade, BundleOpened, check_protection
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import is_supervision_session
from vigstudio.app.feedback import import_feedback
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.app.www.bundle_parts import add_www_rows, www_doc, www_recordings, www_session_fields
from vigstudio.bundle import (
    BundleRefused,
    Member,
    OpenedBundle,
    make_manifest,
    open_bundle_file,
    uses_passphrase,
    write_bundle,
)
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import (
    Annotation,
    AuditEvent,
    BundleKind,
    Case,
    CaseOrigin,
    Clip,
    Consent,
    ConsentScope,
    Cycle,
    ImportedBundle,
    Intervention,
    InterventionKind,
    Marker,
    Recording,
    Session,
    SessionKind,
    Still,
    Who,
    new_uid,
)

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

log = logging.getLogger(__name__)

SESSION_DOC = "session.json"
SUPERVISION_SUFFIX = "-sup"


# -- making -----------------------------------------------------------------------------------------


def export_session_bundle(service: LibraryService, session_id: int, out_path: Path | str,
                          recipients: Sequence[str] = (), passphrase: str | None = None, *,
                          with_review_recording: bool = False,
                          progress: Progress | ProgressCallback | None = None) -> BundleMade:
    progress = as_progress(progress, "bundle export")
    recipients = [keys.validate_public_key(r) for r in recipients]
    check_protection(recipients, passphrase)
    with service.read() as repos:
        session = repos.sessions.get(session_id)
        case = repos.sessions.case_of(session_id)
        if case.origin == CaseOrigin.SUPERVISION:
            raise InvalidInput(f"case {case.code} came from a supervision bundle and cannot be shared again")
        cycle = repos.cycles.get(session.cycle_id) if session.cycle_id is not None else None  # None: WWW
        recordings = {r.saved_id: r for r in repos.recordings.of_session(session_id)}
        clips = repos.clips.of_session(session_id)
        stills = repos.stills.of_session(session_id)
        www_media = www_recordings(repos, session)  # a WWW session's own recordings (its observations')
        if not clips and not stills and not www_media:
            raise InvalidInput(f"session {session_id} has no clips or stills to share")
        review = _review_recordings(repos, session, cycle) if with_review_recording else []
        if with_review_recording and not review:
            raise InvalidInput(f"session {session_id} has no shared-review recording in its cycle "
                               f"(import the review's recording into a shared-review session first)")
        doc = _session_doc(repos, case, cycle, session, recordings, clips, stills, review)
        doc.update(www_doc(service, repos, session, www_media))
    consent_rules.require(service, case.code, ConsentScope.SUPERVISION)
    members: list[Member] = [Member.from_bytes(SESSION_DOC, json.dumps(doc, indent=1).encode("utf-8"))]
    members += _exported_media(service, clips, stills, progress.part(0.0, 0.7))
    members += [_review_member(service, r, name) for r, name in review]
    members += [_review_member(service, r, name) for r, name in www_media]
    uid = new_uid()
    manifest = make_manifest(BundleKind.SESSION.value, uid, __version__, ConsentScope.SUPERVISION.value,
                             members)
    progress(0.7, "encrypting the bundle")
    path = write_bundle(out_path, manifest, members, recipients, passphrase)
    with service.edit() as repos:
        repos.audit.append(AuditEvent("bundle_export", f"bundle {uid} session {session_id} case {case.code} "
                                      f"recipients {len(recipients)}{' passphrase' if passphrase else ''}"))
    with contextlib.suppress(Exception):
        progress(1.0, "bundle written")
    return BundleMade(path, uid, BundleKind.SESSION.value, len(clips), len(stills), len(review))


def _review_recordings(repos: Repos, session: Session, cycle: Cycle | None) -> list[tuple[Recording, str]]:
    """The shared-review recordings of the session's cycle (the session itself, if it is the review)."""
    sessions = [session] if session.kind == SessionKind.SHARED_REVIEW else [
        s for s in repos.sessions.of_cycle(cycle.saved_id) if s.kind == SessionKind.SHARED_REVIEW] if cycle else []
    found = []
    for s in sessions:
        for r in repos.recordings.of_session(s.saved_id):
            suffix = Path(r.file_name).suffix.lower()
            suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ".bin"
            found.append((r, f"review/{r.id}{suffix}"))
    return found


def _session_doc(repos: Repos, case: Case, cycle: Cycle | None, session: Session, recordings: dict[int, Recording],
                 clips: list[Clip], stills: list[Still], review: list[tuple[Recording, str]]) -> dict[str, Any]:
    # The pseudonymous code only: never the family's name, never file names (they may hold a name).
    return {
        "case": {"code": case.code},
        "cycle": {"number": cycle.number, "helping_question": cycle.helping_question} if cycle else None,
        "session": {"uid": session.uid, "kind": session.kind.value, "date": session.date.isoformat(),
                    "notes": session.notes},
        "recordings": [{"id": r.id, "fps": r.fps, "frame_count": r.frame_count} for r in recordings.values()],
        "clips": [{
            "uid": c.uid, "recording": c.recording_id, "start_frame": c.start_frame, "end_frame": c.end_frame,
            "fps": recordings[c.recording_id].fps, "title": c.title, "position": c.position,
            "member": f"clips/{c.uid}.mp4",
            "annotations": [{"principle": a.principle, "behaviour": a.behaviour,
                             "who": a.who.value if a.who else None, "text": a.text, "frame": a.frame}
                            for a in repos.annotations.of_clip(c.saved_id)],
        } for c in clips],
        "stills": [{"uid": s.uid, "recording": s.recording_id, "frame": s.frame, "caption": s.caption,
                    "position": s.position, "member": f"stills/{s.uid}.png"} for s in stills],
        "markers": [{"recording": m.recording_id, "frame": m.frame, "note": m.note}
                    for rid in recordings for m in repos.markers.of_recording(rid)],
        "review": [{"recording": r.id, "sha256": r.sha256, "fps": r.fps, "frame_count": r.frame_count,
                    "member": name} for r, name in review],
    }


def _exported_media(service: LibraryService, clips: list[Clip], stills: list[Still],
                    progress: Progress) -> list[Member]:
    from vigstudio.media.export import export_clip, export_still

    members = []
    total = max(1, len(clips) + len(stills))
    for n, clip in enumerate(clips):
        progress(n / total, f"exporting clip {n + 1} of {len(clips)}")
        buffer = _MemberBuffer(f"clip {clip.id}")
        with _container(service, clip.recording_id) as (reader, index):
            export_clip(reader, clip.start_frame, clip.end_frame, buffer, index=index,
                        progress=progress.part(n / total, (n + 1) / total))
        members.append(Member.from_bytes(f"clips/{clip.uid}.mp4", buffer.take()))
    for n, still in enumerate(stills, len(clips)):
        progress(n / total, "exporting stills")
        buffer = _MemberBuffer(f"still {still.id}")
        with _container(service, still.recording_id) as (reader, index):
            export_still(reader, still.frame, buffer, index=index)
        members.append(Member.from_bytes(f"stills/{still.uid}.png", buffer.take()))
    return members


MAX_MEMBER_BYTES = 2**30  # clips are seconds to a minute (~10-100 MB); more means something is wrong


class _MemberBuffer(io.BytesIO):
    """An in-memory export target that refuses to grow past MAX_MEMBER_BYTES (the export stops there)."""

    def __init__(self, what: str, limit: int | None = None):
        super().__init__()
        self.what, self.limit = what, limit or MAX_MEMBER_BYTES

    def write(self, data: ReadableBuffer) -> int:
        if self.tell() + memoryview(data).nbytes > self.limit:
            raise InvalidInput(f"{self.what} exports to more than {_size(self.limit)}, too large for a bundle: "
                               f"share a shorter clip")
        return super().write(data)

    def take(self) -> bytes:
        data = self.getvalue()
        self.close()
        return data


def _size(count: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


@contextlib.contextmanager
def _container(service: LibraryService, recording_id: int) -> Iterator[tuple[io.RawIOBase, bytes | None]]:
    with service.read() as repos:
        recording = repos.recordings.get(recording_id)
        key_hex = repos.recordings.container_key(recording_id)
        index = repos.assets.get(recording_id, "index")
    reader = service.library.containers.open_reader(recording.container, key_hex)
    try:
        yield reader, index
    finally:
        reader.close()


def _review_member(service: LibraryService, recording: Recording, name: str) -> Member:
    def chunks() -> Iterator[bytes]:
        with _container(service, recording.saved_id) as (reader, _index):
            while chunk := reader.read(1024 * 1024):
                yield chunk

    with _container(service, recording.saved_id) as (reader, _index):
        size = reader.seek(0, io.SEEK_END)
    return Member(name, size, recording.sha256, chunks)


# -- opening ----------------------------------------------------------------------------------------


def open_bundle(service: LibraryService, path: Path | str, *, identity_file: Path | str | None = None,
                passphrase: str | None = None,
                progress: Progress | ProgressCallback | None = None) -> BundleOpened:
    """Open a session or feedback bundle into this library, all or nothing."""
    progress = as_progress(progress, "opening bundle")
    identities = keys.load_identity_file(identity_file) if identity_file else [keys.identity(service)]
    progress(0.0, "decrypting and checking the bundle")
    opened = open_bundle_file(path, identities, passphrase)
    with service.read() as repos:
        if repos.imported_bundles.by_uid(opened.uid) is not None:
            raise BundleRefused(f"bundle {opened.uid} was already opened in this library")
    if opened.kind == BundleKind.FEEDBACK.value:
        return import_feedback(service, opened)
    return _import_session(service, opened, progress.part(0.2, 1.0))


def needs_passphrase(path: Path | str) -> bool:
    """Whether the bundle at `path` is protected by a passphrase rather than public keys."""
    try:
        return uses_passphrase(path)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None


def _import_session(service: LibraryService, opened: OpenedBundle, progress: Progress) -> BundleOpened:
    doc = opened.json(SESSION_DOC)
    try:
        code, cycle_doc, session_doc = str(doc["case"]["code"]), doc.get("cycle"), doc["session"]
        clip_docs, still_docs, review_docs = list(doc["clips"]), list(doc["stills"]), list(doc["review"])
        source_uid = str(session_doc["uid"])
    except (KeyError, TypeError):
        raise BundleRefused("the bundle's session.json is not valid") from None
    with service.read() as repos:
        if repos.sessions.by_uid(source_uid) is not None:
            raise BundleRefused("this bundle was made from this library; open it in the supervisor's library")
        if any(s.source_uid == source_uid for s in repos.sessions.list()):
            raise BundleRefused("this session was already opened from an earlier bundle; delete that "
                                "supervision session first to open a newer one")
    library = service.library
    stored: list[_Stored] = []  # (kind, doc, container, sha256, key, derived)
    media_docs = [("clip", d) for d in clip_docs] + [("review", d) for d in review_docs] + [
        ("www", d) for d in list(doc.get("www_recordings", []))]
    try:
        for n, (kind, item) in enumerate(media_docs):
            part = progress.part(n / len(media_docs) * 0.9, (n + 1) / len(media_docs) * 0.9)
            source = io.BytesIO(opened.member(str(item["member"])))
            index = importing._probe(source)
            container, sha256, key_hex = importing._store_copy(library.containers, source, part.part(0, 0.5))
            stored.append((kind, item, container, sha256, key_hex, {}))
            stored[-1][5].update(importing.derive_stored(library, container, key_hex, sha256, index, part))
        progress(0.92, "saving")
        with service.edit() as repos:
            result = _add_rows(repos, opened, code, cycle_doc, session_doc, clip_docs, still_docs, stored)
            www = {item.get("recording"): recording for kind, item, recording in result.recordings if kind == "www"}
            add_www_rows(service, repos, doc, result.session_id, www)
    except BaseException as exc:
        for _kind, _item, container, *_rest in stored:
            with contextlib.suppress(OSError):
                library.containers.delete(container)
        if isinstance(exc, (KeyError, TypeError, ValueError)) and not isinstance(exc, InvalidInput):
            raise BundleRefused("the bundle's session.json is not valid") from None
        raise
    service.emit(Change(ChangeKind.CASE, ChangeAction.ADDED, (result.case_id,), result.case_id))
    service.emit(Change(ChangeKind.SESSION, ChangeAction.ADDED, (result.session_id,), result.case_id,
                        result.session_id))
    return result.summary


# A member stored as its own encrypted recording: (kind, doc, container, sha256, key, derived).
_Stored = tuple[str, dict[str, Any], str, str, str, dict[str, Any]]


@dataclass
class _Added:
    case_id: int
    session_id: int
    summary: BundleOpened
    recordings: list[tuple[str, dict, Recording]] = field(default_factory=list)  # (kind, doc, made here)


def _add_rows(repos: Repos, opened: OpenedBundle, code: str, cycle_doc: dict[str, Any] | None, session_doc: dict[str, Any],
              clip_docs: list[dict[str, Any]], still_docs: list[dict[str, Any]], stored: list[_Stored]) -> _Added:
    case = _supervision_case(repos, code)
    if not any(c.active and c.scope == ConsentScope.SUPERVISION for c in repos.consents.of_case(case.saved_id)):
        repos.consents.add(Consent(case_id=case.saved_id, scope=ConsentScope.SUPERVISION,
                                   recorded_by=f"bundle {opened.uid}"))
    doc = opened.json(SESSION_DOC)
    if cycle_doc is None and session_doc["kind"] != SessionKind.WWW.value:
        raise BundleRefused("the bundle's session.json is not valid")  # only a WWW session has no cycle
    if cycle_doc is None:  # a WWW session: into the supervision case's WWW course
        session = repos.sessions.add(Session(
            intervention_id=_www_course(repos, case, doc).saved_id, kind=SessionKind(session_doc["kind"]),
            date=dt.date.fromisoformat(session_doc["date"]), notes=str(session_doc.get("notes") or ""),
            source_uid=str(session_doc["uid"]), **www_session_fields(doc)))
    else:
        cycle = _cycle(repos, case, int(cycle_doc["number"]), str(cycle_doc.get("helping_question") or ""))
        session = repos.sessions.add(Session(
            cycle_id=cycle.saved_id, kind=SessionKind(session_doc["kind"]),
            date=dt.date.fromisoformat(session_doc["date"]), notes=str(session_doc.get("notes") or ""),
            source_uid=str(session_doc["uid"])))
    made: list[tuple[str, dict[str, Any], Recording]] = []
    clip_recordings: list[tuple[dict[str, Any], Recording, Clip]] = []
    reviews = 0
    for kind, item, container, sha256, key_hex, derived in stored:
        info = derived["info"]
        is_clip = kind == "clip"
        name = f"clip {item.get('position', 0)}.mp4" if is_clip else (
            f"WWW recording{Path(item['member']).suffix}" if kind == "www" else f"shared review{Path(item['member']).suffix}")
        recording = repos.recordings.add(Recording(
            session_id=session.saved_id, file_name=name, container=container, sha256=sha256,
            frame_count=info.frame_count, fps=float(info.average_fps or 0.0), duration=float(info.duration or 0.0),
            width=info.width, height=info.height, has_audio=bool(info.has_audio)), container_key=key_hex)
        made.append((kind, item, recording))
        for kind in ("index", "thumbnails", "waveform"):
            if derived.get(kind) is not None:
                repos.assets.put(recording.saved_id, kind, derived[kind])
        if is_clip:
            clip = repos.clips.add(Clip(recording_id=recording.saved_id, start_frame=0, end_frame=info.frame_count,
                                        title=str(item.get("title") or ""), position=int(item.get("position", 0)),
                                        uid=str(item["uid"])))
            origin = {"case_code": code, "clip_uid": clip.uid, "start_frame": int(item["start_frame"]),
                      "end_frame": int(item["end_frame"]), "source_recording": item.get("recording")}
            for a in item.get("annotations", []):
                frame = a.get("frame")
                repos.annotations.add(Annotation(
                    clip_id=clip.saved_id, principle=str(a["principle"]), behaviour=a.get("behaviour"),
                    who=Who(a["who"]) if a.get("who") else None, text=str(a.get("text") or ""),
                    frame=None if frame is None else _clamp(int(frame) - int(item["start_frame"]), info.frame_count)))
            clip_recordings.append((item, recording, clip))
        elif kind == "www":  # comments on it go back like comments on a review recording (by SHA-256)
            origin = {"case_code": code, "review_sha256": str(item["sha256"]), "www": True,
                      "source_recording": item.get("recording")}
        else:
            reviews += 1
            origin = {"case_code": code, "review_sha256": str(item["sha256"]),
                      "source_recording": item.get("recording")}
        repos.assets.put(recording.saved_id, ORIGIN_ASSET, json.dumps(origin).encode("utf-8"))
    for item in still_docs:
        placed = _place(clip_recordings, item.get("recording"), int(item["frame"]))
        if placed is None:
            continue  # no clip of the bundle shows that frame: nothing to attach the still to
        recording_id, frame = placed
        still = repos.stills.add(Still(recording_id=recording_id, frame=frame, caption=str(item.get("caption") or ""),
                                       position=int(item.get("position", 0)), uid=str(item["uid"])))
        repos.assets.put(recording_id, f"still:{still.id}", bytes(opened.member(str(item["member"]))))
    for m in doc.get("markers", []):
        placed = _place(clip_recordings, m.get("recording"), int(m["frame"]))
        if placed is not None:
            recording_id, frame = placed
            repos.markers.add(Marker(recording_id=recording_id, frame=frame, note=str(m.get("note") or "")))
    repos.imported_bundles.add(ImportedBundle(uid=opened.uid, kind=BundleKind.SESSION, case_id=case.id))
    repos.audit.append(AuditEvent("bundle_open", f"bundle {opened.uid} session {session.id} case {case.code} "
                                  f"clips {len(clip_recordings)}"))
    summary = BundleOpened(opened.uid, BundleKind.SESSION.value, case.code, session.id, len(clip_recordings),
                           len(still_docs), reviews)
    return _Added(case.saved_id, session.saved_id, summary, made)


def _www_course(repos: Repos, case: Case, doc: dict[str, Any]) -> Intervention:
    """The supervision case's WWW course (made with the sender's planned sessions if it has none)."""
    for intervention in repos.interventions.of_case(case.saved_id):
        if intervention.kind == InterventionKind.WWW:
            return intervention
    planned = (doc.get("www") or {}).get("planned_sessions")
    return repos.interventions.add(Intervention(case_id=case.saved_id, kind=InterventionKind.WWW,
                                                planned_sessions=int(planned) if planned else None))


def _clamp(frame: int, count: int) -> int:
    return max(0, min(frame, count - 1))


def _place(clip_recordings: list[tuple[dict[str, Any], Recording, Clip]], source_recording: object,
           frame: int) -> tuple[int, int] | None:
    """The imported clip recording showing the sender's `frame` of `source_recording`, and the frame there."""
    for item, recording, _clip in clip_recordings:
        start, end = int(item["start_frame"]), int(item["end_frame"])
        if item.get("recording") == source_recording and start <= frame < end:
            return recording.saved_id, _clamp(frame - start, recording.frame_count)
    return None


def _supervision_case(repos: Repos, code: str) -> Case:
    """The supervision case for the sender's code: reused if it exists, else made; suffixed when the
    code is taken by one of this library's own cases."""
    taken = {c.code.casefold(): c for c in repos.cases.list()}
    candidate, n = code, 1
    while candidate.casefold() in taken:
        existing = taken[candidate.casefold()]
        if existing.origin == CaseOrigin.SUPERVISION:
            return existing
        n += 1
        candidate = f"{code}{SUPERVISION_SUFFIX}" + ("" if n == 2 else str(n - 1))
    case = repos.cases.add(Case(code=candidate, origin=CaseOrigin.SUPERVISION))
    repos.audit.append(AuditEvent("case_add", f"case {case.id} {case.code} (supervision)"))
    return case


def _cycle(repos: Repos, case: Case, number: int, helping_question: str) -> Cycle:
    interventions = [i for i in repos.interventions.of_case(case.saved_id) if i.kind == InterventionKind.VIG]
    intervention = interventions[0] if interventions else repos.interventions.add(
        Intervention(case_id=case.saved_id, kind=InterventionKind.VIG))
    for cycle in repos.cycles.of_intervention(intervention.saved_id):
        if cycle.number == number:
            return cycle
    return repos.cycles.add(Cycle(intervention_id=intervention.saved_id, number=number,
                                  helping_question=helping_question))


# -- rules for the editor ---------------------------------------------------------------------------


def is_read_only(service: LibraryService, clip_id: int) -> bool:
    """Whether the clip belongs to a supervision case (its frames came from a practitioner's bundle):
    the editing use cases refuse to change such clips, their tags and stills (`ReadOnlySupervision`)."""
    with service.read() as repos:
        clip = repos.clips.get(clip_id)
        return is_supervision_session(repos, repos.recordings.get(clip.recording_id).session_id)


def origin_of(service: LibraryService, recording_id: int) -> dict[str, Any] | None:
    """What an imported recording was in the sender's library (clip uid and frames, or review sha)."""
    data = service.asset(recording_id, ORIGIN_ASSET)
    return None if data is None else json.loads(data.decode("utf-8"))
