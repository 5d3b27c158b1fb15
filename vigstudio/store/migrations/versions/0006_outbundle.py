"""Anonymous outcomes bundles: each case's random token (practitioner), and the outcomes imported
from the service's practitioners (lead).

Revision ID: 0006_outbundle
Revises: 0003_www (written against it; it uses only cases and contacts, which 0001/0002 made)
Create Date: 2026-12-07 06:00:00

New tables only; nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_outbundle"
down_revision = "0003_www"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "outcome_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        _fk("outcome_tokens", "case_id", "cases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_outcome_tokens_token")),
    )
    op.create_index(op.f("ix_outcome_tokens_case_id"), "outcome_tokens", ["case_id"], unique=True)

    op.create_table(
        "outcome_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signing_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("bundle_uid", sa.String(length=32), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("completions", sa.Integer(), nullable=False),
        _fk("outcome_sources", "contact_id", "contacts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_sources")),
        sa.UniqueConstraint("signing_key", name=op.f("uq_outcome_sources_signing_key")),
    )
    op.create_index(op.f("ix_outcome_sources_contact_id"), "outcome_sources", ["contact_id"])

    op.create_table(
        "imported_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("measure_version", sa.String(length=16), nullable=False),
        sa.Column("when", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("subscales", sa.JSON(), nullable=False),
        sa.Column("band", sa.Text(), nullable=True),
        sa.Column("caseness", sa.Boolean(), nullable=True),
        _fk("imported_completions", "source_id", "outcome_sources", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_completions")),
    )
    op.create_index(op.f("ix_imported_completions_source_id"), "imported_completions", ["source_id"])

    op.create_table(
        "imported_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=True),
        sa.Column("start_score", sa.Integer(), nullable=True),
        sa.Column("end_score", sa.Integer(), nullable=True),
        _fk("imported_goals", "source_id", "outcome_sources", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_goals")),
    )
    op.create_index(op.f("ix_imported_goals_source_id"), "imported_goals", ["source_id"])


def downgrade() -> None:
    op.drop_table("imported_goals")
    op.drop_table("imported_completions")
    op.drop_table("outcome_sources")
    op.drop_table("outcome_tokens")
