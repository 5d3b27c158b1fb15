"""The Watch, Wait and Wonder commands, in-process through `vigstudio.cli.main`, plus one subprocess run."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import assert_refused, run_cli
from tests.videos import make_video


@pytest.fixture
def library(run_main, tmp_path):
    path = tmp_path / "lib"
    assert run_main("init", path).returncode == 0
    assert run_main("case", "add", path, "F-021").returncode == 0
    return path


def _id(result) -> int:
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())  # the bare id alone


def test_a_www_course_with_sessions_observations_and_notes(run_main, tmp_path, library):
    course = _id(run_main("intervention", "add", library, "F-021", "--kind", "www"))
    first = _id(run_main("session", "add", library, "F-021", "--intervention", course, "--kind", "www",
                         "--date", "2026-11-02", "--attendance", "attended", "--attended-by", "mother,father"))
    cancelled = _id(run_main("session", "add", library, "F-021", "--intervention", course, "--kind", "www",
                             "--date", "2026-11-09", "--attendance", "cancelled", "--cancelled-by", "service",
                             "--reason", "therapist ill"))
    _id(run_main("session", "add", library, "F-021", "--intervention", course, "--date", "2026-11-16",
                 "--attendance", "dna", "--reason", "no answer"))
    video = make_video(tmp_path / "www.mp4", frames=24)
    recording = _id(run_main("import", library, "--case", "F-021", "--session", first, video))
    reach = _id(run_main("observation", "add", library, "--recording", recording, "--frame", 5, "--end", 9,
                         "--code", "I-REACH", "--text", "reaches"))
    follow = _id(run_main("observation", "add", library, "--recording", recording, "--frame", 9,
                          "--code", "M-FOLLOW", "--responds-to", reach))
    listed = json.loads(run_main("observation", "list", library, "--session", first, "--json").stdout)
    assert [{k: o[k] for k in ("id", "recording_id", "frame", "end_frame", "code", "text")}
            for o in listed["observations"]] == [
        {"id": reach, "recording_id": recording, "frame": 5, "end_frame": 9, "code": "I-REACH", "text": "reaches"},
        {"id": follow, "recording_id": recording, "frame": 9, "end_frame": None, "code": "M-FOLLOW", "text": ""}]

    tree = json.loads(run_main("list", library, "--json").stdout)["cases"][0]
    assert tree["interventions"][0] == {"id": course, "kind": "www", "planned_sessions": 15, "status": "active",
                                        "started_on": None, "ended_on": None}
    sessions = {s["id"]: s for s in tree["sessions"]}
    assert {k: sessions[first][k] for k in ("intervention_id", "kind", "attendance", "cycle", "attendees")} == {
        "intervention_id": course, "kind": "www", "attendance": "attended", "cycle": None,
        "attendees": ["mother", "father"]}
    assert (sessions[cancelled]["attendance"], sessions[cancelled]["cancelled_by"]) == ("cancelled", "service")

    note = _id(run_main("wonder", "add", library, "--session", first, "--kind", "mother_felt", "--text", "proud",
                        "--observation", reach))
    _id(run_main("wonder", "add", library, "--session", first, "--kind", "theme", "--theme", "T-PLAY"))
    notes = json.loads(run_main("wonder", "list", library, "--session", first, "--json").stdout)["notes"]
    assert [(n["id"], n["kind"], n["observation_id"]) for n in notes][0] == (note, "mother_felt", reach)

    progress = run_main("intervention", "list", library, "F-021")
    assert "WWW session 1 of 15" in progress.stdout and "1 cancelled by the service" in progress.stdout

    overview = run_main("intervention", "overview", library, course)
    assert "followed 1, redirected 0" in overview.stdout and "Play and enjoyment" in overview.stdout
    summary = run_main("intervention", "summary", library, course, "--out", tmp_path / "course.pdf")
    assert summary.returncode == 0 and (tmp_path / "course.pdf").read_bytes().startswith(b"%PDF")

    assert run_main("observation", "edit", library, follow, "--frame", 10, "--end", 12).returncode == 0
    assert run_main("observation", "delete", library, reach).returncode == 0
    listed = json.loads(run_main("observation", "list", library, "--session", first, "--json").stdout)
    assert [(o["frame"], o["end_frame"], o["responds_to"]) for o in listed["observations"]] == [(10, 12, None)]
    assert run_main("session", "edit", library, cancelled, "--attendance", "attended").returncode == 0
    assert run_main("wonder", "delete", library, note).returncode == 0


def test_refusals_are_one_line_and_write_nothing(run_main, tmp_path, library):
    course = _id(run_main("intervention", "add", library, "F-021", "--kind", "www", "--planned", 10))
    session = _id(run_main("session", "add", library, "F-021", "--intervention", course, "--date", "2026-11-02"))
    recording = _id(run_main("import", library, "--case", "F-021", "--session", session,
                             make_video(tmp_path / "v.mp4", frames=12)))
    assert_refused(run_main("observation", "add", library, "--recording", recording, "--frame", 12,
                            "--code", "SHARED"), "outside the recording")
    assert_refused(run_main("observation", "add", library, "--recording", recording, "--frame", 1,
                            "--code", "NOPE"), "unknown observation code")
    assert_refused(run_main("session", "add", library, "F-999", "--intervention", course, "--date", "2026-11-02"),
                   "does not belong to case F-999")
    assert_refused(run_main("session", "add", library, "F-021", "--intervention", course, "--date", "2026-11-02",
                            "--attendance", "dna", "--attended-by", "mother"), "only an attended session")
    assert_refused(run_main("intervention", "delete", library, course), "still has sessions")
    listed = json.loads(run_main("observation", "list", library, "--session", session, "--json").stdout)
    assert listed == {"observations": []}


def test_observation_codes_without_a_library(run_main):
    result = run_main("observation", "codes")
    lines = result.stdout.splitlines()
    assert lines[0].split(None, 1) == ["I-LOOK", "Infant initiative: looks"]
    codes = [line.split(None, 1)[0] for line in lines]
    assert {"I-REACH", "I-AWAY", "I-VOCAL", "I-PLAY", "M-FOLLOW", "M-WAIT", "M-REDIRECT", "M-SIGNAL",
            "M-SENSITIVE", "M-AFFECTION", "M-ACCEPT", "SHARED"} <= set(codes)
    assert "T-PLAY" in run_main("observation", "codes", "--themes").stdout


def test_intervention_add_prints_the_bare_id_in_a_subprocess(library):
    result = run_cli("intervention", "add", library, "F-021", "--kind", "www", "--planned", 12)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().isdigit() and result.stdout.count("\n") == 1


def test_edits_change_only_what_they_are_given(run_main, tmp_path, library):
    course = _id(run_main("intervention", "add", library, "F-021", "--kind", "www"))
    assert run_main("intervention", "edit", library, course, "--planned", 12, "--start", "2026-11-01").returncode == 0
    assert run_main("intervention", "edit", library, course, "--end", "2027-02-01").returncode == 0
    [listed] = json.loads(run_main("intervention", "list", library, "F-021", "--json").stdout)["interventions"]
    assert listed["planned_sessions"] == 12
    assert_refused(run_main("intervention", "edit", library, course, "--end", "2026-10-01"), "before it starts")
    session = _id(run_main("session", "add", library, "F-021", "--intervention", course, "--date", "2026-11-02"))
    recording = _id(run_main("import", library, "--case", "F-021", "--session", session,
                             make_video(tmp_path / "v.mp4", frames=20)))
    reach = _id(run_main("observation", "add", library, "--recording", recording, "--frame", 2, "--end", 6,
                         "--code", "I-REACH", "--text", "reaches"))
    follow = _id(run_main("observation", "add", library, "--recording", recording, "--frame", 7,
                          "--code", "M-FOLLOW", "--responds-to", reach, "--coder", "second coder"))

    def observations():
        doc = json.loads(run_main("observation", "list", library, "--session", session, "--json").stdout)
        return {o["id"]: o for o in doc["observations"]}

    assert run_main("observation", "edit", library, reach, "--moment", "--code", "I-PLAY").returncode == 0
    assert run_main("observation", "edit", library, follow, "--no-response", "--frame", 8).returncode == 0
    got = observations()
    assert (got[reach]["frame"], got[reach]["end_frame"], got[reach]["code"], got[reach]["text"]) == (
        2, None, "I-PLAY", "reaches")
    assert (got[follow]["frame"], got[follow]["responds_to"], got[follow]["coder"]) == (8, None, "second coder")
    assert_refused(run_main("observation", "edit", library, reach, "--end", 5, "--moment"), "not both")
    assert_refused(run_main("observation", "edit", library, reach), "nothing to change")
    assert_refused(run_main("observation", "edit", library, reach, "--frame", 20), "outside the recording")

    note = _id(run_main("wonder", "add", library, "--session", session, "--kind", "theme", "--theme", "T-PLAY",
                        "--observation", reach))
    assert run_main("wonder", "edit", library, note, "--kind", "mother_felt", "--text", "happy",
                    "--about-session").returncode == 0
    [n] = json.loads(run_main("wonder", "list", library, "--session", session, "--json").stdout)["notes"]
    assert (n["kind"], n["text"], n["theme"], n["observation_id"]) == ("mother_felt", "happy", None, None)
    assert run_main("wonder", "edit", library, note, "--recording", recording, "--frame", 4).returncode == 0
    [n] = json.loads(run_main("wonder", "list", library, "--session", session, "--json").stdout)["notes"]
    assert (n["recording_id"], n["frame"], n["text"]) == (recording, 4, "happy")
    assert_refused(run_main("wonder", "edit", library, note), "nothing to change")
    for what, key in (("wonder", note), ("observation", follow), ("observation", reach)):
        assert run_main(what, "delete", library, key).stdout.strip().endswith(f"{key} deleted")
    assert observations() == {}
    assert_refused(run_main("observation", "delete", library, reach), "observation")
