"""The audit log table: append-only, and an HMAC chain keyed from the data key.

Each row's `hash` is HMAC-SHA-256 (under `AuditKeys.chain`) over the canonical JSON of [prev_hash, at,
action, object], and `prev_hash` is the previous row's `hash`; so nobody without the key can edit,
insert or remove a row and recompute the chain. Libraries made before the chain was keyed used a
plain SHA-256 (`audit_hash`); `Library` re-chains them once under the key (`rechain`), recording it.
Rolling the whole file back to an older valid chain is what `audit.anchor` catches (see `anchor`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session as OrmSession

from vigstudio.domain import model
from vigstudio.domain.errors import InvalidInput

from . import schema
from .anchor import Head

AUDIT_GENESIS = "0" * 64  # prev_hash of the first audit event
_TRIGGERS = ("UPDATE", "DELETE")


def _payload(prev_hash: str, at: dt.datetime, action: str, obj: str) -> bytes:
    at_iso = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps([prev_hash, at_iso, action, obj], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def audit_hash(prev_hash: str, at: dt.datetime, action: str, obj: str) -> str:
    """The unkeyed SHA-256 link of libraries made before the chain was keyed (migration 0002 keeps a
    frozen copy of it for the rows it backfilled)."""
    return hashlib.sha256(_payload(prev_hash, at, action, obj)).hexdigest()


def audit_hmac(key: bytes, prev_hash: str, at: dt.datetime, action: str, obj: str) -> str:
    return hmac.new(key, _payload(prev_hash, at, action, obj), hashlib.sha256).hexdigest()


class AuditLog:
    """Append-only and HMAC-chained: there is deliberately no update or delete (the database refuses
    them too), and `verify_chain` finds a row edited, inserted or removed behind the app's back.
    `head_before` is the log's head before this transaction's first append (for the anchor)."""

    def __init__(self, session: OrmSession, key: bytes | None = None):
        self._s = session
        self._key = key
        self.head_before: Head | None = None

    @property
    def appended(self) -> bool:
        return self.head_before is not None

    def head(self) -> Head:
        r = schema.AuditEventRow
        row = self._s.execute(select(r.id, r.hash).order_by(r.id.desc()).limit(1)).first()
        return Head(0, AUDIT_GENESIS) if row is None else Head(row[0], row[1])

    def hash_of(self, event_id: int) -> str | None:
        if event_id == 0:
            return AUDIT_GENESIS
        r = schema.AuditEventRow
        return self._s.scalar(select(r.hash).where(r.id == event_id))

    def append(self, event: model.AuditEvent) -> model.AuditEvent:
        if event.id is not None:
            raise InvalidInput(f"audit event {event.id} is already saved")
        if self._key is None:
            raise InvalidInput("the audit log can only be written through an open library")
        if self.head_before is None:
            self.head_before = self.head()
        r = schema.AuditEventRow
        prev = self._s.scalar(select(r.hash).order_by(r.id.desc()).limit(1)) or AUDIT_GENESIS
        row = r(at=event.at, action=event.action, object=event.object, prev_hash=prev,
                hash=audit_hmac(self._key, prev, event.at, event.action, event.object))
        self._s.add(row)
        self._s.flush()
        event.id = row.id
        return event

    add = append

    def verify_chain(self, key: bytes | None = None, *, legacy: bool = False) -> list[int]:
        """Ids of the rows whose link does not match their content under the key (or, with `legacy`,
        the old unkeyed SHA-256), or whose prev_hash is not the previous row's hash (a row edited,
        inserted or deleted). Empty for an intact log."""
        key = key or self._key
        if key is None and not legacy:
            raise InvalidInput("the audit log can only be verified through an open library")
        r = schema.AuditEventRow
        bad = []
        expected_prev = AUDIT_GENESIS
        rows = self._s.execute(select(r.id, r.at, r.action, r.object, r.prev_hash, r.hash).order_by(r.id))
        for row_id, at, action, obj, prev_hash, stored in rows:
            link = audit_hash(prev_hash, at, action, obj) if legacy else audit_hmac(key, prev_hash, at, action, obj)  # type: ignore[arg-type]
            if prev_hash != expected_prev or not hmac.compare_digest(stored, link):
                bad.append(row_id)
            expected_prev = stored
        return bad

    def rechain(self, key: bytes) -> int:
        """Recompute every link under `key`, in id order (the append-only triggers are lifted for this
        one rewrite, inside the caller's transaction, and put back unchanged). Returns the row count.
        Callers verify the chain first and record what they found: this launders whatever it covers."""
        r = schema.AuditEventRow
        conn = self._s.connection()
        for statement in _TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_events_no_{statement.lower()}")
        prev = AUDIT_GENESIS
        rows = self._s.execute(select(r.id, r.at, r.action, r.object).order_by(r.id)).all()
        for row_id, at, action, obj in rows:
            link = audit_hmac(key, prev, at, action, obj)
            self._s.execute(update(r).where(r.id == row_id).values(prev_hash=prev, hash=link))
            prev = link
        for statement in _TRIGGERS:
            conn.execute(text(f"CREATE TRIGGER audit_events_no_{statement.lower()} BEFORE {statement} ON "
                              "audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"))
        self._s.expire_all()
        self._key = key
        return len(rows)

    def list(self, since: dt.datetime | None = None, limit: int | None = None) -> list[model.AuditEvent]:
        """Oldest first; with `limit`, the newest `limit` events (still oldest first)."""
        from .repositories import _to_domain

        r = schema.AuditEventRow
        stmt = select(r)
        if since is not None:
            stmt = stmt.where(r.at >= since)
        if limit is not None:
            stmt = stmt.order_by(r.id.desc()).limit(limit)
            rows = list(self._s.scalars(stmt))[::-1]
        else:
            rows = list(self._s.scalars(stmt.order_by(r.id)))
        return [_to_domain(model.AuditEvent, row) for row in rows]
