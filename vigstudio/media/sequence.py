"""Indexing by what the decoder delivers, for files whose timestamps cannot name their frames.

Some files FFmpeg plays have frames no timestamp identifies: AVI with B-frames (the demuxer stamps
packets in decode order, so shown frames come out with timestamps out of order), H.264 byte
streams with foreign or broken NAL units (the parser splits an access unit and the decoder shows an
extra, concealed picture without a timestamp). FFmpeg shows every one of them, so the engine must
too: frame i is FFmpeg's i-th decoded frame.

Here a frame is named by a *label*: the pts of the last frame with a timestamp of its own, and how
many frames without one followed it (`Labeller`). Decoding from a keyframe produces the same labels
as the full decode, so the decoder can still seek.

Damage the decoder conceals may look different after a seek than in the full decode (concealment
borrows from pictures decoded before). So while decoding the whole file, a short digest of every
picture is kept; a GOP with signs of damage (a corrupt or extra picture, a packet the decoder
refused) is decoded again from its keyframe, and if any picture differs that keyframe is not used
for seeking (decoding then starts at an earlier keyframe, checked the same way, or the file start).
Threaded decoders (frame or slice threads) do not conceal damage the same way twice, so a damaged
file is decoded on one thread (the index says so in `FrameIndex.threads`), and its pictures are the
ones FFmpeg shows with `-threads 1`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import av
import numpy as np

NO_PTS = int(np.iinfo(np.int64).min)  # the label pts of frames before any frame with a timestamp


class Labeller:
    """(pts, run) labels of decoded frames, in output order."""

    def __init__(self):
        self.anchor: int | None = None
        self.run = 0

    def __call__(self, pts: int | None) -> tuple[int, int]:
        if pts is None or pts == self.anchor:
            self.run += 1
        else:
            self.anchor, self.run = int(pts), 0
        return (NO_PTS if self.anchor is None else self.anchor, self.run)


def digest(frame) -> bytes:
    """A short digest of a decoded picture (every other row of each plane: concealment changes
    whole macroblocks, so this tells the pictures apart at half the hashing cost)."""
    try:
        data = frame.to_ndarray()
    except (ValueError, av.FFmpegError):
        data = frame.to_ndarray(format="yuv420p")
    return hashlib.blake2b(np.ascontiguousarray(data[::2]).tobytes(), digest_size=12).digest()


@dataclass
class FullDecode:
    pts: list = field(default_factory=list)  # frame pts as output (None where the frame has none)
    labels: list = field(default_factory=list)  # (anchor pts, run) per frame
    digests: list = field(default_factory=list)
    damaged: list = field(default_factory=list)  # per frame: a sign of damage at or just before it
    first: object = None


def decode_all(opener, stream_index: int, thread_type: str = "AUTO", digests: bool = False,
               stop_at_damage: bool = False) -> FullDecode:
    """Every frame FFmpeg outputs for the stream, as the ffmpeg tool decodes it (a packet the
    decoder refuses is skipped). With threads, pictures concealing damage can differ from run to
    run; without ("NONE") they are the same every time. `digests`: keep a digest of every picture;
    `stop_at_damage`: stop at the first sign of damage (the caller then decodes again on one thread)."""
    out = FullDecode()
    label = Labeller()
    refused = False
    with opener.open() as container:
        stream = container.streams[stream_index]
        for other in container.streams:
            if other.index != stream_index:
                other.discard = type(other.discard).all
        stream.codec_context.thread_type = thread_type
        for packet in container.demux(stream):
            try:
                frames = stream.codec_context.decode(packet)
            except av.FFmpegError:
                refused = True
                continue
            for frame in frames:
                out.first = out.first or frame
                out.pts.append(frame.pts)
                out.labels.append(label(frame.pts))
                if digests:  # only to check damaged GOPs (`trusted_keys`): it costs a copy per frame
                    out.digests.append(digest(frame))
                out.damaged.append(refused or bool(frame.is_corrupt) or out.labels[-1][1] > 0)
                refused = False
                if stop_at_damage and out.damaged[-1]:
                    return out  # the caller decodes again, the way damage needs
    return out


def key_positions(full: FullDecode, key_pts) -> tuple[np.ndarray, np.ndarray]:
    """(key pts, frame index where decoding from it shows its first frame) of the keyframes whose
    own picture is among the decoded frames, in decode order."""
    where = {lab: i for i, lab in enumerate(full.labels) if lab[1] == 0}
    keys: list[int] = []
    positions: list[int] = []
    for key in sorted(int(k) for k in key_pts):
        i = where.get((key, 0))
        if i is not None and (not positions or i > positions[-1]):
            keys.append(key)
            positions.append(i)
    return np.array(keys, np.int64), np.array(positions, np.int64)


def trusted_keys(opener, stream_index: int, full: FullDecode, keys: np.ndarray, positions: np.ndarray,
                 seek, thread_type: str) -> tuple[np.ndarray, np.ndarray]:
    """The keyframes from which decoding reproduces the full decode up to the next one kept.

    A GOP without signs of damage is trusted as it is. `seek(container, stream, key_pts, attempt)`
    positions a container before a keyframe (index.seek_before).
    """
    kept_keys: list[int] = [int(k) for k in keys]
    kept: list[int] = [int(p) for p in positions]
    count = len(full.labels)
    damaged = np.array(full.damaged, bool)
    k = len(kept_keys) - 1
    while k >= 0:
        lo, end = kept[k], kept[k + 1] if k + 1 < len(kept_keys) else count
        if damaged[lo:end].any() and not _reproduces(opener, stream_index, full, kept_keys[k], lo, end, seek,
                                                     thread_type):
            # not a safe start: the GOP before now reaches over these frames and is checked next
            del kept_keys[k], kept[k]
        k -= 1
    return np.array(kept_keys, np.int64), np.array(kept, np.int64)


def _reproduces(opener, stream_index: int, full: FullDecode, key: int, lo: int, end: int, seek,
                thread_type: str) -> bool:
    """Whether decoding from keyframe `key` shows frames lo..end-1 exactly as the full decode did."""
    where = {lab: i for i, lab in enumerate(full.labels)}
    with opener.open() as container:
        stream = container.streams[stream_index]
        for other in container.streams:
            if other.index != stream_index:
                other.discard = type(other.discard).all
        stream.codec_context.thread_type = thread_type
        packets = None
        for attempt in range(8):
            try:
                if not seek(container, stream, key, attempt):
                    return False
            except av.FFmpegError:
                return False
            packets = container.demux(stream)
            landed = None
            for packet in packets:
                if packet.is_keyframe and packet.size and packet.pts is not None:
                    if packet.pts == key:
                        landed = packet
                        break
                    if packet.pts > key:
                        break  # landed too late: from earlier
            if landed is not None:
                break
        else:
            return False
        if landed is None:
            return False
        label = Labeller()
        expect = lo

        def check(frames) -> bool | None:
            nonlocal expect
            for frame in frames:
                i = where.get(label(frame.pts))
                if i is None or i < lo:
                    if expect == lo:
                        continue  # leftovers before the keyframe's own picture
                    return False
                if i != expect or digest(frame) != full.digests[i]:
                    return False
                expect += 1
                if expect >= end:
                    return True
            return None

        for packet in _chain(landed, packets):
            try:
                frames = stream.codec_context.decode(packet)
            except av.FFmpegError:
                continue
            verdict = check(frames)
            if verdict is not None:
                return verdict
        return expect >= end


def _chain(first, rest):
    yield first
    yield from rest
