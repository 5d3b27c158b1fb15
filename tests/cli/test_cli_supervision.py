"""The supervision commands end to end (in-process `vigstudio.cli.main`, real libraries and videos)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.bundle.support import CODE, practitioner_library, supervisor_library
from tests.cli.conftest import assert_refused
from vigstudio.app.cases import find_case


def test_bundle_round_trip_on_the_command_line(run_main, tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase)
    session_id = practice.session_id
    practice.service.close()
    supervisor_library(tmp_path, passphrase).close()
    prac, sup = tmp_path / "practitioner", tmp_path / "supervisor"

    sup_shown, prac_shown = run_main("key", "show", sup).stdout, run_main("key", "show", prac).stdout
    sup_card, prac_card = sup_shown.splitlines()[-1], prac_shown.splitlines()[-1]  # the card is the last line
    assert sup_card.startswith("vigcard1:age1") and prac_card.startswith("vigcard1:age1") and sup_card != prac_card
    sup_key, prac_key = sup_card.split(":")[1], prac_card.split(":")[1]
    prac_fingerprint = prac_shown.split("fingerprint: ")[1].splitlines()[0]
    assert run_main("contact", "add", prac, "Dr Supervisor", sup_card).returncode == 0
    assert sup_key in run_main("contact", "list", prac).stdout
    assert_refused(run_main("contact", "add", prac, "Bad", "age1nope"), "not an age public key")
    damaged = sup_card[:-1] + ("1" if sup_card.endswith("0") else "0")  # a card that ended in 0 stayed whole
    assert_refused(run_main("contact", "add", prac, "Bad", damaged), "damaged")

    out = tmp_path / "b.age"
    result = run_main("bundle", "export", prac, "--session", session_id, "--to", "Dr Supervisor", "--out", out)
    assert result.returncode == 0, result.stderr
    # the supervisor does not know the practitioner yet: refused with the fingerprint, nothing imported
    refused = run_main("bundle", "open", sup, out)
    assert_refused(refused, prac_fingerprint)
    assert "--accept-sender" in refused.stderr
    assert run_main("list", sup).stdout.count(CODE) == 0
    opened = run_main("bundle", "open", sup, out, "--accept-sender", "--sender-name", "HV Jones")
    assert opened.returncode == 0, opened.stderr
    assert f"case {CODE} session" in opened.stdout and "2 clips" in opened.stdout and "from HV Jones" in opened.stdout
    assert prac_fingerprint in run_main("contact", "list", sup).stdout
    assert_refused(run_main("bundle", "open", sup, out), "already opened")

    sup_session = int(opened.stdout.split("session ")[1].split(":")[0])
    added = run_main("comment", "add", sup, "--session", sup_session, "--principle", "P3", "well received")
    assert_refused(run_main("comment", "add", sup, "--session", sup_session, "bad \x1b[31m escape"),
                   "control characters")
    assert added.returncode == 0, added.stderr
    back = tmp_path / "f.age"
    fb = run_main("bundle", "feedback", sup, "--case", CODE, "--recipient", prac_key, "--out", back)
    assert fb.returncode == 0, fb.stderr
    assert "1 comments added" in run_main("bundle", "open", prac, back).stdout
    assert "well received" in run_main("comment", "list", prac, "--session", session_id).stdout


def test_consent_audit_and_retention_commands(run_main, tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase, with_consent=False)
    session_id = find_case(practice.service, CODE) and practice.session_id
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
    monkeypatch.setenv("VIGSTUDIO_BUNDLE_PASSPHRASE", "password123")
    assert_refused(run_main("bundle", "export", prac, "--session", session_id, "--passphrase", "--out", out),
                   "guessing programs")
    monkeypatch.setenv("VIGSTUDIO_BUNDLE_PASSPHRASE", "short")
    assert_refused(run_main("bundle", "export", prac, "--session", session_id, "--passphrase", "--out", out),
                   "too short")
    monkeypatch.setenv("VIGSTUDIO_BUNDLE_PASSPHRASE", "a phrase for the bundle")
    sup_key = run_main("key", "show", sup).stdout.splitlines()[-1]
    assert run_main("contact", "add", prac, "Dr S", sup_key).returncode == 0
    assert_refused(run_main("bundle", "export", prac, "--session", session_id, "--passphrase", "--out", out),
                   "--to NAME")
    assert run_main("bundle", "export", prac, "--session", session_id, "--passphrase", "--to", "Dr S",
                    "--out", out).returncode == 0
    assert "2 clips" in run_main("bundle", "open", sup, out, "--accept-sender").stdout
