"""The supervision commands end to end (in-process `vigstudio.cli.main`, real libraries and videos)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.bundle.support import CODE, practitioner_library, supervisor_library
from tests.cli.conftest import assert_refused


def test_bundle_round_trip_on_the_command_line(run_main, tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase)
    session_id = practice.session_id
    practice.service.close()
    supervisor_library(tmp_path, passphrase).close()
    prac, sup = tmp_path / "practitioner", tmp_path / "supervisor"

    sup_key = run_main("key", "show", sup).stdout.strip()
    prac_key = run_main("key", "show", prac).stdout.strip()
    assert sup_key.startswith("age1") and prac_key.startswith("age1") and sup_key != prac_key
    assert run_main("contact", "add", prac, "Dr Supervisor", sup_key).returncode == 0
    assert sup_key in run_main("contact", "list", prac).stdout
    assert_refused(run_main("contact", "add", prac, "Bad", "age1nope"), "not an age public key")

    out = tmp_path / "b.age"
    result = run_main("bundle", "export", prac, "--session", session_id, "--recipient", sup_key, "--out", out)
    assert result.returncode == 0, result.stderr
    opened = run_main("bundle", "open", sup, out)
    assert opened.returncode == 0, opened.stderr
    assert f"case {CODE} session" in opened.stdout and "2 clips" in opened.stdout
    assert_refused(run_main("bundle", "open", sup, out), "already opened")

    sup_session = int(opened.stdout.split("session ")[1].split(":")[0])
    added = run_main("comment", "add", sup, "--session", sup_session, "--principle", "P3", "well received")
    assert added.returncode == 0, added.stderr
    back = tmp_path / "f.age"
    fb = run_main("bundle", "feedback", sup, "--case", CODE, "--recipient", prac_key, "--out", back)
    assert fb.returncode == 0, fb.stderr
    assert "1 comments added" in run_main("bundle", "open", prac, back).stdout
    assert "well received" in run_main("comment", "list", prac, "--session", session_id).stdout


def test_consent_audit_and_retention_commands(run_main, tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase, with_consent=False)
    session_id = practice.service.find_case(CODE) and practice.session_id
    practice.service.close()
    lib = tmp_path / "practitioner"
    out = tmp_path / "b.age"
    key = "age1ujupkdl358vdv2kxm9egcuntsddf3nlhu6lzxwheya0s4ygu859q4hr4xk"
    assert_refused(run_main("bundle", "export", lib, "--session", session_id, "--recipient", key, "--out", out),
                   "no 'supervision' consent")
    assert run_main("consent", "add", lib, CODE, "--scope", "supervision", "--scope", "storage",
                    "--by", "HV").returncode == 0
    assert "supervision" in run_main("consent", "list", lib, CODE).stdout
    assert run_main("consent", "withdraw", lib, CODE, "--scope", "supervision").returncode == 0
    assert_refused(run_main("bundle", "export", lib, "--session", session_id, "--recipient", key, "--out", out),
                   "no 'supervision' consent")
    assert not out.exists()

    rows = list(csv.reader(io.StringIO(run_main("audit", lib, "--csv").stdout)))
    assert rows[0] == ["id", "at", "action", "object"]
    actions = [r[2] for r in rows[1:]]
    assert {"unlock", "import", "consent_add", "consent_withdraw"} <= set(actions)
    assert "intact" in run_main("audit", lib, "--verify").stdout

    assert run_main("retention", "set", lib, "4").returncode == 0
    assert "nothing is due" in run_main("retention", "due", lib).stdout
    assert run_main("retention", "close", lib, CODE, "--on", "2026-01-01").returncode == 0
    assert "recording 1" in run_main("retention", "due", lib, "--today", "2026-03-01").stdout
    assert_refused(run_main("retention", "purge", lib), "--yes")
    assert "1 recordings deleted" in run_main("retention", "purge", lib, "--yes").stdout
    assert list((lib / "media").glob("*.vigm")) == []


@pytest.mark.slow  # age's scrypt is deliberately slow (about 2 s per bundle here)
def test_passphrase_bundle_on_the_command_line(run_main, tmp_path, passphrase, monkeypatch):
    practice = practitioner_library(tmp_path, passphrase)
    session_id = practice.session_id
    practice.service.close()
    supervisor_library(tmp_path, passphrase).close()
    prac, sup, out = tmp_path / "practitioner", tmp_path / "supervisor", tmp_path / "p.age"
    assert_refused(run_main("bundle", "export", prac, "--session", session_id, "--passphrase", "--recipient",
                            "age1x", "--out", out), "not both")
    monkeypatch.setenv("VIGSTUDIO_BUNDLE_PASSPHRASE", "a phrase for the bundle")
    assert run_main("bundle", "export", prac, "--session", session_id, "--passphrase", "--out", out).returncode == 0
    assert "2 clips" in run_main("bundle", "open", sup, out).stdout
