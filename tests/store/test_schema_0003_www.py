"""Migration 0003_www on real SQLCipher libraries: a library made at 0002 opens with its data unchanged,
its `www` sessions moved into a WWW intervention, and the new repositories work."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from vigstudio.domain import model, www
from vigstudio.domain.errors import InvalidInput
from vigstudio.store import Library
from vigstudio.store.migrate import current_revision, downgrade, head_revision
from vigstudio.store.schema import Base

from .conftest import MARKER, add_family, add_recording


def _rows(lib: Library, sql: str) -> list[tuple]:
    with lib.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _library_at_0002(tmp_path, passphrase) -> dict[str, int]:
    """A library downgraded to 0002, then filled the way a 0002 VIG Studio filled it: a VIG session
    with a recording, clip, still, comment and reflection, and a `www` session with its recording."""
    lib = Library.create(tmp_path / "lib", passphrase)
    downgrade(lib.engine, "0002")
    assert current_revision(lib.engine) == "0002"
    with lib.engine.begin() as conn:
        def insert(sql: str) -> int:
            conn.execute(text(sql))
            return conn.execute(text("SELECT last_insert_rowid()")).scalar()

        case = insert("INSERT INTO cases (code, name, referral, status, is_demo, created_at, origin) "
                      "VALUES ('F-014', 'Family name', 'gp', 'open', 0, '2026-03-01 09:00:00', 'local')")
        other = insert("INSERT INTO cases (code, name, referral, status, is_demo, created_at, origin) "
                       "VALUES ('F-015', NULL, 'gp', 'open', 0, '2026-03-01 09:00:00', 'local')")
        vig = insert(f"INSERT INTO interventions (case_id, kind) VALUES ({case}, 'vig')")
        cycle = insert(f"INSERT INTO cycles (intervention_id, number, helping_question) VALUES ({vig}, 1, 'play?')")
        filming = insert("INSERT INTO sessions (cycle_id, kind, date, notes, uid) "
                         f"VALUES ({cycle}, 'filming', '2026-03-04', '{MARKER}', '{'a' * 32}')")
        www_1 = insert("INSERT INTO sessions (cycle_id, kind, date, notes, uid) "
                       f"VALUES ({cycle}, 'www', '2026-03-11', 'first www', '{'b' * 32}')")
        www_2 = insert("INSERT INTO sessions (cycle_id, kind, date, notes, uid) "
                       f"VALUES ({cycle}, 'www', '2026-03-18', 'second www', '{'c' * 32}')")
        other_vig = insert(f"INSERT INTO interventions (case_id, kind) VALUES ({other}, 'vig')")
        other_cycle = insert(f"INSERT INTO cycles (intervention_id, number, helping_question) VALUES ({other_vig}, 1, '')")
        other_session = insert("INSERT INTO sessions (cycle_id, kind, date, notes, uid) "
                               f"VALUES ({other_cycle}, 'shared_review', '2026-03-05', '', '{'d' * 32}')")
        recs = []
        for n, session in enumerate((filming, www_1)):
            recs.append(insert(
                "INSERT INTO recordings (session_id, file_name, container, container_key, sha256, frame_count, "
                f"fps, duration, width, height, has_audio, imported_at) VALUES ({session}, 'baby{n}.mp4', "
                f"'{n}.vigm', '{'ab' * 32}', '{'cd' * 32}', 24, 24.0, 1.0, 64, 48, 0, '2026-03-04 10:00:00')"))
        clip = insert("INSERT INTO clips (recording_id, start_frame, end_frame, title, position, uid) "
                      f"VALUES ({recs[0]}, 3, 12, 'smile', 0, '{'e' * 32}')")
        insert(f"INSERT INTO clips (recording_id, start_frame, end_frame, title, position, uid) "
               f"VALUES ({recs[1]}, 1, 5, 'www clip', 0, '{'f' * 32}')")
        insert("INSERT INTO stills (recording_id, frame, caption, position, uid) "
               f"VALUES ({recs[0]}, 5, 'look', 0, '{'1' * 32}')")
        insert("INSERT INTO comments (session_id, text, author, created_at, uid, clip_id, frame) "
               f"VALUES ({filming}, 'attuned', 'Sup', '2026-03-06 10:00:00', '{'2' * 32}', {clip}, 4)")
        insert("INSERT INTO reflections (session_id, text, said_at, frame) "
               f"VALUES ({www_1}, 'she looked at me', '2026-03-11 10:00:00', 3)")
    lib.close()
    return {"case": case, "other": other, "vig": vig, "cycle": cycle, "filming": filming, "www_1": www_1,
            "www_2": www_2, "other_vig": other_vig, "other_session": other_session, "clip": clip,
            "rec_vig": recs[0], "rec_www": recs[1]}


def test_upgrade_from_0002_keeps_every_row_and_moves_www_sessions(tmp_path, passphrase):
    made = _library_at_0002(tmp_path, passphrase)
    with Library.open(tmp_path / "lib", passphrase) as lib:
        assert lib.schema_version == head_revision()
        with lib.read() as repos:
            filming = repos.sessions.get(made["filming"])
            assert (filming.cycle_id, filming.intervention_id, filming.notes) == (made["cycle"], made["vig"], MARKER)
            assert filming.attendance == model.Attendance.ATTENDED and filming.attendees == ()
            courses = [i for i in repos.interventions.of_case(made["case"]) if i.kind == model.InterventionKind.WWW]
            assert len(courses) == 1
            course = courses[0]
            assert course.planned_sessions == 15 and course.status == model.InterventionStatus.ACTIVE
            assert course.started_on == dt.date(2026, 3, 11)
            moved = repos.sessions.of_intervention(course.id)
            assert [(s.id, s.cycle_id, s.notes) for s in moved] == [
                (made["www_1"], None, "first www"), (made["www_2"], None, "second www")]
            assert [s.id for s in repos.sessions.of_cycle(made["cycle"])] == [made["filming"]]
            assert repos.sessions.case_of(made["www_2"]).code == "F-014"
            assert {s.id for s in repos.sessions.of_case(made["case"])} == {
                made["filming"], made["www_1"], made["www_2"]}
            # the other case has no www session and gets no WWW intervention
            assert [i.kind for i in repos.interventions.of_case(made["other"])] == [model.InterventionKind.VIG]
            assert repos.sessions.get(made["other_session"]).intervention_id == made["other_vig"]
            # children of the sessions are all still there
            assert [r.file_name for r in repos.recordings.of_session(made["www_1"])] == ["baby1.mp4"]
            assert [c.title for c in repos.clips.of_session(made["www_1"])] == ["www clip"]
            assert [c.title for c in repos.clips.of_session(made["filming"])] == ["smile"]
            assert [s.caption for s in repos.stills.of_session(made["filming"])] == ["look"]
            assert [c.text for c in repos.comments.of_session(made["filming"])] == ["attuned"]
            assert [r.text for r in repos.reflections.of_session(made["www_1"])] == ["she looked at me"]
        assert _rows(lib, "PRAGMA foreign_key_check") == []
        assert _rows(lib, "PRAGMA integrity_check") == [("ok",)]
        with lib.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []


def test_sessions_constraints_after_the_upgrade(tmp_path, passphrase):
    made = _library_at_0002(tmp_path, passphrase)
    with Library.open(tmp_path / "lib", passphrase) as lib:
        with pytest.raises(IntegrityError, match="NOT NULL"), lib.engine.begin() as conn:
            conn.execute(text(f"UPDATE sessions SET intervention_id = NULL WHERE id = {made['filming']}"))
        # deleting the VIG intervention deletes its sessions and their media rows, not the WWW course's
        with lib.transaction() as repos:
            repos.interventions.delete(made["vig"])
        with lib.read() as repos:
            assert repos.sessions.find(made["filming"]) is None
            assert repos.recordings.find(made["rec_vig"]) is None
            assert repos.sessions.find(made["www_1"]) is not None
            assert repos.recordings.find(made["rec_www"]) is not None


def test_downgrade_to_0002_puts_www_sessions_back_into_a_cycle(tmp_path, passphrase):
    made = _library_at_0002(tmp_path, passphrase)
    with Library.open(tmp_path / "lib", passphrase) as lib:
        downgrade(lib.engine, "0002")
        assert not {"observations", "wonder_notes"} & set(inspect(lib.engine).get_table_names())
        columns = {c["name"]: c for c in inspect(lib.engine).get_columns("sessions")}
        assert "intervention_id" not in columns and "attendance" not in columns
        assert columns["cycle_id"]["nullable"] is False
        assert _rows(lib, f"SELECT cycle_id FROM sessions WHERE id = {made['www_1']}") == [(made["cycle"],)]
        assert _rows(lib, "SELECT count(*) FROM recordings") == [(2,)]
        assert _rows(lib, "PRAGMA foreign_key_check") == []


def _course(repos, planned: int = 15):
    made = add_family(repos)
    course = repos.interventions.add(model.Intervention(made["case"].id, model.InterventionKind.WWW,
                                                        planned_sessions=planned,
                                                        started_on=dt.date(2026, 4, 1)))
    return made, course


def test_www_sessions_observations_and_notes_round_trip(library):
    with library.transaction() as repos:
        made, course = _course(repos)
        session = repos.sessions.add(model.Session(
            intervention_id=course.id, kind=model.SessionKind.WWW, date=dt.date(2026, 4, 1),
            attendees=("mother", "father")))
        cancelled = repos.sessions.add(model.Session(
            intervention_id=course.id, kind=model.SessionKind.WWW, date=dt.date(2026, 4, 8),
            attendance=model.Attendance.CANCELLED, cancelled_by=model.CancelledBy.SERVICE,
            attendance_reason="therapist ill"))
        rec = add_recording(repos, session.id)
        initiative = repos.observations.add(www.Observation(rec.id, 4, "I-REACH", end_frame=9, text="reaches"))
        response = repos.observations.add(www.Observation(rec.id, 9, "M-FOLLOW", responds_to=initiative.id,
                                                          coder="Second coder"))
        note = repos.wonder_notes.add(www.WonderNote(session.id, www.WonderKind.MOTHER_FELT, "proud",
                                                     observation_id=response.id))
    with library.read() as repos:
        got = repos.sessions.get(session.id)
        assert got.attendees == ("mother", "father") and got.cycle_id is None
        assert repos.sessions.get(cancelled.id).cancelled_by == model.CancelledBy.SERVICE
        assert repos.observations.of_session(session.id) == [initiative, response]
        assert repos.observations.responses_to(initiative.id) == [response]
        assert repos.wonder_notes.of_session(session.id) == [note]
        assert repos.interventions.get(course.id).planned_sessions == 15
    with library.transaction() as repos:  # the words outlive the observation they were about
        repos.observations.delete(initiative.id)
        repos.observations.delete(response.id)
    with library.read() as repos:
        assert repos.wonder_notes.get(note.id).observation_id is None


def test_a_www_session_cannot_sit_in_a_cycle(library):
    with library.transaction() as repos:
        made, course = _course(repos)
    with pytest.raises(InvalidInput, match="not part of intervention"), library.transaction() as repos:
        repos.sessions.add(model.Session(made["cycle"].id, intervention_id=course.id))
    with pytest.raises(InvalidInput, match="needs its intervention"), library.transaction() as repos:
        repos.sessions.add(model.Session())
