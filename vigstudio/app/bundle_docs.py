"""The JSON documents inside a bundle (`session.json`, `feedback.json`), read into checked dataclasses.

A bundle comes from another library, so every value is checked for its type and range here, before
anything is stored, and every text goes through the same rules as typed text (`vigstudio.domain.text`):
a wrong type, a huge number or an escape sequence is a clean `BundleRefused`, never an
AttributeError or OverflowError half-way through an import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from vigstudio.bundle import BundleRefused, OpenedBundle
from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import SessionKind, Who

MAX_FRAME = 10**9  # ~ 1 year at 30 fps: any frame number beyond is not from a real recording
MAX_ITEMS = 100_000
UID = re.compile(r"[0-9a-f]{32}")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_TAG_CODE = 32


class _Invalid(Exception):
    """One value of the document is wrong; becomes `BundleRefused` naming the document."""


def _int(value: object, lo: int = 0, hi: int = MAX_FRAME) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise _Invalid
    return value


def _opt_int(value: object, lo: int = 0, hi: int = MAX_FRAME) -> int | None:
    return None if value is None else _int(value, lo, hi)


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise _Invalid
    return value


def _uid(value: object) -> str:
    if not isinstance(value, str) or not UID.fullmatch(value):
        raise _Invalid
    return value


def _dict(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise _Invalid
    return value


def _line(value: object, what: str, max_length: int = text_rules.MAX_TITLE_LENGTH) -> str:
    return text_rules.single_line("" if value is None else value, what, max_length)


def _text(value: object, what: str) -> str:
    return text_rules.free_text("" if value is None else value, what)


def _tag_code(value: object) -> str | None:
    if value is None:
        return None
    code = _line(value, "a principle or behaviour code", MAX_TAG_CODE)
    return code or None


def _recording_ref(value: object) -> int | None:
    """The sender's recording id: only compared, to place stills and markers on imported clips."""
    return _opt_int(value, 0, 2**62)


def _member(opened: OpenedBundle, value: object, prefix: str) -> str:
    if not isinstance(value, str) or not value.startswith(prefix) or value not in opened.names():
        raise _Invalid
    return value


@dataclass(frozen=True)
class AnnotationDoc:
    principle: str
    behaviour: str | None
    who: Who | None
    text: str
    frame: int | None  # in the sender's recording


@dataclass(frozen=True)
class ClipDoc:
    uid: str
    recording: int | None
    start_frame: int
    end_frame: int
    title: str
    position: int
    member: str
    annotations: list[AnnotationDoc]


@dataclass(frozen=True)
class StillDoc:
    uid: str
    recording: int | None
    frame: int
    caption: str
    position: int
    member: str


@dataclass(frozen=True)
class MarkerDoc:
    recording: int | None
    frame: int
    note: str


@dataclass(frozen=True)
class ReviewDoc:
    recording: int | None
    sha256: str
    member: str


@dataclass(frozen=True)
class SessionDoc:
    case_code: str
    cycle_number: int | None  # None: a WWW session, which belongs to its course and has no cycle
    helping_question: str
    session_uid: str
    session_kind: SessionKind
    session_date: dt.date
    notes: str
    clips: list[ClipDoc]
    stills: list[StillDoc]
    markers: list[MarkerDoc]
    review: list[ReviewDoc]
    www_recordings: list[ReviewDoc] = field(default_factory=list)  # a WWW session's own recordings
    raw: dict[str, Any] = field(default_factory=dict)  # the whole JSON, for the WWW parts (app.www)
    self_assessment: list[SelfAssessmentDoc] = field(default_factory=list)  # on the review recordings


@dataclass(frozen=True)
class SelfAssessmentDoc:
    """The practitioner's tag on their shared review (app.guider), on the review recording by SHA-256."""

    uid: str
    review_sha256: str
    frame: int
    principle: str
    text: str
    author: str
    created_at: dt.datetime


def read_session_doc(opened: OpenedBundle, name: str) -> SessionDoc:
    doc = opened.json(name)
    try:
        return _session_doc(opened, doc)
    except (_Invalid, InvalidInput, KeyError, TypeError, ValueError, OverflowError, RecursionError) as exc:
        why = f": {exc}" if isinstance(exc, InvalidInput) else ""
        raise BundleRefused(f"the bundle's {name} is not valid{why}") from None


def _session_doc(opened: OpenedBundle, doc: dict[str, Any]) -> SessionDoc:
    case, session = _dict(doc["case"]), _dict(doc["session"])
    cycle = None if doc.get("cycle") is None else _dict(doc["cycle"])
    if cycle is None and session.get("kind") != SessionKind.WWW.value:
        raise _Invalid  # only a WWW session has no cycle
    clips = [_clip_doc(opened, _dict(c)) for c in _list(doc["clips"])]
    if len({c.uid for c in clips}) != len(clips):
        raise _Invalid
    if not isinstance(session.get("date"), str):
        raise _Invalid
    return SessionDoc(
        case_code=text_rules.case_code(case["code"]),
        cycle_number=None if cycle is None else _int(cycle["number"], 1, 10_000),
        helping_question="" if cycle is None else _text(cycle.get("helping_question"), "a helping question"),
        session_uid=_uid(session["uid"]),
        session_kind=SessionKind(session["kind"]),
        session_date=dt.date.fromisoformat(session["date"]),
        notes=_text(session.get("notes"), "session notes"),
        clips=clips,
        stills=[StillDoc(_uid(s["uid"]), _recording_ref(s.get("recording")), _int(s["frame"]),
                         _text(s.get("caption"), "a caption"), _int(s.get("position", 0), 0, MAX_ITEMS),
                         _member(opened, s["member"], "stills/"))
                for s in map(_dict, _list(doc.get("stills", [])))],
        markers=[MarkerDoc(_recording_ref(m.get("recording")), _int(m["frame"]), _text(m.get("note"), "a marker's note"))
                 for m in map(_dict, _list(doc.get("markers", [])))],
        review=[ReviewDoc(_recording_ref(r.get("recording")), _sha256(r["sha256"]), _member(opened, r["member"], "review/"))
                for r in map(_dict, _list(doc.get("review", [])))],
        www_recordings=[ReviewDoc(_recording_ref(r.get("recording")), _sha256(r["sha256"]),
                                  _member(opened, r["member"], "www/"))  # app.www.bundle_parts.WWW_MEMBER_DIR
                        for r in map(_dict, _list(doc.get("www_recordings", [])))],
        raw=doc,
        self_assessment=[_self_assessment_doc(_dict(item)) for item in _list(doc.get("self_assessment", []))],
    )


def _self_assessment_doc(item: dict[str, Any]) -> SelfAssessmentDoc:
    principle = _tag_code(item["principle"])
    if principle is None:
        raise _Invalid
    return SelfAssessmentDoc(
        uid=_uid(item["uid"]), review_sha256=_sha256(item["review_sha256"]), frame=_int(item["frame"]),
        principle=principle, text=_text(item.get("text"), "a self-assessment note"),
        author=_line(item.get("author"), "a self-assessment's author", text_rules.MAX_NAME_LENGTH) or "practitioner",
        created_at=_datetime(item["created_at"]))


def _datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise _Invalid
    created = dt.datetime.fromisoformat(value)
    return created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created


def _sha256(value: object) -> str:
    if not isinstance(value, str) or not SHA256.fullmatch(value):
        raise _Invalid
    return value


def _clip_doc(opened: OpenedBundle, c: dict[str, Any]) -> ClipDoc:
    start, end = _int(c["start_frame"]), _int(c["end_frame"])
    if end <= start:
        raise _Invalid
    return ClipDoc(
        uid=_uid(c["uid"]), recording=_recording_ref(c.get("recording")), start_frame=start, end_frame=end,
        title=_line(c.get("title"), "a clip title"), position=_int(c.get("position", 0), 0, MAX_ITEMS),
        member=_member(opened, c["member"], "clips/"),
        annotations=[_annotation_doc(_dict(a)) for a in _list(c.get("annotations", []))])


def _annotation_doc(a: dict[str, Any]) -> AnnotationDoc:
    principle = _tag_code(a["principle"])
    if principle is None:
        raise _Invalid
    who = a.get("who")
    return AnnotationDoc(principle, _tag_code(a.get("behaviour")), Who(who) if who else None,
                         _text(a.get("text"), "a tag's text"), _opt_int(a.get("frame")))


@dataclass(frozen=True)
class CommentDoc:
    uid: str
    session_uid: str
    clip_uid: str | None
    review_sha256: str | None
    frame: int | None  # in the practitioner's recording
    text: str
    author: str
    created_at: dt.datetime
    principle: str | None
    behaviour: str | None
    rates_guider: bool = False  # absent in bundles made before VIG Studio rated the guider


def read_feedback_doc(opened: OpenedBundle, name: str) -> list[CommentDoc]:
    doc = opened.json(name)
    try:
        comments = [_comment_doc(_dict(item)) for item in _list(doc["comments"])]
    except (_Invalid, InvalidInput, KeyError, TypeError, ValueError, OverflowError, RecursionError) as exc:
        why = f": {exc}" if isinstance(exc, InvalidInput) else ""
        raise BundleRefused(f"the bundle's {name} is not valid{why}") from None
    if not comments:
        raise BundleRefused("this feedback bundle holds no comments")
    return comments


def _comment_doc(item: dict[str, Any]) -> CommentDoc:
    text = _text(item["text"], "a comment").strip()
    if not text:
        raise _Invalid
    if not isinstance(item["created_at"], str):
        raise _Invalid
    created = dt.datetime.fromisoformat(item["created_at"])
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    clip_uid, sha = item.get("clip_uid"), item.get("review_sha256")
    return CommentDoc(
        uid=_uid(item["uid"]), session_uid=_uid(item["session_uid"]),
        clip_uid=None if clip_uid is None else _uid(clip_uid), review_sha256=None if sha is None else _sha256(sha),
        frame=_opt_int(item.get("frame")), text=text,
        author=_line(item.get("author"), "a comment's author", text_rules.MAX_NAME_LENGTH) or "supervisor",
        created_at=created, principle=_tag_code(item.get("principle")), behaviour=_tag_code(item.get("behaviour")),
        rates_guider=_bool(item.get("rates_guider", False)))
