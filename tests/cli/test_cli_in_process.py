"""Command-line behaviour run in-process through `vigstudio.cli.main` (the refusals and multi-file
imports); the end-to-end runs in subprocesses are in test_cli.py and test_privacy_and_crashes.py."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import folder_snapshot
from tests.cli.conftest import assert_refused
from tests.videos import make_broken, make_video
from vigstudio import cli
from vigstudio.app.recordings import open_recording_media


@pytest.fixture
def library(run_main, tmp_path):
    path = tmp_path / "lib"
    result = run_main("init", path)
    assert (result.returncode, result.stdout.strip()) == (0, f"created library {path}"), result.stderr
    return path


def test_import_of_several_files_makes_one_session_and_prints_each_id(run_main, tmp_path, library):
    videos = [make_video(tmp_path / f"part{n}.mp4", frames=12) for n in (1, 2)]
    assert run_main("case", "add", library, "F-014").returncode == 0
    result = run_main("import", library, "--case", "F-014", *videos)
    assert result.returncode == 0, result.stderr
    ids = [int(line) for line in result.stdout.split()]
    assert len(ids) == 2
    [case] = json.loads(run_main("list", library, "--json").stdout)["cases"]
    [session] = case["sessions"]
    assert [r["id"] for r in session["recordings"]] == ids
    # --session adds to that session instead of making a new one
    result = run_main("import", library, "--case", "F-014", "--session", session["id"], videos[0])
    assert result.returncode == 0, result.stderr
    [case] = json.loads(run_main("list", library, "--json").stdout)["cases"]
    assert len(case["sessions"]) == 1 and len(case["sessions"][0]["recordings"]) == 3


def test_bad_imports_are_refused_with_nothing_written(run_main, tmp_path, library):
    assert run_main("case", "add", library, "F-014").returncode == 0
    video = make_video(tmp_path / "good.mp4", frames=12)
    text = make_broken("text", tmp_path / "notes.mp4")
    before = folder_snapshot(library)
    assert_refused(run_main("import", library, "--case", "F-014", tmp_path / "missing.mp4"),
                   "file not found")
    assert_refused(run_main("import", library, "--case", "F-014", text), "not a video")
    # one bad file among good ones: nothing at all is imported
    assert_refused(run_main("import", library, "--case", "F-014", video, text), "not a video")
    assert_refused(run_main("import", library, "--case", "F-999", video), "unknown case: F-999")
    assert_refused(run_main("import", library, "--case", "F-014", "--session", "42", video),
                   "unknown session: 42")
    assert folder_snapshot(library) == before
    assert list((library / "media").iterdir()) == []


def test_case_add_refusals(run_main, library):
    assert run_main("case", "add", library, "F-014").returncode == 0
    assert_refused(run_main("case", "add", library, "F-014"), "case F-014 already exists")
    assert_refused(run_main("case", "add", library, "   "), "a case needs a code")
    result = run_main("case", "add", library, "F-015", "--referral", "neighbour")
    assert result.returncode == 2 and "unknown referral source" in result.stderr


def test_init_refuses_a_short_passphrase_and_an_existing_library(run_main, tmp_path, library):
    assert_refused(run_main("init", tmp_path / "new", passphrase="short"), "passphrase too short")
    assert not (tmp_path / "new").exists()
    assert_refused(run_main("init", library), "already exists")


def test_an_unexpected_error_prints_a_log_reference_and_exits_1(run_main, library, monkeypatch):
    from vigstudio.app.logging_setup import log_dir

    secret_detail = "Smith" + "-family"

    def broken_list(args):
        raise RuntimeError(f"something about {secret_detail}")

    monkeypatch.setattr(cli, "cmd_list", broken_list)
    result = run_main("list", library)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("vigstudio: unexpected error (reference ") and secret_detail not in line
    reference = line.split("reference ")[1].split(";")[0]
    log_text = (log_dir() / "vigstudio.log").read_text()
    assert f"ref {reference}" in log_text and "broken_list" in log_text
    assert secret_detail not in log_text


def test_passphrases_never_reach_the_log(run_main, library, passphrase):
    from vigstudio.app.logging_setup import log_dir

    run_main("list", library, passphrase="a wrong but long passphrase")
    run_main("case", "add", library, "F-014")
    log = log_dir() / "vigstudio.log"
    text = log.read_text() if log.exists() else ""
    assert "WrongPassphrase" in text  # refusals are logged by kind only
    assert passphrase not in text and "a wrong but long passphrase" not in text


def test_import_track_chooses_the_camera_track(run_main, tmp_path, library, passphrase):
    from tests.app.test_importing import _dual_camera_file
    from tests.videos import read_frame_number
    from vigstudio.app.library import LibraryService

    dual = _dual_camera_file(tmp_path / "dual.mp4")
    assert run_main("case", "add", library, "F-014").returncode == 0
    assert_refused(run_main("import", library, "--case", "F-014", "--track", "3", dual), "no video track 3")
    plain = run_main("import", library, "--case", "F-014", dual)
    assert plain.returncode == 0, plain.stderr
    assert "2 camera tracks" in plain.stderr and "--track" in plain.stderr
    chosen = run_main("import", library, "--case", "F-014", "--track", "1", dual)
    assert chosen.returncode == 0, chosen.stderr
    ids = [int(plain.stdout.split()[0]), int(chosen.stdout.split()[0])]
    service = LibraryService()
    service.open(library, passphrase)
    try:
        numbers = []
        for recording_id in ids:
            with open_recording_media(service, recording_id) as media:
                numbers.append(read_frame_number(media.frame(5)))
        assert numbers == [5, 1005]
    finally:
        service.close()
