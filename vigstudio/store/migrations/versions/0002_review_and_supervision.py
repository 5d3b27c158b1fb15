"""Review and supervision: settings, reflections, contacts, comments, imported bundles, stable uids,
case origin, and the hash chain of the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00

Columns are added with plain ALTER TABLE (never batch mode): batch mode copies and drops the table,
and with foreign keys on, dropping `sessions` or `clips` would cascade-delete their children.
"""

import datetime as dt
import hashlib
import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UID_TABLES = ("sessions", "clips", "stills")
GENESIS = "0" * 64  # prev_hash of the first audit row


def _audit_hash(prev_hash: str, at: dt.datetime, action: str, obj: str) -> str:
    # Frozen copy of `vigstudio.store.repositories.audit_hash` as it was at this revision.
    at_iso = at.replace(tzinfo=dt.UTC).isoformat(timespec="microseconds")
    payload = json.dumps([prev_hash, at_iso, action, obj], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _audit_triggers(create: bool) -> None:
    for statement in ("UPDATE", "DELETE"):
        name = f"audit_events_no_{statement.lower()}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {statement} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
        else:
            op.execute(f"DROP TRIGGER {name}")


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("public_key", name=op.f("uq_contacts_public_key")),
    )
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("said_at", sa.DateTime(), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=True),
        sa.Column("still_id", sa.Integer(), nullable=True),
        sa.Column("frame", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name=op.f("fk_reflections_session_id_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.id"],
                                name=op.f("fk_reflections_clip_id_clips"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["still_id"], ["stills.id"],
                                name=op.f("fk_reflections_still_id_stills"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
    )
    for column in ("session_id", "clip_id", "still_id"):
        op.create_index(op.f(f"ix_reflections_{column}"), "reflections", [column], unique=False)

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=True),
        sa.Column("recording_id", sa.Integer(), nullable=True),
        sa.Column("frame", sa.Integer(), nullable=True),
        sa.Column("principle", sa.String(length=32), nullable=True),
        sa.Column("behaviour", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name=op.f("fk_comments_session_id_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.id"],
                                name=op.f("fk_comments_clip_id_clips"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_comments_recording_id_recordings"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    for column in ("session_id", "clip_id", "recording_id"):
        op.create_index(op.f(f"ix_comments_{column}"), "comments", [column], unique=False)
    op.create_index(op.f("ix_comments_uid"), "comments", ["uid"], unique=True)

    op.create_table(
        "imported_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_imported_bundles_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_bundles")),
    )
    op.create_index(op.f("ix_imported_bundles_case_id"), "imported_bundles", ["case_id"], unique=False)
    op.create_index(op.f("ix_imported_bundles_uid"), "imported_bundles", ["uid"], unique=True)

    op.add_column("cases", sa.Column("origin", sa.String(length=16), nullable=False, server_default="local"))
    op.add_column("sessions", sa.Column("source_uid", sa.String(length=32), nullable=True))

    # Stable uids: added NOT NULL with a placeholder default, every existing row given a fresh UUID4,
    # then made unique.
    conn = op.get_bind()
    for table in UID_TABLES:
        op.add_column(table, sa.Column("uid", sa.String(length=32), nullable=False, server_default=""))
        rows = sa.table(table, sa.column("id", sa.Integer()), sa.column("uid", sa.String()))
        for (row_id,) in conn.execute(sa.select(rows.c.id)).all():
            conn.execute(sa.update(rows).where(rows.c.id == row_id).values(uid=uuid.uuid4().hex))
        op.create_index(op.f(f"ix_{table}_uid"), table, ["uid"], unique=True)

    # The hash chain over the existing audit rows, in id order. The append-only triggers are lifted
    # for this one backfill, inside the same transaction, and put back unchanged.
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=False,
                                            server_default=""))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=False, server_default=""))
    events = sa.table("audit_events", sa.column("id", sa.Integer()), sa.column("at", sa.DateTime()),
                      sa.column("action", sa.String()), sa.column("object", sa.Text()),
                      sa.column("prev_hash", sa.String()), sa.column("hash", sa.String()))
    _audit_triggers(create=False)
    prev = GENESIS
    query = sa.select(events.c.id, events.c.at, events.c.action, events.c.object).order_by(events.c.id)
    for row_id, at, action, obj in conn.execute(query).all():
        digest = _audit_hash(prev, at, action, obj)
        conn.execute(sa.update(events).where(events.c.id == row_id).values(prev_hash=prev, hash=digest))
        prev = digest
    _audit_triggers(create=True)


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN rewrites rows in place: no table is dropped, so nothing cascades.
    op.drop_column("audit_events", "hash")
    op.drop_column("audit_events", "prev_hash")
    for table in reversed(UID_TABLES):
        op.drop_index(op.f(f"ix_{table}_uid"), table_name=table)
        op.drop_column(table, "uid")
    op.drop_column("sessions", "source_uid")
    op.drop_column("cases", "origin")

    op.drop_index(op.f("ix_imported_bundles_uid"), table_name="imported_bundles")
    op.drop_index(op.f("ix_imported_bundles_case_id"), table_name="imported_bundles")
    op.drop_table("imported_bundles")
    for column in ("uid", "recording_id", "clip_id", "session_id"):
        op.drop_index(op.f(f"ix_comments_{column}"), table_name="comments")
    op.drop_table("comments")
    for column in ("still_id", "clip_id", "session_id"):
        op.drop_index(op.f(f"ix_reflections_{column}"), table_name="reflections")
    op.drop_table("reflections")
    op.drop_table("contacts")
    op.drop_table("settings")
