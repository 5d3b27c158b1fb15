"""The command line end to end, in subprocesses, on real libraries and generated videos."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import folder_snapshot
from tests.cli.conftest import assert_refused, run_cli
from tests.conftest import PASSPHRASE
from tests.videos import make_video
from vigstudio import __version__


def test_version_and_help():
    result = run_cli("--version", passphrase=None)
    assert result.returncode == 0 and result.stdout.strip() == f"vigstudio {__version__}"
    result = run_cli("--help", passphrase=None)
    assert result.returncode == 0
    assert "VIGSTUDIO_PASSPHRASE" in result.stdout and "less safe" in result.stdout
    for command in ("init", "info", "passwd", "case", "import", "list"):
        assert command in result.stdout


def test_init_case_import_list_round_trip(tmp_path, library):
    video = make_video(tmp_path / "first-visit.mp4", frames=30, audio="aac")
    result = run_cli("case", "add", library, "F-014", "--referral", "health-visitor")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "F-014", "")
    result = run_cli("import", library, "--case", "F-014", video)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    recording_id = int(result.stdout.strip())

    result = run_cli("list", library, "--json")
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    [case] = listing["cases"]
    assert case["code"] == "F-014" and case["referral"] == "health_visitor"
    [session] = case["sessions"]
    assert session["kind"] == "filming" and session["cycle"] == 1 and session["intervention"] == "vig"
    [recording] = session["recordings"]
    assert {k: recording[k] for k in ("id", "file_name", "frame_count")} == {
        "id": recording_id, "file_name": "first-visit.mp4", "frame_count": 30}
    assert session["clips"] == [] and session["stills"] == []
    assert "name" not in case and "notes" not in session  # the JSON carries codes and ids, not names

    result = run_cli("list", library)
    assert result.returncode == 0 and "case F-014" in result.stdout and "first-visit.mp4" in result.stdout
    result = run_cli("info", library)
    assert result.returncode == 0
    assert "recordings: 1" in result.stdout and "SQLCipher version: 4." in result.stdout


def test_wrong_passphrase_is_one_line_and_exit_2(library):
    before = folder_snapshot(library)
    result = run_cli("list", library, "--json", passphrase="not the right passphrase")
    assert_refused(result, f"wrong passphrase for library {library}")
    assert result.stdout == ""
    assert folder_snapshot(library) == before


def test_not_a_library_and_missing_passphrase(tmp_path, library):
    assert_refused(run_cli("info", tmp_path / "nowhere"), "is not a VIG Studio library")
    assert_refused(run_cli("info", library, passphrase=None), "no passphrase given")


def test_passwd_changes_the_passphrase(library):
    new = "another long passphrase"
    key_before = (library / "library.key").read_bytes()
    assert_refused(run_cli("passwd", library, VIGSTUDIO_NEW_PASSPHRASE="short"), "passphrase too short")
    assert (library / "library.key").read_bytes() == key_before
    result = run_cli("passwd", library, VIGSTUDIO_NEW_PASSPHRASE=new)
    assert result.returncode == 0, result.stderr
    assert_refused(run_cli("list", library), "wrong passphrase")
    assert run_cli("list", library, passphrase=new).returncode == 0
    assert_refused(run_cli("passwd", library, passphrase=PASSPHRASE, VIGSTUDIO_NEW_PASSPHRASE="yet another phrase"),
                   "wrong passphrase")


def test_info_check_passes_then_detects_a_damaged_container(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    assert run_cli("import", library, "--case", "F-014", make_video(tmp_path / "v.mp4", frames=24)).returncode == 0
    result = run_cli("info", library, "--check")
    assert result.returncode == 0, result.stderr
    assert "integrity check: ok (2 files)" in result.stdout
    [container] = list((library / "media").iterdir())
    data = bytearray(container.read_bytes())
    data[len(data) // 2: len(data) // 2 + 32] = bytes(32)
    container.write_bytes(bytes(data))
    result = run_cli("info", library, "--check")
    assert_refused(result, "integrity check found")
    assert f"integrity problem: media/{container.name}" in result.stdout


@pytest.mark.slow
def test_init_demo_makes_a_marked_demo_library(tmp_path):
    library, temp = tmp_path / "demo", tmp_path / "tmp"
    temp.mkdir()
    result = run_cli("init", library, "--demo", TMPDIR=str(temp))
    assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == []  # the sample video was made and imported in memory
    [case] = json.loads(run_cli("list", library, "--json").stdout)["cases"]
    assert case["code"] == "DEMO-001" and case["is_demo"]
    filming, www = case["sessions"]  # the VIG filming session, and a WWW intervention beside it
    assert (filming["intervention"], www["intervention"]) == ("vig", "www")
    [recording] = filming["recordings"]
    assert recording["file_name"] == "demo-sample.mp4" and recording["frame_count"] == 300  # 12 s at 25 fps
    assert len(filming["clips"]) == 3 and len(filming["stills"]) == 3
