"""Supervisor feedback: timed comments on a supervision session, sent back as a feedback bundle.

A comment sits on the session, optionally on a clip (and a frame of it) or a time (frame) of the
shared-review recording, optionally tagged with a principle. The feedback bundle refers to the
practitioner's own uids (session uid, clip uid, frame in the original recording, review recording's
SHA-256), so opening it in the practitioner's library attaches each comment to the original clip and
session; comments already there (same uid) are skipped, a bundle already opened is refused. A feedback
bundle is accepted only from a supervisor the session was sent to (`bundle_recipients`), so a bundle
signed by anyone else, even another contact, is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio import __version__
from vigstudio.app import consent as consent_rules
from vigstudio.app import editing_rules, guider, keys
from vigstudio.app.bundle_docs import CommentDoc, read_feedback_doc
from vigstudio.app.bundle_types import ORIGIN_ASSET, BundleMade, BundleOpened, addressed
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import copy, reinsert
from vigstudio.bundle import BundleRefused, Member, OpenedBundle, make_manifest, write_bundle
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import (
    AuditEvent,
    BundleKind,
    CaseOrigin,
    Comment,
    ConsentScope,
    ImportedBundle,
    new_uid,
)
from vigstudio.domain.principles import load_catalogue

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.app.senders import TrustedSender
    from vigstudio.store.repositories import Repos

FEEDBACK_DOC = "feedback.json"
AUTHOR_SETTING = "display_name"


def add_comment(service: LibraryService, session_id: int, text: str, clip_id: int | None = None,
                recording_id: int | None = None, frame: int | None = None, principle: str | None = None,
                author: str | None = None, *, rates_guider: bool = False) -> Comment:
    """`rates_guider`: the comment rates the practitioner as guider (the principles as they showed them
    with the parent) at a frame of the shared-review recording, not the parent and child in a clip."""
    text = editing_rules.check_text(text or "", "a comment").strip()
    if not text:
        raise InvalidInput("a comment needs some text")
    if principle:
        principle = principle.strip().upper()
        load_catalogue().principle(principle)  # unknown code → a clear refusal
    with service.edit() as repos:
        session = repos.sessions.get(session_id)
        case = repos.sessions.case_of(session_id)
        if clip_id is not None:
            clip = repos.clips.get(clip_id)
            clip_recording = repos.recordings.get(clip.recording_id)
            if clip_recording.session_id != session.id:
                raise InvalidInput(f"clip {clip_id} is not in session {session_id}")
            if recording_id is not None and recording_id != clip.recording_id:
                raise InvalidInput(f"clip {clip_id} is not on recording {recording_id}")
            recording_id = clip.recording_id
            if frame is not None and not clip.contains(frame):
                raise InvalidInput(f"frame {frame} is outside clip {clip_id} "
                                   f"(frames {clip.start_frame}–{clip.end_frame - 1})")
        elif recording_id is not None:
            recording = repos.recordings.get(recording_id)
            if recording.session_id != session.id:
                raise InvalidInput(f"recording {recording_id} is not in session {session_id}")
            if frame is not None and not 0 <= frame < recording.frame_count:
                raise InvalidInput(f"frame {frame} is outside recording {recording_id} "
                                   f"(0–{recording.frame_count - 1})")
        elif frame is not None:
            raise InvalidInput("a frame needs a clip or a recording")
        if rates_guider and (clip_id is not None or recording_id is None or frame is None
                             or not guider.is_review_recording(repos, recording_id)):
            raise InvalidInput("a comment that rates the guider goes on a moment of the shared-review recording")
        name = (author or repos.settings.get(AUTHOR_SETTING) or "supervisor").strip()
        comment = repos.comments.add(Comment(session_id=session.saved_id, text=text, author=name, clip_id=clip_id,
                                             recording_id=recording_id, frame=frame, principle=principle or None,
                                             rates_guider=rates_guider))
        repos.audit.append(AuditEvent("comment_add", f"comment {comment.id} session {session.id} case {case.code}"))
    service.emit(Change(ChangeKind.COMMENT, ChangeAction.ADDED, (comment.saved_id,), case.saved_id, session.saved_id))
    return comment


def comments(service: LibraryService, session_id: int) -> list[Comment]:
    with service.read() as repos:
        repos.sessions.get(session_id)
        return repos.comments.of_session(session_id)


def comment_frames(service: LibraryService, recording_id: int) -> list[int]:
    """The frames of a recording its comments jump to (the comment's frame; else its clip's start;
    else the first frame), in the order they were written: moments to keep decoded while it is open."""
    with service.read() as repos:
        found = repos.comments.of_recording(recording_id)
        starts = {clip.saved_id: clip.start_frame for clip in repos.clips.of_recording(recording_id)}
    return [c.frame if c.frame is not None else starts.get(c.clip_id, 0) if c.clip_id is not None else 0
            for c in found]


def comments_shown_with(service: LibraryService, session_id: int) -> list[Comment]:
    """The session's comments and those on its recordings made elsewhere: in the practitioner's library
    a comment on the shared-review recording belongs to the session the bundle was made from, and is
    shown with the review session too."""
    with service.read() as repos:
        repos.sessions.get(session_id)
        found = {c.saved_id: c for c in repos.comments.of_session(session_id)}
        for recording in repos.recordings.of_session(session_id):
            found.update((c.saved_id, c) for c in repos.comments.of_recording(recording.saved_id))
        return sorted(found.values(), key=lambda c: (c.created_at, c.saved_id))


def delete_comment(service: LibraryService, comment_id: int) -> Comment:
    """Take back a comment written in this library on a supervision case (undo of `add_comment`);
    returns it for `restore_comment`. Comments that came in a feedback bundle are the supervisor's
    and stay as they are."""
    with service.edit() as repos:
        comment = repos.comments.get(comment_id)
        case = repos.sessions.case_of(comment.session_id)
        if case.origin != CaseOrigin.SUPERVISION:
            raise InvalidInput(f"comment {comment_id} came with a feedback bundle and is read-only")
        repos.comments.delete(comment_id)
        repos.audit.append(AuditEvent("comment_delete", f"comment {comment_id} session {comment.session_id} "
                                      f"case {case.code}"))
    service.emit(Change(ChangeKind.COMMENT, ChangeAction.DELETED, (comment_id,), case.id, comment.session_id))
    return comment


def restore_comment(service: LibraryService, comment: Comment) -> Comment:
    """Bring back a deleted comment with its id and uid (redo of `add_comment`): a feedback bundle
    made after an undo and a redo carries it once, under the same uid."""
    comment = copy(comment)
    with service.edit() as repos:
        case = repos.sessions.case_of(comment.session_id)
        if case.origin != CaseOrigin.SUPERVISION:
            raise InvalidInput(f"case {case.code} is not a supervision case: its comments come in feedback bundles")
        for repository, key in ((repos.clips, comment.clip_id), (repos.recordings, comment.recording_id)):
            if key is not None:
                repository.get(key)  # gone since: NotFound, nothing restored
        reinsert(repos, repos.comments, comment)
        repos.audit.append(AuditEvent("comment_add", f"comment {comment.id} session {comment.session_id} "
                                      f"case {case.code}"))
    service.emit(Change(ChangeKind.COMMENT, ChangeAction.ADDED, (comment.saved_id,), case.saved_id, comment.session_id))
    return comment


def is_supervision_session(service: LibraryService, session_id: int) -> bool:
    """Whether comments are written here (a supervision case) or only read (they came back as feedback)."""
    with service.read() as repos:
        repos.sessions.get(session_id)
        return editing_rules.is_supervision_session(repos, session_id)


def export_feedback_bundle(service: LibraryService, case_code: str, out_path: Path | str,
                           recipients: Sequence[str] = (), passphrase: str | None = None, *,
                           to: Sequence[str | int] = ()) -> BundleMade:
    """The comments on a supervision case's sessions, for the practitioner who sent them."""
    recipients, _contacts = addressed(service, recipients, passphrase, to)
    with service.read() as repos:
        case = repos.cases.by_code(case_code.strip())
        if case.origin != CaseOrigin.SUPERVISION:
            raise InvalidInput(f"case {case.code} is not a supervision case: feedback goes back on cases "
                               "opened from a practitioner's bundle")
        items = [_comment_doc(repos, s.source_uid, c) for s in repos.sessions.of_case(case.saved_id) if s.source_uid
                 for c in repos.comments.of_session(s.saved_id)]
    consent_rules.require(service, case.code, ConsentScope.SUPERVISION)
    if not items:
        raise InvalidInput(f"case {case.code} has no comments to send yet")
    doc = {"comments": items}
    members = [Member.from_bytes(FEEDBACK_DOC, json.dumps(doc, indent=1).encode("utf-8"))]
    uid = new_uid()
    manifest = make_manifest(BundleKind.FEEDBACK.value, uid, __version__, ConsentScope.SUPERVISION.value, members,
                             keys.sender(service), recipients)
    path = write_bundle(out_path, manifest, members, keys.signing_key(service), recipients, passphrase)
    with service.edit() as repos:
        repos.audit.append(AuditEvent("bundle_export", f"feedback bundle {uid} case {case.code} "
                                      f"comments {len(items)} recipients {len(recipients)}"))
    return BundleMade(path, uid, BundleKind.FEEDBACK.value, comments=len(items))


def _comment_doc(repos: Repos, session_uid: str, comment: Comment) -> dict[str, Any]:
    origin = _origin(repos, comment.recording_id)
    clip_uid, frame, review_sha = None, comment.frame, None
    if comment.clip_id is not None and "clip_uid" in origin:
        clip_uid = origin["clip_uid"]
        if frame is not None:
            frame = int(origin["start_frame"]) + frame  # back to the practitioner's recording frames
    elif "review_sha256" in origin:
        review_sha = origin["review_sha256"]
    return {"uid": comment.uid, "session_uid": session_uid, "clip_uid": clip_uid, "review_sha256": review_sha,
            "frame": frame, "text": comment.text, "author": comment.author,
            "created_at": comment.created_at.isoformat(), "principle": comment.principle,
            "behaviour": comment.behaviour, "rates_guider": comment.rates_guider}


def _origin(repos: Repos, recording_id: int | None) -> dict[str, Any]:
    if recording_id is None:
        return {}
    data = repos.assets.get(recording_id, ORIGIN_ASSET)
    return {} if data is None else json.loads(data.decode("utf-8"))


def import_feedback(service: LibraryService, opened: OpenedBundle, trust: TrustedSender) -> BundleOpened:
    """Attach the bundle's comments to this library's sessions and clips (by uid), in one transaction;
    only if every session they are about was sent to the bundle's signer."""
    items = read_feedback_doc(opened, FEEDBACK_DOC)
    added = skipped = 0
    touched: set[int] = set()
    with service.edit() as repos:
        case = None
        for item in items:
            session = repos.sessions.by_uid(item.session_uid)
            if session is None:
                raise BundleRefused("this feedback is about a session that is not in this library")
            if not any(trust.sent_to_them(sent) for sent in repos.bundle_recipients.of_session(session.saved_id)):
                raise BundleRefused(f"this feedback is signed by {trust.name!r}, but session {session.saved_id} was not "
                                    "sent to them (or was sent before VIG Studio recorded recipients: send it "
                                    "again); nothing was imported")
            case = repos.sessions.case_of(session.saved_id)
            if repos.comments.by_uid(item.uid) is not None:
                skipped += 1
                continue
            repos.comments.add(_comment(repos, session.saved_id, item))
            touched.add(session.saved_id)
            added += 1
        assert case is not None  # read_feedback_doc refuses a bundle without comments
        contact = trust.commit(repos)
        repos.imported_bundles.add(ImportedBundle(uid=opened.uid, kind=BundleKind.FEEDBACK))
        repos.audit.append(AuditEvent("bundle_open", f"feedback bundle {opened.uid} case {case.code} "
                                      f"comments {added} skipped {skipped} from contact {contact.id}"))
    for session_id in sorted(touched):
        service.emit(Change(ChangeKind.COMMENT, ChangeAction.ADDED, (), case.id, session_id))
    return BundleOpened(opened.uid, BundleKind.FEEDBACK.value, case.code, comments_added=added,
                        comments_skipped=skipped, sender=contact.display_name)


def _comment(repos: Repos, session_id: int, item: CommentDoc) -> Comment:
    clip = repos.clips.by_uid(item.clip_uid) if item.clip_uid else None
    if clip is not None and repos.recordings.get(clip.recording_id).session_id != session_id:
        clip = None
    recording_id = clip.recording_id if clip is not None else _review_recording(repos, item.review_sha256)
    frame = None
    if recording_id is not None and item.frame is not None:
        frame = min(item.frame, max(0, repos.recordings.get(recording_id).frame_count - 1))
    return Comment(session_id=session_id, text=item.text, author=item.author, created_at=item.created_at,
                   uid=item.uid, clip_id=clip.id if clip else None, recording_id=recording_id, frame=frame,
                   principle=item.principle, behaviour=item.behaviour, rates_guider=item.rates_guider)


def _review_recording(repos: Repos, sha: str | None) -> int | None:
    if not sha:
        return None
    for recording in repos.recordings.list():
        if recording.sha256 == sha:
            return recording.id
    return None
