"""Referral pathway and the service's own work: referrals, dated pathway steps, activities, closing summaries.

Revision ID: 0004_caseload
Revises: 0003_outcomes
Create Date: 2026-12-07 03:30:00

New tables only. Existing cases get no pathway rows: their status stays as stored until a referral
or a pathway step is recorded for them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_caseload"
down_revision = "0003_outcomes"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("referrer_role", sa.Text(), nullable=False),
        sa.Column("referrer_team", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("perinatal", sa.String(length=16), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        _fk("referrals", "case_id", "cases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index(op.f("ix_referrals_case_id"), "referrals", ["case_id"])
    op.create_table(
        "pathway_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("pathway_events", "case_id", "cases", "CASCADE"),
        _fk("pathway_events", "referral_id", "referrals", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_events")),
    )
    op.create_index(op.f("ix_pathway_events_case_id"), "pathway_events", ["case_id"])
    op.create_index(op.f("ix_pathway_events_referral_id"), "pathway_events", ["referral_id"])
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("materials", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        _fk("activities", "case_id", "cases", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index(op.f("ix_activities_date"), "activities", ["date"])
    op.create_index(op.f("ix_activities_case_id"), "activities", ["case_id"])
    op.create_table(
        "closing_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("offered", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("last_scores", sa.JSON(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        _fk("closing_summaries", "case_id", "cases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closing_summaries")),
    )
    op.create_index(op.f("ix_closing_summaries_case_id"), "closing_summaries", ["case_id"], unique=True)


def downgrade() -> None:
    op.drop_table("closing_summaries")
    op.drop_table("activities")
    op.drop_table("pathway_events")
    op.drop_table("referrals")
