"""Media benchmarks: frame access, playback and import, each against a baseline measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/media.py [FILE...] [--only access playback import]
        [--seconds 60] [--keep DIR]

Without FILE, generates three 2-minute 1080p30 H.264 recordings with a 10 s GOP, camera-like
texture and AAC sound, differing in B-frames and slices (see TEST_FILES), in a temporary folder
(or in DIR with --keep, reused on the next run; the generation is not timed) and runs everything
on each:
- frame access: median times for random jumps, 30 single steps forward and 30 steps backward, the
  ratios (engine / naive; goals: steps <= 0.10, jumps <= 0.67, i.e. 1.5x faster), index time, RSS.
  Naive = PyAV: seek to the keyframe before the frame, decode forward to it, convert to RGB;
- previews: the scrubbing proxy built into an encrypted container (time against the plain copy),
  then for the same random jumps "time to the exact preview" (the jumped-to frame's proxy picture)
  and "time to the full frame" beside naive (goal: preview <= 0.10 of naive), and a drag over 60
  neighbouring positions (every one's preview);
- playback (bench/playback.py): the real Player for 60 s at 1x and 2x, dropped frames and peak RSS,
  against the plain PyAV decode rate (goal: nothing dropped);
- import (bench/import_.py): LibraryService.import_recording against ContainerStore.create alone
  (the plain SQLCipher copy), with the split by stage (goal <= 2x).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import av

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vigstudio.media import open_media

JUMPS, STEPS, STARTS = 12, 30, 1


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


class Naive:
    def __init__(self, path, frame_pts):
        self.container = av.open(str(path))
        self.stream = self.container.streams.video[0]
        self.frame_pts = frame_pts

    def frame(self, i, size=None):
        target = int(self.frame_pts[i])
        self.container.seek(target, backward=True, stream=self.stream)
        for frame in self.container.decode(self.stream):
            if frame.pts is not None and frame.pts >= target:
                if size is not None:
                    return frame.reformat(size[0], size[1], format="rgb24", interpolation="AREA").to_ndarray()
                return frame.to_ndarray(format="rgb24")
        raise RuntimeError(f"frame {i} not found")

    def close(self):
        self.container.close()


def picture_structure(path: Path) -> tuple[float, float] | None:
    """(share of pictures no other picture refers to, slices per picture) of an H.264 stream, read
    from the packets without decoding (nal_ref_idc and the coded-slice NAL units of each packet);
    None for other codecs. A jump need not decode the first kind; slices let decoders use all cores."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.codec_context.name != "h264" or not stream.codec_context.extradata:
            return None
        pictures = unreferenced = slices = 0
        for packet in container.demux(stream):
            data, at, first = bytes(packet), 0, True
            while at + 5 <= len(data):  # 4-byte length-prefixed NAL units (avcC)
                size, header = int.from_bytes(data[at:at + 4], "big"), data[at + 4]
                if header & 0x1F in (1, 5):  # a coded slice
                    slices += 1
                    if first:
                        pictures += 1
                        unreferenced += (header >> 5) & 3 == 0
                        first = False
                at += 4 + size
        return (unreferenced / pictures, slices / pictures) if pictures else None


def timed(fn, i) -> float:
    start = time.perf_counter()
    fn(i)
    return time.perf_counter() - start


def measure(engine, naive, count, rng, settle, preview):
    """Median seconds {scenario: (engine, naive)}. The two methods alternate, so a machine busy
    with other work slows both alike; each stepping run starts with an untimed jump. `settle()`
    waits for the engine's background prefetch before each naive jump, which would otherwise
    compete with it for the cores and flatter the ratio. A jump's preview is timed just before
    its full frame (what the editor does: preview shown, then the full frame asked for)."""
    jumps = {"engine": [], "naive": []}
    previews = []
    for i in rng.sample(range(count), min(count, JUMPS)):
        settle()
        jumps["naive"].append(timed(naive, i))
        previews.append(timed(preview, i))
        jumps["engine"].append(timed(engine, i))
    results = {"random jump: full": jumps, "random jump: preview": {"engine": previews, "naive": jumps["naive"]}}
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


# 10 s-GOP recordings. How a file is sliced matters as much as its B-frames: a picture cut
# into slices (what PyAV's libx264 writes by default, and many camcorders) lets even the naive
# method's slice threads use every core, so a jump there is bound by decoding throughput for both;
# with one slice a picture (the ffmpeg command line, most phones) only frame threads help.
TEST_FILES = {
    "bench_720p30_gop10s_1slice_120s.mp4": ("720p, B-frames where x264 decides, one slice a picture",
                                            {}, "FRAME", (1280, 720)),
    "bench_1080p30_gop10s_1slice_120s.mp4": ("B-frames where x264 decides, one slice a picture",
                                             {}, "FRAME", (1920, 1080)),
    "bench_1080p30_gop10s_120s.mp4": ("B-frames where x264 decides, sliced", {}, None, (1920, 1080)),
    "bench_1080p30_gop10s_ibbbp_120s.mp4": ("fixed I-BBB-P, sliced", {"x264-params": "b-adapt=0"}, None,
                                            (1920, 1080)),
}


def make_test_files(folder: Path) -> list[Path]:
    """The benchmark recordings in `folder`, made once (existing ones are reused)."""
    from tests.videos import make_video

    paths = []
    for name, (structure, options, encoder_threads, size) in TEST_FILES.items():
        path = folder / name
        paths.append(path)
        if path.exists():
            print(f"reusing {path}", flush=True)
            continue
        print(f"generating {size[1]}p30 H.264, 120 s, keyframe every 10 s, up to 3 B-frames ({structure}), "
              "camera-like texture, AAC (a few minutes) ...", flush=True)
        partial = path.with_suffix(".partial.mp4")
        make_video(partial, frames=120 * 30, fps=30, size=size, gop=300, bframes=3, texture=True,
                   audio="aac", options={"preset": "superfast", "crf": "21", **options},
                   encoder_threads=encoder_threads)
        partial.replace(path)
    return paths


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
    structure = picture_structure(path)
    if structure is not None:
        print(f"non-reference pictures (a jump need not decode those before its frame): {structure[0]:.0%}; "
              f"{structure[1]:.1f} slices a picture")
    print(f"index {index_s:.2f} s vs raw SQLCipher copy (write only) {copy_s:.2f} s: copy + index = "
          f"{(copy_s + index_s) / copy_s:.2f}x the copy (the whole import is measured separately)")
    start = time.perf_counter()
    again = open_media(path, index=source.index_bytes())
    print(f"reopen with stored index: {time.perf_counter() - start:.3f} s "
          f"({len(source.index_bytes())} bytes of index)")
    again.close()

    naive = Naive(path, source._index.frame_pts)
    with tempfile.TemporaryDirectory() as tmp, stored_proxy(source, Path(tmp), copy_s) as proxy:
        results = measure(source.frame, naive.frame, info.frame_count, random.Random(1), source.wait_prefetch,
                          proxy.frame)
        drag = drag_previews(proxy, info.frame_count, random.Random(2))
    naive.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'':22}{'engine':>10}{'naive':>10}{'ratio':>8}{'goal':>8}")
    for name, goal in (("random jump: preview", 0.10), ("random jump: full", 0.67), ("step forward", 0.10),
                       ("step backward", 0.10)):
        e, n = results[name]
        ratio = e / n
        print(f"{name:22}{e * 1000:8.1f}ms{n * 1000:8.1f}ms{ratio:8.3f}{goal:8.2f} "
              f"{'ok' if ratio <= goal else 'MISSED'}")
    print(f"dragging over {len(drag)} neighbouring positions: preview of each in {statistics.median(drag) * 1000:.2f} ms "
          f"(median), {max(drag) * 1000:.2f} ms (slowest)")
    print(f"RSS now {rss_mb():.0f} MB, peak {peak:.0f} MB; cache {source.cache_bytes / 2**20:.0f} MB")
    source.close()


@contextmanager
def stored_proxy(source, folder: Path, copy_s: float):
    """The recording's scrubbing proxy, made and stored the app's way (straight into an encrypted
    container, read back and verified), opened from there."""
    from vigstudio.media.proxy import ProxyReader, StreamFile, proxy_stream
    from vigstudio.store.containers import ContainerStore

    store = ContainerStore(folder, lambda: [])
    start = time.perf_counter()
    name, _, key = store.create(StreamFile(proxy_stream(source)))
    build_s = time.perf_counter() - start
    reader = store.open_reader(name, key)
    proxy = ProxyReader(reader, source.info.frame_count)
    print(f"previews ({proxy.width}x{proxy.height}, {reader.size / 2**20:.1f} MB encrypted): built in "
          f"{build_s:.1f} s = {build_s / copy_s:.1f}x the plain encrypted copy (in the background after the import)")
    try:
        yield proxy
    finally:
        proxy.close()
        reader.close()


def drag_previews(proxy, count: int, rng) -> list[float]:
    """Seconds to each preview while dragging over 60 neighbouring positions, back and forth."""
    start = rng.randrange(0, max(1, count - 40))
    path = [min(count - 1, start + k) for k in range(40)] + [min(count - 1, start + 39 - k) for k in range(20)]
    return [timed(proxy.frame, i) for i in path]


def run(path: Path, parts: list[str], seconds: float) -> None:
    """Each part after frame access runs in its own process, so its peak RSS is its own."""
    if "access" in parts:
        bench(path)
    here = Path(__file__).resolve().parent
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               QT_LOGGING_RULES="qt.multimedia*=false")  # no sound device here: that is expected
    if "playback" in parts:
        subprocess.run([sys.executable, str(here / "playback.py"), str(path), "--seconds", str(seconds)],
                       check=True, env=env)
    if "import" in parts:
        subprocess.run([sys.executable, str(here / "import_.py"), str(path)], check=True, env=env)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--seconds", type=float, default=60.0, help="playback wall time per speed")
    parser.add_argument("--keep", type=Path, help="folder for the generated file, reused next time")
    args = parser.parse_args(argv)
    if args.files:
        for path in args.files:
            run(path, args.only, args.seconds)
    elif args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for path in make_test_files(args.keep):
            run(path, args.only, args.seconds)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            for path in make_test_files(Path(tmp)):
                run(path, args.only, args.seconds)


PARTS = ("access", "playback", "import")

if __name__ == "__main__":
    main(sys.argv[1:])
