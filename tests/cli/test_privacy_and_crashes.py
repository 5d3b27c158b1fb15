"""What reaches the disk: no plaintext notes or video bytes anywhere, and a killed import leaves nothing."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from tests.app.conftest import folder_snapshot
from tests.cli.conftest import ROOT, assert_refused, cli_command, cli_env, run_cli
from tests.videos import make_video

MARKER = "QUOKKA-5150-private-session-note"

SET_NOTES = """
import sys
from vigstudio.app.library import LibraryService
from vigstudio.app.cases import update_session_notes
from vigstudio.app.tree import library_tree
service = LibraryService()
service.open(sys.argv[1], __import__("os").environ["VIGSTUDIO_PASSPHRASE"])
[case] = library_tree(service)
[(_, _, session)] = case.sessions()
update_session_notes(service, session.session.id, sys.argv[2])
service.close()
"""


def files_containing(needles: list[bytes], *folders: Path) -> list[str]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found += [f"{path} has needle {n}" for n, needle in enumerate(needles) if needle in data]
    return found


def test_no_plaintext_note_or_video_bytes_under_the_library_or_the_temp_folder(tmp_path):
    sources, library, temp = tmp_path / "sources", tmp_path / "lib", tmp_path / "tmp"
    sources.mkdir()
    temp.mkdir()
    video = make_video(sources / "visit.mp4", frames=60, audio="aac")
    data = video.read_bytes()
    chunk = data[len(data) // 2: len(data) // 2 + 4096]
    assert data.count(chunk) == 1
    env = {"TMPDIR": str(temp)}
    for args in (("init", library), ("case", "add", library, "F-014"),
                 ("import", library, "--case", "F-014", video)):
        result = run_cli(*args, **env)
        assert result.returncode == 0, result.stderr
    notes = subprocess.run([*cli_command()[:1], "-c", SET_NOTES, str(library), MARKER], cwd=ROOT,
                           env=cli_env(**env), capture_output=True, text=True, timeout=120)
    assert notes.returncode == 0, notes.stderr
    for args in (("list", library, "--json"), ("info", library, "--check")):
        result = run_cli(*args, **env)
        assert result.returncode == 0, result.stderr
    assert MARKER not in result.stdout  # notes are not part of listings

    needles = [MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), chunk]
    assert files_containing(needles, sources)  # the scan does find plaintext where it is
    assert files_containing(needles, library, temp) == []
    for path in [library / "library.db", *(library / "media").iterdir()]:
        assert not path.read_bytes().startswith(b"SQLite format 3"), path


def make_large_video(path: Path, frames: int = 250) -> Path:
    """~115 MB of uncompressed video (quick to make, slow enough to import to be killed midway)."""
    rng = np.random.default_rng(3)
    base = rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)
    with av.open(str(path), "w", format="matroska") as out:
        stream = out.add_stream("rawvideo", rate=25)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for n in range(frames):
            frame = av.VideoFrame.from_ndarray(np.roll(base, n, axis=1), format="rgb24").reformat(format="yuv420p")
            frame.pts, frame.time_base = n, Fraction(1, 25)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


@pytest.mark.slow
def test_import_killed_midway_leaves_a_library_that_opens_with_no_half_recording(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    video = make_large_video(tmp_path / "long-visit.mkv")
    media = library / "media"
    process = subprocess.Popen(cli_command("import", library, "--case", "F-014", video), cwd=ROOT,
                               env=cli_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".partial") for p in media.iterdir()):
            assert process.poll() is None, "the import ended before its container appeared"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert any(p.name.endswith(".partial") for p in media.iterdir())  # killed with work half done

    result = run_cli("list", library, "--json")
    assert result.returncode == 0, result.stderr
    [case] = json.loads(result.stdout)["cases"]
    assert case["sessions"] == []  # neither a recording nor its new session was committed
    assert list(media.iterdir()) == []  # the next open removed the partial container
    result = run_cli("info", library, "--check")
    assert result.returncode == 0 and "integrity check: ok (1 files)" in result.stdout


@pytest.mark.slow
def test_ctrl_c_during_an_import_cancels_it_cleanly(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    video = make_large_video(tmp_path / "long-visit.mkv", frames=200)
    media = library / "media"
    process = subprocess.Popen(cli_command("import", library, "--case", "F-014", video), cwd=ROOT,
                               env=cli_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".partial") for p in media.iterdir()):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 2, err
    assert err.strip() == "vigstudio: import cancelled; nothing was changed"
    assert out == ""
    assert list(media.iterdir()) == []  # cleaned up by the cancelled import itself, not the next open


def _limit_file_size(limit: int):
    def apply() -> None:  # in the child before exec: writes past `limit` bytes fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_during_an_import_is_one_line_and_changes_nothing(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    video = make_large_video(tmp_path / "visit.mkv", frames=12)  # ~5.5 MB, the limit is 2 MiB
    before = folder_snapshot(library)
    result = subprocess.run(cli_command("import", library, "--case", "F-014", video), cwd=ROOT,
                            env=cli_env(), capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            start_new_session=True, timeout=120, preexec_fn=_limit_file_size(2 << 20))
    assert_refused(result, f"not enough disk space to write to {library}; nothing was changed")
    assert folder_snapshot(library) == before
    assert list((library / "media").iterdir()) == []
