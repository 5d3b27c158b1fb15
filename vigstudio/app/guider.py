"""The guider's attunement: the supervisor's comments that rate the guider, and the practitioner's own
self-assessment of their shared review.

In the shared review the practitioner guides the parent, and the supervisor looks at how attuned the
*practitioner* was (the same principles, applied to the guider: "P3 receiving initiatives — you named
what she said"). Such a supervisor comment has `rates_guider` set (`feedback.add_comment`) and sits at
a frame of the shared-review recording; it travels back in the feedback bundle like any comment. The
practitioner can tag their own shared review the same way before sending it (a `SelfAssessment`); those
tags travel in the supervision bundle (`self_assessment` in session.json, each on its review recording
by SHA-256) and are read-only in the supervisor's library. Both show on the review recording's timeline,
each in its own lane.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vigstudio.app import editing_rules
from vigstudio.app.bundle_types import ORIGIN_ASSET
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.editing_rules import copy, reinsert
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.guider import SelfAssessment
from vigstudio.domain.model import AuditEvent, Comment, Recording, SessionKind
from vigstudio.domain.principles import load_catalogue

if TYPE_CHECKING:
    from vigstudio.app.bundle_docs import SelfAssessmentDoc
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos

AUTHOR_SETTING = "display_name"
SELF_ASSESSMENT_KEY = "self_assessment"  # in session.json


def is_review_recording(repos: Repos, recording_id: int) -> bool:
    """A shared-review recording: in this library's own cases, a recording of a shared-review session;
    in a supervision case, the review recording a bundle carried beside the clips."""
    recording = repos.recordings.get(recording_id)
    if editing_rules.is_supervision_session(repos, recording.session_id):
        data = repos.assets.get(recording_id, ORIGIN_ASSET)
        origin = {} if data is None else json.loads(data.decode("utf-8"))
        return "review_sha256" in origin and not origin.get("www")
    return repos.sessions.get(recording.session_id).kind == SessionKind.SHARED_REVIEW


def review_recording(service: LibraryService, recording_id: int) -> bool:
    with service.read() as repos:
        return is_review_recording(repos, recording_id)


@dataclass(frozen=True)
class GuiderMoments:
    """What a review recording's timeline shows of the guider: the supervisor's ratings and the
    practitioner's self-assessment (either may be empty)."""

    ratings: list[Comment]
    self_assessment: list[SelfAssessment]
    self_assessment_editable: bool  # the practitioner's own library (read-only in a supervision case)


def guider_moments(service: LibraryService, recording_id: int) -> GuiderMoments:
    with service.read() as repos:
        recording = repos.recordings.get(recording_id)
        return GuiderMoments(repos.comments.guider_ratings(recording_id),
                             repos.self_assessments.of_recording(recording_id),
                             not editing_rules.is_supervision_session(repos, recording.session_id))


# -- the practitioner's self-assessment --------------------------------------------------------------


def add_self_assessment(service: LibraryService, recording_id: int, frame: int, principle: str,
                        text: str = "") -> SelfAssessment:
    """Tag a moment of one's own shared-review recording with a principle as shown by the guider."""
    text = editing_rules.check_text(text or "", "a self-assessment note").strip()
    code = (principle or "").strip().upper()
    load_catalogue().principle(code)  # an unknown code is a clear refusal
    with service.edit() as repos:
        recording = _own_review(repos, recording_id)
        if not 0 <= frame < recording.frame_count:
            raise InvalidInput(f"frame {frame} is outside recording {recording_id} (0–{recording.frame_count - 1})")
        author = (repos.settings.get(AUTHOR_SETTING) or "practitioner").strip()
        item = repos.self_assessments.add(SelfAssessment(recording_id=recording_id, frame=frame, principle=code,
                                                         text=text, author=author))
        case = repos.sessions.case_of(recording.session_id)
        repos.audit.append(AuditEvent("self_assessment_add", f"self-assessment {item.id} recording {recording_id} "
                                      f"case {case.code}"))
    _emit(service, ChangeAction.ADDED, item, case.saved_id, recording.session_id)
    return item


def delete_self_assessment(service: LibraryService, item_id: int) -> SelfAssessment:
    """Take a self-assessment tag back (also the undo of adding it); returns it for `restore_self_assessment`."""
    with service.edit() as repos:
        item = repos.self_assessments.get(item_id)
        recording = _own_review(repos, item.recording_id)
        repos.self_assessments.delete(item_id)
        case = repos.sessions.case_of(recording.session_id)
        repos.audit.append(AuditEvent("self_assessment_delete", f"self-assessment {item_id} recording "
                                      f"{item.recording_id} case {case.code}"))
    _emit(service, ChangeAction.DELETED, item, case.saved_id, recording.session_id)
    return item


def restore_self_assessment(service: LibraryService, item: SelfAssessment) -> SelfAssessment:
    """Bring a deleted tag back with its id and uid (redo of an add, undo of a delete)."""
    item = copy(item)
    with service.edit() as repos:
        recording = _own_review(repos, item.recording_id)
        reinsert(repos, repos.self_assessments, item)
        case = repos.sessions.case_of(recording.session_id)
        repos.audit.append(AuditEvent("self_assessment_add", f"self-assessment {item.id} recording "
                                      f"{item.recording_id} case {case.code}"))
    _emit(service, ChangeAction.ADDED, item, case.saved_id, recording.session_id)
    return item


def _own_review(repos: Repos, recording_id: int) -> Recording:
    recording = repos.recordings.get(recording_id)
    if editing_rules.is_supervision_session(repos, recording.session_id):
        raise InvalidInput("the practitioner's self-assessment came with their bundle and is read-only here")
    if repos.sessions.get(recording.session_id).kind != SessionKind.SHARED_REVIEW:
        raise InvalidInput(f"recording {recording_id} is not a shared-review recording: the self-assessment "
                           "tags moments of the shared review")
    return recording


def _emit(service: LibraryService, action: ChangeAction, item: SelfAssessment, case_id: int, session_id: int) -> None:
    service.emit(Change(ChangeKind.SELF_ASSESSMENT, action, (item.saved_id, item.recording_id), case_id, session_id))


# -- in the supervision bundle -----------------------------------------------------------------------


def bundle_doc(repos: Repos, review: list[Recording]) -> dict[str, Any]:
    """session.json's `self_assessment`: the tags on the review recordings the bundle carries."""
    items = [{"uid": s.uid, "review_sha256": r.sha256, "frame": s.frame, "principle": s.principle, "text": s.text,
              "author": s.author, "created_at": s.created_at.isoformat()}
             for r in review for s in repos.self_assessments.of_recording(r.saved_id)]
    return {SELF_ASSESSMENT_KEY: items} if items else {}


def add_bundle_rows(repos: Repos, items: list[SelfAssessmentDoc], reviews: dict[str, Recording]) -> int:
    """Store the bundle's self-assessment on the review recordings made from it (by SHA-256)."""
    added = 0
    for item in items:
        recording = reviews.get(item.review_sha256)
        if recording is None or repos.self_assessments.by_uid(item.uid) is not None:
            continue
        repos.self_assessments.add(SelfAssessment(
            recording_id=recording.saved_id, frame=min(item.frame, max(0, recording.frame_count - 1)),
            principle=item.principle, text=item.text, author=item.author, created_at=item.created_at, uid=item.uid))
        added += 1
    return added
