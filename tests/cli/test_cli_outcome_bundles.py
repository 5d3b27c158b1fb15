"""`vigstudio outcomes export|import|sources|forget` between two real libraries (in-process)."""

from __future__ import annotations

import json
import subprocess

from tests.cli.conftest import assert_refused


def _library(run_main, path, families):
    assert run_main("init", path).returncode == 0
    for code, before, after in families:
        assert run_main("case", "add", path, code).returncode == 0
        for when, total, date in (("pre", before, "2026-02-10"), ("post", after, "2026-05-12")):
            answers = ",".join(str(total // 8 + (i < total % 8)) for i in range(8)) + ",0"
            r = run_main("measure", "add", path, code, "--measure", "PHQ-9", "--when", when, "--date", date,
                         "--answers", answers)
            assert r.returncode == 0, r.stderr
    return path


def _card(run_main, path) -> str:
    return run_main("key", "show", path).stdout.strip().splitlines()[-1]


def test_export_import_sources_report_and_forget(run_main, tmp_path):
    prac = _library(run_main, tmp_path / "prac", [(f"PX-{n}", 12 + n, 4 + n) for n in range(5)])
    lead = _library(run_main, tmp_path / "lead", [(f"LD-{n}", 15 + n, 9) for n in range(3)])
    assert run_main("contact", "add", prac, "Service Lead", _card(run_main, lead)).returncode == 0
    out = tmp_path / "outcomes.age"
    r = run_main("outcomes", "export", prac, "--to", "Service Lead", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "5 cases, 10 questionnaires" in r.stdout and "leaves the encrypted library" in r.stderr
    # the lead does not know the practitioner yet: refused with the fingerprint, nothing imported
    fingerprint = run_main("key", "show", prac).stdout.split("fingerprint: ")[1].splitlines()[0]
    refused = run_main("outcomes", "import", lead, out)
    assert_refused(refused, fingerprint)
    assert "--accept-sender" in refused.stderr
    assert json.loads(run_main("outcomes", "sources", lead, "--json").stdout) == {"sources": []}
    r = run_main("outcomes", "import", lead, out, "--accept-sender", "--sender-name", "HV Practitioner")
    assert r.returncode == 0, r.stderr
    assert "HV Practitioner" in r.stdout and "5 cases, 10 questionnaires" in r.stdout
    [source] = json.loads(run_main("outcomes", "sources", lead, "--json").stdout)["sources"]
    assert (source["name"], source["cases"], source["completions"], source["fingerprint"]) == (
        "HV Practitioner", 5, 10, fingerprint)
    assert_refused(run_main("outcomes", "import", lead, out), "already imported")
    pdf = tmp_path / "service.pdf"
    r = run_main("report", "outcomes", lead, "--out", pdf)
    assert r.returncode == 0, r.stderr
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "8 families" in text and "HV Practitioner, exported" in text and "PX-0" not in text
    # --from/--to select imported questionnaires by month: from March, no pre is left
    r = run_main("report", "outcomes", lead, "--out", pdf, "--from", "2026-03-01", "--to", "2026-12-31")
    assert r.returncode == 0, r.stderr
    r = run_main("outcomes", "forget", lead, str(source["id"]))
    assert r.returncode == 0 and "forgotten" in r.stdout, r.stderr
    assert json.loads(run_main("outcomes", "sources", lead, "--json").stdout) == {"sources": []}
    assert_refused(run_main("outcomes", "forget", lead, str(source["id"])), "unknown outcomes source")
    audit = run_main("audit", lead).stdout + run_main("audit", prac).stdout
    assert "outcomes_import" in audit and "outcomes_forget" in audit and "outcomes_export" in audit


def test_wrong_contact_and_missing_file_are_one_line_refusals(run_main, tmp_path):
    prac = _library(run_main, tmp_path / "prac", [("PX-1", 10, 5)])
    assert_refused(run_main("outcomes", "export", prac, "--to", "Nobody", "--out", tmp_path / "o.age"), "Nobody")
    assert not (tmp_path / "o.age").exists()
    assert_refused(run_main("outcomes", "import", prac, tmp_path / "missing.age"), "file not found")
    junk = tmp_path / "junk.age"
    junk.write_bytes(b"not an age file at all")
    assert_refused(run_main("outcomes", "import", prac, junk), "not an age-encrypted bundle")
