"""The scrubbing proxy: a small picture of every frame, so that a jump shows *that* frame at once.

Made once per recording (`proxy_stream`), stored encrypted like the recording itself (the app keeps
it in its own media container), read back with `ProxyReader.frame(i)`. The stream is H.264 at about
`PROXY_HEIGHT` pixels high, upright, in GOPs of `PROXY_GOP` frames with no B-frames: decode order is
presentation order, so the k-th picture decoded from GOP g is frame g·PROXY_GOP + k by construction
(no timestamps to trust), and any frame costs at most PROXY_GOP small decodes.

Layout of the byte stream (little-endian):
    MAGIC | u32 header length | JSON header {width, height, gop, codec}
    GOP records: packets, each a u32 length and the packet's Annex-B bytes (SPS/PPS repeated per GOP)
    trailer: int64 offset of each GOP record and of the end of the last | u64 frame count
             | u64 offset of the trailer | END_MAGIC
"""

from __future__ import annotations

import io
import json
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import cast

import av
import numpy as np
from av.video.codeccontext import VideoCodecContext

from .errors import FrameOutOfRange, MediaError

PROXY_HEIGHT = 320
PROXY_GOP = 8
MAGIC, END_MAGIC = b"VIGPRX1\n", b"VIGPRXE\n"
CODEC = "h264"
_TAIL = struct.Struct("<QQ8s")  # frame count, trailer offset, END_MAGIC
_X264 = {"preset": "veryfast", "crf": "27", "tune": "zerolatency",
         "x264-params": f"keyint={PROXY_GOP}:min-keyint={PROXY_GOP}:scenecut=0:bframes=0:repeat-headers=1"}
_CACHED_GOPS = 3  # decoded GOPs kept (3 × 8 small YUV frames ≈ 2 MB): dragging back and forth is free
_PROGRESS_EVERY = 16

Progress = Callable[[float, str], None]
LABEL = "preparing scrubbing previews"


def proxy_size(width: int, height: int, target: int = PROXY_HEIGHT) -> tuple[int, int]:
    """(width, height) of the proxy of an upright `width`×`height` picture: `target` high (never
    larger than the picture), same pixel aspect, even sizes (4:2:0 chroma)."""
    if height <= target:
        return max(2, width - width % 2), max(2, height - height % 2)
    w = round(width * target / height)
    return max(2, w + w % 2), target


def proxy_stream(media, progress: Progress | None = None) -> Iterator[bytes]:
    """The proxy of every frame of `media` (a MediaSource), as the bytes of the stream above.

    Decodes the recording once on a private decoder (scaled in the colour-conversion pass), encodes
    as it goes; memory stays at one GOP. `progress` may raise (e.g. Cancelled) to stop.
    """
    info = media.info
    count = info.frame_count
    width, height = proxy_size(info.width, info.height)
    header = json.dumps({"width": width, "height": height, "gop": PROXY_GOP, "codec": CODEC}).encode()
    yield MAGIC + struct.pack("<I", len(header)) + header
    offset = len(MAGIC) + 4 + len(header)
    offsets: list[int] = []
    encoder = _encoder(width, height, info.average_fps)
    made = 0

    def records(packets) -> Iterator[bytes]:
        nonlocal offset, made
        for packet in packets:
            if made % PROXY_GOP == 0:
                if not packet.is_keyframe:  # keyint says otherwise: never store a GOP it cannot start
                    raise MediaError("the preview encoder did not start a picture group where asked")
                offsets.append(offset)
            data = bytes(packet)
            made += 1
            offset += 4 + len(data)
            yield struct.pack("<I", len(data)) + data

    if progress is not None:
        progress(0.0, LABEL)
    for n, rgb in media.pictures(range(count), size=(width, height)):
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
        frame.pts = n
        yield b"".join(records(encoder.encode(frame)))
        if progress is not None and n % _PROGRESS_EVERY == 0:
            progress(n / count, LABEL)
    yield b"".join(records(encoder.encode(None)))
    if made != count:
        raise MediaError(f"the preview encoder made {made} pictures of {count}")
    offsets.append(offset)
    trailer = np.asarray(offsets, "<i8").tobytes()
    yield trailer + _TAIL.pack(count, offset, END_MAGIC)
    if progress is not None:
        progress(1.0, LABEL)


def _encoder(width: int, height: int, fps: float):
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
    rate = Fraction(fps).limit_denominator(1001) if fps and fps > 0 else Fraction(25)
    encoder.framerate, encoder.time_base = rate, 1 / rate
    encoder.gop_size = PROXY_GOP
    encoder.options = dict(_X264)
    return encoder


class StreamFile(io.RawIOBase):
    """A readable file object over an iterator of byte strings (what a container store reads from):
    the proxy goes from the encoder into encrypted storage without a plaintext copy anywhere."""

    def __init__(self, parts: Iterator[bytes]):
        super().__init__()
        self._parts = parts
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._buffer:
            part = next(self._parts, None)
            if part is None:
                return 0
            self._buffer = part
        n = min(len(buffer), len(self._buffer))
        buffer[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


class ProxyReader:
    """Frames of a stored proxy by index. Thread-safe; reads `file` (seekable; not closed here)."""

    def __init__(self, file, frame_count: int | None = None, *, close_file: bool = False):
        self._file, self._close_file = file, close_file
        self._lock = threading.Lock()
        try:
            head = self._read_at(0, len(MAGIC) + 4)
            if head[:len(MAGIC)] != MAGIC:
                raise ValueError("not a proxy")
            header = json.loads(self._read_at(len(head), struct.unpack("<I", head[len(MAGIC):])[0]))
            end = file.seek(0, io.SEEK_END)
            count, trailer_at, magic = _TAIL.unpack(self._read_at(end - _TAIL.size, _TAIL.size))
            if magic != END_MAGIC:
                raise ValueError("proxy is incomplete")
            gops = -(-count // int(header["gop"])) if count else 0
            self._offsets = np.frombuffer(self._read_at(trailer_at, 8 * (gops + 1)), "<i8")
            if len(self._offsets) != gops + 1 or header["codec"] != CODEC:
                raise ValueError("proxy index does not fit")
        except (ValueError, KeyError, TypeError, struct.error, OSError) as exc:
            raise MediaError(f"the scrubbing previews cannot be read ({exc})") from exc
        if frame_count is not None and count != frame_count:
            raise MediaError(f"the scrubbing previews have {count} frames, the recording {frame_count}")
        self.frame_count = count
        self.width, self.height, self.gop = int(header["width"]), int(header["height"]), int(header["gop"])
        self._decoder: VideoCodecContext | None = None
        self._gops: OrderedDict[int, list] = OrderedDict()

    def _read_at(self, offset: int, size: int) -> bytes:
        self._file.seek(offset)
        data = self._file.read(size)
        if len(data) != size:
            raise ValueError("proxy is truncated")
        return data

    def frame(self, i: int) -> np.ndarray:
        """H×W×3 uint8 RGB of frame i, upright, about PROXY_HEIGHT high."""
        i = int(i)
        if not 0 <= i < self.frame_count:
            raise FrameOutOfRange(i, self.frame_count)
        gop, k = divmod(i, self.gop)
        with self._lock:
            frames = self._gops.get(gop)
            if frames is None:
                frames = self._decode_gop(gop)
            self._gops.move_to_end(gop)
            if k >= len(frames):
                raise MediaError(f"the scrubbing preview of frame {i} cannot be decoded")
            return frames[k].to_ndarray(format="rgb24")

    def _decode_gop(self, gop: int) -> list:
        data = self._read_at(int(self._offsets[gop]), int(self._offsets[gop + 1] - self._offsets[gop]))
        decoder = self._decoder
        if decoder is None:
            # one thread: no frame held back, each packet gives its picture at once
            decoder = self._decoder = cast(VideoCodecContext, av.CodecContext.create(CODEC, "r"))
            decoder.thread_count = 1
        frames, at = [], 0
        try:
            while at + 4 <= len(data):
                size = struct.unpack_from("<I", data, at)[0]
                frames += decoder.decode(av.Packet(data[at + 4:at + 4 + size]))
                at += 4 + size
        except av.FFmpegError as exc:
            self._decoder = None
            raise MediaError(f"the scrubbing previews are damaged (group {gop})") from exc
        self._gops[gop] = frames
        while len(self._gops) > _CACHED_GOPS:
            self._gops.popitem(last=False)
        return frames

    def close(self) -> None:
        with self._lock:
            self._gops.clear()
            self._decoder = None
            if self._close_file:
                self._file.close()
