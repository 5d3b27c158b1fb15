"""The benchmark scripts still run against the current code (tiny file; no timing assertions)."""

import pytest

from bench import import_, media, playback
from tests.videos import make_video


@pytest.fixture
def small_video(tmp_path):
    return make_video(tmp_path / "small.mp4", frames=80, fps=30, size=(320, 240), gop=40, bframes=2,
                      audio="aac")


def test_frame_access_bench_runs(small_video, capsys):
    media.bench(small_video)
    out = capsys.readouterr().out
    assert "step backward" in out and "random jump" in out


def test_playback_bench_counts_frames_with_the_real_player(small_video, qapp):
    result = playback.play_with_player(small_video, seconds=0.5, speed=1.0)
    assert result["shown"] >= 1
    assert 0 <= result["dropped"] <= result["due"]
    assert result["peak_rss_mb"] > 0
    assert playback.plain_decode_rate(small_video, frames=20) > 0


def test_import_bench_times_the_real_import_and_a_plain_copy(small_video, tmp_path, capsys):
    result = import_.report(small_video, workdir=tmp_path)
    labels = [label for label, _seconds in result["split"]]
    assert labels[0] == "checking the file"
    assert {"encrypting", "verifying", "thumbnails and waveform"} <= set(labels)
    assert result["copy"] > 0 and result["import"] > 0
    assert "import / plain copy" in capsys.readouterr().out
    assert not list(tmp_path.glob("tmp*"))  # the benchmark library is removed afterwards


def test_library_scale_bench_runs_both_sizes_in_fresh_processes(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "library_scale.py"
    out = subprocess.run([sys.executable, str(script), "--cases", "3", "--repeat", "1", "--settle", "0.05"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    assert "longest pause after rename" in out and "3 cases" in out
    assert "RSS with the library window open" in out


def test_phone_bench_copies_a_segment_end_to_end_and_runs(tmp_path, capsys):
    from bench import phone4k
    from vigstudio.media import open_media

    segment = make_video(tmp_path / "seg.mp4", frames=30, fps=30, size=(320, 240), codec="libx265",
                         pix_fmt="yuv420p10le", gop=30, bframes=3)
    long = phone4k.repeat_segment(segment, tmp_path / "long.mp4", minutes=0.1)  # 6 s: 6 copies
    with open_media(long) as source:
        assert source.info.frame_count == 180
    phone4k.bench(long, (160, 120))
    out = capsys.readouterr().out
    assert "held arrow backward" in out and "random jump" in out


def test_reports_bench_runs_both_sizes_in_fresh_processes():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "reports.py"
    out = subprocess.run([sys.executable, str(script), "--cases", "3", "--repeat", "1"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    assert "3 cases" in out and "load average" in out
    for name in ("outcome gather", "activity report (PDF, CSV)", "caseload", "training portfolio (PDF)",
                 "WWW course summary (PDF)"):
        assert name in out
