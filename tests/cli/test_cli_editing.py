"""`vigstudio clip ...` and `vigstudio still ...` on a real library and video: end to end in
subprocesses, and the many refusals in-process through `vigstudio.cli.main` (quicker to start)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.conftest import assert_refused, run_cli
from tests.videos import make_video
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import Who

FRAMES = 30


@dataclass
class Prepared:
    path: Path
    recording_id: int
    session_id: int


@pytest.fixture(scope="module")
def numbered_video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("videos") / "visit.mp4", frames=FRAMES)


@pytest.fixture
def prepared(tmp_path, passphrase, numbered_video) -> Prepared:
    """A library with case F-014 and one imported recording (set up in-process: quicker)."""
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    add_case(service, "F-014")
    recording = import_recording(service, "F-014", numbered_video)
    service.close()
    return Prepared(tmp_path / "lib", recording.id, recording.session_id)


def read_back(path: Path, passphrase: str) -> dict:
    """Everything the editing commands could have written, including the audit trail."""
    service = LibraryService()
    service.open(path, passphrase, audit_now=False)
    try:
        with service.read() as repos:
            return {"clips": repos.clips.list(), "annotations": repos.annotations.list(),
                    "stills": repos.stills.list(), "audit": [(e.action, e.object) for e in repos.audit.list()]}
    finally:
        service.close()


def test_clip_add_tag_list_and_still_add(prepared, passphrase):
    lib, rec = prepared.path, prepared.recording_id
    result = run_cli("clip", "add", lib, "--recording", rec, "--start", 5, "--end", 15, "--title", "First smile")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    clip_id = int(result.stdout.strip())
    result = run_cli("clip", "tag", lib, clip_id, "--principle", "P3", "--behaviour", "P3.4", "--who", "child",
                     "--text", "smiles back", "--frame", 9)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    annotation_id = int(result.stdout.strip())
    result = run_cli("still", "add", lib, "--recording", rec, "--frame", FRAMES - 1, "--caption", "You waited")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    still_id = int(result.stdout.strip())

    stored = read_back(lib, passphrase)
    [clip] = stored["clips"]
    assert (clip.id, clip.recording_id, clip.start_frame, clip.end_frame, clip.title, clip.position) == (
        clip_id, rec, 5, 15, "First smile", 0)
    [tag] = stored["annotations"]
    assert (tag.id, tag.clip_id, tag.principle, tag.behaviour, tag.who, tag.text, tag.frame) == (
        annotation_id, clip_id, "P3", "P3.4", Who.CHILD, "smiles back", 9)
    [still] = stored["stills"]
    assert (still.id, still.frame, still.caption) == (still_id, FRAMES - 1, "You waited")

    result = run_cli("clip", "list", lib, "--session", prepared.session_id, "--json")
    assert result.returncode == 0, result.stderr
    [listed] = json.loads(result.stdout)["clips"]
    assert (listed["id"], listed["start_frame"], listed["end_frame"], listed["position"]) == (clip_id, 5, 15, 0)
    assert [(a["id"], a["principle"], a["behaviour"], a["who"], a["frame"]) for a in listed["annotations"]] == [
        (annotation_id, "P3", "P3.4", "child", 9)]


def test_clip_list_text_and_the_library_listing(prepared, run_main):
    lib, rec = prepared.path, prepared.recording_id
    assert run_main("clip", "add", lib, "--recording", rec, "--start", 0, "--end", 5).returncode == 0
    result = run_main("clip", "add", lib, "--recording", rec, "--start", 10, "--end", 20, "--title", "Waiting")
    clip_id = int(result.stdout)
    assert run_main("clip", "tag", lib, clip_id, "--principle", "p2", "--who", "PARENT").returncode == 0
    still_id = int(run_main("still", "add", lib, "--recording", rec, "--frame", 3).stdout)

    result = run_main("clip", "list", lib, "--session", prepared.session_id)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == f"2. clip {clip_id}: recording {rec} frames 10-20 (10 frames) 'Waiting' [P2]"
    result = run_main("clip", "list", lib, "--session", prepared.session_id, "--principle", "P2", "--json")
    assert [c["id"] for c in json.loads(result.stdout)["clips"]] == [clip_id]
    result = run_main("clip", "list", lib, "--session", prepared.session_id, "--principle", "P6")
    assert result.stdout.strip() == f"no clips in session {prepared.session_id} tagged P6"

    [session] = json.loads(run_main("list", lib, "--json").stdout)["cases"][0]["sessions"]
    assert [c["id"] for c in session["clips"]] == [clip_id - 1, clip_id]
    assert session["clips"][0]["annotations"] == []
    assert [(a["principle"], a["who"]) for a in session["clips"][1]["annotations"]] == [("P2", "parent")]
    assert [s["id"] for s in session["stills"]] == [still_id]


def test_refusals_in_a_subprocess_are_one_line_exit_2_and_write_nothing(prepared, passphrase):
    before = read_back(prepared.path, passphrase)
    result = run_cli("clip", "add", prepared.path, "--recording", prepared.recording_id, "--start", 0,
                     "--end", FRAMES + 1)
    assert_refused(result, f"frames 0-{FRAMES + 1} are outside recording {prepared.recording_id}")
    assert result.stdout == ""
    result = run_cli("clip", "tag", prepared.path, 999, "--principle", "P1")
    assert_refused(result, "unknown clip: 999")
    assert read_back(prepared.path, passphrase) == before  # not even an "unlock" audit event


@pytest.mark.parametrize("args, message", [
    (("clip", "add", "{lib}", "--recording", "{rec}", "--start", 0, "--end", FRAMES + 1),
     f"frames 0-{FRAMES + 1} are outside recording"),
    (("clip", "add", "{lib}", "--recording", "{rec}", "--start", -1, "--end", 5), "frames -1-5 are outside recording"),
    (("clip", "add", "{lib}", "--recording", "{rec}", "--start", 8, "--end", 8), "a clip must end after it starts"),
    (("clip", "add", "{lib}", "--recording", 999, "--start", 0, "--end", 5), "unknown recording: 999"),
    (("still", "add", "{lib}", "--recording", "{rec}", "--frame", FRAMES), f"frame {FRAMES} is outside recording"),
    (("still", "add", "{lib}", "--recording", 999, "--frame", 0), "unknown recording: 999"),
    (("clip", "tag", "{lib}", 999, "--principle", "P1"), "unknown clip: 999"),
])
def test_refusals_are_one_line_exit_2_and_write_nothing(prepared, passphrase, run_main, args, message):
    before = read_back(prepared.path, passphrase)
    args = [str(a).format(lib=prepared.path, rec=prepared.recording_id) for a in args]
    result = run_main(*args)
    assert_refused(result, message)
    assert result.stdout == ""
    assert read_back(prepared.path, passphrase) == before  # not even an "unlock" audit event


def test_bad_tags_are_refused(prepared, passphrase, run_main):
    lib = prepared.path
    clip_id = int(run_main("clip", "add", lib, "--recording", prepared.recording_id, "--start", 10,
                          "--end", 20).stdout)
    before = read_back(lib, passphrase)
    for extra, message in [
        (("--principle", "P9"), "unknown principle code 'P9'"),
        (("--principle", "P2", "--behaviour", "P1.1"), "behaviour 'P1.1' does not belong to principle 'P2'"),
        (("--principle", "P2", "--who", "grandma"), "unknown 'who'"),
        (("--principle", "P2", "--frame", 20), f"frame 20 is outside clip {clip_id}"),
    ]:
        assert_refused(run_main("clip", "tag", lib, clip_id, *extra), message)
    assert read_back(lib, passphrase) == before
    assert_refused(run_main("clip", "list", lib, "--session", 999), "unknown session: 999")
    assert_refused(run_main("clip", "list", lib, "--session", prepared.session_id, "--principle", "P42"),
                   "unknown principle code 'P42'")
