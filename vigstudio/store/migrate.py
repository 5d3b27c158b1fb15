"""Run the Alembic migrations of library.db from code, on the store's own encrypted connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from vigstudio.domain.errors import DamagedLibrary

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine, library: str) -> None:
    """Bring the schema to the newest revision, all in one transaction."""
    current = current_revision(engine)
    if current == head_revision():
        return
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise DamagedLibrary(library, f"schema {current} was made by a newer VIG Studio")
    with engine.begin() as conn:
        try:
            command.upgrade(alembic_config(conn), "head")
        except CommandError as exc:
            raise DamagedLibrary(library, f"schema upgrade failed ({exc})") from exc


def downgrade(engine: Engine, revision: str) -> None:
    """For tests of the migrations themselves."""
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
