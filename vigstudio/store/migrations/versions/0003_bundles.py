"""Signed bundles: each contact's Ed25519 signing key, and who each session bundle was sent to.

Revision ID: 0003_bundles
Revises: 0005_training
Create Date: 2026-12-07 03:30:00

Existing contacts keep their age key and get no signing key (NULL): they are pinned on the first
bundle the user accepts from them. The column is added with plain ALTER TABLE (never batch mode, which
would copy and drop `contacts`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_bundles"
down_revision = "0005_training"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contacts", sa.Column("signing_key", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_contacts_signing_key"), "contacts", ["signing_key"], unique=True)
    op.create_table(
        "bundle_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_uid", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name=op.f("fk_bundle_recipients_session_id_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name=op.f("fk_bundle_recipients_contact_id_contacts"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_recipients")),
    )
    for column in ("bundle_uid", "session_id", "contact_id"):
        op.create_index(op.f(f"ix_bundle_recipients_{column}"), "bundle_recipients", [column], unique=False)


def downgrade() -> None:
    for column in ("contact_id", "session_id", "bundle_uid"):
        op.drop_index(op.f(f"ix_bundle_recipients_{column}"), table_name="bundle_recipients")
    op.drop_table("bundle_recipients")
    op.drop_index(op.f("ix_contacts_signing_key"), table_name="contacts")
    op.drop_column("contacts", "signing_key")
