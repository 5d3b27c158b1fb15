"""Migration 0002 (review and supervision) on real SQLCipher libraries, and its new repositories."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from vigstudio.domain import model
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.store import Library
from vigstudio.store.migrate import current_revision, downgrade, head_revision
from vigstudio.store.schema import Base

from .conftest import add_family, add_recording

NEW_TABLES = {"settings", "reflections", "contacts", "comments", "imported_bundles"}
UID = re.compile(r"^[0-9a-f]{32}$")
KEY_A = "age1" + "q" * 58
KEY_B = "age1" + "z" * 58


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def _at(hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, 4, hour, 5, 6, 789, tzinfo=dt.UTC)


def _family_with_media(lib: Library) -> dict[str, object]:
    with lib.transaction() as repos:
        made = add_family(repos)
        rec = add_recording(repos, made["session"].id)
        made["recording"] = rec
        made["clip"] = repos.clips.add(model.Clip(rec.id, 3, 12, title="smile"))
        made["still"] = repos.stills.add(model.Still(rec.id, 5, caption="look"))
        for hour, action in ((9, "unlock"), (10, "import")):
            repos.audit.append(model.AuditEvent(action, f"recording {rec.id}", at=_at(hour)))
    return made


def _edit_audit_row(lib: Library, sql: str) -> None:
    """What someone holding the key and a SQL shell could do: lift the trigger, change a row."""
    with lib.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text(sql))


# --- the migration --------------------------------------------------------------------------------


def test_upgrade_from_0001_keeps_the_data_and_backfills_uids_and_the_chain(tmp_path, passphrase):
    lib = Library.create(tmp_path / "lib", passphrase)
    made = _family_with_media(lib)
    downgrade(lib.engine, "0001")
    assert current_revision(lib.engine) == "0001"
    assert "uid" not in _columns(lib.engine, "clips") and "hash" not in _columns(lib.engine, "audit_events")
    with lib.engine.begin() as conn:  # rows written by a 0001 VIG Studio
        conn.execute(text("INSERT INTO audit_events (at, action, object) "
                          "VALUES ('2026-03-04 11:00:00.000000', 'export', 'clip 1')"))
        conn.execute(text("INSERT INTO clips (recording_id, start_frame, end_frame, title, position) "
                          f"VALUES ({made['recording'].id}, 14, 20, 'second', 1)"))
    lib.close()
    (tmp_path / "lib" / "audit.anchor").unlink()  # a 0001 library had none

    with Library.open(tmp_path / "lib", passphrase) as lib, lib.read() as repos:
        assert lib.schema_version == head_revision()
        case = repos.cases.get(made["case"].id)
        assert (case.code, case.name, case.origin) == ("F-014", "Family name", model.CaseOrigin.LOCAL)
        session = repos.sessions.get(made["session"].id)
        assert session.notes == made["session"].notes and session.source_uid is None
        clips = repos.clips.of_session(session.id)
        assert [(c.start_frame, c.end_frame, c.title) for c in clips] == [(3, 12, "smile"), (14, 20, "second")]
        stills = repos.stills.of_session(session.id)
        assert [(s.frame, s.caption) for s in stills] == [(5, "look")]
        uids = [session.uid, *(c.uid for c in clips), stills[0].uid]
        assert all(UID.match(u) for u in uids) and len(set(uids)) == len(uids)
        assert repos.clips.by_uid(clips[1].uid) == clips[1]

        events = repos.audit.list()
        # The backfilled unkeyed chain was re-chained under the library's key, and that is recorded.
        assert [e.action for e in events] == ["unlock", "import", "export", "audit_keyed"]
        assert events[-1].object == "3 events re-chained under the library key"
        assert events[0].at == _at(9)
        assert repos.audit.verify_chain() == []
        assert lib.anchor_problem() is None
    with Library.open(tmp_path / "lib", passphrase) as lib:
        with lib.transaction() as repos:
            repos.audit.append(model.AuditEvent("unlock", "-"))  # the chain goes on from the backfill
        with lib.read() as repos:
            assert len(repos.audit.list()) == 5 and repos.audit.verify_chain() == []
        assert lib.anchor_problem() is None


@pytest.mark.parametrize("table", ["sessions", "clips", "stills"])
def test_uids_are_unique_and_required_in_the_database(library, table):
    _family_with_media(library)
    copy = {"sessions": "intervention_id, cycle_id, kind, date, notes", "clips": "recording_id, start_frame, end_frame, title, position",
            "stills": "recording_id, frame, caption, position"}[table]
    with pytest.raises(IntegrityError, match="UNIQUE"), library.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {table} ({copy}, uid) SELECT {copy}, uid FROM {table}"))
    with pytest.raises(IntegrityError, match="NOT NULL"), library.engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET uid = NULL"))


def test_downgrade_to_0001_keeps_the_data_and_drops_the_new_parts(library):
    made = _family_with_media(library)
    with library.transaction() as repos:
        repos.settings.set("retention_weeks", "26")
        repos.comments.add(model.Comment(made["session"].id, "well attuned", "Sup", clip_id=made["clip"].id))
    downgrade(library.engine, "0001")
    assert not NEW_TABLES & set(inspect(library.engine).get_table_names())
    assert "origin" not in _columns(library.engine, "cases")
    assert not {"uid", "source_uid"} & _columns(library.engine, "sessions")
    with library.engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM clips")).scalars().all() == ["smile"]
        assert conn.execute(text("SELECT action FROM audit_events ORDER BY id")).scalars().all() == [
            "unlock", "import"]
        triggers = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
    assert sorted(triggers) == ["audit_events_no_delete", "audit_events_no_update"]


def test_orm_metadata_matches_the_schema_after_upgrading_from_0001(library, passphrase):
    _family_with_media(library)
    downgrade(library.engine, "0001")
    library.close()
    with Library.open(library.path, passphrase) as lib, lib.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_audit_rows_stay_append_only_after_the_upgrade(library):
    with library.transaction() as repos:
        repos.audit.append(model.AuditEvent("unlock", "-"))
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(IntegrityError, match="append-only"), library.engine.begin() as conn:
            conn.execute(text(statement))


# --- the audit chain --------------------------------------------------------------------------------


def _three_events(library: Library) -> list[int]:
    with library.transaction() as repos:
        return [repos.audit.append(model.AuditEvent(a, "case F-014", at=_at(h))).id
                for h, a in ((9, "unlock"), (10, "export"), (11, "delete"))]


def test_verify_chain_is_empty_on_an_intact_log(library):
    with library.read() as repos:
        assert repos.audit.verify_chain() == []
    _three_events(library)
    with library.read() as repos:
        assert repos.audit.verify_chain() == []


def test_verify_chain_finds_an_edited_row(library):
    ids = _three_events(library)
    _edit_audit_row(library, f"UPDATE audit_events SET object = 'case F-999' WHERE id = {ids[1]}")
    with library.read() as repos:
        assert repos.audit.verify_chain() == [ids[1]]


def test_verify_chain_finds_an_edited_row_whose_hash_was_recomputed(library):
    from vigstudio.store.repositories import audit_hash

    ids = _three_events(library)
    with library.read() as repos:
        first = repos.audit.list()[0]
        prev = repos.orm_session.execute(text(f"SELECT prev_hash FROM audit_events WHERE id = {ids[0]}")).scalar()
    forged = audit_hash(prev, first.at, "nothing", first.object)
    _edit_audit_row(library, f"UPDATE audit_events SET action = 'nothing', hash = '{forged}' WHERE id = {ids[0]}")
    with library.read() as repos:
        # An unkeyed SHA-256 no longer passes for a link (it did before the chain was an HMAC chain),
        # and the next link breaks too.
        assert repos.audit.verify_chain() == [ids[0], ids[1]]


def test_verify_chain_finds_a_deleted_row(library):
    ids = _three_events(library)
    _edit_audit_row(library, f"DELETE FROM audit_events WHERE id = {ids[1]}")
    with library.read() as repos:
        assert repos.audit.verify_chain() == [ids[2]]


# --- the new repositories --------------------------------------------------------------------------


def test_settings_get_set_delete(library):
    identity = "AGE-SECRET-KEY-1" + "Q" * 58
    with library.transaction() as repos:
        assert repos.settings.get("age_identity") is None
        assert repos.settings.get("retention_weeks", "52") == "52"
        repos.settings.set("age_identity", identity)
        repos.settings.set("retention_weeks", "26")
        repos.settings.set("retention_weeks", "30")
        repos.settings.delete("review_pin_hash")  # never set: nothing happens
    with library.transaction() as repos:
        assert repos.settings.get("age_identity") == identity
        assert repos.settings.get("retention_weeks") == "30"
        repos.settings.delete("retention_weeks")
    with library.read() as repos:
        assert repos.settings.get("retention_weeks") is None
    assert identity.encode() not in (library.path / "library.db").read_bytes()


def test_reflections_round_trip_in_said_at_order(library):
    made = _family_with_media(library)
    sid = made["session"].id
    with library.transaction() as repos:
        late = repos.reflections.add(model.Reflection(sid, "she looked at me", said_at=_at(11),
                                                      clip_id=made["clip"].id, frame=7))
        early = repos.reflections.add(model.Reflection(sid, "I didn't see that before", said_at=_at(10),
                                                       still_id=made["still"].id))
    with library.transaction() as repos:
        assert repos.reflections.of_session(sid) == [early, late]
        late.text = "she looked right at me"
        repos.reflections.update(late)
        repos.reflections.delete(early.id)
    with library.read() as repos:
        assert repos.reflections.of_session(sid) == [late]
        assert repos.reflections.get(late.id).said_at == _at(11)


def test_reflection_outlives_its_clip(library):
    made = _family_with_media(library)
    with library.transaction() as repos:
        words = repos.reflections.add(model.Reflection(made["session"].id, "x", clip_id=made["clip"].id))
        repos.clips.delete(made["clip"].id)
    with library.read() as repos:
        assert repos.reflections.get(words.id).clip_id is None


def test_contacts_round_trip_and_keys_are_unique(library):
    with library.transaction() as repos:
        sup = repos.contacts.add(model.Contact("Supervisor S", KEY_A))
        prac = repos.contacts.add(model.Contact("Alex", KEY_B, role=model.ContactRole.PRACTITIONER))
        with pytest.raises(InvalidInput):
            repos.contacts.add(model.Contact("Again", KEY_A))
        with pytest.raises(InvalidInput):
            repos.contacts.add(model.Contact("Bad", "ssh-ed25519 AAAA"))
    with library.transaction() as repos:
        assert repos.contacts.list() == [prac, sup]
        assert repos.contacts.get(sup.id) == sup and repos.contacts.get(sup.id).role is model.ContactRole.SUPERVISOR
        assert repos.contacts.by_key(KEY_B) == prac and repos.contacts.by_key("age1nobody") is None
        repos.contacts.delete(prac.id)
    with library.read() as repos:
        assert repos.contacts.list() == [sup]
        with pytest.raises(NotFound):
            repos.contacts.get(prac.id)


def test_comments_round_trip_and_are_found_by_session_clip_and_uid(library):
    made = _family_with_media(library)
    sid, cid, rid = made["session"].id, made["clip"].id, made["recording"].id
    with library.transaction() as repos:
        on_clip = repos.comments.add(model.Comment(sid, "lovely turn", "Supervisor S", created_at=_at(9),
                                                   clip_id=cid, recording_id=rid, frame=8, principle="P2",
                                                   behaviour="P2.1"))
        on_session = repos.comments.add(model.Comment(sid, "calm pace", "Supervisor S", created_at=_at(8)))
        with pytest.raises(InvalidInput):
            repos.comments.add(model.Comment(sid, "dup", "S", uid=on_clip.uid))
    with library.transaction() as repos:
        assert repos.comments.of_session(sid) == [on_session, on_clip]
        assert repos.comments.of_clip(cid) == [on_clip]
        assert repos.comments.by_uid(on_clip.uid) == on_clip and repos.comments.by_uid("0" * 32) is None
        repos.comments.delete(on_session.id)
    with library.read() as repos:
        assert repos.comments.of_session(sid) == [on_clip]


def test_imported_bundles_are_refused_twice_and_forgotten_with_their_case(library):
    with library.transaction() as repos:
        case = repos.cases.add(model.Case("SUP-1", origin=model.CaseOrigin.SUPERVISION))
        bundle = repos.imported_bundles.add(model.ImportedBundle("b" * 32, model.BundleKind.SESSION,
                                                                 imported_at=_at(9), case_id=case.id))
        feedback = repos.imported_bundles.add(model.ImportedBundle("f" * 32, model.BundleKind.FEEDBACK))
        with pytest.raises(InvalidInput, match="already imported"):
            repos.imported_bundles.add(model.ImportedBundle("b" * 32, model.BundleKind.SESSION))
    with library.transaction() as repos:
        assert repos.imported_bundles.by_uid("b" * 32) == bundle
        assert repos.imported_bundles.by_uid("f" * 32) == feedback
        assert repos.cases.get(case.id).origin is model.CaseOrigin.SUPERVISION
        repos.cases.delete(case.id)
    with library.read() as repos:
        assert repos.imported_bundles.by_uid("b" * 32) is None
        assert repos.imported_bundles.by_uid("f" * 32) == feedback


def test_uids_and_source_uid_round_trip_and_are_found(library):
    with library.transaction() as repos:
        made = add_family(repos)
        imported = repos.sessions.add(model.Session(made["cycle"].id, kind=model.SessionKind.SUPERVISION,
                                                    source_uid="5" * 32, uid="6" * 32))
        rec = add_recording(repos, imported.id)
        clip = repos.clips.add(model.Clip(rec.id, 0, 5, uid="7" * 32))
        still = repos.stills.add(model.Still(rec.id, 2, uid="8" * 32))
        with pytest.raises(InvalidInput):
            repos.clips.add(model.Clip(rec.id, 0, 5, uid="7" * 32))
    with library.transaction() as repos:
        assert repos.sessions.by_uid("6" * 32) == imported and imported.source_uid == "5" * 32
        assert repos.clips.by_uid("7" * 32) == clip
        assert repos.stills.by_uid("8" * 32) == still
        assert repos.sessions.by_uid(made["session"].uid) == made["session"]
        assert repos.stills.by_uid("9" * 32) is None
        clip.title = "renamed"
        repos.clips.update(clip)
    with library.read() as repos:
        assert repos.clips.get(clip.id).uid == "7" * 32
