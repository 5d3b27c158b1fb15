"""`vigstudio measure ...` and `vigstudio goal ...` through the real command line (in-process)."""

from __future__ import annotations

import io
import json

import pytest

from tests.cli.conftest import assert_refused


@pytest.fixture
def library(run_main, tmp_path):
    path = tmp_path / "lib"
    assert run_main("init", path).returncode == 0
    assert run_main("case", "add", path, "F-030").returncode == 0
    return path


def test_catalogue_lists_every_measure_without_licensed_wording(run_main):
    out = run_main("measure", "list-catalogue").stdout
    for measure in ("PHQ-9", "GAD-7", "WSAS", "RSES", "PBQ", "CORE-10", "EPDS", "PSI-SF"):
        assert f"\n{measure}\t" in out
    assert "I have been able to laugh" not in out  # EPDS wording is never reproduced


def test_add_show_and_delete_with_the_json_the_issue_names(run_main, library):
    r = run_main("measure", "add", library, "F-030", "--measure", "PHQ-9", "--when", "pre",
                 "--date", "2026-01-05", "--answers", "2,2,2,2,2,2,1,1,0")
    assert r.returncode == 0, r.stderr
    pre_id = int(r.stdout)
    r = run_main("measure", "add", library, "F-030", "--measure", "phq-9", "--when", "post",
                 "--date", "2026-03-01", "--by", "parent", "--answers", "1,1,1,1,1,1,1,1,-")
    assert r.returncode == 0, r.stderr
    data = json.loads(run_main("measure", "show", library, "F-030", "--json").stdout)
    pre, post = data["completions"]
    assert (pre["id"], pre["measure"], pre["when"], pre["date"], pre["total"]) == (
        pre_id, "PHQ-9", "pre", "2026-01-05", 14.0)
    assert (pre["band"], pre["caseness"], pre["risk_flags"], pre["subscales"]) == ("moderate", True, [], {})
    assert post["total"] is None and post["band"] is None  # a missing PHQ-9 item: not scorable
    [change] = data["changes"]
    assert change == {"measure": "PHQ-9", "from": "pre", "to": "post", "change": None,
                      "reliable_improvement": None, "reliable_deterioration": None, "recovered": None}
    assert run_main("measure", "delete", library, str(post["id"])).returncode == 0
    assert len(json.loads(run_main("measure", "show", library, "F-030", "--json").stdout)["completions"]) == 1


def test_wrong_input_is_refused_with_one_line(run_main, library):
    base = ("measure", "add", library, "F-030", "--when", "pre")
    assert_refused(run_main(*base, "--measure", "BDI", "--answers", "1"), "unknown measure")
    assert_refused(run_main(*base, "--measure", "GAD-7", "--answers", "1,2"), "7 items")
    assert_refused(run_main(*base, "--measure", "GAD-7", "--answers", "1,2,3,4,0,0,0"), "out of range")
    assert_refused(run_main(*base, "--measure", "PSI-SF", "--scores", "PD=30"), "missing")
    assert_refused(run_main("measure", "show", library, "NOPE", "--json"), "unknown case")


def test_a_risk_flag_is_announced_and_closed_by_act_with_the_action_from_stdin(run_main, library, monkeypatch):
    r = run_main("measure", "add", library, "F-030", "--measure", "EPDS", "--when", "pre",
                 "--answers", "0,0,3,0,3,3,3,3,3,1")
    assert r.returncode == 0 and "RISK FLAG" in r.stderr
    [flag] = json.loads(run_main("measure", "show", library, "F-030", "--json").stdout)["completions"][0]["risk_flags"]
    assert flag["open"] and flag["item"] == 10
    monkeypatch.setattr("sys.stdin", io.StringIO("discussed, safety plan, GP informed\n"))
    assert run_main("measure", "act", library, str(flag["id"]), "--action", "-", "--by", "HV").returncode == 0
    [flag] = json.loads(run_main("measure", "show", library, "F-030", "--json").stdout)["completions"][0]["risk_flags"]
    assert (flag["open"], flag["action"], flag["action_by"]) == (False, "discussed, safety plan, GP informed", "HV")


def test_goal_add_prints_its_id_and_rate_checks_the_range(run_main, library, tmp_path):
    from tests.videos import make_video

    video = make_video(tmp_path / "v.mp4", frames=6)
    assert run_main("import", library, "--case", "F-030", video).returncode == 0
    listing = json.loads(run_main("list", library, "--json").stdout)
    cycle_id = listing["cases"][0]["sessions"][0]["cycle_id"]
    r = run_main("goal", "add", library, "--cycle", str(cycle_id), "--text", "Play together on the floor")
    assert r.returncode == 0, r.stderr
    goal_id = int(r.stdout)
    assert run_main("goal", "rate", library, str(goal_id), "--when", "start", "--score", "4").returncode == 0
    assert_refused(run_main("goal", "rate", library, str(goal_id), "--when", "end", "--score", "12"), "0-10")


def test_report_outcomes_writes_the_pdf_and_csv_and_says_they_leave_the_library(run_main, library, tmp_path):
    for code in ("F-031", "F-032"):
        assert run_main("case", "add", library, code).returncode == 0
    for code, pre, post in (("F-030", "2,2,2,2,2,2,1,1,0", "1,1,1,1,0,0,0,0,0"),
                            ("F-031", "3,2,2,2,2,2,1,1,0", "1,1,1,1,1,1,0,0,0"),
                            ("F-032", "2,2,2,1,1,1,1,1,0", "1,1,0,0,0,0,0,0,0")):
        for when, answers in (("pre", pre), ("post", post)):
            r = run_main("measure", "add", library, code, "--measure", "PHQ-9", "--when", when, "--answers", answers)
            assert r.returncode == 0, r.stderr
    r = run_main("report", "outcomes", library, "--out", tmp_path / "r.pdf", "--csv", tmp_path / "r.csv")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert "outside the encrypted library" in r.stderr
    assert "PHQ-9,all,3,3,0," in (tmp_path / "r.csv").read_text()
    assert_refused(run_main("report", "outcomes", library, "--out", tmp_path / "r.txt"), ".pdf")
