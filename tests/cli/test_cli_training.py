"""`vigstudio training`, `supervision` and `cycle` through the real command line (in-process)."""

from __future__ import annotations

import datetime as dt
import json

import pyrage
import pytest

from tests.cli.conftest import assert_refused


@pytest.fixture
def library(run_main, tmp_path):
    path = tmp_path / "lib"
    assert run_main("init", path).returncode == 0
    return path


def test_stage_supervision_and_show(run_main, library):
    key = str(pyrage.x25519.Identity.generate().to_public())
    assert run_main("contact", "add", library, "Dr Ada", key).returncode == 0
    assert run_main("training", "stage", library, "1", "--since", "2026-01-01").returncode == 0
    today = dt.date.today().isoformat()
    r = run_main("supervision", "add", library, "--date", today, "--supervisor", "Dr Ada", "--minutes", "90",
                 "--goals", "wait longer")
    assert r.returncode == 0, r.stderr
    data = json.loads(run_main("training", "show", library, "--json").stdout)
    [stage] = data["stages"]
    assert data["stage"] == 1 and stage["done"]["supervision_hours"] == 1.5
    assert stage["requirements"] == {"cycles": 6, "clients": 2, "further_clients": False,
                                     "supervision_hours": 7.0, "text": stage["requirements"]["text"]}
    assert "6 more VIG cycles" in stage["missing"]
    assert_refused(run_main("supervision", "add", library, "--date", today, "--supervisor", "Someone",
                            "--minutes", "60"), "not one of this library's contacts")
    listed = json.loads(run_main("supervision", "list", library, "--json").stdout)["supervisions"]
    assert [s["minutes"] for s in listed] == [90]
    assert run_main("supervision", "delete", library, str(listed[0]["id"])).returncode == 0


def test_cycle_add_prints_the_new_cycles_id(run_main, library):
    assert run_main("case", "add", library, "F-1").returncode == 0
    first, second = (int(run_main("cycle", "add", library, "F-1").stdout) for _ in range(2))
    assert second == first + 1


def test_agreement_of_a_session_with_no_doubly_tagged_clip(run_main, library, tmp_path):
    from tests.videos import make_video

    assert run_main("case", "add", library, "F-2").returncode == 0
    assert run_main("import", library, "--case", "F-2", make_video(tmp_path / "v.mp4", frames=8)).returncode == 0
    session = json.loads(run_main("list", library, "--json").stdout)["cases"][0]["sessions"][0]["id"]
    data = json.loads(run_main("agreement", library, "--session", str(session), "--json").stdout)
    assert data["clips"] == 0 and data["alpha"] is None and data["principles"]["P1"]["kappa"] is None
    assert_refused(run_main("agreement", library, "--session", "999", "--json"), "unknown session")


def test_annotations_import_refuses_rows_one_line_each(run_main, library, tmp_path):
    from tests.videos import make_video

    assert run_main("case", "add", library, "F-3").returncode == 0
    r = run_main("import", library, "--case", "F-3", make_video(tmp_path / "v.mp4", frames=25, fps=25))
    recording = int(r.stdout)
    good = tmp_path / "good.csv"
    good.write_text("onset,offset,code,coder,comment\n0.2,0.6,P3,practitioner,smiles back\n")
    r = run_main("annotations", "import", library, "--recording", str(recording), good)
    assert r.returncode == 0 and len(r.stdout.split()) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("onset,offset,code,coder,comment\n0.2,5.0,P3,x,long\n0.1,0.3,Q1,x,odd\n")
    r = run_main("annotations", "import", library, "--recording", str(recording), bad)
    assert r.returncode == 2 and r.stderr.count("refused: row") == 2 and "nothing imported" in r.stderr
    assert_refused(run_main("annotations", "export", library, "--session", "1", "--format", "eaf",
                            "--out", tmp_path / "x.eaf"), "training")
