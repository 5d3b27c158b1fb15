"""Repositories: domain dataclasses in, domain dataclasses out, inside one `Library.transaction()`.

Rows and dataclasses are converted field by field (`_to_domain`/`_to_row`): the domain classes stay
plain (never mapped or instrumented by SQLAlchemy), and enum fields come back as their enum types.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session as OrmSession

from vigstudio.domain import model, www
from vigstudio.domain.errors import InvalidInput, NotFound

from . import schema
from .audit_log import AUDIT_GENESIS, AuditLog, audit_hash  # noqa: F401 (re-exported)
from .containers import PROXY_ASSET, proxy_name

D = TypeVar("D", bound=model.Stored)


@cache
def _enum_fields(cls: type) -> dict[str, type[enum.Enum]]:
    """Fields of a domain dataclass typed with an enum (or an optional enum), by name."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    found = {}
    for name, hint in hints.items():
        candidates = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
                found[name] = candidate
    return found


def _to_domain(cls: type[D], row: Any) -> D:
    enums = _enum_fields(typing.cast(type, cls))
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = getattr(row, f.name)
        if value is not None and f.name in enums:
            value = enums[f.name](value)
        values[f.name] = value
    return cls(**values)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


class _Repository(Generic[D]):
    domain: ClassVar[type]
    row: ClassVar[Any]  # the mapped row class: its columns (id, uid, ...) are read by name
    kind: ClassVar[str]

    def __init__(self, session: OrmSession):
        self._s = session

    def _fill(self, row: Any, obj: D, skip: Sequence[str] = ("id",)) -> None:
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            if f.name not in skip:
                setattr(row, f.name, _plain(getattr(obj, f.name)))

    def _one(self, id: int) -> Any:
        row = self._s.get(self.row, id)
        if row is None:
            raise NotFound(self.kind, id)
        return row

    def _all(self, stmt: Select[Any]) -> list[D]:
        return [_to_domain(self.domain, r) for r in self._s.scalars(stmt)]

    def add(self, obj: D) -> D:
        """Insert `obj`; sets and returns it with its new id."""
        if getattr(obj, "id", None) is not None:
            raise InvalidInput(f"{self.kind} {obj.id} is already saved")
        row = self.row()
        self._fill(row, obj)
        self._s.add(row)
        self._s.flush()
        obj.id = row.id
        return obj

    def get(self, id: int) -> D:
        return _to_domain(self.domain, self._one(id))

    def find(self, id: int) -> D | None:
        row = self._s.get(self.row, id)
        return None if row is None else _to_domain(self.domain, row)

    def update(self, obj: D) -> D:
        row = self._one(obj.saved_id)
        self._fill(row, obj)
        self._s.flush()
        return obj

    def delete(self, id: int) -> None:
        """Delete the row; the database deletes its children with it (ON DELETE CASCADE)."""
        self._one(id)
        self._s.execute(delete(self.row).where(self.row.id == id))
        self._s.expire_all()  # cascaded rows may sit in the identity map

    def list(self) -> list[D]:
        return self._all(select(self.row).order_by(self.row.id))

    def by_uid(self, uid: str) -> D | None:
        """The object with this cross-library uid (only for tables that have one), or None."""
        row = self._s.scalar(select(self.row).where(self.row.uid == uid))
        return None if row is None else _to_domain(self.domain, row)

    def _refuse_duplicate_uid(self, uid: str) -> None:
        if self.by_uid(uid) is not None:
            raise InvalidInput(f"{self.kind} {uid} already exists")


class CaseRepository(_Repository[model.Case]):
    domain, row, kind = model.Case, schema.CaseRow, "case"

    def add(self, obj: model.Case) -> model.Case:
        if not obj.code.strip():
            raise InvalidInput("a case needs a code")
        if self.find_by_code(obj.code) is not None:
            raise InvalidInput(f"case {obj.code} already exists")
        return super().add(obj)

    def by_code(self, code: str) -> model.Case:
        found = self.find_by_code(code)
        if found is None:
            raise NotFound("case", code)
        return found

    def find_by_code(self, code: str) -> model.Case | None:
        row = self._s.scalar(select(schema.CaseRow).where(schema.CaseRow.code == code))
        return None if row is None else _to_domain(model.Case, row)

    def list(self) -> list[model.Case]:
        return self._all(select(schema.CaseRow).order_by(schema.CaseRow.code))


class InterventionRepository(_Repository[model.Intervention]):
    domain, row, kind = model.Intervention, schema.InterventionRow, "intervention"

    def of_case(self, case_id: int) -> list[model.Intervention]:
        r = schema.InterventionRow
        return self._all(select(r).where(r.case_id == case_id).order_by(r.id))


class CycleRepository(_Repository[model.Cycle]):
    domain, row, kind = model.Cycle, schema.CycleRow, "cycle"

    def of_intervention(self, intervention_id: int) -> list[model.Cycle]:
        r = schema.CycleRow
        return self._all(select(r).where(r.intervention_id == intervention_id).order_by(r.number, r.id))


class SessionRepository(_Repository[model.Session]):
    domain, row, kind = model.Session, schema.SessionRow, "session"

    def _check_links(self, obj: model.Session) -> None:
        """A session in a cycle belongs to that cycle's intervention (taken from it when not given)."""
        if obj.cycle_id is not None:
            cycle = self._s.get(schema.CycleRow, obj.cycle_id)
            if cycle is None:
                raise NotFound("cycle", obj.cycle_id)
            if obj.intervention_id is None:
                obj.intervention_id = cycle.intervention_id
            elif obj.intervention_id != cycle.intervention_id:
                raise InvalidInput(f"cycle {obj.cycle_id} is not part of intervention {obj.intervention_id}")
        if obj.intervention_id is None:
            raise InvalidInput("a session needs its intervention (or a VIG cycle)")
        intervention = self._s.get(schema.InterventionRow, obj.intervention_id)
        if intervention is None:
            raise NotFound("intervention", obj.intervention_id)
        if intervention.kind == model.InterventionKind.WWW.value and obj.cycle_id is not None:
            raise InvalidInput("a Watch, Wait and Wonder session has no VIG cycle")

    def add(self, obj: model.Session) -> model.Session:
        self._refuse_duplicate_uid(obj.uid)
        self._check_links(obj)
        return super().add(obj)

    def update(self, obj: model.Session) -> model.Session:
        self._check_links(obj)
        return super().update(obj)

    def of_cycle(self, cycle_id: int) -> list[model.Session]:
        r = schema.SessionRow
        return self._all(select(r).where(r.cycle_id == cycle_id).order_by(r.date, r.id))

    def of_intervention(self, intervention_id: int) -> list[model.Session]:
        r = schema.SessionRow
        return self._all(select(r).where(r.intervention_id == intervention_id).order_by(r.date, r.id))

    def of_case(self, case_id: int) -> list[model.Session]:
        r, i = schema.SessionRow, schema.InterventionRow
        stmt = select(r).join(i, r.intervention_id == i.id).where(i.case_id == case_id).order_by(r.date, r.id)
        return self._all(stmt)

    def case_of(self, session_id: int) -> model.Case:
        """The case a session belongs to (through its intervention)."""
        r, i = schema.SessionRow, schema.InterventionRow
        stmt = (select(schema.CaseRow).join(i, i.case_id == schema.CaseRow.id)
                .join(r, r.intervention_id == i.id).where(r.id == session_id))
        row = self._s.scalar(stmt)
        if row is None:
            raise NotFound("session", session_id)
        return _to_domain(model.Case, row)


class RecordingRepository(_Repository[model.Recording]):
    """Recordings carry their container's key, which the domain object does not: pass it to `add`."""

    domain, row, kind = model.Recording, schema.RecordingRow, "recording"

    def add(self, obj: model.Recording, *, container_key: str | None = None) -> model.Recording:
        if container_key is None or len(container_key) != 64:
            raise InvalidInput("a recording needs its container key (64 hex digits)")
        if obj.id is not None:
            raise InvalidInput(f"recording {obj.id} is already saved")
        row = schema.RecordingRow(container_key=container_key)
        self._fill(row, obj)
        self._s.add(row)
        self._s.flush()
        obj.id = row.id
        return obj

    def container_key(self, recording_id: int) -> str:
        key: str = self._one(recording_id).container_key
        return key

    def containers(self) -> dict[str, str]:
        """Every container name with its key (for integrity checks and leftover clean-up)."""
        r = schema.RecordingRow
        return {name: key for name, key in self._s.execute(select(r.container, r.container_key))}

    def proxy_containers(self) -> dict[str, str]:
        """Every scrubbing-proxy container name with its key (kept as the recording's PROXY_ASSET)."""
        r, a = schema.RecordingRow, schema.RecordingAssetRow
        rows = self._s.execute(select(r.container, a.data).join(a, a.recording_id == r.id)
                               .where(a.kind == PROXY_ASSET))
        return {proxy_name(name): bytes(data).decode("ascii") for name, data in rows}

    def of_session(self, session_id: int) -> list[model.Recording]:
        r = schema.RecordingRow
        return self._all(select(r).where(r.session_id == session_id).order_by(r.imported_at, r.id))


class ClipRepository(_Repository[model.Clip]):
    domain, row, kind = model.Clip, schema.ClipRow, "clip"

    def add(self, obj: model.Clip) -> model.Clip:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_recording(self, recording_id: int) -> list[model.Clip]:
        r = schema.ClipRow
        return self._all(select(r).where(r.recording_id == recording_id).order_by(r.position, r.id))

    def of_session(self, session_id: int) -> list[model.Clip]:
        r, rec = schema.ClipRow, schema.RecordingRow
        stmt = (select(r).join(rec, r.recording_id == rec.id).where(rec.session_id == session_id)
                .order_by(r.position, r.id))
        return self._all(stmt)


class AnnotationRepository(_Repository[model.Annotation]):
    domain, row, kind = model.Annotation, schema.AnnotationRow, "annotation"

    def of_clip(self, clip_id: int) -> list[model.Annotation]:
        r = schema.AnnotationRow
        return self._all(select(r).where(r.clip_id == clip_id).order_by(r.frame.nulls_first(), r.id))


class StillRepository(_Repository[model.Still]):
    domain, row, kind = model.Still, schema.StillRow, "still"

    def add(self, obj: model.Still) -> model.Still:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_recording(self, recording_id: int) -> list[model.Still]:
        r = schema.StillRow
        return self._all(select(r).where(r.recording_id == recording_id).order_by(r.position, r.frame, r.id))

    def of_session(self, session_id: int) -> list[model.Still]:
        r, rec = schema.StillRow, schema.RecordingRow
        stmt = (select(r).join(rec, r.recording_id == rec.id).where(rec.session_id == session_id)
                .order_by(r.position, r.frame, r.id))
        return self._all(stmt)


class MarkerRepository(_Repository[model.Marker]):
    domain, row, kind = model.Marker, schema.MarkerRow, "marker"

    def of_recording(self, recording_id: int) -> list[model.Marker]:
        r = schema.MarkerRow
        return self._all(select(r).where(r.recording_id == recording_id).order_by(r.frame, r.id))


class ConsentRepository(_Repository[model.Consent]):
    domain, row, kind = model.Consent, schema.ConsentRow, "consent"

    def of_case(self, case_id: int) -> list[model.Consent]:
        r = schema.ConsentRow
        return self._all(select(r).where(r.case_id == case_id).order_by(r.date, r.id))


class AssetRepository:
    """Derived blobs per recording ("index", "thumbnails", "waveform"), encrypted inside library.db."""

    def __init__(self, session: OrmSession):
        self._s = session

    def put(self, recording_id: int, kind: str, data: bytes) -> None:
        row = self._s.get(schema.RecordingAssetRow, (recording_id, kind))
        if row is None:
            self._s.add(schema.RecordingAssetRow(recording_id=recording_id, kind=kind, data=bytes(data)))
        else:
            row.data = bytes(data)
        self._s.flush()

    def get(self, recording_id: int, kind: str) -> bytes | None:
        row = self._s.get(schema.RecordingAssetRow, (recording_id, kind))
        return None if row is None else row.data

    def kinds(self, recording_id: int) -> list[str]:
        r = schema.RecordingAssetRow
        return list(self._s.scalars(select(r.kind).where(r.recording_id == recording_id).order_by(r.kind)))

    def delete(self, recording_id: int, kind: str) -> None:
        self._s.execute(delete(schema.RecordingAssetRow).where(
            schema.RecordingAssetRow.recording_id == recording_id, schema.RecordingAssetRow.kind == kind))


class SettingsRepository:
    """Library-level settings as text (review PIN hash, retention weeks, the library's age identity)."""

    def __init__(self, session: OrmSession):
        self._s = session

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self._s.get(schema.SettingRow, key)
        return default if row is None else row.value

    def set(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise InvalidInput(f"setting {key} must be text")
        row = self._s.get(schema.SettingRow, key)
        if row is None:
            self._s.add(schema.SettingRow(key=key, value=value))
        else:
            row.value = value
        self._s.flush()

    def delete(self, key: str) -> None:
        """Remove the setting; nothing happens if it was not set."""
        self._s.execute(delete(schema.SettingRow).where(schema.SettingRow.key == key))
        self._s.expire_all()


class ReflectionRepository(_Repository[model.Reflection]):
    domain, row, kind = model.Reflection, schema.ReflectionRow, "reflection"

    def of_session(self, session_id: int) -> list[model.Reflection]:
        r = schema.ReflectionRow
        return self._all(select(r).where(r.session_id == session_id).order_by(r.said_at, r.id))


class ContactRepository(_Repository[model.Contact]):
    domain, row, kind = model.Contact, schema.ContactRow, "contact"

    def add(self, obj: model.Contact) -> model.Contact:
        if not obj.public_key.startswith("age1"):
            raise InvalidInput("a contact's public key must be an age recipient (age1...)")
        if self.by_key(obj.public_key) is not None:
            raise InvalidInput(f"contact {obj.public_key} already exists")
        if obj.signing_key is not None and self.by_signing_key(obj.signing_key) is not None:
            raise InvalidInput("a contact with that signing key already exists")
        return super().add(obj)

    def by_key(self, public_key: str) -> model.Contact | None:
        row = self._s.scalar(select(schema.ContactRow).where(schema.ContactRow.public_key == public_key))
        return None if row is None else _to_domain(model.Contact, row)

    def by_signing_key(self, signing_key: str) -> model.Contact | None:
        row = self._s.scalar(select(schema.ContactRow).where(schema.ContactRow.signing_key == signing_key))
        return None if row is None else _to_domain(model.Contact, row)

    def list(self) -> list[model.Contact]:
        r = schema.ContactRow
        return self._all(select(r).order_by(r.display_name, r.id))


class CommentRepository(_Repository[model.Comment]):
    domain, row, kind = model.Comment, schema.CommentRow, "comment"

    def add(self, obj: model.Comment) -> model.Comment:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_session(self, session_id: int) -> list[model.Comment]:
        r = schema.CommentRow
        return self._all(select(r).where(r.session_id == session_id).order_by(r.created_at, r.id))

    def of_recording(self, recording_id: int) -> list[model.Comment]:
        """Comments on a recording (its clips, or a time in it), of whichever session, as written."""
        r = schema.CommentRow
        return self._all(select(r).where(r.recording_id == recording_id).order_by(r.created_at, r.id))

    def of_clip(self, clip_id: int) -> list[model.Comment]:
        r = schema.CommentRow
        return self._all(select(r).where(r.clip_id == clip_id)
                         .order_by(r.frame.nulls_first(), r.created_at, r.id))

    def guider_ratings(self, recording_id: int) -> list[model.Comment]:
        """The comments that rate the guider at a frame of the recording (any session's)."""
        r = schema.CommentRow
        return self._all(select(r).where(r.recording_id == recording_id, r.rates_guider.is_(True),
                                         r.frame.is_not(None)).order_by(r.frame, r.created_at, r.id))


class ImportedBundleRepository(_Repository[model.ImportedBundle]):
    domain, row, kind = model.ImportedBundle, schema.ImportedBundleRow, "bundle"

    def add(self, obj: model.ImportedBundle) -> model.ImportedBundle:
        if self.by_uid(obj.uid) is not None:
            raise InvalidInput(f"bundle {obj.uid} was already imported")
        return super().add(obj)


class BundleRecipientRepository(_Repository[model.BundleRecipient]):
    domain, row, kind = model.BundleRecipient, schema.BundleRecipientRow, "bundle recipient"

    def of_session(self, session_id: int) -> list[model.BundleRecipient]:
        r = schema.BundleRecipientRow
        return self._all(select(r).where(r.session_id == session_id).order_by(r.sent_at, r.id))


class ObservationRepository(_Repository[www.Observation]):
    domain, row, kind = www.Observation, schema.ObservationRow, "observation"

    def add(self, obj: www.Observation) -> www.Observation:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_recording(self, recording_id: int) -> list[www.Observation]:
        r = schema.ObservationRow
        return self._all(select(r).where(r.recording_id == recording_id).order_by(r.frame, r.id))

    def of_session(self, session_id: int) -> list[www.Observation]:
        r, rec = schema.ObservationRow, schema.RecordingRow
        stmt = (select(r).join(rec, r.recording_id == rec.id).where(rec.session_id == session_id)
                .order_by(rec.imported_at, rec.id, r.frame, r.id))
        return self._all(stmt)

    def responses_to(self, observation_id: int) -> list[www.Observation]:
        r = schema.ObservationRow
        return self._all(select(r).where(r.responds_to == observation_id).order_by(r.frame, r.id))


class WonderNoteRepository(_Repository[www.WonderNote]):
    domain, row, kind = www.WonderNote, schema.WonderNoteRow, "wonder note"

    def add(self, obj: www.WonderNote) -> www.WonderNote:
        self._refuse_duplicate_uid(obj.uid)
        return super().add(obj)

    def of_session(self, session_id: int) -> list[www.WonderNote]:
        r = schema.WonderNoteRow
        return self._all(select(r).where(r.session_id == session_id).order_by(r.created_at, r.id))


class Repos:
    """Every repository, sharing one transaction (see `Library.transaction`)."""

    def __init__(self, session: OrmSession, audit_key: bytes | None = None):
        self.orm_session = session
        self.cases = CaseRepository(session)
        self.interventions = InterventionRepository(session)
        self.cycles = CycleRepository(session)
        self.sessions = SessionRepository(session)
        self.recordings = RecordingRepository(session)
        self.clips = ClipRepository(session)
        self.annotations = AnnotationRepository(session)
        self.stills = StillRepository(session)
        self.markers = MarkerRepository(session)
        self.consents = ConsentRepository(session)
        self.audit = AuditLog(session, audit_key)
        self.assets = AssetRepository(session)
        self.settings = SettingsRepository(session)
        self.reflections = ReflectionRepository(session)
        self.contacts = ContactRepository(session)
        self.bundle_recipients = BundleRecipientRepository(session)
        self.comments = CommentRepository(session)
        self.imported_bundles = ImportedBundleRepository(session)
        self.observations = ObservationRepository(session)
        self.wonder_notes = WonderNoteRepository(session)
        # Imported here: those repositories subclass this module's `_Repository`.
        from .outcome_repositories import (
            CompletionRepository,
            GoalRepository,
            OutcomeSourceRepository,
            OutcomeTokenRepository,
            RiskFlagRepository,
        )

        self.completions = CompletionRepository(session)
        self.risk_flags = RiskFlagRepository(session)
        self.goals = GoalRepository(session)
        self.outcome_tokens = OutcomeTokenRepository(session)
        self.outcome_sources = OutcomeSourceRepository(session)
        from .pathway_repositories import (
            ActivityRepository,
            CaseloadQueries,
            ClosingSummaryRepository,
            PathwayEventRepository,
            ReferralRepository,
        )

        self.referrals = ReferralRepository(session)
        self.pathway = PathwayEventRepository(session)
        self.activities = ActivityRepository(session)
        self.caseload = CaseloadQueries(session)
        self.closing_summaries = ClosingSummaryRepository(session)
        from .training_repositories import (
            CompletedCycles,
            SupervisionRecordRepository,
            TrainingStageRepository,
        )

        self.training_stages = TrainingStageRepository(session)
        self.supervisions = SupervisionRecordRepository(session)
        self.completed_cycles = CompletedCycles(session)
        from .report_rows import ReportQueries

        self.reports = ReportQueries(session)
        from .guider_repositories import CoderTagRepository, SelfAssessmentRepository

        self.self_assessments = SelfAssessmentRepository(session)
        self.coder_tags = CoderTagRepository(session)
