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
from .sequence import NO_PTS, decode_all, key_positions, trusted_keys

INDEX_VERSION = 1
# Frames decoded at the start to confirm the demux index: fewer where packet timestamps are exact by
# design (MP4/MOV sample tables, Matroska blocks), more for streams parsed from a byte stream (TS, AVI).
START_CHECK_FRAMES = 12
START_CHECK_FRAMES_EXACT = 4
EXACT_TIMESTAMP_FORMATS = ("mov", "mp4", "matroska", "webm")
DETERMINISTIC_THREADS = "NONE"  # damaged files: threads conceal damage differently from run to run
END_CHECK_MAX_FRAMES = 150  # the last GOP is decoded to confirm the end when it is this short


@dataclass
class FrameIndex:
    """Which frames FFmpeg shows, in order, and where decoding can start.

    Normally frames are named by their pts (`frame_pts` ascending). In a *sequence* index
    (`method == "sequence"`, see `sequence.py`) frames are named by label, (`frame_pts[i]`,
    `frame_run[i]`), in the decoder's output order, and `key_index` says at which frame decoding
    from each keyframe starts showing.
    """

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
    frame_run: np.ndarray | None = None  # sequence index: frames without a pts of their own since
    key_index: np.ndarray | None = None  # sequence index: first frame shown from each keyframe
    threads: str | None = None  # "NONE": damaged, decode on one thread (see sequence.py)
    _pos: dict = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.frame_pts = np.ascontiguousarray(self.frame_pts, np.int64)
        self.key_pts = np.ascontiguousarray(self.key_pts, np.int64)
        self._keys = set(self.key_pts.tolist())
        if self.key_index is None:
            self.times = (self.frame_pts - self.frame_pts[0]) * float(self.time_base)
            self._pos = {int(p): i for i, p in enumerate(self.frame_pts)}
        else:
            self.key_index = np.ascontiguousarray(self.key_index, np.int64)
            if self.frame_run is None:
                self.frame_run = np.zeros(len(self.frame_pts), np.int64)
            self.frame_run = np.ascontiguousarray(self.frame_run, np.int64)
            self.times = _sequence_times(self.frame_pts, self.frame_run, self.last_duration) * float(self.time_base)
            self._pos = {(int(p), int(r)): i for i, (p, r) in enumerate(zip(self.frame_pts, self.frame_run, strict=True))}
        self.times.flags.writeable = False

    @property
    def ordered(self) -> bool:
        """Whether frames are named by pts in ascending order (else by label: a sequence index)."""
        return self.key_index is None

    def index_of_label(self, label: tuple[int, int]) -> int | None:
        return self._pos.get(label)

    def is_key(self, pts: int) -> bool:
        return int(pts) in self._keys

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
        if self.key_index is not None:
            return int(np.searchsorted(self.key_index, i, side="right")) - 1
        return int(np.searchsorted(self.key_pts, self.frame_pts[i], side="right")) - 1

    def gop_first_frame(self, gop: int) -> int:
        """First frame index shown at or after keyframe `gop` (0 for the file start)."""
        if gop < 0:
            return 0
        if self.key_index is not None:
            return int(self.key_index[gop])
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
        if self.threads:
            meta["threads"] = self.threads
        buf = io.BytesIO()
        # deltas compress to almost nothing for regular frame rates
        sequence = {} if self.key_index is None else {"frame_run": self.frame_run, "key_index": self.key_index}
        np.savez_compressed(
            buf,
            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
            frame_pts=_delta(self.frame_pts), key_pts=_delta(self.key_pts), **sequence,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> FrameIndex:
        """Raises ValueError when `data` is not an index this version understands."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                meta = json.loads(arrays["meta"].tobytes().decode())
                frame_pts, key_pts = np.cumsum(arrays["frame_pts"]), np.cumsum(arrays["key_pts"])
                run = arrays["frame_run"] if "frame_run" in arrays.files else None
                key_index = arrays["key_index"] if "key_index" in arrays.files else None
        except Exception as exc:
            raise ValueError(f"unreadable frame index ({type(exc).__name__})") from None
        if meta.get("version") != INDEX_VERSION or len(frame_pts) == 0:
            raise ValueError("frame index of another version")
        return cls(
            frame_pts=frame_pts, key_pts=key_pts, time_base=Fraction(*meta["time_base"]),
            stream_index=meta["stream_index"], rotation=meta["rotation"], width=meta["width"],
            height=meta["height"], last_duration=meta["last_duration"], method=meta["method"],
            file_size=meta["file_size"], sar=Fraction(*meta["sar"]), mirrored=meta.get("mirrored"),
            frame_run=run, key_index=key_index, threads=meta.get("threads"),
        )


def _sequence_times(pts: np.ndarray, run: np.ndarray, last_duration: int) -> np.ndarray:
    """Ticks from the first frame for a sequence index: the frames' own pts in ascending order when
    every frame has one (AVI stamped in decode order), else evenly spread over the same span."""
    own = np.sort(pts[run == 0])
    if len(own) == len(pts) and len(own) and own[0] != NO_PTS:
        return (own - own[0]).astype(np.float64)
    valid = own[own != NO_PTS]
    span = float(valid[-1] - valid[0] + last_duration) if len(valid) else float(len(pts) * last_duration)
    return np.arange(len(pts), dtype=np.float64) * (span / max(1, len(pts)))


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
            if not scan.pts and packet.size and _encrypted(packet):
                raise MediaError(ENCRYPTED)
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


ENCRYPTED = "encrypted video (DRM-protected): it cannot be read without the key"


def _encrypted(packet) -> bool:
    """Whether the packet's data is encrypted (Common Encryption: FFmpeg passes it on undecrypted,
    and the decoder would make noise of it or nothing)."""
    has = getattr(packet, "has_sidedata", None)
    try:
        return bool(has is not None and has("encryption_info"))
    except (ValueError, TypeError):
        return False


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
    key_pts = np.unique(pts[keyframe & (pts != NO_PTS)])

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

    run = key_index = threads = None
    if method == "decode":
        full = decode_all(opener, stream.index, stop_at_damage=True)
        if any(full.damaged):
            threads = DETERMINISTIC_THREADS
            full = decode_all(opener, stream.index, threads, digests=True)
        if all(p is None for p in full.pts):
            raise MediaError(f"{DAMAGED} (frames without timestamps)")
        candidates = np.unique(pts[keyframe & (pts != NO_PTS)])
        ordered = all(p is not None for p in full.pts) and all(
            b > a for a, b in zip(full.pts, full.pts[1:], strict=False))
        if not ordered or any(full.damaged):
            keys, positions = key_positions(full, candidates)
            if any(full.damaged):  # damage the decoder conceals: seek only where that is exact
                keys, positions = trusted_keys(opener, stream.index, full, keys, positions, seek_before, threads)
            key_pts = keys
        if ordered:
            shown = np.array(full.pts, np.int64)
            if not any(full.damaged):
                key_pts = candidates
            if len(key_pts) == 0:
                key_pts = shown[:1]
        else:
            # frames named by label in output order (see sequence.py)
            method = "sequence"
            shown = np.array([label[0] for label in full.labels], np.int64)
            run = np.array([label[1] for label in full.labels], np.int64)
            key_index = positions

    durations = np.array(scan.duration, np.int64)
    ticks = np.unique(shown[shown != NO_PTS])
    last = np.flatnonzero(pts == ticks[-1]) if len(ticks) else np.array([], np.int64)
    last_duration = int(durations[last[0]]) if len(last) and durations[last[0]] > 0 else 0
    if last_duration <= 0:
        last_duration = int(np.median(np.diff(ticks))) if len(ticks) > 1 else _guess_duration(stream)
    sar = stream.sample_aspect_ratio or stream.codec_context.sample_aspect_ratio or Fraction(1)
    return FrameIndex(
        frame_pts=shown, key_pts=key_pts, time_base=stream.time_base, stream_index=stream.index,
        rotation=orientation.rotation, mirrored=orientation.mirrored, width=width, height=height, last_duration=max(1, last_duration),
        method=method, file_size=opener.size, sar=Fraction(sar) if sar else Fraction(1),
        frame_run=run, key_index=key_index, threads=threads,
    )


def _guess_duration(stream) -> int:
    rate = stream.average_rate or stream.guessed_rate or 25
    return max(1, round(1 / (float(rate) * float(stream.time_base))))
