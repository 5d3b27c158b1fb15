"""Export plumbing: reading the source safely, writing the target atomically, H.264 encoding.

Nothing here writes anything but the target (a `.partial` file, or the caller's file object): decoded
audio and video stay in memory.
"""

from __future__ import annotations

import errno
import io
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from vigstudio.domain.errors import DiskFull, InvalidInput, VigError

from .probe import SharedFile

OUTPUT_TIME_BASE = Fraction(1, 90000)  # exact for 24/25/30/50/60 and 30000/1001 fps and ms-timed VFR
# x264's fastest preset with its in-loop deblocking and CABAC switched back on. Measured at 1080p30
# on a grainy camera-like source (bench/export.py, one thread): ~11 ms of CPU a frame against ~18 ms
# for "superfast" and ~23 ms for "veryfast", whose smaller files would cost the 2-core laptop its
# faster-than-real-time export (libx264 is ~80 % of a re-encode's CPU; decoding 1080p is ~2.5 ms).
# Plain "ultrafast" saves another ~10 % of CPU for ~50 % larger files and no deblocking.
X264_PRESET = "ultrafast"
# the colour description comes from set_color (the source's, or BT.601 for pictures made in RGB)
X264_PARAMS = "deblock=1:cabac=1"
# CRF 21: luma PSNR ~46 dB against the decoded source (19: ~47 dB), 20 % smaller files and ~10 %
# less CPU than 19; transparent for viewing. Smart-cut edges use their own, lower CRF.
X264_CRF = "21"
PIPELINE_DEPTH = 6  # decoded frames waiting for the encoder
MIN_SPEED, MAX_SPEED = 0.25, 2.0
Progress = Callable[[float, str], None]


class ExportError(VigError):
    """An export that could not be written; nothing was left behind."""


# ---------------------------------------------------------------- reading the source

class SourceViews:
    """Independent read positions over one source, all reads serialised by one lock.

    A path is simply reopened; a file object (the library's decrypting container reader) is shared
    through `SharedFile`s, so the media engine, the audio decoder and the packet copier can each
    read at their own position without ever writing a plaintext copy anywhere.
    """

    def __init__(self, source):
        if isinstance(source, (str, os.PathLike)):
            self._path, self._raw, self._size = str(source), None, None
        else:
            self._path, self._raw = None, source
            self._size = source.seek(0, io.SEEK_END)
            source.seek(0)
        self._lock = threading.Lock()

    def view(self):
        if self._path is not None:
            return self._path
        return SharedFile(self._raw, self._lock, self._size)

    def open(self) -> av.container.InputContainer:
        return av.open(self.view(), mode="r")


# ---------------------------------------------------------------- writing the target

class AtomicTarget:
    """`.name.partial` next to the target; `commit()` fsyncs and renames, `discard()` removes it."""

    def __init__(self, out_path: Path | str) -> None:
        self.final = Path(out_path)
        folder = self.final.parent if str(self.final.parent) else Path(".")
        if not folder.is_dir():
            raise ExportError(f"cannot export to {folder}: the folder does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(f"cannot export to {folder}: the folder is not writable")
        if self.final.is_dir():
            raise ExportError(f"cannot export to {self.final}: it is a folder")
        self.partial = folder / f".{self.final.name}.partial"
        self.label = str(self.final)

    def open_output(self) -> av.container.OutputContainer:
        try:
            return av.open(str(self.partial), mode="w", format="mp4", options={"movflags": "+faststart"})
        except OSError as exc:
            raise write_error(exc, self.final) from exc

    def commit(self) -> None:
        try:
            with open(self.partial, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(self.partial, self.final)
            dir_fd = os.open(self.final.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            self.discard()
            raise write_error(exc, self.final) from exc

    def write_bytes(self, data: bytes) -> None:
        try:
            with open(self.partial, "wb") as f:
                f.write(data)
        except OSError as exc:
            self.discard()
            raise write_error(exc, self.final) from exc
        self.commit()

    def discard(self) -> None:
        try:
            self.partial.unlink()
        except FileNotFoundError:
            pass


class StreamTarget:
    """The export written straight into a writable, seekable binary file object (e.g. io.BytesIO), from
    its current position on: nothing touches any filesystem. There is no fast start here: FFmpeg's
    faststart pass reopens the output by its file name (with a file object it fails with ENOENT), so
    the MP4's index (moov) follows the media data. `discard()` truncates the object back to where the
    export began; after `commit()` its position is just after the export.
    """

    final = None  # no path: ExportResult.path is None
    label = "the output file object"

    def __init__(self, file):
        usable = all(callable(getattr(file, name, None)) for name in ("write", "seek", "tell", "truncate"))
        if not usable or isinstance(file, io.TextIOBase) or not _says_yes(file, "writable") \
                or not _says_yes(file, "seekable"):
            raise InvalidInput("an export goes to a path or to a writable, seekable binary file object")
        self.file = file
        self.start = file.tell()
        self._window: _Window | None = None

    def open_output(self) -> av.container.OutputContainer:
        self.file.seek(self.start)
        self._window = _Window(self.file, self.start)
        return av.open(self._window, mode="w", format="mp4")

    def commit(self) -> None:
        end = self._window.end if self._window is not None else 0
        self.file.seek(self.start + end)
        flush = getattr(self.file, "flush", None)
        if flush is not None:
            flush()

    def write_bytes(self, data: bytes) -> None:
        self.file.seek(self.start)
        self._window = _Window(self.file, self.start)
        try:
            self._window.write(data)
            self.commit()
        except BaseException as exc:
            self.discard()
            error = as_export_error(exc, self)
            if error is exc:
                raise
            raise error from exc

    def discard(self) -> None:
        try:
            self.file.seek(self.start)
            self.file.truncate()
        except (OSError, ValueError):
            pass


def _says_yes(file, question: str) -> bool:
    answer = getattr(file, question, None)
    return answer is None or bool(answer())


class _Window:
    """`file` seen from `base` on, for the muxer: its offsets (from 0) land after what was there before."""

    def __init__(self, file, base: int):
        self.file, self.base = file, base
        self.end = 0  # furthest byte written, relative to base

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):  # raw file objects may take part of a write
            n = self.file.write(view[done:])
            if n is None or n <= 0:
                raise OSError(errno.EIO, "the output file object took no bytes")
            done += n
        self.end = max(self.end, self.tell())
        return done

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            offset += self.base
        return self.file.seek(offset, whence) - self.base

    def tell(self) -> int:
        return self.file.tell() - self.base

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True


def output_target(out) -> AtomicTarget | StreamTarget:
    """Where an export goes: a path (atomic, fsynced, fast start) or a writable, seekable file object."""
    if isinstance(out, (str, os.PathLike)):
        return AtomicTarget(out)
    return StreamTarget(out)


WRITE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO, errno.EFBIG, errno.ENOENT}


def write_error(exc: BaseException, target: Path | None) -> VigError:
    code = getattr(exc, "errno", None)
    why = os.strerror(code) if isinstance(code, int) and code > 0 else type(exc).__name__
    if target is None:
        return ExportError(f"cannot write the export to the output file object: {why}")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(str(target.parent))
    return ExportError(f"cannot write the export {target}: {why}")


def as_export_error(exc: BaseException, target: AtomicTarget | StreamTarget) -> BaseException:
    """What a failed export raises: VigErrors and non-OS errors as they are, OS/FFmpeg ones as VigErrors."""
    if isinstance(exc, VigError) or not isinstance(exc, (OSError, av.FFmpegError)):
        return exc
    if getattr(exc, "errno", None) in WRITE_ERRNOS | {errno.ENOSPC, errno.EDQUOT}:
        return write_error(exc, target.final)
    return ExportError(f"the export to {target.label} failed ({type(exc).__name__})")


def run_atomically(target: AtomicTarget | StreamTarget, write):
    """Run `write()` (which fills the target) and commit; on any failure discard what was written."""
    try:
        result = write()
        target.commit()
        return result
    except BaseException as exc:
        target.discard()
        error = as_export_error(exc, target)
        if error is exc:
            raise
        raise error from exc


def open_output(target: AtomicTarget | StreamTarget) -> av.container.OutputContainer:
    return target.open_output()


# ---------------------------------------------------------------- video

@dataclass(frozen=True)
class ColorTags:
    """The colour description written into the H.264 VUI (FFmpeg's AVCol* numbers; 2: unspecified)."""

    colorspace: int = 2
    primaries: int = 2
    trc: int = 2
    color_range: int = 0  # 0 unspecified, 1 limited (MPEG), 2 full (JPEG)


RANGE_MPEG = 1
# What yuv_frame (OpenCV, BT.601 limited range) makes of RGB; without it HD players assume BT.709.
RGB_PATH_TAGS = ColorTags(colorspace=6, color_range=RANGE_MPEG)  # 6: SMPTE 170M (BT.601)


def add_h264_stream(out, width: int, height: int, fps: float, *, time_base=OUTPUT_TIME_BASE):
    """libx264 yuv420p, square pixels, keyframe every 2 s, no B-frames; timestamps in `time_base`.

    Pictures are taken to be yuv_frame's (RGB_PATH_TAGS) unless `set_color` says otherwise before
    the first frame is encoded.
    """
    rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(25)
    stream = out.add_stream("libx264", rate=rate)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.time_base = time_base
    ctx = stream.codec_context
    ctx.time_base = time_base
    ctx.framerate = rate
    ctx.gop_size = max(1, round(float(rate) * 2))
    # No B-frames: decode order = presentation order, so MP4's per-sample durations are exactly the
    # frames' own (VFR sources stay exact in every player); costs a few per cent of size.
    ctx.max_b_frames = 0
    ctx.sample_aspect_ratio = Fraction(1)
    ctx.thread_count = 0  # x264's own choice: frame threads on every core
    ctx.options = x264_options(X264_CRF, "high")
    set_color(ctx, RGB_PATH_TAGS)
    return stream


def x264_options(crf: str, profile: str, level: str | None = None, extra: str = "") -> dict:
    options = {"preset": X264_PRESET, "crf": crf, "profile": profile,
               "x264-params": X264_PARAMS + (f":{extra}" if extra else "")}
    if level:
        options["level"] = level
    return options


def set_color(ctx, tags: ColorTags) -> None:
    """Describe the pictures' colours in the stream (H.264 VUI, MP4 colr) as `tags` say.

    FFmpeg's libx264 wrapper copies these fields of the (not yet opened) context into x264's VUI.
    """
    ctx.colorspace, ctx.color_primaries = tags.colorspace, tags.primaries
    ctx.color_trc, ctx.color_range = tags.trc, tags.color_range


def yuv_frame(rgb: np.ndarray, pts: int, time_base=OUTPUT_TIME_BASE) -> av.VideoFrame:
    """yuv420p (BT.601, limited range, like swscale's default) of an even-sized RGB picture.

    OpenCV's converter is vectorised and about 5x cheaper than swscale's rgb24 path at 1080p.
    """
    i420 = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420)
    frame = av.VideoFrame.from_ndarray(i420, format="yuv420p")
    frame.pts, frame.time_base = pts, time_base
    return frame


def in_background(make_items, depth: int = PIPELINE_DEPTH):
    """Iterate `make_items()` on a worker thread, `depth` items ahead (decoding overlaps encoding).

    PyAV and OpenCV release the GIL while they decode, convert and filter, so the picture work of
    frame n+1 runs while libx264 encodes frame n. Errors on the worker are raised here. Use it
    as `with closing(in_background(...)) as items:` so that leaving the loop early (cancel,
    failure) stops the worker and closes its iterator at once, not when garbage is collected.
    """
    items: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    end = object()

    def put(entry) -> bool:
        while not stop.is_set():
            try:
                items.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            iterator = iter(make_items())
            try:
                for item in iterator:
                    if not put((item, None)):
                        return
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
            put((end, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            put((end, exc))

    worker = threading.Thread(target=work, name="export-decode", daemon=True)
    worker.start()
    try:
        while True:
            item, error = items.get()
            if item is end:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        worker.join(timeout=30)


# ---------------------------------------------------------------- results and timing

@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # None when the export went into a file object
    method: str  # "smartcut" (edges re-encoded, GOPs copied), "reencode", "png" or "review"
    frame_count: int
    duration: float  # seconds of video in the export
    audio_duration: float  # seconds of audio in the export (0.0: no audio track)
    copied_gops: int = 0
    copied_frames: int = 0
    note: str = ""  # why a smart cut was not possible, when one was asked for


class Span:
    """Source frames [start, end) and their timing relative to the first one, in OUTPUT_TIME_BASE."""

    def __init__(self, media, start: int, end: int, speed: float):
        info = media.info
        if not 0 <= start < end <= info.frame_count:
            raise InvalidInput(f"frames {start}..{end} are outside the recording (0..{info.frame_count})")
        times = media.frame_times
        self.start, self.end, self.speed = start, end, speed
        self.t0 = float(times[start])
        self.t1 = float(times[end]) if end < info.frame_count else float(info.duration)
        rel = (np.asarray(times[start:end], np.float64) - self.t0) / speed
        self.pts = [int(p) for p in np.round(rel / float(OUTPUT_TIME_BASE))]
        self.end_pts = max(self.pts[-1] + 1, round((self.t1 - self.t0) / speed / float(OUTPUT_TIME_BASE)))

    @property
    def count(self) -> int:
        return self.end - self.start

    @property
    def out_seconds(self) -> float:
        return self.end_pts * float(OUTPUT_TIME_BASE)


def check_speed(speed: float) -> float:
    speed = float(speed)
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise InvalidInput(f"export speed must be between {MIN_SPEED} and {MAX_SPEED} (got {speed})")
    return speed


def report(progress: Progress | None, fraction: float, label: str) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, fraction)), label)


def close_quietly(out) -> None:
    try:
        out.close()
    except Exception:
        pass


