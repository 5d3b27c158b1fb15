"""`vigstudio proxy build` / `proxy status`: the scrubbing previews made from the command line, on a
real library through the real entry point; Ctrl-C during a build leaves nothing behind."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from tests.cli.conftest import ROOT, assert_refused, cli_command, cli_env, run_cli
from tests.conftest import PASSPHRASE
from tests.videos import make_video, read_frame_number
from vigstudio.app.library import LibraryService
from vigstudio.app.proxies import open_proxy
from vigstudio.store.containers import PROXY_TAG


def import_video(library, video) -> int:
    result = run_cli("import", library, "--case", "F-014", video)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def status(library) -> dict:
    result = run_cli("proxy", "status", library, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def proxy_files(library) -> list[str]:
    return sorted(p.name for p in (library / "media").iterdir() if PROXY_TAG in p.name)


def test_proxy_build_makes_the_missing_previews_and_status_lists_them(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    first = import_video(library, make_video(tmp_path / "visit.mp4", frames=40))
    second = import_video(library, make_video(tmp_path / "later.mp4", frames=30, gop=10, bframes=2))
    listed = status(library)
    assert [(r["recording"], r["case"], r["frames"], r["proxy"], r["proxy_bytes"]) for r in listed["recordings"]] \
        == [(first, "F-014", 40, False, None), (second, "F-014", 30, False, None)]
    assert listed["missing"] == 2 and proxy_files(library) == []

    result = run_cli("proxy", "build", library, "--recording", second)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"built: recording {second} (F-014, session {listed['recordings'][1]['session']}, later.mp4, 30 frames): "
        f"scrubbing preview of {status(library)['recordings'][1]['proxy_bytes'] / 1e6:.1f} MB"]
    assert [r["proxy"] for r in status(library)["recordings"]] == [False, True]

    result = run_cli("proxy", "build", library)  # the rest: only the first is missing
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] + ": " + line.split()[2] for line in result.stdout.splitlines()] \
        == [f"built: {first}"]
    listed = status(library)
    assert listed["missing"] == 0 and all(r["proxy_bytes"] > 0 for r in listed["recordings"])
    assert len(proxy_files(library)) == 2

    result = run_cli("proxy", "build", library)
    assert (result.returncode, result.stdout.strip()) == (0, "nothing to build: every recording has its scrubbing preview")
    result = run_cli("proxy", "status", library)
    assert result.returncode == 0 and result.stdout.splitlines()[-1] == "0 of 2 recordings without a scrubbing preview"
    assert_refused(run_cli("proxy", "build", library, "--recording", 99), "unknown recording: 99")

    # what was built is each frame's own picture
    service = LibraryService()
    service.open(library, PASSPHRASE)
    try:
        proxy = open_proxy(service, second)
        assert proxy is not None and proxy.frame_count == 30
        assert [read_frame_number(proxy.frame(i)) for i in (0, 17, 29)] == [0, 17, 29]
        proxy.close()
    finally:
        service.close()


@pytest.mark.slow
def test_ctrl_c_during_a_proxy_build_leaves_nothing_behind(tmp_path, library):
    assert run_cli("case", "add", library, "F-014").returncode == 0
    recording = import_video(library, make_video(tmp_path / "long.mp4", frames=1500, size=(640, 360)))
    process = subprocess.Popen(cli_command("proxy", "build", library), cwd=ROOT, env=cli_env(),
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not any(name.endswith(".partial") for name in proxy_files(library)):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 2, err
    assert err.strip() == f"vigstudio: scrubbing preview of recording {recording} cancelled; nothing was changed"
    assert out == "" and proxy_files(library) == []
    assert status(library)["missing"] == 1
    assert run_cli("info", library, "--check").returncode == 0
