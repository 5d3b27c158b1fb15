"""Frame access benchmark: VIG Studio's media engine against the naive PyAV method, same file, same run.

    .venv/bin/python bench/media.py [FILE...]

Without FILE, generates a 1080p H.264 test file with a 10 s GOP and B-frames in a temporary folder.
Prints median times for random jumps, 30 single steps forward and 30 steps backward, the ratios
(engine / naive; goals: steps <= 0.10, jumps <= 0.75), index time against a plain copy, and RSS.
Naive = PyAV: seek to the keyframe before the frame, decode forward to it, convert to RGB.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vigstudio.media import open_media  # noqa: E402

JUMPS, STEPS, STARTS = 12, 30, 1


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


class Naive:
    def __init__(self, path, frame_pts):
        self.container = av.open(str(path))
        self.stream = self.container.streams.video[0]
        self.frame_pts = frame_pts

    def frame(self, i):
        target = int(self.frame_pts[i])
        self.container.seek(target, backward=True, stream=self.stream)
        for frame in self.container.decode(self.stream):
            if frame.pts is not None and frame.pts >= target:
                return frame.to_ndarray(format="rgb24")
        raise RuntimeError(f"frame {i} not found")

    def close(self):
        self.container.close()


def timed(fn, i) -> float:
    start = time.perf_counter()
    fn(i)
    return time.perf_counter() - start


def measure(engine, naive, count, rng):
    """Median seconds {scenario: (engine, naive)}. The two methods alternate, so a machine busy
    with other work slows both alike; each stepping run starts with an untimed jump."""
    jumps = {"engine": [], "naive": []}
    for i in rng.sample(range(count), min(count, JUMPS)):
        jumps["naive"].append(timed(naive, i))
        jumps["engine"].append(timed(engine, i))
    results = {"random jump": jumps}
    for name, step in (("step forward", 1), ("step backward", -1)):
        times = {"engine": [], "naive": []}
        for _ in range(STARTS):
            start = rng.randrange(STEPS + 1, count - STEPS - 1)
            for method, fn in (("naive", naive), ("engine", engine)):
                fn(start)
                times[method] += [timed(fn, start + step * k) for k in range(1, STEPS + 1)]
        results[name] = times
    return {name: (statistics.median(t["engine"]), statistics.median(t["naive"]))
            for name, t in results.items()}


def make_test_file(folder: Path) -> Path:
    from tests.videos import make_video

    path = folder / "bench_1080p_gop10s.mp4"
    print("generating 1080p25 H.264, 20 s, keyframe every 10 s, 3 B-frames, camera-like texture ...",
          flush=True)
    make_video(path, frames=500, fps=25, size=(1920, 1080), gop=250, bframes=3, texture=True,
               options={"preset": "superfast", "crf": "21"})
    return path


def sqlcipher_copy_seconds(path: Path) -> float:
    """A plain encrypted copy of the bytes, like the library's containers (1 MiB chunks, 64 KiB pages)."""
    import sqlcipher3

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        db = sqlcipher3.connect(str(Path(tmp) / "copy.vigm"))
        db.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
        db.execute("PRAGMA cipher_page_size = 65536")
        db.execute("CREATE TABLE chunk (n INTEGER PRIMARY KEY, data BLOB)")
        with open(path, "rb") as f, db:
            for n, data in enumerate(iter(lambda: f.read(1 << 20), b"")):
                db.execute("INSERT INTO chunk VALUES (?, ?)", (n, data))
        db.close()
        return time.perf_counter() - start


def bench(path: Path) -> None:
    size_mb = path.stat().st_size / 2**20
    copy_s = sqlcipher_copy_seconds(path)
    start = time.perf_counter()
    source = open_media(path)
    index_s = time.perf_counter() - start
    info = source.info
    print(f"\n{path.name}: {info.width}x{info.height} {info.video_codec}, {info.frame_count} frames, "
          f"{info.duration:.1f} s, {size_mb:.0f} MB, index by {info.index_method}")
    print(f"index {index_s:.2f} s vs plain SQLCipher copy {copy_s:.2f} s: import ~ copy + index = "
          f"{(copy_s + index_s) / copy_s:.2f}x the plain copy (goal <= 2)")
    start = time.perf_counter()
    again = open_media(path, index=source.index_bytes())
    print(f"reopen with stored index: {time.perf_counter() - start:.3f} s "
          f"({len(source.index_bytes())} bytes of index)")
    again.close()

    naive = Naive(path, source._index.frame_pts)
    results = measure(source.frame, naive.frame, info.frame_count, random.Random(1))
    naive.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'':16}{'engine':>10}{'naive':>10}{'ratio':>8}{'goal':>8}")
    for name, goal in (("random jump", 0.75), ("step forward", 0.10), ("step backward", 0.10)):
        e, n = results[name]
        ratio = e / n
        print(f"{name:16}{e * 1000:8.1f}ms{n * 1000:8.1f}ms{ratio:8.3f}{goal:8.2f} "
              f"{'ok' if ratio <= goal else 'MISSED'}")
    print(f"RSS now {rss_mb():.0f} MB, peak {peak:.0f} MB; cache {source.cache_bytes / 2**20:.0f} MB")
    source.close()


def main(argv: list[str]) -> None:
    if argv:
        for name in argv:
            bench(Path(name))
        return
    with tempfile.TemporaryDirectory() as tmp:
        bench(make_test_file(Path(tmp)))


if __name__ == "__main__":
    main(sys.argv[1:])
