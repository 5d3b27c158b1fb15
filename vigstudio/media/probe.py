"""Opening a container safely: paths or shared file objects, bounded probing, clear refusals."""

from __future__ import annotations

import io
import os
import threading
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


def pick_video_stream(container) -> av.video.stream.VideoStream:
    """The main video stream (cover art in audio files does not count)."""
    attached = getattr(av.stream.Disposition, "attached_pic", None)
    for stream in container.streams.video:
        if attached is not None and stream.disposition & attached:
            continue
        return stream
    raise MediaError("no video stream (audio only?)" if container.streams.audio else "no video stream")


def check_decodable(stream) -> str:
    """The video codec name, or MediaError when this build of FFmpeg cannot decode it."""
    ctx = stream.codec_context
    if ctx is None or ctx.codec is None:
        raise MediaError("unsupported codec (no decoder for this video stream)")
    return ctx.codec.name
