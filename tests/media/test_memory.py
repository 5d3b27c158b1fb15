"""Freed frames go back to the system, also after a picture bigger than glibc's dynamic mmap
threshold has been freed (which would otherwise keep later ones in a holed heap): with the threshold
fixed (sources above 1080p), and by trimming the heap when the engine goes idle."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.cli.conftest import ROOT
from tests.videos import make_video
from vigstudio.media import memory, open_media

CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    from vigstudio.media.memory import give_back_free_memory, return_large_buffers

    def rss_mb():
        with open("/proc/self/status") as f:
            return int(next(line for line in f if line.startswith("VmRSS")).split()[1]) >> 10

    applied = return_large_buffers() if sys.argv[1] == "fixed" else False
    base = rss_mb()
    picture = np.ones(25 << 20, np.uint8)  # a 4K 10-bit picture, freed: glibc raises its threshold
    del picture
    frames, small = [], []
    for _ in range(100):  # view-size frames, each beside a small allocation (8 KB: malloc's) that lives on
        frames.append(np.ones(1400 << 10, np.uint8))
        small.append(np.ones(1024))
    del frames
    if sys.argv[1] == "trim":
        applied = give_back_free_memory()
    print(applied, rss_mb() - base)
""")


def kept_mb(mode: str) -> tuple[bool, int]:
    result = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    applied, kept = result.stdout.split()
    return applied == "True", int(kept)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
@pytest.mark.parametrize("remedy", ["fixed", "trim"])
def test_freed_frames_leave_the_process_after_a_large_picture(remedy):
    applied, kept = kept_mb(remedy)
    if not applied:
        pytest.skip("the C library is not glibc")
    assert kept < 10
    _, kept_by_default = kept_mb("default")
    assert kept_by_default > 30  # what the remedy saves (else this test would prove nothing)


def test_a_source_above_1080p_fixes_the_threshold_and_trims_are_spaced(tmp_path):
    with open_media(make_video(tmp_path / "v.mp4", frames=2, size=(2880, 1808))):
        assert memory._applied or not memory.return_large_buffers()
    memory._last_trim = 0.0
    if memory.give_back_free_memory():  # glibc: the next one right away is skipped
        assert not memory.give_back_free_memory()
