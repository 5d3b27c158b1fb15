"""Tables of library.db as a typed SQLAlchemy ORM. Rows only: the app sees domain dataclasses.

The schema is created and changed only by the Alembic migrations in `store/migrations/`; a test checks
that these classes and the migrated database agree. Enumerations are stored as their string values.
Children are deleted with their parent by the database (ON DELETE CASCADE), so deleting a recording
also deletes its container key, clips, stills, markers and assets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite itself keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the library stores aware UTC datetimes")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class RoleList(TypeDecorator[tuple[str, ...]]):
    """A short tuple of role names (e.g. who attended a session) kept as comma-separated text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: tuple[str, ...] | None, dialect: Dialect) -> str:
        return ",".join(value or ())

    def process_result_value(self, value: str | None, dialect: Dialect) -> tuple[str, ...]:
        return tuple(v for v in (value or "").split(",") if v)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _parent(table: str) -> Mapped[int]:
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


def _optional_link(table: str, ondelete: str = "SET NULL") -> Mapped[int | None]:
    return mapped_column(ForeignKey(f"{table}.id", ondelete=ondelete), index=True, nullable=True)


def _uid() -> Mapped[str]:
    """Stable cross-library id (UUID4 hex); a unique index, since SQLite cannot add a constraint."""
    return mapped_column(String(32), index=True, unique=True)


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(Text)
    referral: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    is_demo: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    origin: Mapped[str] = mapped_column(String(16))


class InterventionRow(Base):
    __tablename__ = "interventions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = _parent("cases")
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    planned_sessions: Mapped[int | None] = mapped_column(Integer)


class CycleRow(Base):
    __tablename__ = "cycles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intervention_id: Mapped[int] = _parent("interventions")
    number: Mapped[int] = mapped_column(Integer)
    helping_question: Mapped[str] = mapped_column(Text)


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Every session belongs to its intervention; only VIG sessions sit in a cycle as well.
    intervention_id: Mapped[int] = _parent("interventions")
    cycle_id: Mapped[int | None] = _optional_link("cycles", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    source_uid: Mapped[str | None] = mapped_column(String(32))
    uid: Mapped[str] = _uid()
    attendance: Mapped[str] = mapped_column(String(16), server_default="attended")
    cancelled_by: Mapped[str | None] = mapped_column(String(16))
    attendance_reason: Mapped[str] = mapped_column(Text, server_default="")
    attendees: Mapped[tuple[str, ...]] = mapped_column(RoleList, server_default="")


class RecordingRow(Base):
    __tablename__ = "recordings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = _parent("sessions")
    file_name: Mapped[str] = mapped_column(Text)
    container: Mapped[str] = mapped_column(String(128), unique=True)
    container_key: Mapped[str] = mapped_column(String(64))  # hex; deleting the row crypto-shreds the media
    sha256: Mapped[str] = mapped_column(String(64))
    frame_count: Mapped[int] = mapped_column(Integer)
    fps: Mapped[float] = mapped_column(Float)
    duration: Mapped[float] = mapped_column(Float)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    has_audio: Mapped[bool] = mapped_column(Boolean)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ClipRow(Base):
    __tablename__ = "clips"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = _parent("recordings")
    start_frame: Mapped[int] = mapped_column(Integer)
    end_frame: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = _uid()


class AnnotationRow(Base):
    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = _parent("clips")
    principle: Mapped[str] = mapped_column(String(32))
    behaviour: Mapped[str | None] = mapped_column(String(32))
    who: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    frame: Mapped[int | None] = mapped_column(Integer)


class StillRow(Base):
    __tablename__ = "stills"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = _parent("recordings")
    frame: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = _uid()


class MarkerRow(Base):
    __tablename__ = "markers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = _parent("recordings")
    frame: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)


class ConsentRow(Base):
    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = _parent("cases")
    scope: Mapped[str] = mapped_column(String(32))
    recorded_by: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)


class AuditEventRow(Base):
    """Append-only: triggers in the migration refuse UPDATE and DELETE.

    Hash-chained: `hash` is SHA-256 over (prev_hash, at, action, object), and `prev_hash` is the hash
    of the row before it, so an edited, inserted or removed row breaks the chain (see `AuditLog`).
    """

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    action: Mapped[str] = mapped_column(String(64))
    object: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), server_default="")
    hash: Mapped[str] = mapped_column(String(64), server_default="")


class RecordingAssetRow(Base):
    """Derived data kept per recording (frame index, thumbnail strip, waveform), encrypted with the db."""

    __tablename__ = "recording_assets"
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SettingRow(Base):
    """Library-level settings (review PIN hash, retention, the library's age identity), as text."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReflectionRow(Base):
    __tablename__ = "reflections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = _parent("sessions")
    text: Mapped[str] = mapped_column(Text)
    said_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    clip_id: Mapped[int | None] = _optional_link("clips")  # the words outlive a deleted clip
    still_id: Mapped[int | None] = _optional_link("stills")
    frame: Mapped[int | None] = mapped_column(Integer)


class ContactRow(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # Ed25519, base64url; NULL for a contact added by its age key alone until its first bundle is accepted.
    signing_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True, nullable=True)


class CommentRow(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = _parent("sessions")
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    uid: Mapped[str] = _uid()
    clip_id: Mapped[int | None] = _optional_link("clips")  # kept on the session if the clip goes
    recording_id: Mapped[int | None] = _optional_link("recordings")
    frame: Mapped[int | None] = mapped_column(Integer)
    principle: Mapped[str | None] = mapped_column(String(32))
    behaviour: Mapped[str | None] = mapped_column(String(32))
    rates_guider: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class ImportedBundleRow(Base):
    __tablename__ = "imported_bundles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid()
    kind: Mapped[str] = mapped_column(String(16))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # Deleting the case an import made forgets the import, so the bundle can be opened again.
    case_id: Mapped[int | None] = _optional_link("cases", ondelete="CASCADE")


class BundleRecipientRow(Base):
    """Who a session bundle was sent to: feedback is accepted only from them."""

    __tablename__ = "bundle_recipients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_uid: Mapped[str] = mapped_column(String(32), index=True)
    session_id: Mapped[int] = _parent("sessions")
    contact_id: Mapped[int | None] = _optional_link("contacts")
    recipient: Mapped[str] = mapped_column(String(128))  # the age key it was encrypted to (or the contact's)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ObservationRow(Base):
    """A WWW observation coded on a recording's frame or frame range (end exclusive)."""

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = _parent("recordings")
    frame: Mapped[int] = mapped_column(Integer)
    end_frame: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    coder: Mapped[str] = mapped_column(Text)
    responds_to: Mapped[int | None] = _optional_link("observations")  # the initiative a response answers
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    uid: Mapped[str] = _uid()


class WonderNoteRow(Base):
    """A note of a WWW session's Wonder half, optionally about an observation or a moment."""

    __tablename__ = "wonder_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = _parent("sessions")
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(String(32))
    observation_id: Mapped[int | None] = _optional_link("observations")  # the words outlive the mark
    recording_id: Mapped[int | None] = _optional_link("recordings")
    frame: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    uid: Mapped[str] = _uid()
class CompletionRow(Base):
    """A completed outcome questionnaire: the answers, never a typed total (but the PSI's)."""

    __tablename__ = "measure_completions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = _parent("cases")
    intervention_id: Mapped[int | None] = _optional_link("interventions")
    measure: Mapped[str] = mapped_column(String(32))
    measure_version: Mapped[str] = mapped_column(String(16))
    catalogue_version: Mapped[int] = mapped_column(Integer)
    when: Mapped[str] = mapped_column(String(16))
    answers: Mapped[list[Any]] = mapped_column(JSON)
    typed_scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    date: Mapped[dt.date] = mapped_column(Date)
    completed_by: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    uid: Mapped[str] = _uid()


class RiskFlagRow(Base):
    __tablename__ = "risk_flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = _parent("cases")
    completion_id: Mapped[int] = _parent("measure_completions")
    measure: Mapped[str] = mapped_column(String(32))
    item: Mapped[int] = mapped_column(Integer)
    why: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    action: Mapped[str | None] = mapped_column(Text)
    action_by: Mapped[str | None] = mapped_column(Text)
    action_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class GoalRow(Base):
    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = _parent("cycles")
    text: Mapped[str] = mapped_column(Text)
    start_score: Mapped[int | None] = mapped_column(Integer)
    end_score: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)


class OutcomeTokenRow(Base):
    """A case's random token in the anonymous outcomes bundles this library exports (kept, so the
    lead pairs a case's scores across exports)."""

    __tablename__ = "outcome_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True, unique=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)


class OutcomeSourceRow(Base):
    """A practitioner whose anonymous outcomes bundle this library imported (the latest one only)."""

    __tablename__ = "outcome_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signing_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    bundle_uid: Mapped[str] = mapped_column(String(32))
    exported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    contact_id: Mapped[int | None] = _optional_link("contacts")
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    cases: Mapped[int] = mapped_column(Integer)
    completions: Mapped[int] = mapped_column(Integer)


class ImportedCompletionRow(Base):
    """A scored questionnaire from an outcomes bundle: scores, time point and month only."""

    __tablename__ = "imported_completions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = _parent("outcome_sources")
    token: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(32))
    measure_version: Mapped[str] = mapped_column(String(16))
    when: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(8))
    total: Mapped[float | None] = mapped_column(Float)
    subscales: Mapped[dict[str, Any]] = mapped_column(JSON)
    band: Mapped[str | None] = mapped_column(Text)
    caseness: Mapped[bool | None] = mapped_column(Boolean)


class ImportedGoalRow(Base):
    """A goal's two ratings from an outcomes bundle (never its words)."""

    __tablename__ = "imported_goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = _parent("outcome_sources")
    token: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str | None] = mapped_column(String(8))
    start_score: Mapped[int | None] = mapped_column(Integer)
    end_score: Mapped[int | None] = mapped_column(Integer)


class ReferralRow(Base):
    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = _parent("cases")
    received: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(64))
    referrer_role: Mapped[str] = mapped_column(Text)
    referrer_team: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    reason_text: Mapped[str] = mapped_column(Text)
    perinatal: Mapped[str | None] = mapped_column(String(16))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str | None] = mapped_column(String(16))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    decision_reason: Mapped[str] = mapped_column(Text)


class PathwayEventRow(Base):
    __tablename__ = "pathway_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = _parent("cases")
    stage: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    referral_id: Mapped[int | None] = _optional_link("referrals")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ActivityRow(Base):
    """The service's own work (consultations, training, liaison, resources); a case link is optional."""

    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(Text)
    attendees: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(Text)
    materials: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = _optional_link("cases")


class ClosingSummaryRow(Base):
    __tablename__ = "closing_summaries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True, unique=True)
    closed_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    offered: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    last_scores: Mapped[dict[str, float]] = mapped_column(JSON)
    written_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TrainingStageRow(Base):
    __tablename__ = "training_stages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[dt.date] = mapped_column(Date)


class SupervisionRecordRow(Base):
    __tablename__ = "supervision_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    supervisor: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer)
    sessions: Mapped[list[int]] = mapped_column(JSON)
    discussed: Mapped[str] = mapped_column(Text)
    goals: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text)


class SelfAssessmentRow(Base):
    """A moment of the practitioner's own shared review, tagged with a principle as they showed it."""

    __tablename__ = "self_assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid()
    recording_id: Mapped[int] = _parent("recordings")
    frame: Mapped[int] = mapped_column(Integer)
    principle: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CoderTagRow(Base):
    """A named second coder's principle tag on a clip (for coding agreement; never shown as the
    practitioner's own tags)."""

    __tablename__ = "coder_tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = _parent("clips")
    coder: Mapped[str] = mapped_column(Text, index=True)
    principle: Mapped[str] = mapped_column(String(32))
    frame: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
