"""The supervisor rates the guider: a comment can rate the practitioner (the principles as they showed
them in the shared review); the practitioner's own self-assessment of their shared review; a named
second coder's principle tags on clips (coding agreement between two practitioners).

Revision ID: 0006_guider
Revises: 0006_outbundle (written against 0003_www; uses none of the other branches' tables)
Create Date: 2026-12-07 06:00:00

`comments.rates_guider` is added with plain ALTER TABLE (never batch mode, which would copy and drop
`comments`); existing comments rate the parent and child as before (0). The rest are new tables.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_guider"
down_revision = "0006_outbundle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comments", sa.Column("rates_guider", sa.Boolean(), nullable=False, server_default="0"))
    op.create_table(
        "self_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False),
        sa.Column("principle", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_self_assessments_recording_id_recordings"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessments")),
    )
    op.create_index(op.f("ix_self_assessments_uid"), "self_assessments", ["uid"], unique=True)
    op.create_index(op.f("ix_self_assessments_recording_id"), "self_assessments", ["recording_id"], unique=False)
    op.create_table(
        "coder_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=False),
        sa.Column("coder", sa.Text(), nullable=False),
        sa.Column("principle", sa.String(length=32), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.id"], name=op.f("fk_coder_tags_clip_id_clips"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coder_tags")),
    )
    op.create_index(op.f("ix_coder_tags_clip_id"), "coder_tags", ["clip_id"], unique=False)
    op.create_index(op.f("ix_coder_tags_coder"), "coder_tags", ["coder"], unique=False)


def downgrade() -> None:
    op.drop_table("coder_tags")
    op.drop_table("self_assessments")
    op.drop_column("comments", "rates_guider")
