"""Training record: the stages a practitioner entered and the supervisions they held.

Revision ID: 0005_training
Revises: 0004_caseload
Create Date: 2026-12-07 04:00:00

New tables only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_training"
down_revision = "0004_caseload"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_stages")),
    )
    op.create_table(
        "supervision_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("supervisor", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("discussed", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_records")),
    )
    op.create_index(op.f("ix_supervision_records_date"), "supervision_records", ["date"])


def downgrade() -> None:
    op.drop_table("supervision_records")
    op.drop_table("training_stages")
