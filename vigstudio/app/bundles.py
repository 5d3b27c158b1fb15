"""Session bundles for supervision: make one from a session, open one into a library.

Making: consent "supervision" is required; clips are exact MP4 exports and stills PNGs (media.export),
the optional shared-review recording is streamed from its encrypted container as its original bytes;
the tar streams into the age encryptor (see `vigstudio.bundle`). Clips and stills are exported into
memory (io.BytesIO, at most MAX_MEMBER_BYTES each) and never touch a filesystem, tmpfs included.

Every bundle is signed with the sending library's Ed25519 key (`vigstudio.bundle.signing`), and who it
was sent to is recorded (`bundle_recipients`), so feedback is later accepted only from them.

Opening is all-or-nothing: the whole file is decrypted and authenticated in memory, the tar checked
against its signed manifest, the signer looked up among the contacts (`app.senders`: an unknown
sender is refused with its fingerprint unless the user accepts them), the bundle uid checked against
those already opened, `session.json` read into checked values (`app.bundle_docs`); then each clip (and the
review recording) is stored as its own encrypted recording through the import machinery, and every
row is added in ONE transaction. On any failure the containers made are deleted and the library is as
it was. Clips of a supervision case are read-only (`is_read_only`).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio import __version__
from vigstudio.app import consent as consent_rules
from vigstudio.app import guider, importing, keys, senders
from vigstudio.app.bundle_docs import ClipDoc, ReviewDoc, SessionDoc, read_session_doc
from vigstudio.app.bundle_types import ORIGIN_ASSET, BundleMade, BundleOpened, addressed
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import is_supervision_session
from vigstudio.app.feedback import import_feedback
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.app.recordings import recording_asset
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
    BundleRecipient,
    Case,
    CaseOrigin,
    Clip,
    Consent,
    ConsentScope,
    Contact,
    Cycle,
    ImportedBundle,
    Intervention,
    InterventionKind,
    Marker,
    Recording,
    Session,
    SessionKind,
    Still,
    new_uid,
)
from vigstudio.domain.text import MAX_CODE_LENGTH

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
                          to: Sequence[str | int] = (), with_review_recording: bool = False,
                          progress: Progress | ProgressCallback | None = None) -> BundleMade:
    """`recipients`: age keys to encrypt to; `to`: contacts (names or ids) it is for: with keys their
    age keys are added to the recipients, with a passphrase they name who will open it (a passphrase
    session bundle needs one, since feedback is accepted only from whom a session was sent to)."""
    progress = as_progress(progress, "bundle export")
    recipients, contacts = addressed(service, recipients, passphrase, to)
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
        doc.update(guider.bundle_doc(repos, [r for r, _name in review]))  # the practitioner's self-assessment
    consent_rules.require(service, case.code, ConsentScope.SUPERVISION)
    if passphrase and not contacts:
        raise InvalidInput("name the contact a passphrase bundle is for (--to NAME): their feedback is accepted "
                           "only from the people a session was sent to")
    members: list[Member] = [Member.from_bytes(SESSION_DOC, json.dumps(doc, indent=1).encode("utf-8"))]
    members += _exported_media(service, clips, stills, progress.part(0.0, 0.7))
    members += [_review_member(service, r, name) for r, name in review]
    members += [_review_member(service, r, name) for r, name in www_media]
    uid = new_uid()
    manifest = make_manifest(BundleKind.SESSION.value, uid, __version__, ConsentScope.SUPERVISION.value,
                             members, keys.sender(service), recipients)
    progress(0.7, "encrypting the bundle")
    path = write_bundle(out_path, manifest, members, keys.signing_key(service), recipients, passphrase)
    with service.edit() as repos:
        sent = _record_recipients(repos, uid, session_id, recipients, contacts)
        repos.audit.append(AuditEvent("bundle_export", f"bundle {uid} session {session_id} case {case.code} "
                                      f"recipients {len(recipients)}{' passphrase' if passphrase else ''} "
                                      f"contacts {sent}"))
    with contextlib.suppress(Exception):
        progress(1.0, "bundle written")
    return BundleMade(path, uid, BundleKind.SESSION.value, len(clips), len(stills), len(review))


def _record_recipients(repos: Repos, uid: str, session_id: int, recipients: Sequence[str],
                       contacts: Sequence[Contact]) -> str:
    """One row per person the session bundle went to; returns their contact ids for the audit log."""
    rows = [(c.public_key, c.id) for c in contacts]
    for key in recipients:
        if all(key != r for r, _ in rows):
            found = repos.contacts.by_key(key)
            rows.append((key, found.id if found else None))
    for key, contact_id in rows:
        repos.bundle_recipients.add(BundleRecipient(uid, session_id, key, contact_id))
    return ",".join(str(c) if c is not None else "?" for _key, c in rows) or "-"


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
                passphrase: str | None = None, accept_sender: senders.AcceptSender | None = None,
                progress: Progress | ProgressCallback | None = None) -> BundleOpened:
    """Open a session or feedback bundle into this library, all or nothing. A bundle signed by someone
    who is not a contact raises `senders.UnknownSender` (with the fingerprint) unless `accept_sender`."""
    progress = as_progress(progress, "opening bundle")
    identities = keys.load_identity_file(identity_file) if identity_file else [keys.identity(service)]
    progress(0.0, "decrypting and checking the bundle")
    opened = open_bundle_file(path, identities, passphrase)
    if opened.to and not {str(i.to_public()) for i in identities} & set(opened.to):
        raise BundleRefused("this bundle was made for someone else and passed on (it is not addressed to this "
                            "library's key); nothing was imported")
    with service.read() as repos:
        if repos.imported_bundles.by_uid(opened.uid) is not None:
            raise BundleRefused(f"bundle {opened.uid} was already opened in this library")
    if opened.kind == BundleKind.OUTCOMES.value:
        raise BundleRefused("this is a practitioner's anonymous outcomes bundle: import it with Outcomes → Import "
                            "outcomes bundle… (vigstudio outcomes import); nothing was imported")
    trust = senders.identify(service, opened, accept_sender)
    if opened.kind == BundleKind.FEEDBACK.value:
        return import_feedback(service, opened, trust)
    return _import_session(service, opened, trust, progress.part(0.2, 1.0))


def needs_passphrase(path: Path | str) -> bool:
    """Whether the bundle at `path` is protected by a passphrase rather than public keys."""
    try:
        return uses_passphrase(path)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None


def _import_session(service: LibraryService, opened: OpenedBundle, trust: senders.TrustedSender,
                    progress: Progress) -> BundleOpened:
    doc = read_session_doc(opened, SESSION_DOC)
    with service.read() as repos:
        if repos.sessions.by_uid(doc.session_uid) is not None:
            raise BundleRefused("this bundle was made from this library; open it in the supervisor's library")
        if any(s.source_uid == doc.session_uid for s in repos.sessions.list()):
            raise BundleRefused("this session was already opened from an earlier bundle; delete that "
                                "supervision session first to open a newer one")
    library = service.library
    stored: list[_Stored] = []
    media = ([(c, c.member) for c in doc.clips] + [(None, r.member) for r in doc.review]
             + [(None, w.member) for w in doc.www_recordings])
    try:
        for n, (clip_doc, member) in enumerate(media):
            part = progress.part(n / len(media) * 0.9, (n + 1) / len(media) * 0.9)
            source = io.BytesIO(opened.member(member))
            index = importing._probe(source)
            container, sha256, key_hex = importing._store_copy(library.containers, source, part.part(0, 0.5))
            stored.append((clip_doc, member, container, sha256, key_hex, {}))
            stored[-1][5].update(importing.derive_stored(library, container, key_hex, sha256, index, part))
        progress(0.92, "saving")
        with service.edit() as repos:
            contact = trust.commit(repos)
            result = _add_rows(repos, opened, doc, stored, contact)
            www: dict[object, Recording] = {w.recording: recording for w, recording in result.www_recordings}
            add_www_rows(service, repos, doc.raw, result.session_id, www)
    except BaseException:
        for _clip, _member, container, *_rest in stored:
            with contextlib.suppress(OSError):
                library.containers.delete(container)
        raise
    trust.announce(service)
    service.emit(Change(ChangeKind.CASE, ChangeAction.ADDED, (result.case_id,), result.case_id))
    service.emit(Change(ChangeKind.SESSION, ChangeAction.ADDED, (result.session_id,), result.case_id,
                        result.session_id))
    return result.summary


# A member stored as its own encrypted recording: (clip doc, None for the review recording; member name,
# container, sha256, key, derived assets).
_Stored = tuple["ClipDoc | None", str, str, str, str, dict[str, Any]]


@dataclass
class _Added:
    case_id: int
    session_id: int
    summary: BundleOpened
    www_recordings: list[tuple[ReviewDoc, Recording]] = field(default_factory=list)  # a WWW session's, made here


def _add_rows(repos: Repos, opened: OpenedBundle, doc: SessionDoc, stored: list[_Stored], sender: Contact) -> _Added:
    case = _supervision_case(repos, doc.case_code)
    if not any(c.active and c.scope == ConsentScope.SUPERVISION for c in repos.consents.of_case(case.saved_id)):
        repos.consents.add(Consent(case_id=case.saved_id, scope=ConsentScope.SUPERVISION,
                                   recorded_by=f"bundle {opened.uid} from {sender.display_name}"[:200]))
    if doc.cycle_number is None:  # a WWW session: into the supervision case's WWW course
        session = repos.sessions.add(Session(
            intervention_id=_www_course(repos, case, doc.raw).saved_id, kind=doc.session_kind,
            date=doc.session_date, notes=doc.notes, source_uid=doc.session_uid, **www_session_fields(doc.raw)))
    else:
        cycle = _cycle(repos, case, doc.cycle_number, doc.helping_question)
        session = repos.sessions.add(Session(cycle_id=cycle.saved_id, kind=doc.session_kind, date=doc.session_date,
                                             notes=doc.notes, source_uid=doc.session_uid))
    www_members = {w.member: w for w in doc.www_recordings}
    www_made: list[tuple[ReviewDoc, Recording]] = []
    clip_recordings: list[tuple[ClipDoc, Recording, Clip]] = []
    reviews = 0
    review_made: dict[str, Recording] = {}  # by the sender's SHA-256, for the self-assessment
    for clip_doc, member, container, sha256, key_hex, derived in stored:
        info = derived["info"]
        www_doc = www_members.get(member) if clip_doc is None else None
        name = (f"clip {clip_doc.position}.mp4" if clip_doc else f"WWW recording{Path(member).suffix[:8]}"
                if www_doc else f"shared review{Path(member).suffix[:8]}")
        recording = repos.recordings.add(Recording(
            session_id=session.saved_id, file_name=name, container=container, sha256=sha256,
            frame_count=info.frame_count, fps=float(info.average_fps or 0.0), duration=float(info.duration or 0.0),
            width=info.width, height=info.height, has_audio=bool(info.has_audio)), container_key=key_hex)
        for kind in ("index", "thumbnails", "waveform"):
            if derived.get(kind) is not None:
                repos.assets.put(recording.saved_id, kind, derived[kind])
        if clip_doc is not None:
            clip = repos.clips.add(Clip(recording_id=recording.saved_id, start_frame=0, end_frame=info.frame_count,
                                        title=clip_doc.title, position=clip_doc.position, uid=clip_doc.uid))
            origin = {"case_code": doc.case_code, "clip_uid": clip.uid, "start_frame": clip_doc.start_frame,
                      "end_frame": clip_doc.end_frame, "source_recording": clip_doc.recording}
            for a in clip_doc.annotations:
                frame = None if a.frame is None else _clamp(a.frame - clip_doc.start_frame, info.frame_count)
                repos.annotations.add(Annotation(clip_id=clip.saved_id, principle=a.principle, behaviour=a.behaviour,
                                                 who=a.who, text=a.text, frame=frame))
            clip_recordings.append((clip_doc, recording, clip))
        elif www_doc is not None:  # comments on it go back like comments on a review recording (by SHA-256)
            origin = {"case_code": doc.case_code, "review_sha256": www_doc.sha256, "www": True,
                      "source_recording": www_doc.recording}
            www_made.append((www_doc, recording))
        else:
            reviews += 1
            review = next(r for r in doc.review if r.member == member)
            origin = {"case_code": doc.case_code, "review_sha256": review.sha256, "source_recording": review.recording}
            review_made[review.sha256] = recording
        repos.assets.put(recording.saved_id, ORIGIN_ASSET, json.dumps(origin).encode("utf-8"))
    for item in doc.stills:
        placed = _place(clip_recordings, item.recording, item.frame)
        if placed is None:
            continue  # no clip of the bundle shows that frame: nothing to attach the still to
        recording_id, frame = placed
        still = repos.stills.add(Still(recording_id=recording_id, frame=frame, caption=item.caption,
                                       position=item.position, uid=item.uid))
        repos.assets.put(recording_id, f"still:{still.saved_id}", bytes(opened.member(item.member)))
    for m in doc.markers:
        placed = _place(clip_recordings, m.recording, m.frame)
        if placed is not None:
            recording_id, frame = placed
            repos.markers.add(Marker(recording_id=recording_id, frame=frame, note=m.note))
    guider.add_bundle_rows(repos, doc.self_assessment, review_made)
    repos.imported_bundles.add(ImportedBundle(uid=opened.uid, kind=BundleKind.SESSION, case_id=case.id))
    repos.audit.append(AuditEvent("bundle_open", f"bundle {opened.uid} session {session.id} case {case.code} "
                                  f"clips {len(clip_recordings)} from contact {sender.id}"))
    summary = BundleOpened(opened.uid, BundleKind.SESSION.value, case.code, session.id, len(clip_recordings),
                           len(doc.stills), reviews, sender=sender.display_name)
    return _Added(case.saved_id, session.saved_id, summary, www_made)


def _www_course(repos: Repos, case: Case, raw: dict[str, Any]) -> Intervention:
    """The supervision case's WWW course (made with the sender's planned sessions if it has none)."""
    for intervention in repos.interventions.of_case(case.saved_id):
        if intervention.kind == InterventionKind.WWW:
            return intervention
    planned = (raw.get("www") or {}).get("planned_sessions")
    return repos.interventions.add(Intervention(case_id=case.saved_id, kind=InterventionKind.WWW,
                                                planned_sessions=int(planned) if planned else None))


def _clamp(frame: int, count: int) -> int:
    return max(0, min(frame, count - 1))


def _place(clip_recordings: list[tuple[ClipDoc, Recording, Clip]], source_recording: int | None,
           frame: int) -> tuple[int, int] | None:
    """The imported clip recording showing the sender's `frame` of `source_recording`, and the frame there."""
    for item, recording, _clip in clip_recordings:
        if item.recording == source_recording and item.start_frame <= frame < item.end_frame:
            return recording.saved_id, _clamp(frame - item.start_frame, recording.frame_count)
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
        suffix = SUPERVISION_SUFFIX + ("" if n == 2 else str(n - 1))
        candidate = code[:MAX_CODE_LENGTH - len(suffix)] + suffix  # still a valid code, however long the sender's
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
    data = recording_asset(service, recording_id, ORIGIN_ASSET)
    return None if data is None else json.loads(data.decode("utf-8"))


def sent_to(service: LibraryService, session_id: int) -> list[BundleRecipient]:
    """Whom the session's bundles were sent to (oldest first)."""
    with service.read() as repos:
        repos.sessions.get(session_id)
        return repos.bundle_recipients.of_session(session_id)
