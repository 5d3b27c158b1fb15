"""Opening a container safely: paths or shared file objects, bounded probing, clear refusals."""

from __future__ import annotations

import io
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import av

from .errors import MediaError

OPEN_TIMEOUT_S = 10.0
# Bounded probing: FFmpeg reads at most this much to find the streams (defaults, made explicit).
PROBE_OPTIONS = {"probesize": str(5_000_000), "analyzeduration": str(5_000_000)}

NOT_A_VIDEO = "not a video"
DAMAGED = "file is truncated or damaged"


class SharedFile:
    """A private read position over a seekable binary file object that several containers share.

    PyAV seeks and reads the file object it is given; two containers (interactive decoder, linear
    reader, probe) over one object would move each other's position, so each gets one of these.
    """

    def __init__(self, raw, lock: threading.Lock, size: int):
        self._raw, self._lock, self._size, self._pos = raw, lock, size, 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self._size - self._pos
        with self._lock:
            self._raw.seek(self._pos)
            data = self._raw.read(n) or b""
        data = bytes(data)
        self._pos += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True


class Opener:
    """Opens fresh PyAV containers over one source (a path or a seekable binary file object)."""

    def __init__(self, source):
        self._lock = threading.Lock()
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            if not path.is_file():
                raise MediaError(f"{NOT_A_VIDEO}: no such file")
            self._path, self._raw = str(path), None
            self.size = path.stat().st_size
            with open(path, "rb") as f:
                self.head = f.read(512)
        else:
            if not all(hasattr(source, name) for name in ("read", "seek")):
                raise MediaError(f"{NOT_A_VIDEO}: unreadable source")
            self._path, self._raw = None, source
            try:
                self.size = source.seek(0, io.SEEK_END)
                source.seek(0)
                self.head = bytes(source.read(512) or b"")
            except (OSError, ValueError) as exc:
                raise MediaError(f"{NOT_A_VIDEO}: unreadable source ({type(exc).__name__})") from None
        if self.size == 0:
            raise MediaError(f"{NOT_A_VIDEO} (the file is empty)")

    def open(self) -> av.container.InputContainer:
        target = self._path if self._path is not None else SharedFile(self._raw, self._lock, self.size)
        try:
            return av.open(target, mode="r", options=dict(PROBE_OPTIONS),
                           timeout=(OPEN_TIMEOUT_S, OPEN_TIMEOUT_S))
        except MediaError:
            raise
        except Exception as exc:  # PyAV raises many kinds; all mean "cannot read this"
            raise MediaError(self.refusal()) from exc

    def looks_like_media(self) -> bool:
        """Whether the first bytes are a known container signature (then failure means damage)."""
        head = self.head
        return (
            head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")
            or head[:4] == b"\x1a\x45\xdf\xa3"  # Matroska / WebM
            or (head[:4] == b"RIFF" and head[8:12] == b"AVI ")
            or (len(head) > 376 and head[0] == 0x47 and head[188] == 0x47)  # MPEG-TS
            or (len(head) > 388 and head[4] == 0x47 and head[196] == 0x47)  # M2TS / .mts
            or head[:4] == b"\x00\x00\x01\xba"  # MPEG-PS
        )

    def refusal(self) -> str:
        return DAMAGED if self.looks_like_media() else NOT_A_VIDEO


# Video tracks that are not the recording itself (motion photos, phone "top shot" and depth files):
# named so by their handler or title when FFmpeg gives them no disposition that says it.
_AUXILIARY_NAME = re.compile(r"depth|disparity|auxil|alpha|matte|thumbnail|still|mett|metadata", re.I)
STILL_MAX_FRAMES = 2  # a "video" track of this few pictures beside a longer one is a still track
FULL_LENGTH_SHARE = 0.9  # a second camera track this long (share of the longest) is offered to choose


@dataclass(frozen=True)
class VideoTrack:
    """One video stream of a file, as offered for choosing."""

    number: int  # position among the file's video streams (FFmpeg's 0:v:N): what import --track takes
    stream_index: int  # index among all the file's streams
    width: int
    height: int
    frames: int  # from the container's header; 0 when it does not say
    duration: float | None  # seconds, when the container says
    codec: str | None
    role: str  # "camera", "still", "auxiliary" or "cover"

    def describe(self) -> str:
        length = f", {self.duration:.1f} s" if self.duration else ""
        return f"track {self.number}: {self.width}×{self.height} {self.codec or 'video'}{length}"


def _flag(name: str) -> int:
    return int(getattr(av.stream.Disposition, name, 0) or 0)


def video_tracks(container, opener: Opener | None = None) -> list[VideoTrack]:
    """Every video stream with the role it plays: the camera's, a still, an auxiliary or cover art.

    Where the container does not count frames (Matroska, TS) and there are several video streams,
    the packets at the start of the file are counted instead (on a container from `opener`).
    """
    streams = list(container.streams.video)
    frames = [int(s.frames or 0) for s in streams]
    if len(streams) > 1 and not all(frames) and opener is not None:
        frames = _count_packets(opener, [s.index for s in streams])
    most = max(frames, default=0)
    tracks = []
    for number, stream in enumerate(streams):
        disposition = int(stream.disposition or 0)
        names = " ".join(str(stream.metadata.get(key, "")) for key in ("handler_name", "title"))
        if disposition & _flag("attached_pic"):
            role = "cover"
        elif disposition & (_flag("dependent") | _flag("metadata") | _flag("timed_thumbnails")) \
                or _AUXILIARY_NAME.search(names):
            role = "auxiliary"
        elif disposition & _flag("still_image") or (0 < frames[number] <= STILL_MAX_FRAMES < most):
            role = "still"
        else:
            role = "camera"
        duration = None
        if stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        ctx = stream.codec_context
        codec = ctx.codec.name if ctx is not None and ctx.codec is not None else None
        tracks.append(VideoTrack(number, stream.index, int(ctx.width or 0) if ctx else 0,
                                 int(ctx.height or 0) if ctx else 0, frames[number], duration, codec, role))
    return tracks


COUNT_PACKETS = 600  # packets read to tell a still track from a moving one (a few seconds of video)


def _count_packets(opener: Opener, indices: list[int]) -> list[int]:
    counts = dict.fromkeys(indices, 0)
    try:
        with opener.open() as container:
            for n, packet in enumerate(container.demux(*[container.streams[i] for i in indices])):
                if packet.size:
                    counts[packet.stream.index] += 1
                if n >= COUNT_PACKETS:
                    break
    except (MediaError, av.FFmpegError):
        pass
    return [counts[i] for i in indices]


def camera_tracks(tracks: list[VideoTrack]) -> list[VideoTrack]:
    """The full-length camera tracks, i.e. those a practitioner may choose between."""
    cameras = [t for t in tracks if t.role == "camera"]
    longest = max((t.duration or 0.0 for t in cameras), default=0.0)
    return [t for t in cameras if not t.duration or not longest or t.duration >= FULL_LENGTH_SHARE * longest]


def pick_video_stream(container, track: int | None = None,
                      tracks: list[VideoTrack] | None = None) -> av.video.stream.VideoStream:
    """The video stream to serve: video track `track` (its number among the video streams) when
    given, otherwise the main one: the first camera track, i.e. neither cover art nor a still, depth
    or other auxiliary track (FFmpeg's `-map 0:v:0` in phone files; FFmpeg's own default would take
    the largest picture, which in a motion photo is the still). `tracks`: video_tracks(container)."""
    tracks = video_tracks(container) if tracks is None else tracks
    if track is not None:
        for candidate in tracks:
            if candidate.number == track and candidate.role != "cover":
                return container.streams[candidate.stream_index]
        usable = [t.number for t in tracks if t.role != "cover"]
        raise MediaError(f"no video track {track} in this file"
                         + (f" (tracks: {', '.join(map(str, usable))})" if usable else ""))
    for role in ("camera", "still", "auxiliary"):
        for candidate in tracks:
            if candidate.role == role:
                return container.streams[candidate.stream_index]
    raise MediaError("no video stream (audio only?)" if container.streams.audio else "no video stream")


def check_decodable(stream) -> str:
    """The video codec name, or MediaError when this build of FFmpeg cannot decode it."""
    ctx = stream.codec_context
    if ctx is None or ctx.codec is None:
        raise MediaError("unsupported codec (no decoder for this video stream)")
    return ctx.codec.name
