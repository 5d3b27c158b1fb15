"""Clip export benchmark: a 10 s 1080p clip, fully re-encoded and smart-cut, as ratios to real time.

    .venv/bin/python bench/export.py [--seconds 10] [--gop 30] [--runs 3] [--container]

Generates a 1080p30 H.264 recording (phone-like: 1 s GOP, B-frames, AAC, camera-like texture and
grain) in a temporary folder, exports a clip starting mid-GOP, and prints for each method and run the
export time, the ratio clip length / export time (goals: re-encode >= 2x, smart cut >= 10x) and the
exactness check done in the same run (every exported frame decoded and its number compared, audio
length against video length), then the median and spread of the runs.
As in the app, the recording's stored frame index is passed in (made once, untimed, like at import).
--container reads the recording through the library's encrypted container reader (SQLCipher, as the
app does) instead of a plain file, and first times a plain read of the whole container against
reading the file.
CPU seconds and the load average are printed too: on a busy machine the wall-clock ratios drop, so
each run also gets the ratio its CPU time allows on an idle machine (an upper bound).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.media.export_checks import decode_export
from tests.videos import make_video
from vigstudio.media import open_media
from vigstudio.media.export import export_clip
from vigstudio.store.containers import ContainerStore

FPS = 30
GOALS = {"reencode": 2.0, "smartcut": 10.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--gop", type=int, default=FPS, help="source keyframe interval in frames")
    parser.add_argument("--runs", type=int, default=3, help="exports per method (the spread is printed)")
    parser.add_argument("--container", action="store_true",
                        help="read the source through the encrypted container reader, as the app does")
    args = parser.parse_args()
    clip_frames = round(args.seconds * FPS)
    start = FPS // 2 + 3  # mid-GOP, so the smart cut has a head and a tail to re-encode
    total = start + clip_frames + FPS
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        source = make_video(tmp / "source.mp4", frames=total, fps=FPS, size=(1920, 1080), gop=args.gop,
                            bframes=2, audio="aac", texture=True, options={"preset": "ultrafast"})
        print(f"source: {total} frames 1920x1080@{FPS}, GOP {args.gop}, "
              f"{source.stat().st_size / 2**20:.1f} MiB, made in {time.perf_counter() - t:.1f} s")
        print(f"clip: frames {start}..{start + clip_frames} ({clip_frames / FPS:.1f} s)")
        with open_media(source) as media:
            index = media.index_bytes()
        with contextlib.ExitStack() as stack:
            reader = _container_reader(stack, tmp, source) if args.container else None
            failed = False
            for method, smart in (("reencode", False), ("smartcut", True)):
                ratios = []
                for run in range(args.runs):
                    ratio, ok = _export_once(reader or source, tmp / f"{method}{run}.mp4", method, smart,
                                             start, clip_frames, index)
                    ratios.append(ratio)
                    failed |= not ok
                print(f"{method:9s} median {statistics.median(ratios):5.1f}x real time "
                      f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x over {len(ratios)} runs; "
                      f"goal >= {GOALS[method]:.0f}x)")
        return 1 if failed else 0


def _export_once(source, out: Path, method: str, smart: bool, start: int, clip_frames: int,
                 index: bytes) -> tuple[float, bool]:
    load = os.getloadavg()[0]
    cpu = _cpu_seconds()
    t = time.perf_counter()
    result = export_clip(source, start, start + clip_frames, out, smart_cut=smart, index=index)
    elapsed = time.perf_counter() - t
    cpu = _cpu_seconds() - cpu
    ratio = clip_frames / FPS / elapsed
    decoded = decode_export(out)
    exact = decoded.numbers == list(range(start, start + clip_frames))
    in_sync = abs(decoded.audio_seconds - decoded.video_seconds) <= 1 / FPS
    ok = exact and in_sync and result.method == method
    bound = clip_frames / FPS / (cpu / (os.cpu_count() or 1))
    print(f"{method:9s} {elapsed:6.2f} s  {ratio:5.1f}x real time  exact={exact} audio-in-sync={in_sync} "
          f"copied GOPs={result.copied_gops} ({result.copied_frames} frames)  "
          f"{out.stat().st_size / 2**20:.1f} MiB  CPU {cpu:.1f} s (idle bound {bound:.1f}x)  "
          f"load {load:.1f}/{os.cpu_count()}")
    out.unlink()
    return ratio, ok


def _container_reader(stack: contextlib.ExitStack, tmp: Path, source: Path):
    """The source in an encrypted container, opened as the app opens recordings; times a full read."""
    store = ContainerStore(tmp / "media", referenced=lambda: [])
    store.folder.mkdir()
    name, _sha, key_hex = store.create(source)
    reader = stack.enter_context(contextlib.closing(store.open_reader(name, key_hex)))
    t = time.perf_counter()
    with open(source, "rb") as f:
        while f.read(2**16):
            pass
    plain = time.perf_counter() - t
    t = time.perf_counter()
    while reader.read(2**16):
        pass
    decrypting = time.perf_counter() - t
    reader.seek(0)
    size = source.stat().st_size / 2**20
    print(f"container: reading all {size:.1f} MiB in 64 KiB reads takes {decrypting * 1000:.0f} ms "
          f"({size / decrypting:.0f} MiB/s) against {plain * 1000:.0f} ms from the plain file")
    return reader


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
