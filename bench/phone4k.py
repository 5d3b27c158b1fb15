"""Phone 4K benchmark: a 10-minute 4K HEVC 10-bit recording (1 s GOP, B-frames) in the editor's way.

    .venv/bin/python bench/phone4k.py [FILE] [--keep DIR] [--minutes 10] [--view 1280x720]

Makes (once, reused from DIR) a 20 s 4K HEVC Main10 segment with libx265 and copies it end to end
without re-encoding up to `--minutes`, like an iPhone recording (or takes FILE, e.g. a long 1080p
recording). Then, the source used the editor's way (frames kept and converted at the view's size,
markers kept ready), against naive PyAV seek-and-decode (converting at the same size) in the same run:
- random jump: engine / naive, goal <= 1.0;
- a single step either way after a pause (goal <= 8 ms), a held arrow key backward and forward
  (frames a second, goal >= 15), and the process's RSS while doing all this (goal <= 600 MB).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vigstudio.media import open_media

try:
    from bench.media import Naive, rss_mb, timed
    from bench.playback import peak_rss_mb, reset_peak_rss
except ImportError:  # run as a script from bench/
    from media import Naive, rss_mb, timed  # type: ignore[no-redef]
    from playback import peak_rss_mb, reset_peak_rss  # type: ignore[no-redef]

SEGMENT = "bench_4k_hevc10_gop1s_20s.mp4"


def make_segment(path: Path, seconds: int = 20) -> Path:
    from tests.videos import make_video

    if path.exists():
        print(f"reusing {path}", flush=True)
        return path
    print(f"encoding a {seconds} s 4K HEVC 10-bit segment with libx265 (1 s GOP, 3 B-frames; many minutes) ...",
          flush=True)
    partial = path.with_suffix(".partial.mp4")
    make_video(partial, frames=seconds * 30, fps=30, size=(3840, 2160), codec="libx265", pix_fmt="yuv420p10le",
               gop=30, bframes=3, texture=True, options={"preset": "ultrafast"})
    partial.replace(path)
    return path


def repeat_segment(segment: Path, path: Path, minutes: float) -> Path:
    """The segment's packets copied end to end (no re-encoding) until `minutes` long."""
    if path.exists():
        print(f"reusing {path}", flush=True)
        return path
    partial = path.with_suffix(".partial.mp4")
    with av.open(str(segment)) as source:
        stream = source.streams.video[0]
        length = max(p.pts + p.duration for p in source.demux(stream) if p.pts is not None)
        copies = max(1, round(minutes * 60 * float(stream.average_rate) / stream.frames)) if stream.frames else 1
        with av.open(str(partial), "w") as out:
            copy = out.add_stream_from_template(stream)
            for n in range(copies):
                source.seek(0, stream=stream)
                for packet in source.demux(stream):
                    if packet.dts is None:
                        continue
                    packet.pts += n * length
                    packet.dts += n * length
                    packet.stream = copy
                    out.mux(packet)
    partial.replace(path)
    return path


def cpu_timed(fn, i, cpu: list[float]) -> float:
    """Wall seconds of fn(i); the process's CPU seconds meanwhile (the prefetch is idle) go to `cpu`."""
    start = time.process_time()
    wall = timed(fn, i)
    cpu.append(time.process_time() - start)
    return wall


def load() -> str:
    return "load average " + " ".join(f"{v:.1f}" for v in os.getloadavg())


def held_arrow(source, start: int, step: int, count: int, size) -> float:
    """Frames a second while stepping `count` times without pausing (a held arrow key)."""
    begin = time.perf_counter()
    for k in range(1, count + 1):
        source.frame(start + step * k, size)
    return count / (time.perf_counter() - begin)


def bench(path: Path, view: tuple[int, int], with_naive: bool = True) -> None:
    """Without `with_naive` the jumps are the engine's alone: that process's RSS is the editor's."""
    reset_peak_rss()  # the segment's encoding is not the editor's memory
    start = time.perf_counter()
    source = open_media(path)
    open_s = time.perf_counter() - start
    info = source.info
    print(f"\n{path.name}: {info.width}x{info.height} {info.video_codec}, {info.frame_count} frames, "
          f"{info.duration:.0f} s, {path.stat().st_size / 2**20:.0f} MB; opened (indexed) in {open_s:.2f} s "
          f"({load()})")
    rng = random.Random(4)
    count = info.frame_count
    source.set_view_size(view)  # what the editor's player does
    source.keep_ready(rng.sample(range(count), 12))  # markers and clips of the session
    naive = Naive(path, source._index.frame_pts) if with_naive else None
    jumps: dict[str, list[float]] = {"engine": [], "naive": []}
    cpu: dict[str, list[float]] = {"engine": [], "naive": []}  # all threads' CPU time: what load cannot skew
    for i in rng.sample(range(count), 8):
        source.wait_prefetch()
        if naive is not None:
            jumps["naive"].append(cpu_timed(lambda k: naive.frame(k, view), i, cpu["naive"]))
        jumps["engine"].append(cpu_timed(lambda k: source.frame(k, view), i, cpu["engine"]))
    e = statistics.median(jumps["engine"])
    if naive is not None:
        naive.close()
        n = statistics.median(jumps["naive"])
        ce, cn = statistics.median(cpu["engine"]), statistics.median(cpu["naive"])
        print(f"random jump at {view[0]}x{view[1]}: engine {e * 1000:.0f} ms, naive {n * 1000:.0f} ms, "
              f"ratio {e / n:.2f} (goal <= 1.0) {'ok' if e <= n else 'MISSED'}; CPU time engine "
              f"{ce * 1000:.0f} ms, naive {cn * 1000:.0f} ms, ratio {ce / cn:.2f}")
    else:
        print(f"random jump at {view[0]}x{view[1]}: engine {e * 1000:.0f} ms (no naive decoder in this process)")
    steps = {"forward": [], "backward": []}
    for i in rng.sample(range(2, count - 2), 6):
        source.frame(i, view)
        source.wait_prefetch()  # a pause: the prefetch decodes around the frame
        steps["forward"].append(timed(lambda k: source.frame(k, view), i + 1))
        source.wait_prefetch()
        steps["backward"].append(timed(lambda k: source.frame(k, view), i))
        source.wait_prefetch()
        steps["backward"].append(timed(lambda k: source.frame(k, view), i - 1))
    for name, times in steps.items():
        median = statistics.median(times)
        print(f"single step {name} after a pause, at {view[0]}x{view[1]}: {median * 1000:.1f} ms median, "
              f"{max(times) * 1000:.1f} ms slowest (goal <= 8 ms) {'ok' if median <= 0.008 else 'MISSED'}")
    for name, step in (("backward", -1), ("forward", 1)):
        i = rng.randrange(min(100, count // 2), max(min(100, count // 2) + 1, count - 100))
        source.frame(i, view)
        source.wait_prefetch()
        fps = held_arrow(source, i, step, min(90, i if step < 0 else count - 1 - i), view)
        print(f"held arrow {name}: {fps:.1f} frames a second (goal >= 15) {'ok' if fps >= 15 else 'MISSED'}")
    print(f"RSS now {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB{' (with the naive decoder)' if with_naive else ''}"
          f" (goal <= 600); cache {source.cache_bytes / 2**20:.0f} MB ({load()})")
    source.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="a recording to use instead of the generated one")
    parser.add_argument("--keep", type=Path, help="folder for the generated files, reused next time")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--view", default="1280x720", help="the editor view's size in device pixels")
    parser.add_argument("--engine-only", action="store_true", help="(used internally) no naive decoder")
    args = parser.parse_args(argv)
    view = tuple(int(v) for v in args.view.split("x"))
    if args.file:
        bench(args.file, view, with_naive=not args.engine_only)  # type: ignore[arg-type]
        if not args.engine_only:  # the editor's memory, in a process of its own
            subprocess.run([sys.executable, __file__, str(args.file), "--view", args.view, "--engine-only"],
                           check=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        segment = make_segment(folder / SEGMENT)
        long = repeat_segment(segment, folder / f"bench_4k_hevc10_{args.minutes:g}min.mp4", args.minutes)
        main([str(long), "--view", args.view])


if __name__ == "__main__":
    main(sys.argv[1:])
