"""`open_media` and `MediaSource`: frame-exact, cached, prefetched access to one recording."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from .cache import DEFAULT_CACHE_BYTES, FrameCache, frame_nbytes
from .decoder import LARGE_PICTURE, GopDecoder, damaged_as_media_error, decode_range, to_rgb
from .errors import FrameOutOfRange, MediaError
from .index import FrameIndex, build_index, stored_stream_index
from .memory import give_back_free_memory, return_large_buffers
from .orientation import of_frame
from .probe import (
    DAMAGED,
    NOT_A_VIDEO,
    Opener,
    VideoTrack,
    camera_tracks,
    check_decodable,
    pick_video_stream,
    video_tracks,
)

# Share of the cache kept for frames behind / ahead of the current one.
BEHIND_SHARE, AHEAD_SHARE = 0.6, 0.3
# After a jump, only this many frames before it are decoded in full while the caller waits (enough
# for the first steps back); the rest of the window behind is filled by the prefetch thread. Frames
# further back are decoded only as references, which skips every non-reference picture.
JUMP_KEEP_BEHIND = 8
# Memory for the moments kept decoded (markers, clip starts: `MediaSource.keep_ready`), besides the cache.
PIN_BYTES = 32 * 1024 * 1024
# Cache bound while frames are kept at a view's size: ~90 frames at 1280×720 (3 s behind and ahead),
# as many as the full-size cache holds of 1080p, in half the memory.
VIEW_CACHE_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class MediaInfo:
    frame_count: int
    width: int  # of the picture as returned by frame(), i.e. after rotation
    height: int
    rotation: int  # clockwise degrees applied to turn the stored picture upright
    sample_aspect_ratio: Fraction  # of the returned (upright) picture; the view applies it
    average_fps: float
    duration: float  # seconds, first frame shown to end of the last frame
    has_audio: bool
    audio_sample_rate: int | None
    video_codec: str
    audio_codec: str | None
    index_method: str  # "demux" (normal) or "decode" (this file needed a full decode to index)
    mirrored: bool = False  # shown mirrored left to right after the turn (a reflecting display matrix)
    video_track: int = 0  # the video track served (its number among the file's video streams)
    # the full-length camera tracks to choose from, when the file has more than one (else empty)
    video_tracks: tuple[VideoTrack, ...] = ()


def open_media(source, index: bytes | None = None, *, cache_bytes: int = DEFAULT_CACHE_BYTES,
               track: int | None = None) -> MediaSource:
    """Open a recording (path or seekable binary file object). Only MediaError escapes.

    `track` chooses a video track by its number among the file's video streams (see
    `MediaInfo.video_tracks`); by default the main one. A stored `index` keeps the track it was made
    for (it is rebuilt for that same track if it no longer fits).
    """
    # anything FFmpeg or the file object throws means "cannot serve it"
    with damaged_as_media_error():
        opener = Opener(source)
        container = opener.open()
        try:
            if container.format.name == "image2" or container.format.name.endswith("_pipe"):
                raise MediaError(f"{NOT_A_VIDEO} (a still image)")
            tracks = video_tracks(container, opener)
            stream = _stored_stream(container, index) if track is None else None
            if stream is None:
                stream = pick_video_stream(container, track, tracks)
            video_codec = _codec_name(stream, check_decodable(stream))
            number = next((t.number for t in tracks if t.stream_index == stream.index), 0)
            frame_index = _reuse_index(index, opener, stream)
            if frame_index is None:
                frame_index = build_index(opener, container, stream)
            elif frame_index.mirrored is None:  # stored before mirroring was known
                frame_index.mirrored = _orientation(opener, stream.index).mirrored
            audio = next(iter(container.streams.audio), None)
            audio_codec = _codec_name(audio, None) if audio is not None else None
            audio_rate = audio.codec_context.sample_rate if audio is not None and audio.codec_context else None
        finally:
            container.close()
        cameras = camera_tracks(tracks)
        info = _make_info(frame_index, video_codec, audio_codec, audio_rate, number,
                          tuple(cameras) if len(cameras) > 1 else ())
    return MediaSource(opener, frame_index, info, cache_bytes)


def list_video_tracks(source) -> tuple[VideoTrack, ...]:
    """The full-length camera tracks of a file when it has more than one (else empty): what
    `MediaInfo.video_tracks` will say, from the container's header alone (no indexing)."""
    with damaged_as_media_error():
        opener = Opener(source)
        with opener.open() as container:
            cameras = camera_tracks(video_tracks(container, opener))
    return tuple(cameras) if len(cameras) > 1 else ()


def _stored_stream(container, data: bytes | None):
    """The video stream a stored index was made for (also when the index itself is stale)."""
    number = stored_stream_index(data) if data is not None else None
    if number is None or not 0 <= number < len(container.streams):
        return None
    stream = container.streams[number]
    return stream if stream.type == "video" else None


def _orientation(opener: Opener, stream_index: int):
    """The orientation of the first decodable picture of a stream (a short decode)."""
    with opener.open() as container:
        stream = container.streams[stream_index]
        for packet in container.demux(stream):
            try:
                for frame in stream.codec_context.decode(packet):
                    return of_frame(frame, stream)
            except av.FFmpegError:
                continue
        return of_frame(None, stream)


def _reuse_index(data: bytes | None, opener: Opener, stream) -> FrameIndex | None:
    if data is None:
        return None
    try:
        index = FrameIndex.from_bytes(data)
    except ValueError:
        return None  # stale or foreign: rebuild
    if index.file_size != opener.size or index.stream_index != stream.index:
        return None
    return index


def _codec_name(stream, fallback: str | None) -> str | None:
    ctx = stream.codec_context
    if ctx is None or ctx.codec is None:
        return fallback
    return getattr(ctx.codec, "canonical_name", None) or ctx.codec.name


def _make_info(index: FrameIndex, video_codec, audio_codec, audio_rate, track: int = 0,
               tracks: tuple[VideoTrack, ...] = ()) -> MediaInfo:
    turned = index.rotation in (90, 270)
    sar = index.sar if index.sar > 0 else Fraction(1)
    duration = index.duration
    return MediaInfo(
        frame_count=index.frame_count,
        width=index.height if turned else index.width,
        height=index.width if turned else index.height,
        rotation=index.rotation,
        sample_aspect_ratio=1 / sar if turned else sar,
        average_fps=index.frame_count / duration if duration > 0 else 0.0,
        duration=duration,
        has_audio=audio_codec is not None,
        audio_sample_rate=audio_rate,
        video_codec=video_codec,
        audio_codec=audio_codec,
        index_method=index.method,
        mirrored=bool(index.mirrored),
        video_track=track,
        video_tracks=tracks,
    )


class MediaSource:
    """Frames of one recording by index (presentation order, as FFmpeg shows them), upright RGB.

    frame() serves from a byte-bounded cache of decoded GOP stretches; a background thread decodes
    the neighbouring stretch in the direction the user is moving. Thread-safe; close() when done.
    """

    def __init__(self, opener: Opener, index: FrameIndex, info: MediaInfo,
                 cache_bytes: int = DEFAULT_CACHE_BYTES):
        self._opener, self._index, self.info = opener, index, info
        self._engine = _Engine(opener, index, cache_bytes)
        self._finalizer = weakref.finalize(self, self._engine.close)

    # ------------------------------------------------------------ timing

    @property
    def frame_times(self) -> np.ndarray:
        """Read-only seconds from the first frame, one per frame."""
        return self._index.times

    def frame_time(self, i: int) -> float:
        return float(self._index.times[self._check(i)])

    def frame_at_time(self, t: float) -> int:
        """The frame on screen at `t` seconds (clamped to the first/last frame)."""
        i = int(np.searchsorted(self._index.times, t + 1e-9, side="right")) - 1
        return min(max(i, 0), self._index.frame_count - 1)

    def index_bytes(self) -> bytes:
        return self._index.to_bytes()

    # ------------------------------------------------------------ pictures

    def frame(self, i: int, size: tuple[int, int] | None = None) -> np.ndarray:
        """H×W×3 uint8 RGB of frame i, upright; `size` (width, height, upright) scales it in the
        same swscale pass as the colour conversion (what a view showing it smaller needs)."""
        i = self._check(i)
        engine = self._engine
        if engine.view_size is not None and size != engine.view_size:
            # the cache holds frames at the view's size: another size is decoded on its own
            return next(iter(self.pictures([i], size)))[1]
        orientation = self._index.orientation
        return engine.get(i, lambda frame: to_rgb(frame, orientation, size))

    def set_view_size(self, size: tuple[int, int] | None) -> None:
        """Keep decoded frames at `size` (width, height, upright) rather than full size: frame(i,
        size) is then served from a cache of small frames (a 4K frame takes 12-25 MB, one at
        1280×720 1.4 MB, so the same memory holds ~15 times as many), and scaled once, when it is
        decoded. Other sizes (stills, export: full size) are decoded apart. None: full size."""
        self._engine.set_view_size(size, self._index.orientation.turned)

    def has_frame(self, i: int) -> bool:
        """Whether frame(i) would come straight from the cache (no decode to wait for)."""
        return int(i) in self._engine.cache or int(i) in self._engine.pinned

    def keep_ready(self, frames) -> None:
        """Decode `frames` (the moments a user jumps to: markers, clip starts, comments; most wanted
        first) in the background when nothing else is asked, and keep them decoded within a
        budget, so that jumping to them is instant. Replaces the previous list."""
        self._engine.pin(frames)

    @property
    def ready_moments(self) -> tuple[int, ...]:
        """The frames `keep_ready` was last given (valid ones, first wanted first)."""
        return tuple(self._engine.pin_wanted)

    def iter_frames(self, start: int = 0, stop: int | None = None,
                    size: tuple[int, int] | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """(index, RGB) for start <= index < stop, decoding linearly on a private decoder (`size`:
        as for frame())."""
        count = self._index.frame_count
        stop = count if stop is None else min(stop, count)
        if start >= stop:
            return
        start = self._check(start)
        for i, frame in decode_range(self._opener, self._index, start, stop):
            yield i, to_rgb(frame, self._index.orientation, size)

    def pictures(self, indices: Iterable[int], size: tuple[int, int] | None = None,
                 ) -> Generator[tuple[int, np.ndarray], None, None]:
        """(index, RGB) of each of `indices` (ascending), on a private decoder (the editing cache and
        its prefetching are left alone) that decodes on where that is cheaper than seeking.

        Only the wanted frames are converted; `size` (width, height, upright) scales them in the
        same pass. Sparse indices (keyframes) are decoded with slice threads, so that no frame
        threads decode pictures past each one for nothing.
        """
        wanted = [self._check(i) for i in indices]
        if not wanted:
            return
        dense = len(wanted) > 1 and (wanted[-1] - wanted[0]) < 8 * len(wanted)
        decoder = GopDecoder(self._opener, self._index, "AUTO" if dense else "SLICE")
        try:
            with damaged_as_media_error():
                for i in wanted:
                    yield i, to_rgb(decoder.decode_to(i), self._index.orientation, size)
        finally:
            decoder.close()

    def _check(self, i) -> int:
        i = int(i)
        if not 0 <= i < self._index.frame_count:
            raise FrameOutOfRange(i, self._index.frame_count)
        return i

    # ------------------------------------------------------------ lifetime

    @property
    def cache_bytes(self) -> int:
        """Bytes of decoded frames held now (bounded by the `cache_bytes` given to open_media)."""
        return self._engine.cache.nbytes

    @property
    def cache_misses(self) -> int:
        """How many frame() calls had to wait for a decode (the rest came from the cache)."""
        return self._engine.decodes

    def wait_prefetch(self, timeout: float = 10.0) -> bool:
        """Block until background prefetch is idle (for tests and benchmarks)."""
        return self._engine.idle.wait(timeout)

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> MediaSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Engine:
    """Decoder + cache + prefetch thread. Holds no reference to its MediaSource (so it can be collected)."""

    def __init__(self, opener: Opener, index: FrameIndex, cache_bytes: int):
        self.index = index
        self.cache = FrameCache(cache_bytes)
        self.full_cache_bytes = cache_bytes
        self.decoder = GopDecoder(opener, index)
        self.decode_lock = threading.Lock()
        self.preempt = threading.Event()  # set while the caller waits for the decoder
        self.jobs = threading.Condition()
        self.job: tuple[int, int] | None = None
        self.closed = False
        self.last: int | None = None
        self.idle = threading.Event()  # no prefetch queued or running (tests and bench wait on it)
        self.idle.set()
        self.decodes = 0  # times a caller had to wait for the decoder (cache misses)
        self.frame_bytes = max(1, index.width * index.height * 3 // 2)
        if index.width * index.height > LARGE_PICTURE:
            return_large_buffers()  # or its pictures leave the heap holed (memory.py)
        self.pin_wanted: list[int] = []  # moments (markers, clips) to keep decoded: see pin()
        self.pinned: dict[int, object] = {}
        self.pinned_bytes = 0
        self.pin_failed: set[int] = set()
        self.view_size: tuple[int, int] | None = None  # upright size cached frames are scaled to
        self._stored_size: tuple[int, int] | None = None  # the same, in the stored orientation
        self._reformatter = VideoReformatter()  # used under decode_lock only
        self.thread = threading.Thread(target=self._prefetch_loop, name="media-prefetch", daemon=True)
        self.thread.start()

    def _window(self) -> tuple[int, int]:
        frames = max(8, self.cache.max_bytes // self.frame_bytes)
        return max(2, int(frames * BEHIND_SHARE)), max(2, int(frames * AHEAD_SHARE))

    def _keep(self, lo: int, hi: int):
        def put(i, frame):
            if lo <= i <= hi:
                frame = self._scaled(frame)
                self.frame_bytes = frame_nbytes(frame)
                self.cache.put(i, frame)
            return frame
        return put

    def _scaled(self, frame):
        size = self._stored_size
        if size is None:
            return frame
        return self._reformatter.reformat(frame, size[0], size[1], format="yuv420p", interpolation="AREA")

    def set_view_size(self, size: tuple[int, int] | None, turned: bool) -> None:
        size = None if size is None else (max(2, int(size[0])), max(2, int(size[1])))
        if size == self.view_size:
            return
        self.preempt.set()  # the prefetch stops at its next frame, rather than fill at the old size
        try:
            with self.decode_lock:
                self.view_size = size
                self._stored_size = None if size is None else (size[::-1] if turned else size)
                self.cache.clear()
                self.cache.max_bytes = self.full_cache_bytes if size is None else min(self.full_cache_bytes,
                                                                                      VIEW_CACHE_BYTES)
                self.pinned.clear()  # kept at the old size: made again at the new one
                self.pinned_bytes = 0
                self.frame_bytes = max(1, (size[0] * size[1] if size else self.index.width * self.index.height) * 3 // 2)
                self.last = None
        finally:
            self.preempt.clear()

    def get(self, i: int, convert: Callable[[Any], np.ndarray]) -> np.ndarray:
        """`convert(frame i)`. The prefetch around i is asked for only after the conversion: a
        step after a pause then has both cores to itself (the decoder's threads would share them)."""
        if self.closed:
            raise MediaError("media source is closed")
        behind, _ = self._window()
        jump = self.last is None or abs(i - self.last) > behind
        # direction 0 after a jump: the user may step either way, so prefetch both sides
        direction = 0 if jump else (1 if i > self.last else -1 if i < self.last else 0)
        self.cache.focus = i
        frame = self.cache.get(i)
        if frame is None:
            frame = self.pinned.get(i)
        if frame is None:
            # preempt stays set until the new job is posted: a prefetch around the old position that
            # gets the lock in between would otherwise evict frames around this one
            self.preempt.set()
            try:
                with self.decode_lock:
                    frame = self.cache.get(i)
                    if frame is None:
                        # frames kept at a view's size are scaled as they are kept: after a jump
                        # the caller waits for two only, the prefetch scales the rest
                        keep = (JUMP_KEEP_BEHIND if self._stored_size is None else 2) if jump else behind
                        frame = self._decode(i, i - keep)
            except BaseException:
                self.preempt.clear()
                raise
        self.last = i
        try:
            return convert(frame)
        finally:
            with self.jobs:
                self.job = (i, direction)
                self.preempt.clear()
                self.idle.clear()
                self.jobs.notify()

    def _decode(self, i: int, keep_from: int):
        self.decodes += 1
        try:
            frame = self.decoder.decode_to(i, self._keep(keep_from, i), keep_from=keep_from)
            kept = self.cache.get(i)  # already scaled to the view's size on the way
            return kept if kept is not None else self._scaled(frame)
        except MediaError:
            raise
        except Exception as exc:
            self.decoder.close()
            raise MediaError(f"{DAMAGED} (frame {i}: {type(exc).__name__})") from exc

    # ------------------------------------------------------------ prefetch (background thread)

    def _prefetch_loop(self) -> None:
        while True:
            with self.jobs:
                idle = self.job is None and not self.closed and self._next_pin() is None
            if idle:
                give_back_free_memory()  # what the work before freed (memory.py: 4K leaves the heap holed)
            with self.jobs:
                while self.job is None and not self.closed and self._next_pin() is None:
                    self.idle.set()
                    self.jobs.wait()
                if self.closed:
                    return
                job, self.job = self.job, None
            try:
                if job is not None:
                    self._prefetch(*job)
                else:
                    self._pin_one()
            except Exception:
                # best effort: the caller's own decode reports real problems
                with self.decode_lock:
                    self.decoder.position = None

    # ------------------------------------------------------------ kept moments (background thread)

    def pin(self, frames) -> None:
        """Decode `frames` when idle and keep them (in order, within PIN_BYTES): jumps there are instant."""
        with self.jobs:
            self.pin_wanted = list(dict.fromkeys(int(f) for f in frames if 0 <= int(f) < self.index.frame_count))
            self.idle.clear()
            self.jobs.notify()

    def _next_pin(self) -> int | None:
        wanted = set(self.pin_wanted)
        for frame in [f for f in list(self.pinned) if f not in wanted]:  # no longer a moment: let it go
            dropped = self.pinned.pop(frame, None)
            if dropped is not None:
                self.pinned_bytes -= frame_nbytes(dropped)
        if self.pinned_bytes >= PIN_BYTES:
            return None
        return next((f for f in self.pin_wanted if f not in self.pinned and f not in self.pin_failed), None)

    def _pin_one(self) -> None:
        """Decode the next wanted moment, giving way (between two pictures) to anything the user asks."""
        with self.decode_lock:
            frame = self._next_pin()
            if frame is None or self._stale():
                return
            self.decoder.seek_for(frame)
            self.decoder.skip_unkept_before(frame)
            try:
                while not self._stale():
                    got = self.decoder.next_frame()
                    if got is None or got[0] > frame:
                        self.pin_failed.add(frame)
                        return
                    if got[0] == frame:
                        kept = self.cache.get(frame)
                        kept = self._scaled(got[1]) if kept is None else kept
                        self.pinned[frame] = kept
                        self.pinned_bytes += frame_nbytes(kept)
                        return
            finally:
                self.decoder.stop_skipping()

    def _stale(self) -> bool:
        return self.preempt.is_set() or self.closed or self.job is not None

    def _prefetch(self, center: int, direction: int) -> None:
        """Fill the window behind (direction <= 0) and ahead (direction >= 0) of `center`; behind
        first after a jump, since going on forward from there is cheap for the decoder anyway."""
        count = self.index.frame_count
        behind, ahead = self._window()
        if direction <= 0:
            self._fill(max(0, center - behind), center - 1)
        if direction >= 0:
            self._fill(center + 1, min(count - 1, center + ahead))

    def _fill(self, lo: int, hi: int) -> None:
        if lo > hi:
            return
        missing = self.cache.missing(range(lo, hi + 1))
        if not missing:
            return
        with self.decode_lock:
            if self._stale():
                return
            keep = self._keep(lo, hi)
            self.decoder.seek_for(missing[0])
            self.decoder.skip_unkept_before(missing[0])
            top = hi  # not missing[-1]: room made for the missing frames may evict cached ones near hi
            try:
                while not self._stale():
                    got = self.decoder.next_frame()
                    if got is None:
                        return
                    keep(*got)
                    if got[0] >= top:
                        return
            finally:
                self.decoder.stop_skipping()

    def close(self) -> None:
        with self.jobs:
            self.closed = True
            self.jobs.notify_all()
        self.preempt.set()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout=5)
        with self.decode_lock:
            self.decoder.close()
        self.cache.clear()
        self.pinned.clear()
        self.idle.set()
        give_back_free_memory()
