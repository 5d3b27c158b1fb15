"""Outcome measures: completed questionnaires (answers, never typed totals), risk flags, rated goals.

Revision ID: 0003_outcomes
Revises: 0002
Create Date: 2026-12-07 03:10:00

New tables only; nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_outcomes"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=True),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("measure_version", sa.String(length=16), nullable=False),
        sa.Column("catalogue_version", sa.Integer(), nullable=False),
        sa.Column("when", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("typed_scores", sa.JSON(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("completed_by", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_measure_completions_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["intervention_id"], ["interventions.id"],
                                name=op.f("fk_measure_completions_intervention_id_interventions"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_completions")),
    )
    op.create_index(op.f("ix_measure_completions_case_id"), "measure_completions", ["case_id"])
    op.create_index(op.f("ix_measure_completions_intervention_id"), "measure_completions",
                    ["intervention_id"])
    op.create_index(op.f("ix_measure_completions_uid"), "measure_completions", ["uid"], unique=True)

    op.create_table(
        "risk_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("completion_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("action_by", sa.Text(), nullable=True),
        sa.Column("action_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_risk_flags_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["completion_id"], ["measure_completions.id"],
                                name=op.f("fk_risk_flags_completion_id_measure_completions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_flags")),
    )
    op.create_index(op.f("ix_risk_flags_case_id"), "risk_flags", ["case_id"])
    op.create_index(op.f("ix_risk_flags_completion_id"), "risk_flags", ["completion_id"])

    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_score", sa.Integer(), nullable=True),
        sa.Column("end_score", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_goals_cycle_id_cycles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_index(op.f("ix_goals_cycle_id"), "goals", ["cycle_id"])


def downgrade() -> None:
    op.drop_table("goals")
    op.drop_table("risk_flags")
    op.drop_table("measure_completions")
