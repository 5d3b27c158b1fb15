"""Test files of the kinds phones and cameras write that need more than `tests/videos.make_video`:
reflecting display matrices, several video tracks, AVI headers and indexes that lie, H.264 with
foreign NAL units, fragmented MP4, and files FFmpeg cannot decode. Each is made with PyAV and, where
the kind needs it, by rewriting the boxes, chunks or NAL units the way such files have them.

`ffmpeg_frames(path, ...)` is the truth they are checked against: a full linear decode of the
stream as the ffmpeg tool does it (frame threads, packets it cannot decode skipped), shown with the
filters FFmpeg's autorotate inserts for the display matrix.
"""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from tests.videos import draw_frame, make_video

# ---------------------------------------------------------------- the truth


def autorotate_filters(matrix) -> list[tuple[str, str | None]]:
    """The filters fftools inserts for a display matrix (ffmpeg_filter.c, written out independently)."""
    if matrix is None:
        return []
    scale0 = np.hypot(matrix[0] / 65536, matrix[3] / 65536)
    scale1 = np.hypot(matrix[1] / 65536, matrix[4] / 65536)
    ccw = -np.degrees(np.arctan2(matrix[1] / 65536 / scale1, matrix[0] / 65536 / scale0))
    theta = -round(ccw)
    theta -= 360 * np.floor(theta / 360 + 0.9 / 360)
    if abs(theta - 90) < 1:
        return [("transpose", "cclock_flip" if matrix[3] > 0 else "clock")]
    if abs(theta - 180) < 1:
        return ([("hflip", None)] if matrix[0] < 0 else []) + ([("vflip", None)] if matrix[4] < 0 else [])
    if abs(theta - 270) < 1:
        return [("transpose", "clock_flip" if matrix[3] < 0 else "cclock")]
    return [("vflip", None)] if matrix[4] < 0 else []


def _matrix_of(frame):
    for side in frame.side_data or ():
        if "DISPLAYMATRIX" in str(side.type).upper():
            return struct.unpack("=9i", bytes(side)[:36])
    return None


def _filtered(rgb: np.ndarray, filters) -> np.ndarray:
    if not filters:
        return rgb
    graph = av.filter.Graph()
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
    node = graph.add_buffer(template=None, width=frame.width, height=frame.height, format="rgb24",
                            time_base=Fraction(1, 25))
    first = node
    for name, args in filters:
        nxt = graph.add(name, args) if args else graph.add(name)
        node.link_to(nxt)
        node = nxt
    sink = graph.add("buffersink")
    node.link_to(sink)
    graph.configure()
    first.push(frame)
    return sink.pull().to_ndarray(format="rgb24")


def ffmpeg_frames(path, video_stream: int = 0, threads: str = "AUTO"):
    """RGB pictures of every frame FFmpeg decodes from video stream number `video_stream`, in
    output order, shown as FFmpeg's autorotate shows them. `threads="NONE"` decodes as
    `ffmpeg -threads 1` does (threads conceal damage differently from run to run)."""
    out = []
    with av.open(str(path)) as container:
        stream = container.streams.video[video_stream]
        stream.codec_context.thread_type = threads
        for packet in container.demux(stream):
            try:
                frames = stream.codec_context.decode(packet)
            except av.FFmpegError:
                continue  # the ffmpeg tool logs the error and goes on with the next packet
            for frame in frames:
                out.append(_filtered(frame.to_ndarray(format="rgb24"), autorotate_filters(_matrix_of(frame))))
    return out


# ---------------------------------------------------------------- display matrices


def _inverse_of_filters(picture: np.ndarray, filters) -> np.ndarray:
    """The stored picture such that `filters` show `picture` (each filter undone in reverse order)."""
    undo = {("hflip", None): lambda p: p[:, ::-1], ("vflip", None): lambda p: p[::-1],
            ("transpose", "cclock_flip"): lambda p: p.transpose(1, 0, 2),
            ("transpose", "clock_flip"): lambda p: np.rot90(p, 2).transpose(1, 0, 2),
            ("transpose", "clock"): lambda p: np.rot90(p, 1),
            ("transpose", "cclock"): lambda p: np.rot90(p, -1)}
    for step in reversed(filters):
        picture = undo[step](picture)
    return np.ascontiguousarray(picture)


def make_oriented(path, matrix, *, frames: int = 24, upright=(96, 64), gop: int = 8) -> Path:
    """An MP4 whose display matrix is `matrix`; the stored pictures are such that FFmpeg's autorotate
    shows the frame numbers upright (width×height `upright`)."""
    filters = autorotate_filters(matrix)
    out = av.open(str(path), "w")
    try:
        stream = None
        for n in range(frames):
            stored = _inverse_of_filters(draw_frame(n, *upright), filters)
            if stream is None:
                stream = out.add_stream("libx264", rate=25)
                stream.height, stream.width = stored.shape[:2]
                stream.pix_fmt = "yuv420p"
                stream.codec_context.gop_size, stream.codec_context.max_b_frames = gop, 2
                stream.codec_context.options = {"preset": "veryfast", "sc_threshold": "0"}
                stream.set_display_matrix(list(matrix))
            frame = av.VideoFrame.from_ndarray(stored, format="rgb24").reformat(format="yuv420p")
            frame.pts, frame.time_base = n, Fraction(1, 25)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    finally:
        out.close()
    return Path(path)


ONE = 1 << 16
W_ONE = 1 << 30
# name -> display matrix (FFmpeg layout: a b u / c d v / x y w, 16.16 and 2.30 fixed point)
MATRICES = {
    "transpose": (0, ONE, 0, ONE, 0, 0, 0, 0, W_ONE),
    "anti_transpose": (0, -ONE, 0, -ONE, 0, 0, 0, 0, W_ONE),
    "hflip": (-ONE, 0, 0, 0, ONE, 0, 0, 0, W_ONE),
    "vflip": (ONE, 0, 0, 0, -ONE, 0, 0, 0, W_ONE),
    "rotate_90": (0, -ONE, 0, ONE, 0, 0, 0, 0, W_ONE),
    "rotate_180": (-ONE, 0, 0, 0, -ONE, 0, 0, 0, W_ONE),
    "rotate_270": (0, ONE, 0, -ONE, 0, 0, 0, 0, W_ONE),
}


# ---------------------------------------------------------------- several video tracks


def make_tracks(path, tracks, fmt: str | None = None, audio: bool = False) -> Path:
    """A file with several video tracks, interleaved by time as a phone writes them.

    `tracks`: dicts with size, fps, frames, offset (the number drawn in frame 0, so every track's
    pictures tell which track they are from), and optionally handler (handler_name), disposition.
    """
    out = av.open(str(path), "w", format=fmt)
    try:
        streams = []
        for spec in tracks:
            stream = out.add_stream("libx264", rate=spec["fps"])
            stream.width, stream.height = spec["size"]
            stream.pix_fmt = "yuv420p"
            tb = Fraction(1, spec["fps"])
            stream.codec_context.time_base = stream.time_base = tb
            stream.codec_context.gop_size = spec.get("gop", 12)
            stream.codec_context.max_b_frames = spec.get("bframes", 2)
            stream.codec_context.options = {"preset": "veryfast", "sc_threshold": "0"}
            if "handler" in spec:
                stream.metadata["handler_name"] = spec["handler"]
            if "disposition" in spec:
                stream.disposition = spec["disposition"]
            streams.append((stream, spec, tb))
        astream = None
        if audio:
            astream = out.add_stream("aac", rate=48000)
            astream.layout = "mono"
        events = sorted((k / spec["fps"], j, k) for j, (_, spec, _) in enumerate(streams)
                        for k in range(spec["frames"]))
        for _, j, k in events:
            stream, spec, tb = streams[j]
            picture = draw_frame(spec.get("offset", 0) + k, *spec["size"])
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p")
            frame.pts, frame.time_base = k, tb  # (the muxer changes stream.time_base)
            out.mux(stream.encode(frame))
        for stream, _, _ in streams:
            out.mux(stream.encode(None))
        if astream is not None:
            seconds = max(spec["frames"] / spec["fps"] for _, spec, _ in streams)
            samples = np.zeros((1, int(seconds * 48000)), np.float32)
            for start in range(0, samples.shape[1], 1024):
                chunk = av.AudioFrame.from_ndarray(samples[:, start:start + 1024], format="fltp", layout="mono")
                chunk.sample_rate, chunk.pts, chunk.time_base = 48000, start, Fraction(1, 48000)
                out.mux(astream.encode(chunk))
            out.mux(astream.encode(None))
    finally:
        out.close()
    return Path(path)


# ---------------------------------------------------------------- AVI


def _riff_chunks(data, start: int, end: int):
    pos = start
    while pos + 8 <= end:
        cid = bytes(data[pos:pos + 4])
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        yield cid, pos, size
        if cid in (b"RIFF", b"LIST"):
            yield from _riff_chunks(data, pos + 12, min(end, pos + 8 + size))
        pos += 8 + size + (size & 1)


def patch_avi(src, dst, *, claim_frames: int | None = None, swaps=()) -> Path:
    """Rewrite an AVI's header to claim `claim_frames` frames (avih dwTotalFrames and the video
    strh dwLength), and swap the idx1 entries of video chunks (a, b) in `swaps`: an index out of order."""
    data = bytearray(Path(src).read_bytes())
    for cid, pos, size in list(_riff_chunks(data, 0, len(data))):
        if cid == b"avih" and claim_frames:
            struct.pack_into("<I", data, pos + 8 + 16, claim_frames)
        elif cid == b"strh" and data[pos + 8:pos + 12] == b"vids" and claim_frames:
            struct.pack_into("<I", data, pos + 8 + 32, claim_frames)
        elif cid == b"idx1" and swaps:
            entries = [bytes(data[pos + 8 + 16 * k:pos + 24 + 16 * k]) for k in range(size // 16)]
            video = [k for k, entry in enumerate(entries) if entry[2:4] in (b"dc", b"db")]
            for a, b in swaps:
                entries[video[a]], entries[video[b]] = entries[video[b]], entries[video[a]]
            data[pos + 8:pos + 8 + 16 * len(entries)] = b"".join(entries)
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


# ---------------------------------------------------------------- H.264 NAL units


def _split_nals(data: bytes) -> list[bytes]:
    out, pos = [], 0
    while pos + 4 <= len(data):
        size = struct.unpack(">I", data[pos:pos + 4])[0]
        out.append(data[pos + 4:pos + 4 + size])
        pos += 4 + size
    return out


def inject_nals(src, dst, inject, fmt: str = "mpegts") -> Path:
    """Remux the H.264 of `src` (an MP4) into `fmt`, each access unit's NAL units replaced by
    `inject(k, nals)` (or kept when it returns None); the muxer writes Annex B for MPEG-TS."""
    with av.open(str(src)) as source, av.open(str(dst), "w", format=fmt) as out:
        video = source.streams.video[0]
        target = out.add_stream_from_template(video)
        for k, packet in enumerate(p for p in source.demux(video) if p.size):
            nals = inject(k, _split_nals(bytes(packet)))
            if nals is not None:
                new = av.Packet(b"".join(struct.pack(">I", len(n)) + n for n in nals))
                new.pts, new.dts, new.duration = packet.pts, packet.dts, packet.duration
                new.is_keyframe, new.time_base = packet.is_keyframe, packet.time_base
                packet = new
            packet.stream = target
            out.mux(packet)
    return Path(dst)


def junk_nal(nal_type: int, size: int = 40, seed: int = 1) -> bytes:
    """A NAL unit of `nal_type` (nal_ref_idc included in the byte) with random payload."""
    payload = np.random.default_rng(seed).integers(1, 256, size, dtype=np.uint8).tobytes()
    return bytes([nal_type]) + payload


# ---------------------------------------------------------------- MP4 boxes


_CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"moof", b"traf", b"mvex", b"edts", b"sinf",
                    b"schi"}


def mp4_boxes(data, start: int = 0, end: int | None = None):
    """(type, offset, size) of every box, depth first."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[pos + 8:pos + 16])[0], 16
        elif size == 0:
            size = end - pos
        if size < header:
            return
        yield kind, pos, size
        if kind in _CONTAINER_BOXES:
            yield from mp4_boxes(data, pos + header, pos + size)
        elif kind == b"stsd":
            yield from mp4_boxes(data, pos + 16, pos + size)  # version/flags + entry count
        pos += size


def replace_sample_entry(src, dst, old: bytes, new: bytes) -> Path:
    """Rename the sample entry `old` (e.g. b"avc1") to `new`: a codec this FFmpeg has no decoder for."""
    data = bytearray(Path(src).read_bytes())
    for kind, pos, _ in list(mp4_boxes(data)):
        if kind == old:
            data[pos + 4:pos + 8] = new
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


def make_numbered(path, **kwargs) -> Path:
    return Path(make_video(path, **kwargs))


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def add_sample_groups(src, dst, grouping: bytes = b"sync", entry: bytes = b"\x05") -> Path:
    """Give every track fragment of a fragmented MP4 (written with default_base_moof) a sample
    group description (`sgpd`) and a sample-to-group box (`sbgp`) putting the fragment's first
    sample in that group (`sync` with NAL unit type 5: an IDR; `rap ` with entry b"\\x80": a random
    access point), as phone apps and streaming recorders write. The movie fragment random access
    box (whose offsets the longer fragments would invalidate) is left out."""
    data = Path(src).read_bytes()
    out = bytearray()
    for kind, pos, size in _top_boxes(data):
        box = data[pos:pos + size]
        if kind == b"mfra":
            continue
        if kind == b"moof":
            box = _grouped_moof(box, grouping, entry)
        out += box
    Path(dst).write_bytes(bytes(out))
    return Path(dst)


def _top_boxes(data: bytes):
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        size = len(data) - pos if size == 0 else size
        yield kind, pos, size
        pos += size


def _grouped_moof(moof: bytes, grouping: bytes, entry: bytes) -> bytes:
    children, trafs = [], []
    for kind, pos, size in _top_boxes(moof[8:]):
        children.append((kind, moof[8 + pos:8 + pos + size]))
    added = 0
    for k, (kind, box) in enumerate(children):
        if kind != b"traf":
            continue
        samples = 0
        for sub, pos, _size in _top_boxes(box[8:]):
            if sub == b"trun":
                samples += struct.unpack(">I", box[8 + pos + 12:8 + pos + 16])[0]
        sgpd = _box(b"sgpd", b"\x01\x00\x00\x00" + grouping + struct.pack(">II", len(entry), 1) + entry)
        runs = [(1, 0x10001)] + ([(samples - 1, 0)] if samples > 1 else [])
        sbgp = _box(b"sbgp", b"\x00\x00\x00\x00" + grouping + struct.pack(">I", len(runs))
                    + b"".join(struct.pack(">II", n, i) for n, i in runs))
        children[k] = (kind, _box(b"traf", box[8:] + sgpd + sbgp))
        trafs.append(k)
        added += len(sgpd) + len(sbgp)
    # trun data offsets count from the start of the moof (default_base_moof): the data moved by `added`
    for k in trafs:
        box = bytearray(children[k][1])
        for sub, pos, _ in list(_top_boxes(bytes(box[8:]))):
            if sub == b"trun" and struct.unpack(">I", box[8 + pos + 8:8 + pos + 12])[0] & 1:
                offset = 8 + pos + 16
                struct.pack_into(">i", box, offset, struct.unpack(">i", box[offset:offset + 4])[0] + added)
        children[k] = (b"traf", bytes(box))
    return _box(b"moof", b"".join(box for _, box in children))
