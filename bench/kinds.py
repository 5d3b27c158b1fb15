"""What the file kinds of issue 17 cost: opening (indexing) and random jumps, against FFmpeg in the same run.

    .venv/bin/python bench/kinds.py [--seconds 30] [--keep DIR]

Generates, per kind, a 720p25 H.264 file with B-frames and a 2 s GOP (the generation is not timed):
a plain MP4 (the reference), an MP4 whose display matrix is a transpose (mirrored), an MP4 with a
high-resolution still track and a depth track beside the main one, an AVI with B-frames (indexed by
decoding order: a "sequence" index), and an MPEG-TS with broken and foreign NAL units in a few access
units (a full decode on one thread, and the damaged GOPs decoded again from their keyframes).

For each it prints the method the index needed, open time / one full FFmpeg decode of the same file
(with frame threads, as the ffmpeg tool), and the median random jump / naive seek-and-decode
(naive = PyAV: seek before the frame, decode forward to it, convert to RGB), with every served
frame checked against its number.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.media.kind_files import MATRICES, inject_nals, junk_nal, make_tracks
from tests.videos import make_video, read_frame_number
from vigstudio.media import open_media

SIZE, FPS, GOP = (1280, 720), 25, 50
JUMPS = 10


def make_files(folder: Path, seconds: int) -> dict[str, Path]:
    frames = seconds * FPS
    common = dict(frames=frames, size=SIZE, fps=FPS, gop=GOP, bframes=2, texture=True, encoder_threads="FRAME")
    files = {}
    plain = folder / "plain.mp4"
    if not plain.exists():
        make_video(plain, **common)
    files["plain mp4"] = plain

    mirrored = folder / "mirrored.mp4"
    if not mirrored.exists():
        with av.open(str(plain)) as src, av.open(str(mirrored), "w") as out:
            video = src.streams.video[0]
            target = out.add_stream_from_template(video)
            target.set_display_matrix(list(MATRICES["transpose"]))
            for packet in src.demux(video):
                if packet.size:
                    packet.stream = target
                    out.mux(packet)
    files["mirrored mp4"] = mirrored

    tracks = folder / "motion.mp4"
    if not tracks.exists():
        main = dict(size=SIZE, fps=FPS, frames=frames, gop=GOP)
        make_tracks(tracks, [main, dict(size=(1920, 1440), fps=1, frames=1, offset=50000, gop=1, bframes=0),
                             dict(size=(320, 180), fps=FPS, frames=frames, offset=30000, handler="Depth")])
    files["still+depth tracks"] = tracks

    avi = folder / "bframes.avi"
    if not avi.exists():
        make_video(avi, **common)
    files["avi b-frames"] = avi

    damaged = folder / "damaged.ts"
    if not damaged.exists():
        every = set(range(17, frames, frames // 4))
        inject_nals(plain, damaged, lambda k, n: (n[:1] + [b"\x09\xf0"] + n[1:] + [junk_nal(0x17, seed=k)]
                                                  if k in every else None))
    files["damaged ts"] = damaged
    return files


def full_decode_seconds(path: Path) -> float:
    start = time.perf_counter()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.thread_type = "AUTO"
        for packet in container.demux(stream):
            try:
                stream.codec_context.decode(packet)
            except av.FFmpegError:
                pass
    return time.perf_counter() - start


def naive_jump(path: Path, seconds_at: float, stream_number: int) -> float:
    start = time.perf_counter()
    with av.open(str(path)) as container:
        stream = container.streams.video[stream_number]
        target = int(seconds_at / float(stream.time_base)) + (stream.start_time or 0)
        container.seek(target, backward=True, stream=stream)
        for frame in container.decode(stream):
            if frame.pts is not None and frame.pts >= target:
                frame.to_ndarray(format="rgb24")
                break
    return time.perf_counter() - start


def measure(name: str, path: Path) -> None:
    decode = full_decode_seconds(path)
    start = time.perf_counter()
    source = open_media(path)
    opened = time.perf_counter() - start
    info = source.info
    rng = random.Random(name)
    picks = [rng.randrange(info.frame_count) for _ in range(JUMPS)]
    engine, naive, wrong = [], [], 0
    checked = name != "damaged ts"  # (its extra pictures shift the numbers; tests/media checks it exactly)
    try:
        for i in picks:
            t = time.perf_counter()
            rgb = source.frame(i)
            engine.append(time.perf_counter() - t)
            if info.mirrored:  # stored upright with a transpose matrix: undo it to read the number
                rgb = rgb.transpose(1, 0, 2)
            if checked:
                try:
                    wrong += read_frame_number(rgb) != i
                except ValueError:
                    wrong += 1
            source._engine.cache.clear()  # every jump from cold, as naive
            source.wait_prefetch()
            naive.append(naive_jump(path, source.frame_time(i), info.video_track))
    finally:
        source.close()
    print(f"{name:20} {info.index_method:9} {info.frame_count:6d} frames  open {opened:6.2f} s = "
          f"{opened / decode:4.2f}x full decode ({decode:5.2f} s)   jump {statistics.median(engine) * 1000:6.1f} ms"
          f" = {statistics.median(engine) / statistics.median(naive):4.2f}x naive   wrong frames: {wrong}"
          f"   rotation {info.rotation} mirrored {info.mirrored} track {info.video_track}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = make_files(folder, args.seconds)
        for name, path in files.items():
            measure(name, path)


if __name__ == "__main__":
    main()
