"""Decoding frames by index: seek to the keyframe of a frame's GOP, decode forward, name frames by pts.

Decoded frames are identified by their pts in the index, never by counting from a seek (counting is
wrong on open GOPs, where leading pictures of the next keyframe come out broken after a seek and
must be dropped). When the requested frame lies ahead of the current position in the same stretch,
decoding simply continues, which makes stepping forward and playback cheap.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from .errors import MediaError
from .index import FrameIndex, seek_before
from .orientation import as_orientation
from .probe import DAMAGED
from .sequence import Labeller

CONTINUE_SLACK = 4  # decode a few frames more rather than seek, when continuing is that close
LARGE_PICTURE = 1920 * 1088 * 2  # pixels above which the decoder's thread count is bounded
FRAME_THREADS_LARGE = 3


class _LandedLate(Exception):
    pass


class GopDecoder:
    """One container + decoder positioned somewhere in the stream. Not thread-safe: callers lock."""

    def __init__(self, opener, index: FrameIndex, thread_type: str = "AUTO"):
        self._opener, self._index = opener, index
        self._thread_type = thread_type
        self._container = None
        self._stream = None
        self._packets = None
        self._pending: deque = deque()
        self._await_key: int | None = None  # pts of the keyframe a seek should land on
        self._valid_from: int | None = None  # frames below this pts are leftovers of a seek
        self._label = Labeller()  # names frames in a sequence index (see sequence.py)
        self._skip_below: int | None = None  # pts under which non-reference frames are not decoded
        # pts under which frames may be missing from the output (skipped): until a frame at or past
        # it comes out, the position cannot be continued from
        self._gap_below: int | None = None
        self._gop = -1
        self._attempt = self._learned_attempt = 0
        self.position: int | None = None  # index of the last frame this decoder produced

    # ------------------------------------------------------------ positioning

    def _open(self):
        if self._container is None:
            self._container = self._opener.open()
            self._stream = self._container.streams[self._index.stream_index]
            for other in self._container.streams:
                if other.index != self._stream.index:
                    other.discard = type(other.discard).all
            # frame threads roughly double decode speed on 2+ cores (output is identical), but each
            # thread holds a frame in flight: "SLICE" suits seek-and-take-one-picture work
            ctx = self._stream.codec_context
            ctx.thread_type = self._index.threads or self._thread_type
            if (ctx.width or 0) * (ctx.height or 0) > LARGE_PICTURE:
                # FFmpeg's automatic count is cores + 1 frame threads, each with its own context and
                # pictures in flight (25 MB a 4K 10-bit picture): FFmpeg's own count on 2 cores, but
                # at most 3 (each thread more is ~45 MB at 4K; bench/README.md, 4K from phones)
                ctx.thread_count = min(FRAME_THREADS_LARGE, (os.cpu_count() or 1) + 1)

    def restart(self) -> None:
        """Decode from the very start of the file (fresh container: always possible)."""
        self.close()
        self._open()
        self._packets = self._container.demux(self._stream)
        self._pending.clear()
        self._await_key = self._valid_from = self._gap_below = None
        self._label = Labeller()
        self._gop, self.position = -1, None

    def seek_gop(self, gop: int, attempt: int | None = None) -> None:
        """Position the demuxer before keyframe `gop`; decoding then starts at a keyframe at or before it."""
        if gop < 0:
            self.restart()
            return
        if self._index.threads:
            # a damaged file: a decoder that has seen the damage keeps some of it (parameter sets
            # survive a flush), so start afresh, as the index's check of this keyframe did
            self.close()
        self._open()
        attempt = self._learned_attempt if attempt is None else attempt
        wanted = int(self._index.key_pts[gop])
        try:
            if not seek_before(self._container, self._stream, wanted, attempt):
                self.restart()
                return
        except av.FFmpegError:
            self.restart()
            return
        self._packets = self._container.demux(self._stream)
        self._pending.clear()
        self._set_skip(None)
        self._gap_below = None
        self._await_key, self._valid_from = wanted, None
        self._label = Labeller()
        self._gop, self._attempt, self.position = gop, attempt, None

    def can_continue_to(self, target: int) -> bool:
        """Whether decoding on from the current position is about as cheap as seeking for `target`."""
        if self.position is None or self._packets is None or self.position >= target:
            return False
        first = self._index.gop_first_frame(self._index.gop_of(target))
        return target - self.position <= target - first + CONTINUE_SLACK

    def seek_for(self, target: int) -> None:
        if not self.can_continue_to(target):
            self.seek_gop(self._index.gop_of(target))

    # ------------------------------------------------------------ decoding

    def next_frame(self):
        """(index, av.VideoFrame) of the next shown frame, or None at the end of the stream."""
        while True:
            try:
                return self._next_frame()
            except _LandedLate:
                # remember how far back this file needs seeking, so the next seek lands right first
                self._learned_attempt = self._attempt + 1
                self.seek_gop(self._gop, self._attempt + 1)

    def _next_frame(self):
        index = self._index
        while True:
            while self._pending:
                frame = self._pending.popleft()
                pts = frame.pts
                if not index.ordered:
                    i = index.index_of_label(self._label(pts))
                    if i is None or (self._await_key is None and self._gop >= 0
                                     and i < index.gop_first_frame(self._gop)):
                        continue  # leftovers of a seek, before the keyframe's own picture
                    return self._shown(i, pts), frame
                if pts is None or (self._valid_from is not None and pts < self._valid_from):
                    continue
                i = index.index_of_pts(pts)
                if i is None:
                    continue
                return self._shown(i, pts), frame
            if self._packets is None:
                self.restart()
            packet = next(self._packets, None)
            if packet is None:
                self._packets = None if self._await_key is not None else self._packets
                if self._await_key is not None:
                    raise _LandedLate()
                return None
            if self._skip_below is not None and (packet.pts is None or packet.pts >= self._skip_below):
                self._set_skip(None)
            if self._await_key is not None:
                if not packet.is_keyframe or packet.pts is None or packet.size == 0:
                    continue
                if packet.pts > self._await_key:
                    raise _LandedLate()
                if packet.pts < self._await_key and (self._known_key_between(packet.pts, self._await_key)
                                                     or not self._index.is_key(packet.pts)
                                                     or not self._index.ordered):
                    # landed a GOP (or more) early: start at the later keyframe instead (and never at
                    # a keyframe the index does not trust: concealed damage looks different from there)
                    continue
                self._valid_from, self._await_key = packet.pts, None
            try:
                self._pending.extend(self._stream.codec_context.decode(packet))
            except av.FFmpegError:
                continue  # a damaged packet: skip it, as ffmpeg does

    def _shown(self, i: int, pts) -> int:
        self.position = i
        if self._gap_below is not None and (pts is None or pts >= self._gap_below):
            self._gap_below = None  # every frame from here on comes out
        return i

    def _known_key_between(self, after_pts: int, upto_pts: int) -> bool:
        keys = self._index.key_pts
        return bool(np.searchsorted(keys, upto_pts, side="right") > np.searchsorted(keys, after_pts, side="right"))

    def _set_skip(self, below_pts: int | None) -> None:
        """Skip non-reference pictures (nothing refers to them) shown before `below_pts`; None: decode all.

        Only where "non-reference" is certain (`skips_exactly`). The decoder reads skip_frame for
        each packet as it is sent (also with frame threads), so the switch is exact.
        """
        if self._stream is None or not skips_exactly(self._stream.codec_context) or not self._index.ordered:
            below_pts = None
        if self._stream is not None:
            self._stream.codec_context.skip_frame = "NONREF" if below_pts is not None else "DEFAULT"
        self._skip_below = below_pts
        if below_pts is not None:
            self._gap_below = below_pts

    def skip_unkept_before(self, keep_from: int) -> None:
        """After a seek: frames before `keep_from` are only needed as references (see _set_skip)."""
        if self.position is None and keep_from > 0:
            self._set_skip(int(self._index.frame_pts[keep_from]))

    def decode_to(self, target: int, on_frame=None, keep_from: int | None = None):
        """The av.VideoFrame of frame `target`; `on_frame(i, frame)` sees every frame decoded on the way.

        Frames before `keep_from` are wanted only as references: non-reference ones are skipped.
        """
        self.seek_for(target)
        if keep_from is not None:
            self.skip_unkept_before(min(keep_from, target))
        try:
            while True:
                got = self.next_frame()
                if got is None or got[0] > target:
                    self.position = None  # do not trust this position for continuing
                    raise MediaError(f"{DAMAGED} (frame {target} cannot be decoded)")
                i, frame = got
                if on_frame is not None:
                    on_frame(i, frame)
                if i == target:
                    return frame
        finally:
            self.stop_skipping()

    def stop_skipping(self) -> None:
        """Decode everything again; if frames may have been skipped after the last one shown, the
        position cannot be continued. Skipping is switched off when a packet at or past its bound is
        *sent*, but with B-frames (and frame threads) that packet goes in several pictures before
        the frames shown just below the bound come out, and some of those were skipped: the gap is
        closed only when a frame at or past the bound is *shown*."""
        if self._skip_below is not None:
            self._set_skip(None)
        if self._gap_below is not None:
            self._gap_below = None
            self.position = None

    def close(self) -> None:
        if self._container is not None:
            try:
                self._container.close()
            except Exception:
                pass
        self._container = self._stream = self._packets = None
        self._skip_below = self._gap_below = None
        self._pending.clear()
        self.position = None


def skips_exactly(ctx) -> bool:
    """Whether FFmpeg's skip_frame=NONREF drops only pictures no other picture refers to.

    H.264: nal_ref_idc == 0 says so. HEVC: its "_N" pictures are unreferenced only within their
    temporal sub-layer (a higher sub-layer may refer to them), so only streams with one sub-layer
    qualify: the hvcC record's numTemporalLayers (byte 21, bits 3-5) must be 1. Other codecs: no.
    """
    if ctx.name == "h264":
        return True
    if ctx.name == "hevc":
        extradata = ctx.extradata or b""
        return len(extradata) > 22 and extradata[0] == 1 and (extradata[21] >> 3) & 7 == 1
    return False


@contextmanager
def damaged_as_media_error():
    """Whatever a damaged stream makes PyAV or the demuxer raise becomes the one clear MediaError."""
    try:
        yield
    except MediaError:
        raise
    except Exception as exc:
        raise MediaError(f"{DAMAGED} ({type(exc).__name__})") from exc


def decode_range(opener, index: FrameIndex, start: int, stop: int) -> Iterator[tuple[int, av.VideoFrame]]:
    """(index, decoded av.VideoFrame) for start <= index < stop, decoded linearly on a private decoder.

    Frames before `start` in its GOP are needed only as references: non-reference ones are not decoded.
    """
    stop = min(stop, index.frame_count)
    if start >= stop:
        return
    decoder = GopDecoder(opener, index)
    try:
        with damaged_as_media_error():
            decoder.seek_gop(index.gop_of(start))
            decoder.skip_unkept_before(start)
            while (got := decoder.next_frame()) is not None:
                if got[0] >= stop:
                    break
                if got[0] >= start:
                    yield got
    finally:
        decoder.close()


# ---------------------------------------------------------------- pictures

_local = threading.local()


def _reformatter(frame) -> VideoReformatter:
    """A reformatter of this thread for frames like `frame`. It keeps its scaler context between
    calls, and a context made for one colour range or matrix is not remade for another: a stream
    whose pictures change size, range or matrix midway (a damaged or spliced SPS) gets one each."""
    cache = getattr(_local, "reformatters", None)
    if cache is None:
        cache = _local.reformatters = {}
    key = (frame.width, frame.height, frame.format.name, frame.color_range, frame.colorspace)
    reformatter = cache.get(key)
    if reformatter is None:
        if len(cache) >= 8:
            cache.clear()
        reformatter = cache[key] = VideoReformatter()
    return reformatter


def to_rgb(frame, orientation, size: tuple[int, int] | None = None) -> np.ndarray:
    """H×W×3 uint8 RGB of a decoded frame, shown upright (`orientation`: an `Orientation`, or a
    plain clockwise rotation in degrees).

    `size` (width, height of the upright result) scales in the same swscale pass as the colour
    conversion (area-averaged), far cheaper than converting the full picture and shrinking it after.
    """
    orientation = as_orientation(orientation)
    reformatter = _reformatter(frame)
    if size is None:
        rgb = reformatter.reformat(frame, format="rgb24").to_ndarray()
    else:
        width, height = size if not orientation.turned else (size[1], size[0])
        rgb = reformatter.reformat(frame, width, height, format="rgb24", interpolation="AREA").to_ndarray()
    if not orientation.identity:
        rgb = np.ascontiguousarray(orientation.apply(rgb))
    return rgb
