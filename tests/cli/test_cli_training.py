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


def test_a_second_coder_is_imported_and_agreement_names_both_coders(run_main, library, tmp_path):
    from tests.videos import make_video

    assert run_main("case", "add", library, "F-4").returncode == 0
    recording = int(run_main("import", library, "--case", "F-4", make_video(tmp_path / "v.mp4", frames=25)).stdout)
    session = json.loads(run_main("list", library, "--json").stdout)["cases"][0]["sessions"][0]["id"]
    mine = tmp_path / "mine.csv"
    mine.write_text("onset,offset,code,coder,comment\n0.0,0.4,P1,practitioner,\n0.4,0.8,P2,practitioner,\n")
    clips = run_main("annotations", "import", library, "--recording", str(recording), mine).stdout.split()
    assert len(clips) == 2
    anna = tmp_path / "anna.csv"
    anna.write_text("onset,offset,code,coder,comment\n0.1,0.2,P1,Anna,\n0.5,0.6,P1,Anna,\n")
    r = run_main("annotations", "import", library, "--recording", str(recording), anna, "--coder", "Anna")
    assert r.returncode == 0 and len(r.stdout.split()) == 2, r.stderr
    data = json.loads(run_main("agreement", library, "--session", str(session), "--coders", "practitioner,Anna",
                               "--json").stdout)
    # P1: (1,1) (0,1): po 0.5; P2: (0,0) (1,0): po 0.5
    assert data["coders"] == ["practitioner", "Anna"] and data["clips"] == 2
    assert data["principles"]["P1"]["agreement"] == 0.5 and data["principles"]["P2"]["agreement"] == 0.5
    r = run_main("annotations", "tag", library, "--clip", clips[1], "--coder", "Bo", "--principle", "P2")
    assert r.returncode == 0 and int(r.stdout) > 0
    data = json.loads(run_main("agreement", library, "--session", str(session), "--coders", "Anna,Bo", "--json").stdout)
    assert data["clips"] == 1 and data["principles"]["P1"]["agreement"] == 0.0
    assert_refused(run_main("agreement", library, "--session", str(session), "--coders", "practitioner,Cy"),
                   "no tags of a coder named 'Cy'")
    assert_refused(run_main("annotations", "tag", library, "--clip", clips[0], "--coder", "supervisor",
                            "--principle", "P1"), "library's own coders")


def test_self_assessment_and_guider_comments_from_the_command_line(run_main, library, tmp_path):
    from tests.videos import make_video

    assert run_main("case", "add", library, "F-5").returncode == 0
    assert run_main("import", library, "--case", "F-5", make_video(tmp_path / "f.mp4", frames=10)).returncode == 0
    filming = int(json.loads(run_main("list", library, "--json").stdout)["cases"][0]["sessions"][0]["recordings"][0]["id"])
    intervention = json.loads(run_main("list", library, "--json").stdout)["cases"][0]["sessions"][0]  # the filming
    r = run_main("session", "add", library, "F-5", "--intervention", str(intervention.get("intervention_id", 1)),
                 "--kind", "shared_review", "--date", dt.date.today().isoformat())
    assert r.returncode == 0, r.stderr
    review_session = int(r.stdout)
    review = int(run_main("import", library, "--case", "F-5", "--session", str(review_session),
                          make_video(tmp_path / "r.mp4", frames=20)).stdout)
    r = run_main("self-assessment", "add", library, "--recording", str(review), "--frame", "12", "--principle", "p3",
                 "--text", "I named what she said")
    assert r.returncode == 0, r.stderr
    listed = json.loads(run_main("self-assessment", "list", library, "--recording", str(review), "--json").stdout)
    assert [(s["frame"], s["principle"], s["text"]) for s in listed["self_assessment"]] == [
        (12, "P3", "I named what she said")] and listed["guider_ratings"] == []
    assert_refused(run_main("self-assessment", "add", library, "--recording", str(filming), "--frame", "1",
                            "--principle", "P1"), "not a shared-review recording")
    filming_session = intervention["id"]
    assert_refused(run_main("comment", "add", library, "--session", str(filming_session), "--recording", str(filming),
                            "--frame", "2", "--rates-guider", "no"), "shared-review recording")
    r = run_main("self-assessment", "delete", library, str(listed["self_assessment"][0]["id"]))
    assert r.returncode == 0
    assert json.loads(run_main("self-assessment", "list", library, "--recording", str(review),
                               "--json").stdout)["self_assessment"] == []
