"""Export plumbing: reading the source safely, writing the target atomically, H.264 and AAC encoding.

Nothing here writes anything but the target (a `.partial` file, or the caller's file object): decoded
audio and video stay in memory.
"""

from __future__ import annotations

import errno
import io
import math
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

from .audio import atempo_chain, media_origin
from .probe import SharedFile

OUTPUT_TIME_BASE = Fraction(1, 90000)  # exact for 24/25/30/50/60 and 30000/1001 fps and ms-timed VFR
# x264's fastest preset with its in-loop deblocking and CABAC switched back on: at 1080p this costs
# ~12 ms of CPU a frame against ~19 ms for "superfast" (no B-frames both), for about the same bytes
# and ~1 dB less PSNR (still ~42 dB: transparent); it is what lets a 2-core laptop export faster
# than real time while it also decodes.
X264_PRESET = "ultrafast"
# the pictures are converted with the BT.601 matrix (yuv_frame): say so, or HD players assume BT.709
X264_PARAMS = "deblock=1:cabac=1:colormatrix=smpte170m"
X264_CRF = "19"
PIPELINE_DEPTH = 6  # decoded frames waiting for the encoder
AUDIO_BITRATE = 160_000
AUDIO_CHUNK = 1024  # samples per AAC frame
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

    def __init__(self, out_path):
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

def add_h264_stream(out, width: int, height: int, fps: float, *, time_base=OUTPUT_TIME_BASE):
    """libx264 yuv420p, square pixels, keyframe every 2 s, no B-frames; timestamps in `time_base`."""
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
    ctx.options = {"preset": X264_PRESET, "crf": X264_CRF, "profile": "high", "x264-params": X264_PARAMS}
    return stream


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


# ---------------------------------------------------------------- audio

def audio_layout(channels: int) -> str:
    return "mono" if channels == 1 else "stereo"


def probe_audio(views: SourceViews) -> tuple[int, int] | None:
    """(sample rate, channels 1 or 2) of the first audio stream, or None without audio."""
    with views.open() as container:
        if not container.streams.audio:
            return None
        ctx = container.streams.audio[0].codec_context
        channels = ctx.layout.nb_channels if ctx.layout is not None else 2
        return int(ctx.sample_rate or 48000), 1 if channels == 1 else 2


def read_audio_span(views: SourceViews, t0: float, t1: float, rate: int, channels: int) -> np.ndarray:
    """Float32 (channels, samples) of media time [t0, t1) at `rate`: sample-exact, silence where none.

    Media time 0 is the first video frame (as for `MediaSource.frame_time`); each decoded frame is
    placed by its own timestamp, so gaps and a late audio start stay silent and in sync.
    """
    total = max(0, round((t1 - t0) * rate))
    out = np.zeros((channels, total), np.float32)
    if total == 0:
        return out
    with views.open() as container:
        if not container.streams.audio:
            return out
        stream = container.streams.audio[0]
        stream.thread_type = "AUTO"
        origin = media_origin(container)
        resampler = av.AudioResampler(format="fltp", layout=audio_layout(channels), rate=rate)
        if t0 > 0.5:
            try:
                container.seek(int((origin + t0 - 0.5) / stream.time_base), stream=stream)
            except av.FFmpegError:
                container.seek(0, stream=stream)
        cursor: float | None = None  # media time of the next resampled sample

        def place(samples: np.ndarray, at: float) -> bool:
            offset = round((at - t0) * rate)
            lo, hi = max(0, offset), min(total, offset + samples.shape[1])
            if hi > lo:
                out[:, lo:hi] = samples[:, lo - offset:hi - offset]
            return offset >= total

        done = False
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.InvalidDataError:
                continue  # one damaged packet: the rest of the sound still plays
            for frame in frames:
                if frame.time is not None:
                    at = frame.time - origin
                    if cursor is None or abs(at - cursor) > 0.02:
                        cursor = at  # resync only on real gaps, not on rounding of timestamps
                for res in resampler.resample(frame):
                    data = res.to_ndarray().reshape(channels, -1)
                    done = place(data, cursor or 0.0) or done
                    cursor = (cursor or 0.0) + data.shape[1] / rate
            if done:
                break
    return out


def change_tempo(pcm: np.ndarray, rate: int, speed: float) -> np.ndarray:
    """Pitch-kept tempo change with FFmpeg's atempo; output length exactly round(n / speed)."""
    channels, n = pcm.shape
    want = round(n / speed)
    if math.isclose(speed, 1.0) or n == 0:
        return pcm
    graph = av.filter.Graph()
    layout = audio_layout(channels)
    src = graph.add_abuffer(format="fltp", sample_rate=rate, layout=layout, time_base=Fraction(1, rate))
    nodes = [src] + [graph.add("atempo", f"{f:.6f}") for f in atempo_chain(speed)] + [graph.add("abuffersink")]
    for a, b in zip(nodes, nodes[1:], strict=False):
        a.link_to(b)
    graph.configure()
    sink = nodes[-1]
    parts = []

    def drain():
        while True:
            try:
                parts.append(sink.pull().to_ndarray().reshape(channels, -1))
            except (av.BlockingIOError, av.EOFError):
                return

    step = 4096
    for start in range(0, n, step):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm[:, start:start + step]), format="fltp",
                                           layout=layout)
        frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
        src.push(frame)
        drain()
    src.push(None)
    drain()
    result = np.concatenate(parts, axis=1) if parts else np.zeros((channels, 0), np.float32)
    if result.shape[1] >= want:
        return result[:, :want]
    return np.pad(result, ((0, 0), (0, want - result.shape[1])))


class AudioWriter:
    """AAC track fed from in-memory PCM, interleaved with the video by `feed_until(seconds)`."""

    def __init__(self, out, rate: int, channels: int):
        self.rate, self.channels = rate, channels
        self.layout = audio_layout(channels)
        self.stream = out.add_stream("aac", rate=rate)
        self.stream.layout = self.layout
        self.stream.bit_rate = AUDIO_BITRATE
        self._out = out
        self._parts: list[np.ndarray] = []
        self._queued = 0  # samples appended
        self._written = 0  # samples encoded

    @property
    def samples(self) -> int:
        return self._queued

    def append(self, pcm: np.ndarray) -> None:
        if pcm.shape[1]:
            self._parts.append(np.ascontiguousarray(pcm, np.float32))
            self._queued += pcm.shape[1]

    def append_silence(self, samples: int) -> None:
        self.append(np.zeros((self.channels, max(0, samples)), np.float32))

    def feed_until(self, seconds: float) -> None:
        self._encode(min(self._queued, round(seconds * self.rate)))

    def finish(self) -> None:
        self._encode(self._queued)
        self._out.mux(self.stream.encode(None))

    def _encode(self, upto: int) -> None:
        if upto <= self._written:
            return
        pending = np.concatenate(self._parts, axis=1) if len(self._parts) > 1 else self._parts[0]
        base = self._queued - pending.shape[1]  # sample number of pending[:, 0]
        start = self._written
        while start < upto:
            stop = min(upto, start + AUDIO_CHUNK)
            chunk = pending[:, start - base:stop - base]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp", layout=self.layout)
            frame.sample_rate, frame.pts, frame.time_base = self.rate, start, Fraction(1, self.rate)
            self._out.mux(self.stream.encode(frame))
            start = stop
        self._written = upto
        self._parts = [pending[:, upto - base:]]


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


