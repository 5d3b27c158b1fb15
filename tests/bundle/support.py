"""Two real libraries (practitioner, supervisor) with a shared session ready to bundle."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tests.videos import make_video
from vigstudio.app import bundles, consent, editing, keys
from vigstudio.app.cases import add_case, add_session
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import library_tree
from vigstudio.domain.model import SessionKind

CODE = "F-014"


@dataclass
class Practice:
    service: LibraryService
    session_id: int
    recording_id: int
    clip_ids: list[int]
    still_id: int
    review_session_id: int | None = None


def practitioner_library(tmp_path: Path, passphrase: str, *, with_consent: bool = True,
                         with_review: bool = False) -> Practice:
    service = LibraryService()
    service.create(tmp_path / "practitioner", passphrase)
    add_case(service, CODE, name="Family Name Never Shared")
    if with_consent:
        consent.add(service, CODE, ["storage", "supervision"], recorded_by="HV Jones")
    video = make_video(tmp_path / "filming.mp4", frames=60, size=(160, 120), gop=10, audio="aac")
    recording = import_recording(service, CODE, video)
    first = editing.add_clip(service, recording.id, 5, 17, "turning towards")
    second = editing.add_clip(service, recording.id, 33, 45, "")
    editing.tag_clip(service, first.id, "P1", text="looks at baby", frame=8)
    still = editing.add_still(service, recording.id, 40, "a shared smile")
    editing.add_marker(service, recording.id, 12, "here")
    practice = Practice(service, recording.session_id, recording.id, [first.id, second.id], still.id)
    if with_review:
        review = add_session(service, CODE, SessionKind.SHARED_REVIEW)
        # textured, so the bundle spans several 64 KiB age chunks
        review_video = make_video(tmp_path / "review.mp4", frames=30, size=(320, 240), texture=True)
        import_recording(service, CODE, review_video, session_id=review.id)
        practice.review_session_id = review.id
    return practice


def supervisor_library(tmp_path: Path, passphrase: str) -> LibraryService:
    service = LibraryService()
    service.create(tmp_path / "supervisor", passphrase)
    keys.identity(service)
    return service


def introduce(practitioner: LibraryService, supervisor: LibraryService) -> None:
    """Each library adds the other as a contact from its contact card (as `contact add` does)."""
    keys.add_contact(practitioner, "Dr Supervisor", keys.contact_card(supervisor), "supervisor")
    keys.add_contact(supervisor, "HV Practitioner", keys.contact_card(practitioner), "practitioner")


def folder_snapshot(folder: Path) -> dict[str, str]:
    """As tests.app.conftest.folder_snapshot: every file but SQLite's WAL index (readers update it)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith("-shm")}


def library_state(service: LibraryService) -> tuple:
    """Everything observable about a library except its audit log: tree, comments, bundles, files."""
    tree = [node.to_json() for node in library_tree(service)]
    with service.read() as repos:
        comments = [(c.uid, c.text) for c in repos.comments.list()]
        bundles = [b.uid for b in repos.imported_bundles.list()]
    files = sorted(p.name for p in (service.path / "media").iterdir()) if (service.path / "media").exists() else []
    return tree, comments, bundles, files


NOTES = "Mum settled quickly; baby led the play"
QUESTION = "How can I help him settle at bedtime?"


def open_in_supervisor(tmp_path, passphrase, *, with_review: bool = False):
    """(practice, supervisor, supervision session node): the practitioner's session opened as a bundle
    (carrying the cycle's shared-review recording too with `with_review`)."""
    practice = practitioner_library(tmp_path, passphrase, with_review=with_review)
    editing.set_session_notes(practice.service, practice.session_id, NOTES)
    editing.set_helping_question(practice.service, editing.cycle_of_session(practice.service, practice.session_id).id, QUESTION)
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)
    bundle = tmp_path / "session.age"
    bundles.export_session_bundle(practice.service, practice.session_id, bundle, [keys.public_key(supervisor)],
                                  with_review_recording=with_review)
    bundles.open_bundle(supervisor, bundle)
    node = next(n for n in library_tree(supervisor) if n.case.code == CODE).sessions()[0][2]
    return practice, supervisor, node
