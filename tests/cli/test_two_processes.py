"""Several processes on one library: an import in one is never destroyed by another opening it.

The importer is a real second process (tests/cli/import_child.py) paused at each stage of its import;
meanwhile a third process (`vigstudio list`) and this test process open the library. Then the import
goes on (or is killed with SIGKILL), and `vigstudio info --check` must find every recorded container.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from tests.cli.conftest import ROOT, cli_env, run_cli
from tests.conftest import PASSPHRASE
from tests.videos import make_video
from vigstudio.store import Library

# Every label the import reports, in order: nothing written yet; the .partial being written; read
# back; renamed to .vigm but not yet recorded; just before the commit.
STAGES = ["checking the file", "encrypting", "verifying", "stored", "saving"]


@pytest.fixture
def library(tmp_path):
    path = tmp_path / "lib"
    assert run_cli("init", path).returncode == 0
    assert run_cli("case", "add", path, "F-1").returncode == 0
    return path


@pytest.fixture
def video(tmp_path):
    return make_video(tmp_path / "family.mp4", frames=24)



def _paused_at(library, video, stage) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-m", "tests.cli.import_child", str(library), str(video), "F-1", stage],
                             env=cli_env(PASSPHRASE), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    line = child.stdout.readline().strip()
    assert line == f"AT {stage}", (line, child.stderr.read() if child.poll() is not None else "")
    return child


def _recordings(library) -> list[dict]:
    result = run_cli("list", library, "--json")
    assert result.returncode == 0, result.stderr
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            found.extend(node.get("recordings", []))
            for key, value in node.items():
                if key != "recordings":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(result.stdout))
    return found


def _assert_check_clean(library) -> None:
    result = run_cli("info", library, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "integrity check: ok" in result.stdout


@pytest.mark.parametrize("stage", STAGES)
def test_opening_elsewhere_during_an_import_loses_nothing(library, video, stage):
    child = _paused_at(library, video, stage)
    try:
        assert _recordings(library) == []  # a third process lists the library meanwhile
        Library.open(library, PASSPHRASE).close()  # and this one opens and closes it
        child.stdin.write("\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert out.strip().startswith("DONE ")
    recordings = _recordings(library)
    assert len(recordings) == 1
    assert len([p for p in (library / "media").iterdir() if p.name.endswith(".vigm")]) == 1
    _assert_check_clean(library)


@pytest.mark.parametrize("stage", STAGES)
def test_an_import_killed_at_any_stage_leaves_a_clean_library(library, video, stage):
    child = _paused_at(library, video, stage)
    Library.open(library, PASSPHRASE).close()  # opened while the import is alive: nothing is removed
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert _recordings(library) == []  # never committed
    # The importer is gone: the next open holds the library alone and removes what it left.
    Library.open(library, PASSPHRASE).close()
    assert [p.name for p in (library / "media").iterdir()] == []
    _assert_check_clean(library)


def test_leftovers_stay_while_another_process_has_the_library_open(library, video):
    """A container not yet recorded survives an open by another process while the importer is alive."""
    child = _paused_at(library, video, "stored")
    try:
        before = sorted(p.name for p in (library / "media").iterdir())
        assert len(before) == 1 and before[0].endswith(".vigm")
        Library.open(library, PASSPHRASE).close()
        assert sorted(p.name for p in (library / "media").iterdir()) == before
    finally:
        child.kill()
        child.communicate(timeout=60)
