"""Playback benchmark: the real editor Player (decode thread + PlaybackClock + FramePacer) without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/playback.py FILE [--seconds 60] [--speeds 1 2]

Plays FILE from its first frame with `vigstudio.ui.player.Player` in a Qt event loop (offscreen), its
frames drawn by the editor's real `FrameView` at 960×540, for `--seconds` of wall time at each speed,
and prints `player.droppedFrames()`, frames shown, CPU use and the peak RSS of that run. The baseline,
measured in the same run: the decode rate of a plain PyAV decode of the same file (frames/s, with and
without the conversion to RGB that playback needs), against the rate playback needs (fps × speed).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import av

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vigstudio.media import open_media

VIEW_SIZE = (960, 540)  # a typical editor picture size


# ---------------------------------------------------------------- memory and CPU

def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS counter (VmHWM) of this process, so each stage has its own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """VmHWM (peak resident memory since the last reset) in MiB; ru_maxrss if /proc is not there."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- baseline

def plain_decode_rate(path: Path, frames: int = 600, rgb: bool = True) -> float:
    """Frames per second of a plain PyAV decode from the start (threads on, as the app's decoder)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.thread_type = "AUTO"
        count = 0
        start = time.perf_counter()
        for frame in container.decode(stream):
            if rgb:
                frame.to_ndarray(format="rgb24")
            count += 1
            if count >= frames:
                break
        return count / (time.perf_counter() - start)


# ---------------------------------------------------------------- the real player

def _qt_app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _run_loop(seconds: float, until=None) -> bool:
    """Run the Qt event loop for `seconds`, or until `until()` is true (checked every 10 ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    poll = None
    if until is not None:
        if until():
            return True
        poll = QTimer()
        poll.timeout.connect(lambda: until() and loop.quit())
        poll.start(10)
    loop.exec()
    if poll is not None:
        poll.stop()
    return until() if until is not None else True


def play_with_player(path: Path, seconds: float = 60.0, speed: float = 1.0, index: bytes | None = None,
                     view: bool = True) -> dict:
    """Play `path` with the real Player for `seconds` of wall time at `speed`; return the figures."""
    app = _qt_app()
    from vigstudio.ui.player import Player
    from vigstudio.ui.video_view import FrameView

    reset_peak_rss()
    source = open_media(path, index=index)
    player = Player(source, audio_file=str(path))
    shown: list[int] = []
    player.frameChanged.connect(lambda i, _image: shown.append(i))
    frame_view = None
    if view:
        frame_view = FrameView()
        frame_view.resize(*VIEW_SIZE)
        frame_view.show()
        player.frameChanged.connect(frame_view.set_frame)
        player.stateChanged.connect(lambda state: frame_view.set_playing(state == "playing"))
    try:
        if not _run_loop(30, until=lambda: bool(shown)):
            raise RuntimeError("the player showed no first frame within 30 s")
        player.set_speed(speed)
        shown.clear()
        cpu = cpu_seconds()
        start = time.perf_counter()
        player.play()
        _run_loop(seconds)
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
        media_seconds = player.clock.position()
        player.pause()
        result = {
            "speed": speed, "seconds": elapsed, "dropped": player.droppedFrames(), "shown": len(shown),
            "due": source.frame_at_time(media_seconds) + 1, "media_seconds": media_seconds,
            "fps": source.info.average_fps, "cpu_share": cpu / elapsed / (os.cpu_count() or 1),
            "audio": player.audio_status or "sound on", "peak_rss_mb": peak_rss_mb(),
        }
    finally:
        player.close()
        source.close()
        if frame_view is not None:
            frame_view.close()
            frame_view.deleteLater()
        app.processEvents()
    return result


def report(path: Path, seconds: float, speeds: list[float], index: bytes | None = None) -> list[dict]:
    with open_media(path, index=index) as source:
        info = source.info
        index = source.index_bytes()
    fps = float(info.average_fps or 0)
    decode_only = plain_decode_rate(path, rgb=False)
    decode_rgb = plain_decode_rate(path, rgb=True)
    print(f"\nplayback of {path.name} ({info.width}x{info.height} @ {fps:.2f} fps, {info.duration:.0f} s) "
          f"with the real Player, offscreen, FrameView {VIEW_SIZE[0]}x{VIEW_SIZE[1]}")
    print(f"baseline: plain PyAV decode {decode_only:.0f} fps, decode + RGB {decode_rgb:.0f} fps "
          f"(playback needs {fps:.0f} fps at 1x, {2 * fps:.0f} at 2x) on {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    results = []
    for speed in speeds:
        wall = min(seconds, (float(info.duration) - 1.0) / speed)  # stop before the end of the file
        r = play_with_player(path, wall, speed, index=index)
        results.append(r)
        verdict = "ok" if r["dropped"] == 0 else "MISSED"
        print(f"{speed:g}x for {r['seconds']:.0f} s: dropped {r['dropped']} of {r['due']} frames due "
              f"(shown {r['shown']}; decode+RGB headroom {decode_rgb / (fps * speed):.2f}x)  "
              f"CPU {100 * r['cpu_share']:.0f}% of all cores  peak RSS {r['peak_rss_mb']:.0f} MB  "
              f"goal 0 dropped: {verdict}  [{r['audio']}]")
    return results


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--speeds", type=float, nargs="+", default=[1.0, 2.0])
    args = parser.parse_args(argv)
    for path in args.files:
        report(path, args.seconds, args.speeds)


if __name__ == "__main__":
    main(sys.argv[1:])
