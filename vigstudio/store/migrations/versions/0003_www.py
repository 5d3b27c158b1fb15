"""Watch, Wait and Wonder: interventions get dates, status and planned sessions; sessions belong to
their intervention (the cycle only for VIG) and record attendance; observations and Wonder notes.

Revision ID: 0003_www
Revises: 0005_training (written against 0002; it uses none of the tables added since)
Create Date: 2026-12-07 03:00:00

No table is copied or dropped (see 0002: with foreign keys on, dropping `sessions` would cascade-delete
its recordings, clips and comments, and renaming it would re-point their foreign keys). Columns are
added with plain ALTER TABLE; the two constraint changes on `sessions` (cycle_id may be NULL,
intervention_id may not) are made by SQLite's documented procedure for changing NOT NULL constraints:
rewrite the table's definition in sqlite_schema with the same columns in the same order, bump
schema_version, then check the table. Rows are never rewritten by that step.

Existing sessions take their cycle's intervention; sessions of kind `www` move into a WWW intervention
of their case (made if the case has none) and leave their cycle.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_www"
down_revision = "0003_bundles"  # chained after the other branches' migrations; uses none of their tables
branch_labels = None
depends_on = None

WWW_PLANNED = 15  # frozen copy of domain.model.WWW_PLANNED_SESSIONS at this revision

# Columns of `sessions` in storage order, as 0001 + 0002 made them and this revision appends.
_OLD_COLUMNS = ["id", "cycle_id", "kind", "date", "notes", "source_uid", "uid"]
_NEW_COLUMNS = ["intervention_id", "attendance", "cancelled_by", "attendance_reason", "attendees"]


def _sessions_sql(*, at_0003: bool) -> str:
    """The table's definition at this revision, or (for the way down) 0002's with this revision's
    columns still there but without constraints, so that they can be dropped."""
    cycle = "cycle_id INTEGER" if at_0003 else "cycle_id INTEGER NOT NULL"
    columns = [
        "id INTEGER NOT NULL", cycle, "kind VARCHAR(32) NOT NULL", "date DATE NOT NULL", "notes TEXT NOT NULL",
        "source_uid VARCHAR(32)", "uid VARCHAR(32) DEFAULT '' NOT NULL",
    ]
    constraints = [
        "CONSTRAINT pk_sessions PRIMARY KEY (id)",
        "CONSTRAINT fk_sessions_cycle_id_cycles FOREIGN KEY(cycle_id) REFERENCES cycles (id) ON DELETE CASCADE",
    ]
    columns += [
        "intervention_id INTEGER NOT NULL" if at_0003 else "intervention_id INTEGER",
        "attendance VARCHAR(16) DEFAULT 'attended' NOT NULL", "cancelled_by VARCHAR(16)",
        "attendance_reason TEXT DEFAULT '' NOT NULL", "attendees TEXT DEFAULT '' NOT NULL",
    ]
    if at_0003:
        constraints.append("CONSTRAINT fk_sessions_intervention_id_interventions FOREIGN KEY(intervention_id) "
                           "REFERENCES interventions (id) ON DELETE CASCADE")
    return "CREATE TABLE sessions (\n\t" + ", \n\t".join(columns + constraints) + "\n)"


def _rewrite_sessions_definition(sql: str, expected_columns: list[str]) -> None:
    conn = op.get_bind()
    found = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(sessions)")]
    if found != expected_columns:
        raise RuntimeError(f"sessions has unexpected columns {found}")
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        conn.exec_driver_sql("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'sessions'", (sql,))
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version or 0) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check(sessions)")]
    if problems != ["ok"]:
        raise RuntimeError(f"sessions failed its check after the change: {problems[:3]}")


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("interventions", sa.Column("status", sa.String(length=16), nullable=False,
                                             server_default="active"))
    op.add_column("interventions", sa.Column("started_on", sa.Date(), nullable=True))
    op.add_column("interventions", sa.Column("ended_on", sa.Date(), nullable=True))
    op.add_column("interventions", sa.Column("planned_sessions", sa.Integer(), nullable=True))

    # A foreign key column may be added only with a NULL default; NOT NULL comes with the rewrite below.
    conn.exec_driver_sql("ALTER TABLE sessions ADD COLUMN intervention_id INTEGER "
                         "REFERENCES interventions (id) ON DELETE CASCADE")
    op.add_column("sessions", sa.Column("attendance", sa.String(length=16), nullable=False,
                                        server_default="attended"))
    op.add_column("sessions", sa.Column("cancelled_by", sa.String(length=16), nullable=True))
    op.add_column("sessions", sa.Column("attendance_reason", sa.Text(), nullable=False, server_default=""))
    op.add_column("sessions", sa.Column("attendees", sa.Text(), nullable=False, server_default=""))
    conn.exec_driver_sql("UPDATE sessions SET intervention_id = "
                         "(SELECT intervention_id FROM cycles WHERE cycles.id = sessions.cycle_id)")
    _rewrite_sessions_definition(_sessions_sql(at_0003=True), _OLD_COLUMNS + _NEW_COLUMNS)
    _move_www_sessions(conn)
    conn.exec_driver_sql("UPDATE interventions SET planned_sessions = ? WHERE kind = 'www' "
                         "AND planned_sessions IS NULL", (WWW_PLANNED,))
    op.create_index(op.f("ix_sessions_intervention_id"), "sessions", ["intervention_id"], unique=False)

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False),
        sa.Column("end_frame", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("coder", sa.Text(), nullable=False),
        sa.Column("responds_to", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_observations_recording_id_recordings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["responds_to"], ["observations.id"],
                                name=op.f("fk_observations_responds_to_observations"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    for column in ("recording_id", "responds_to"):
        op.create_index(op.f(f"ix_observations_{column}"), "observations", [column], unique=False)
    op.create_index(op.f("ix_observations_uid"), "observations", ["uid"], unique=True)

    op.create_table(
        "wonder_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=32), nullable=True),
        sa.Column("observation_id", sa.Integer(), nullable=True),
        sa.Column("recording_id", sa.Integer(), nullable=True),
        sa.Column("frame", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name=op.f("fk_wonder_notes_session_id_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["observation_id"], ["observations.id"],
                                name=op.f("fk_wonder_notes_observation_id_observations"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_wonder_notes_recording_id_recordings"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wonder_notes")),
    )
    for column in ("session_id", "observation_id", "recording_id"):
        op.create_index(op.f(f"ix_wonder_notes_{column}"), "wonder_notes", [column], unique=False)
    op.create_index(op.f("ix_wonder_notes_uid"), "wonder_notes", ["uid"], unique=True)


def _move_www_sessions(conn: sa.Connection) -> None:
    """Sessions of kind `www` into a WWW intervention of their case (one per case, made if needed)."""
    rows = conn.exec_driver_sql(
        "SELECT s.id, i.case_id, s.date FROM sessions s JOIN interventions i ON i.id = s.intervention_id "
        "WHERE s.kind = 'www' ORDER BY s.date, s.id").all()
    courses: dict[int, int] = {}
    for session_id, case_id, date in rows:
        if case_id not in courses:
            found = conn.exec_driver_sql("SELECT id FROM interventions WHERE case_id = ? AND kind = 'www' "
                                         "ORDER BY id LIMIT 1", (case_id,)).scalar()
            if found is None:
                conn.exec_driver_sql("INSERT INTO interventions (case_id, kind, status, started_on, "
                                     "planned_sessions) VALUES (?, 'www', 'active', ?, ?)",
                                     (case_id, date, WWW_PLANNED))
                found = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar()
            courses[case_id] = int(found or 0)
        conn.exec_driver_sql("UPDATE sessions SET intervention_id = ?, cycle_id = NULL WHERE id = ?",
                             (courses[case_id], session_id))


def downgrade() -> None:
    conn = op.get_bind()
    for column in ("uid", "recording_id", "observation_id", "session_id"):
        op.drop_index(op.f(f"ix_wonder_notes_{column}"), table_name="wonder_notes")
    op.drop_table("wonder_notes")
    for column in ("uid", "responds_to", "recording_id"):
        op.drop_index(op.f(f"ix_observations_{column}"), table_name="observations")
    op.drop_table("observations")

    # Sessions without a cycle (WWW) go back into the latest cycle of their case's first VIG
    # intervention (made if needed), as 0002 required; their intervention rows stay.
    for session_id, case_id in conn.exec_driver_sql(
            "SELECT s.id, i.case_id FROM sessions s JOIN interventions i ON i.id = s.intervention_id "
            "WHERE s.cycle_id IS NULL ORDER BY s.id").all():
        cycle_id = conn.exec_driver_sql(
            "SELECT c.id FROM cycles c JOIN interventions i ON i.id = c.intervention_id "
            "WHERE i.case_id = ? AND i.kind = 'vig' ORDER BY i.id, c.number DESC, c.id DESC LIMIT 1",
            (case_id,)).scalar()
        if cycle_id is None:
            conn.exec_driver_sql("INSERT INTO interventions (case_id, kind, status) VALUES (?, 'vig', 'active')",
                                 (case_id,))
            intervention_id = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar()
            conn.exec_driver_sql("INSERT INTO cycles (intervention_id, number, helping_question) VALUES (?, 1, '')",
                                 (intervention_id,))
            cycle_id = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar()
        conn.exec_driver_sql("UPDATE sessions SET cycle_id = ? WHERE id = ?", (cycle_id, session_id))

    op.drop_index(op.f("ix_sessions_intervention_id"), table_name="sessions")
    # The foreign key on intervention_id has to go before the column can be dropped: back to 0002's
    # definition plus the added columns as plain ones, then drop them (DROP COLUMN rewrites in place).
    _rewrite_sessions_definition(_sessions_sql(at_0003=False), _OLD_COLUMNS + _NEW_COLUMNS)
    for column in reversed(_NEW_COLUMNS):
        op.drop_column("sessions", column)
    for column in ("planned_sessions", "ended_on", "started_on", "status"):
        op.drop_column("interventions", column)
