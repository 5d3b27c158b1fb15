"""The schema exists only through Alembic migrations, and the ORM classes match what they build."""

from __future__ import annotations

import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from vigstudio.domain.errors import DamagedLibrary
from vigstudio.store import Library
from vigstudio.store.database import open_engine
from vigstudio.store.migrate import current_revision, downgrade, head_revision, upgrade_to_head
from vigstudio.store.schema import Base

TABLES = {"cases", "interventions", "cycles", "sessions", "recordings", "clips", "annotations", "stills",
          "markers", "consents", "audit_events", "recording_assets", "alembic_version",
          "settings", "reflections", "contacts", "comments", "imported_bundles", "bundle_recipients",
          "measure_completions", "risk_flags", "goals", "referrals", "pathway_events", "activities",
          "closing_summaries", "training_stages", "supervision_records", "observations", "wonder_notes",
          "outcome_tokens", "outcome_sources", "imported_completions", "imported_goals",
          "self_assessments", "coder_tags"}


@pytest.fixture
def engine(tmp_path):
    engine = open_engine(tmp_path / "library.db", secrets.token_bytes(32))
    yield engine
    engine.dispose()


def test_upgrade_from_empty(engine):
    assert current_revision(engine) is None
    upgrade_to_head(engine, "test")
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == TABLES


def test_orm_metadata_matches_the_migrated_schema(engine):
    upgrade_to_head(engine, "test")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_empty_and_back(engine):
    upgrade_to_head(engine, "test")
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade_to_head(engine, "test")
    assert set(inspect(engine).get_table_names()) == TABLES


def test_audit_log_is_append_only_in_the_database(engine):
    upgrade_to_head(engine, "test")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_events (at, action, object) VALUES ('2026-01-01', 'unlock', '-')"))
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_library_from_a_newer_version_is_refused(tmp_path, passphrase):
    with Library.create(tmp_path / "lib", passphrase) as lib, lib.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DamagedLibrary, match="newer VIG Studio"):
        Library.open(tmp_path / "lib", passphrase)


def test_metadata_comparison_notices_a_column_without_a_migration(engine):
    """The check above can fail: a column added to the ORM alone shows up as a difference."""
    from sqlalchemy import Column, Integer, MetaData

    upgrade_to_head(engine, "test")
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["clips"].append_column(Column("colour", Integer))
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), changed)
    assert [d[0] for d in diffs] == ["add_column"]
