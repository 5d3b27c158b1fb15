"""The frame index: which frames FFmpeg shows, in presentation order, and where decoding can start.

Built once at import by demuxing packets (timestamps, keyframe and discard flags) without decoding
everything. Two short decodes check it against what FFmpeg really outputs (the start of the file,
and the last GOP when it is short or the file looks damaged); if demuxing cannot be trusted for a
file (missing or duplicate timestamps, a mismatch in a check) the index is rebuilt from a full
decode of that file only (`method == "decode"`).
"""

from __future__ import annotations

import io
import itertools
import json
from dataclasses import dataclass, field
from fractions import Fraction

import av
import numpy as np

from .errors import MediaError
from .orientation import Orientation, of_frame
from .probe import DAMAGED, check_decodable

INDEX_VERSION = 1
# Frames decoded at the start to confirm the demux index: fewer where packet timestamps are exact by
# design (MP4/MOV sample tables, Matroska blocks), more for streams parsed from a byte stream (TS, AVI).
START_CHECK_FRAMES = 12
START_CHECK_FRAMES_EXACT = 4
EXACT_TIMESTAMP_FORMATS = ("mov", "mp4", "matroska", "webm")
END_CHECK_MAX_FRAMES = 150  # the last GOP is decoded to confirm the end when it is this short


@dataclass
class FrameIndex:
    frame_pts: np.ndarray  # int64, pts of every shown frame, ascending (= presentation order)
    key_pts: np.ndarray  # int64, pts of keyframe packets (decode can start there), ascending
    time_base: Fraction
    stream_index: int
    rotation: int  # clockwise degrees to turn the decoded picture upright (0, 90, 180, 270)
    width: int  # decoded picture size, before rotation
    height: int
    last_duration: int  # pts ticks the last frame stays on screen
    method: str  # "demux" or "decode"
    file_size: int
    sar: Fraction = Fraction(1)
    # mirrored left to right after the turn (display matrix with a reflection); None: an index
    # stored before mirroring was known, whose orientation the opener works out again
    mirrored: bool | None = False
    _pos: dict = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.frame_pts = np.ascontiguousarray(self.frame_pts, np.int64)
        self.key_pts = np.ascontiguousarray(self.key_pts, np.int64)
        self.times = (self.frame_pts - self.frame_pts[0]) * float(self.time_base)
        self.times.flags.writeable = False
        # first frame index of each GOP (frames before the first keyframe belong to GOP 0)
        self._pos = {int(p): i for i, p in enumerate(self.frame_pts)}

    @property
    def orientation(self) -> Orientation:
        return Orientation(self.rotation, bool(self.mirrored))

    @property
    def frame_count(self) -> int:
        return len(self.frame_pts)

    def index_of_pts(self, pts: int | None) -> int | None:
        return None if pts is None else self._pos.get(int(pts))

    def gop_of(self, i: int) -> int:
        """Index into key_pts of the keyframe to start decoding from for frame i (-1: file start)."""
        return int(np.searchsorted(self.key_pts, self.frame_pts[i], side="right")) - 1

    def gop_first_frame(self, gop: int) -> int:
        """First frame index shown at or after keyframe `gop` (0 for the file start)."""
        if gop < 0:
            return 0
        return int(np.searchsorted(self.frame_pts, self.key_pts[gop], side="left"))

    @property
    def duration(self) -> float:
        return float(self.times[-1] + self.last_duration * float(self.time_base))

    # ------------------------------------------------------------ serialisation

    def to_bytes(self) -> bytes:
        meta = {
            "version": INDEX_VERSION, "stream_index": self.stream_index,
            "time_base": [self.time_base.numerator, self.time_base.denominator],
            "rotation": self.rotation, "width": self.width, "height": self.height,
            "last_duration": self.last_duration, "method": self.method, "file_size": self.file_size,
            "sar": [self.sar.numerator, self.sar.denominator], "mirrored": self.mirrored,
        }
        buf = io.BytesIO()
        # deltas compress to almost nothing for regular frame rates
        np.savez_compressed(
            buf,
            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
            frame_pts=_delta(self.frame_pts), key_pts=_delta(self.key_pts),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> FrameIndex:
        """Raises ValueError when `data` is not an index this version understands."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                meta = json.loads(arrays["meta"].tobytes().decode())
                frame_pts, key_pts = np.cumsum(arrays["frame_pts"]), np.cumsum(arrays["key_pts"])
        except Exception as exc:
            raise ValueError(f"unreadable frame index ({type(exc).__name__})") from None
        if meta.get("version") != INDEX_VERSION or len(frame_pts) == 0:
            raise ValueError("frame index of another version")
        return cls(
            frame_pts=frame_pts, key_pts=key_pts, time_base=Fraction(*meta["time_base"]),
            stream_index=meta["stream_index"], rotation=meta["rotation"], width=meta["width"],
            height=meta["height"], last_duration=meta["last_duration"], method=meta["method"],
            file_size=meta["file_size"], sar=Fraction(*meta["sar"]), mirrored=meta.get("mirrored"),
        )


def stored_stream_index(data: bytes) -> int | None:
    """The stream a stored index (of any version) was made for, or None when unreadable."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes().decode())
        return int(meta["stream_index"])
    except Exception:
        return None


def _delta(values: np.ndarray) -> np.ndarray:
    return np.diff(values, prepend=0).astype(np.int64)


# ---------------------------------------------------------------- building


@dataclass
class _Scan:
    pts: list = field(default_factory=list)
    keyframe: list = field(default_factory=list)
    discard: list = field(default_factory=list)
    duration: list = field(default_factory=list)
    damaged: bool = False
    decoded: list = field(default_factory=list)  # pts of the first frames FFmpeg output
    first: object = None  # the first decoded frame
    decoded_all: bool = False


def _scan_packets(container, stream) -> _Scan:
    """One pass over the video packets; the first START_CHECK_FRAMES frames are decoded on the way."""
    scan = _Scan()
    for other in container.streams:
        if other.index != stream.index:
            other.discard = type(other.discard).all  # demuxers may then skip their data
    ctx = stream.codec_context
    ctx.thread_type = "AUTO"
    exact = any(name in EXACT_TIMESTAMP_FORMATS for name in container.format.name.split(","))
    wanted = START_CHECK_FRAMES_EXACT if exact else START_CHECK_FRAMES
    decoding = True
    try:
        for packet in container.demux(stream):
            if decoding:
                try:
                    for frame in ctx.decode(packet):
                        scan.first = scan.first or frame
                        scan.decoded.append(frame.pts)
                except av.FFmpegError:
                    pass  # a damaged packet: skipped, as ffmpeg does
                decoding = len(scan.decoded) < wanted
            if packet.size == 0:
                continue
            scan.pts.append(packet.pts)
            scan.keyframe.append(packet.is_keyframe)
            scan.discard.append(packet.is_discard)
            scan.duration.append(packet.duration or 0)
            if packet.is_corrupt:
                scan.damaged = True
    except av.FFmpegError:
        scan.damaged = True  # serve what could be read
    scan.decoded = scan.decoded[:wanted]
    scan.decoded_all = decoding  # the decoder reached the end of the file
    return scan


# Some demuxers (MPEG-TS) land a little after the requested time: retry from earlier by these margins.
SEEK_MARGINS_S = (0.0, 0.5, 2.0, 8.0)


def seek_before(container, stream, key_pts: int, attempt: int) -> bool:
    """Seek so that demuxing reaches keyframe `key_pts` again; False when out of attempts."""
    if attempt >= len(SEEK_MARGINS_S):
        return False
    target = key_pts - round(SEEK_MARGINS_S[attempt] / float(stream.time_base))
    container.seek(int(target), backward=True, stream=stream)
    return True


def _decode_pts(container, stream, *, limit: int | None = None, start_pts: int | None = None):
    """(pts list, first frame) of what FFmpeg outputs, decoding from the file start or a keyframe.

    Decode errors on single packets are skipped, as the ffmpeg tool does.
    """
    ctx = stream.codec_context
    if not ctx.is_open:
        ctx.thread_type = "AUTO"
    packets = container.demux(stream)
    if start_pts is not None:
        for attempt in range(len(SEEK_MARGINS_S) + 1):
            if not seek_before(container, stream, start_pts, attempt):
                raise _Mismatch("cannot seek back to the keyframe")
            packets = container.demux(stream)
            for packet in packets:
                if packet.is_keyframe and packet.pts is not None and packet.size:
                    if packet.pts <= start_pts:
                        packets = itertools.chain([packet], packets)
                        break
                    break  # landed too late: try from earlier
            else:
                continue
            if packet.pts <= start_pts:
                break
    out, first = [], None
    for packet in packets:
        try:
            frames = ctx.decode(packet)
        except av.FFmpegError:
            continue
        for frame in frames:
            if start_pts is not None and (frame.pts is None or frame.pts < start_pts):
                continue
            first = first or frame
            out.append(frame.pts)
            if limit is not None and len(out) >= limit:
                return out, first
    return out, first


class _Mismatch(Exception):
    pass


def build_index(opener, container, stream) -> FrameIndex:
    """Index the video `stream` of `container` (freshly opened by `opener`)."""
    check_decodable(stream)
    scan = _scan_packets(container, stream)
    if not scan.pts:
        raise MediaError(f"{DAMAGED} (no video frames)")
    pts = np.array([p if p is not None else np.iinfo(np.int64).min for p in scan.pts], np.int64)
    keyframe, discard = np.array(scan.keyframe, bool), np.array(scan.discard, bool)
    has_all_pts = all(p is not None for p in scan.pts)
    shown = np.sort(pts[~discard])
    key_pts = np.unique(pts[keyframe]) if has_all_pts else np.array([], np.int64)

    method = "demux"
    if not has_all_pts or len(shown) == 0 or len(key_pts) == 0 or np.any(np.diff(shown) == 0):
        method = "decode"

    first, first_pts = scan.first, scan.decoded
    if first is None:
        raise MediaError(f"{DAMAGED} (no frame could be decoded)")
    if method == "demux" and list(shown[:len(first_pts)]) != first_pts:
        method = "decode"
    if method == "demux" and scan.decoded_all and len(first_pts) != len(shown):
        method = "decode"  # the whole file was decoded and the count differs
    last_gop = int(np.sum(shown >= key_pts[-1])) if len(key_pts) else 0
    if method == "demux" and (scan.damaged or last_gop <= END_CHECK_MAX_FRAMES) and not scan.decoded_all:
        try:
            tail, _ = _decode_pts(container, stream, start_pts=int(key_pts[-1]))
        except (_Mismatch, av.FFmpegError):
            tail = None
        if tail != list(shown[shown >= key_pts[-1]]):
            method = "decode"
    orientation = of_frame(first, stream)
    width, height = first.width, first.height

    if method == "decode":
        with opener.open() as full:
            decoded, _ = _decode_pts(full, full.streams[stream.index])
        if not decoded or any(p is None for p in decoded):
            raise MediaError(f"{DAMAGED} (frames without timestamps)")
        shown = np.array(decoded, np.int64)
        if np.any(np.diff(shown) <= 0):
            raise MediaError(f"{DAMAGED} (frame timestamps out of order)")
        if len(key_pts) == 0:
            key_pts = shown[:1]

    durations = np.array(scan.duration, np.int64)
    last = np.flatnonzero(pts == shown[-1])
    last_duration = int(durations[last[0]]) if len(last) and durations[last[0]] > 0 else 0
    if last_duration <= 0:
        last_duration = int(np.median(np.diff(shown))) if len(shown) > 1 else _guess_duration(stream)
    sar = stream.sample_aspect_ratio or stream.codec_context.sample_aspect_ratio or Fraction(1)
    return FrameIndex(
        frame_pts=shown, key_pts=key_pts, time_base=stream.time_base, stream_index=stream.index,
        rotation=orientation.rotation, mirrored=orientation.mirrored, width=width, height=height, last_duration=max(1, last_duration),
        method=method, file_size=opener.size, sar=Fraction(sar) if sar else Fraction(1),
    )


def _guess_duration(stream) -> int:
    rate = stream.average_rate or stream.guessed_rate or 25
    return max(1, round(1 / (float(rate) * float(stream.time_base))))
