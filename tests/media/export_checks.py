"""Reading exports back with plain PyAV, for the export tests (no VIG Studio code on this side)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from tests.videos import read_frame_number


@dataclass
class Decoded:
    numbers: list[int]
    pictures: list[np.ndarray]  # RGB, only when asked for
    video_seconds: float  # first frame shown to the end of the last one
    audio_seconds: float  # decoded samples / rate (0 without an audio track)
    width: int
    height: int
    codec: str
    pix_fmt: str
    sar: object
    has_audio: bool
    rotation: int


def decode_export(path, keep_pictures: bool = False, strict: bool = True) -> Decoded:
    """strict=False: frames without a number (title cards) read as None."""
    path = Path(path)
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        numbers, pictures, first = [], [], None
        for frame in container.decode(video):
            rgb = frame.to_ndarray(format="rgb24")
            first = first or frame
            numbers.append(_number(rgb, strict))
            if keep_pictures:
                pictures.append(rgb)
        ctx = video.codec_context
        info = dict(width=ctx.width, height=ctx.height, codec=ctx.name, pix_fmt=ctx.pix_fmt,
                    sar=video.sample_aspect_ratio, rotation=int(first.rotation) if first else 0)
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        packets = [(p.pts, p.duration or 0) for p in container.demux(video) if p.size]
    video_seconds = float((max(p + d for p, d in packets) - min(p for p, _ in packets)) * video.time_base)
    with av.open(str(path)) as container:
        has_audio = bool(container.streams.audio)
        samples = rate = 0
        if has_audio:
            audio = container.streams.audio[0]
            rate = audio.codec_context.sample_rate
            samples = sum(f.samples for f in container.decode(audio))
    return Decoded(numbers, pictures, video_seconds, samples / rate if rate else 0.0, has_audio=has_audio,
                   **info)


def _number(rgb, strict: bool) -> int | None:
    try:
        return read_frame_number(rgb)
    except ValueError:
        if strict:
            raise
        return None


def png_picture(path) -> np.ndarray:
    data = np.frombuffer(Path(path).read_bytes(), np.uint8)
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


class RawReader(io.RawIOBase):
    """Like the store's ContainerReader: readable, seekable, short reads allowed."""

    def __init__(self, data: bytes, chunk: int = 65536):
        self._data, self._pos, self._chunk = data, 0, chunk
        self.reads = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        part = self._data[self._pos:self._pos + min(len(buffer), self._chunk)]
        buffer[:len(part)] = part
        self._pos += len(part)
        self.reads += 1
        return len(part)

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._data)}[whence]
        self._pos = base + offset
        return self._pos

    def tell(self):
        return self._pos
