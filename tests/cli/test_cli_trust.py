"""The command line for backups, key rotation and the refusals of a damaged or tampered library."""

from __future__ import annotations

import json

from tests.cli.conftest import assert_refused, run_cli
from tests.conftest import PASSPHRASE


def test_backup_then_restore(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    out = tmp_path / "lib.vigbackup"
    result = run_cli("backup", library, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "backed up" in result.stdout and out.is_file()
    assert run_cli("case", "add", library, "F-015").returncode == 0
    assert_refused(run_cli("restore", out, "--to", library), "holds a newer library")
    assert_refused(run_cli("restore", out, "--to", tmp_path / "copy", passphrase="not the passphrase"),
                   "wrong passphrase")
    result = run_cli("restore", out, "--to", tmp_path / "copy")
    assert result.returncode == 0, result.stderr
    cases = json.loads(run_cli("list", tmp_path / "copy", "--json").stdout)["cases"]
    assert [c["code"] for c in cases] == ["F-014"]
    result = run_cli("audit", tmp_path / "copy", "--verify")
    assert result.returncode == 0 and "intact" in result.stdout, result.stdout + result.stderr
    result = run_cli("restore", out, "--to", library, "--force")
    assert result.returncode == 0 and "was moved to" in result.stdout, result.stderr


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.vigbackup"
    junk.write_bytes(b"\x00" * 2048)
    assert_refused(run_cli("restore", junk, "--to", tmp_path / "x"), "not a usable VIG Studio backup")


def test_passwd_rekey(library):
    old_key_file = (library / "library.key").read_bytes()
    result = run_cli("passwd", library, "--rekey")
    assert result.returncode == 0 and "data key rotated" in result.stdout, result.stderr
    assert run_cli("list", library).returncode == 0
    (library / "library.key").write_bytes(old_key_file)  # an old copy, with the passphrase of its time
    assert_refused(run_cli("list", library), "cannot be decrypted")


def test_a_nested_json_key_file_is_a_clean_refusal(library):
    (library / "library.key").write_text("[" * 30_000 + "]" * 30_000)
    assert_refused(run_cli("list", library), "library.key")


def test_a_library_db_damaged_beyond_the_migrations_is_a_clean_refusal(library):
    """library.db decrypts, but the migration step meets a broken schema (an old revision whose tables
    are gone): a refusal naming library.db, not an unexpected error."""
    from vigstudio.store import Library

    with Library.open(library, PASSPHRASE) as lib, lib.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
        conn.exec_driver_sql("DROP TABLE settings")
        conn.exec_driver_sql("DROP TABLE clips")
    result = run_cli("list", library)
    assert_refused(result, "is damaged: library.db cannot be brought up to date")
    assert "library.db" in result.stderr


def test_commands_without_media_wipe_freed_memory(library):
    """`cipher_memory_security` is process-wide: on for `list`, off for `info --check` (media reads)."""
    import subprocess
    import sys

    from tests.cli.conftest import ROOT, cli_env

    script = ("import sys, sqlcipher3\nfrom vigstudio.cli import main\nmain(sys.argv[1:])\n"
              "print(sqlcipher3.connect(':memory:').execute('PRAGMA cipher_memory_security').fetchone()[0])")
    for args, expected in ((["list"], "1"), (["info", "--check"], "0")):
        out = subprocess.run([sys.executable, "-c", script, args[0], str(library), *args[1:]], env=cli_env(),
                             cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        assert out.stdout.strip().splitlines()[-1] == expected, out.stdout + out.stderr


def test_audit_verify_reports_an_older_library_db_put_back(library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    old_db = (library / "library.db").read_bytes()
    assert run_cli("consent", "add", library, "F-014", "--scope", "storage", "--by", "HV").returncode == 0
    (library / "library.db").write_bytes(old_db)
    assert_refused(run_cli("audit", library, "--verify"), "an older library.db was put back")
