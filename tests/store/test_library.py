"""Creating, opening, locking and checking a library: real SQLCipher files in tmp_path."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlalchemy.exc
import sqlcipher3

from vigstudio.domain import model
from vigstudio.domain.errors import (
    DamagedLibrary,
    LibraryExists,
    NotALibrary,
    PassphraseTooShort,
    WrongPassphrase,
)
from vigstudio.store import Library, unwrap_keyfile
from vigstudio.store.migrate import head_revision

from .conftest import MARKER, add_family, make_video


def _snapshot(folder):
    return {p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_create_then_open_round_trip(tmp_path, passphrase):
    path = tmp_path / "lib"
    with Library.create(path, passphrase) as lib:
        assert lib.schema_version == head_revision()
        with lib.transaction() as repos:
            ids = {k: v.id for k, v in add_family(repos).items()}
    assert sorted(p.name for p in path.iterdir()) == ["audit.anchor", "library.db", "library.key", "library.lock", "media"]
    with Library.open(path, passphrase) as lib:
        with lib.transaction() as repos:
            case = repos.cases.by_code("F-014")
            assert case.id == ids["case"] and case.name == "Family name"
            assert case.referral is model.ReferralSource.HEALTH_VISITOR
            assert [s.notes for s in repos.sessions.of_case(case.id)] == [MARKER]


def test_wrong_passphrase_modifies_nothing(tmp_path, passphrase):
    path = tmp_path / "lib"
    with Library.create(path, passphrase) as lib, lib.transaction() as repos:
        add_family(repos)
    before = _snapshot(path)
    with pytest.raises(WrongPassphrase) as err:
        Library.open(path, "not the right passphrase")
    assert str(err.value) == f"wrong passphrase for library {path}"
    assert _snapshot(path) == before


def test_not_a_library(tmp_path, passphrase):
    with pytest.raises(NotALibrary):
        Library.open(tmp_path / "missing", passphrase)
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(NotALibrary) as err:
        Library.open(tmp_path / "photos", passphrase)
    assert "not a VIG Studio library" in str(err.value)


def test_refuses_to_create_into_a_non_empty_folder(tmp_path, passphrase):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(LibraryExists):
        Library.create(tmp_path / "full", passphrase)
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    (tmp_path / "empty").mkdir()
    Library.create(tmp_path / "empty", passphrase).close()  # an empty folder is fine


def test_short_passphrase_refused(tmp_path):
    with pytest.raises(PassphraseTooShort):
        Library.create(tmp_path / "lib", "short")
    assert not (tmp_path / "lib").exists()


def test_database_is_keyed_with_the_raw_data_key(library, passphrase):
    db = library.path / "library.db"
    with library.transaction() as repos:
        add_family(repos)
    with library.engine.connect() as conn:
        pragmas = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                   for p in ("temp_store", "foreign_keys", "secure_delete", "journal_mode", "cipher_version")}
    assert pragmas["temp_store"] == 2 and pragmas["foreign_keys"] == 1 and pragmas["secure_delete"] == 1
    assert pragmas["journal_mode"] == "wal" and pragmas["cipher_version"].startswith("4.")
    assert library.sqlcipher_version == pragmas["cipher_version"]
    library.close()
    key = unwrap_keyfile(library.path / "library.key", passphrase)
    plain = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()
    conn = sqlcipher3.connect(str(db))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    assert conn.execute("SELECT code FROM cases").fetchall() == [("F-014",)]
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_nothing_readable_on_disk(tmp_path, passphrase):
    """No file under the library (db, WAL, SHM, key, containers) starts as plain SQLite or holds a note."""
    path = tmp_path / "lib"
    video = make_video(tmp_path / "baby.mp4", frames=48)
    video_bytes = video.read_bytes()
    sample = video_bytes[len(video_bytes) // 2: len(video_bytes) // 2 + 64]
    lib = Library.create(path, passphrase)
    # An idle open connection keeps the WAL and SHM files from being checkpointed away, so they are scanned.
    keeper = lib.engine.raw_connection()
    keeper.cursor().execute("SELECT count(*) FROM sqlite_master").fetchall()
    with lib.transaction() as repos:
        family = add_family(repos)
    name, sha, key_hex = lib.containers.create(video)
    with lib.transaction() as repos:
        rec = repos.recordings.add(model.Recording(
            family["session"].id, "baby.mp4", name, sha, 48, 24.0, 2.0), container_key=key_hex)
        repos.clips.add(model.Clip(rec.id, 0, 10, title=MARKER))
        repos.markers.add(model.Marker(rec.id, 3, note=MARKER))
        repos.assets.put(rec.id, "thumbnails", MARKER.encode() * 10)

    def scan():
        files = [p for p in path.rglob("*") if p.is_file()]
        for p in files:
            raw = p.read_bytes()
            assert not raw.startswith(b"SQLite format 3"), p
            for needle in (MARKER.encode(), MARKER.encode("utf-16-le"), sample, b"Family name", b"F-014"):
                assert needle not in raw, (p, needle)
        return files

    while_open = scan()  # the WAL and SHM files exist while the library is open
    assert {p.name for p in while_open} >= {"library.db-wal", "library.db-shm", name}
    assert (path / "library.db-wal").stat().st_size > 0
    keeper.close()
    lib.close()
    scan()


def test_change_passphrase(library, passphrase):
    with library.transaction() as repos:
        add_family(repos)
    key_path = library.path / "library.key"
    data_key = unwrap_keyfile(key_path, passphrase)
    db_before = (library.path / "library.db").read_bytes()
    with pytest.raises(WrongPassphrase):
        library.change_passphrase("not the old one at all", "a new passphrase!")
    library.change_passphrase(passphrase, "a new passphrase!")
    assert (library.path / "library.db").read_bytes() == db_before  # nothing re-encrypted
    library.close()
    with pytest.raises(WrongPassphrase):
        Library.open(library.path, passphrase)
    assert unwrap_keyfile(key_path, "a new passphrase!") == data_key
    with Library.open(library.path, "a new passphrase!") as lib, lib.transaction() as repos:
        assert repos.cases.by_code("F-014").name == "Family name"


def test_tampered_key_file_gives_a_clear_error(library, passphrase):
    library.close()
    key_path = library.path / "library.key"
    body = json.loads(key_path.read_text())
    body["kdf"]["time_cost"] = body["kdf"]["time_cost"] + 1
    key_path.write_text(json.dumps(body))
    with pytest.raises(DamagedLibrary) as err:
        Library.open(library.path, passphrase)
    assert str(err.value) == f"library {library.path} is damaged: library.key was modified or corrupted"


def test_damaged_or_missing_database(library, passphrase):
    library.close()
    db = library.path / "library.db"
    original = db.read_bytes()
    db.write_bytes(b"\x13" * len(original))
    with pytest.raises(DamagedLibrary, match="cannot be decrypted"):
        Library.open(library.path, passphrase)
    db.unlink()
    with pytest.raises(DamagedLibrary, match="library.db is missing"):
        Library.open(library.path, passphrase)
    plain = sqlite3.connect(db)  # someone swapped in an unencrypted database
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    with pytest.raises(DamagedLibrary, match="not encrypted"):
        Library.open(library.path, passphrase)


def test_transaction_rolls_back_on_error(library):
    with pytest.raises(RuntimeError), library.transaction() as repos:
        add_family(repos)
        raise RuntimeError("stop")
    with library.transaction() as repos:
        assert repos.cases.list() == []


def test_integrity_check_of_a_good_library(library, tmp_path):
    name, sha, key_hex = library.containers.create(make_video(tmp_path / "v.mp4"))
    with library.transaction() as repos:
        family = add_family(repos)
        repos.recordings.add(model.Recording(family["session"].id, "v.mp4", name, sha, 24, 24.0, 1.0),
                             container_key=key_hex)
    assert library.integrity_check() == []


def test_integrity_check_reports_a_corrupted_container(library, tmp_path):
    name, sha, key_hex = library.containers.create(make_video(tmp_path / "v.mp4", frames=96))
    with library.transaction() as repos:
        family = add_family(repos)
        repos.recordings.add(model.Recording(family["session"].id, "v.mp4", name, sha, 96, 24.0, 4.0),
                             container_key=key_hex)
    path = library.containers.path(name)
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 16] = bytes(b ^ 0xFF for b in raw[middle:middle + 16])
    path.write_bytes(bytes(raw))
    problems = library.integrity_check()
    assert problems and all(p.startswith(f"media/{name}") for p in problems)


def test_integrity_check_reports_a_corrupted_database(library):
    with library.transaction() as repos:
        for i in range(40):
            add_family(repos, code=f"F-{i:03}", notes="x" * 2000)
    library.close()
    db = library.path / "library.db"
    raw = bytearray(db.read_bytes())
    assert len(raw) > 20 * 4096
    spot = len(raw) - 3 * 4096 + 100  # inside a data page, well away from the schema on page 1
    raw[spot:spot + 8] = bytes(b ^ 0x5A for b in raw[spot:spot + 8])
    db.write_bytes(bytes(raw))
    with Library.open(library.path, library_passphrase := "correct horse battery staple") as lib:
        problems = lib.integrity_check()
    assert problems and all(p.startswith("library.db") for p in problems)
    assert library_passphrase not in " ".join(problems)


def test_read_snapshots_do_not_block_and_refuse_writes(library):
    with library.transaction() as repos:
        add_family(repos)
    with library.read() as outer:
        assert [c.code for c in outer.cases.list()] == ["F-014"]  # the snapshot starts here
        # A writer commits while a read snapshot is open: neither waits for the other.
        with library.transaction() as repos:
            add_family(repos, code="F-015")
        assert [c.code for c in outer.cases.list()] == ["F-014"]  # still the snapshot
        assert library.schema_version and library.sqlcipher_version.startswith("4.")
    with library.read() as repos:
        assert [c.code for c in repos.cases.list()] == ["F-014", "F-015"]
    with pytest.raises(sqlalchemy.exc.OperationalError, match="readonly"), library.read() as repos:
        repos.cases.add(model.Case("F-016"))
    with library.read() as repos:
        assert repos.cases.find_by_code("F-016") is None
