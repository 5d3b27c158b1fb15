"""Decoded, resampled, tempo-changed PCM for playback (no Qt: the UI feeds it to the sound device).

`AudioStream(source, start_time, speed)` decodes the recording's first audio stream from `start_time`
(media seconds, the same timeline as `MediaSource.frame_time`), converts it to interleaved signed
16-bit at the file's own rate (mono stays mono, everything else becomes stereo), and changes the
tempo without changing the pitch with FFmpeg's `atempo` filter. Iterating yields `AudioChunk`s;
`chunk.time` is the media time of the chunk's first sample. Seeking means making a new stream.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import BinaryIO

import av
import numpy as np

from vigstudio.media.errors import MediaError
from vigstudio.media.probe import pick_video_stream

SUPPORTED_SPEEDS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
MIN_SPEED, MAX_SPEED = 0.25, 2.0
_ATEMPO_MIN, _ATEMPO_MAX = 0.5, 2.0  # one atempo instance accepts this range; chain for more


class AudioError(MediaError):
    """The sound of a recording cannot be played (no audio stream, or unreadable)."""


@dataclass(frozen=True)
class AudioChunk:
    time: float  # media seconds of the first sample
    pcm: np.ndarray  # int16, shape (samples, channels), interleaved when flattened

    @property
    def frames(self) -> int:
        return int(self.pcm.shape[0])

    def to_bytes(self) -> bytes:
        return np.ascontiguousarray(self.pcm).tobytes()


def atempo_chain(speed: float) -> list[float]:
    """Split a speed into factors each within what one `atempo` accepts (0.25 → [0.5, 0.5])."""
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"speed {speed} outside {MIN_SPEED}..{MAX_SPEED}")
    factors: list[float] = []
    rest = float(speed)
    while rest < _ATEMPO_MIN:
        factors.append(_ATEMPO_MIN)
        rest /= _ATEMPO_MIN
    while rest > _ATEMPO_MAX:
        factors.append(_ATEMPO_MAX)
        rest /= _ATEMPO_MAX
    if not math.isclose(rest, 1.0) or not factors:
        factors.append(rest)
    return factors


def media_origin(container: av.container.InputContainer) -> float:
    """Absolute stream seconds that media time 0 stands for: the start of the (first) video stream.

    Frame times count from the first video frame, so audio times are measured from the same point.
    Without video the audio stream's own start is the origin.
    """
    try:
        main = [pick_video_stream(container)]  # not a still or depth track that starts elsewhere
    except MediaError:
        main = []
    for stream in main + list(container.streams.video) + list(container.streams.audio):
        if stream.start_time is not None and stream.time_base is not None:
            return float(stream.start_time * stream.time_base)
    return 0.0


def open_audio_container(source: str | BinaryIO) -> av.container.InputContainer:
    """A fresh container over `source` (a path, or a seekable file object read from its start)."""
    try:
        if hasattr(source, "seek"):
            source.seek(0)
        return av.open(source if hasattr(source, "read") else str(source), mode="r")
    except (av.FFmpegError, OSError, ValueError) as err:
        raise AudioError(f"cannot read the sound ({type(err).__name__})") from None


class AudioStream:
    """Iterable PCM from `start_time` at `speed`; `channels` is 1 or 2 (default: mono stays mono)."""

    def __init__(
        self,
        source: str | BinaryIO,
        start_time: float = 0.0,
        speed: float = 1.0,
        *,
        channels: int | None = None,
        origin: float | None = None,
    ):
        self.start_time = max(0.0, float(start_time))
        self.speed = float(speed)
        self._factors = atempo_chain(self.speed) if not math.isclose(self.speed, 1.0) else []
        self._container = open_audio_container(source)
        if not self._container.streams.audio:
            self._container.close()
            raise AudioError("recording has no audio")
        self._stream = self._container.streams.audio[0]
        self._stream.thread_type = "AUTO"
        ctx = self._stream.codec_context
        self.sample_rate = int(ctx.sample_rate or self._stream.rate)
        source_channels = ctx.layout.nb_channels if ctx.layout is not None else 2
        self.channels = channels or (1 if source_channels == 1 else 2)
        self._layout = "mono" if self.channels == 1 else "stereo"
        self._origin = media_origin(self._container) if origin is None else origin
        self._resampler = av.AudioResampler(format="s16", layout=self._layout, rate=self.sample_rate)
        self._closed = False

    # -- public ---------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[AudioChunk]:
        return self.chunks()

    def chunks(self) -> Iterator[AudioChunk]:
        """Yields chunks until the end of the audio; the media time advances by samples × speed."""
        produced = 0  # output samples so far, at `speed` (each one covers `speed` input samples)
        for pcm in self._tempo(self._trimmed_input()):
            if pcm.shape[0] == 0:
                continue
            yield AudioChunk(self.start_time + produced * self.speed / self.sample_rate, pcm)
            produced += pcm.shape[0]

    def read_all(self) -> np.ndarray:
        """All remaining PCM as one (samples, channels) int16 array (tests and short clips)."""
        parts = [chunk.pcm for chunk in self.chunks()]
        if not parts:
            return np.zeros((0, self.channels), dtype=np.int16)
        return np.concatenate(parts)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._container.close()

    def __enter__(self) -> AudioStream:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- pipeline -------------------------------------------------------------------------------

    def _decoded(self) -> Iterator[av.AudioFrame]:
        if self.start_time > 0:
            target = self._origin + self.start_time
            # Seek a little early: the codec's priming/pre-roll needs packets before the target.
            seek_to = max(0.0, target - 0.5)
            try:
                self._container.seek(int(seek_to / self._stream.time_base), stream=self._stream)
            except av.FFmpegError:
                self._container.seek(0, stream=self._stream)
        try:
            for packet in self._container.demux(self._stream):
                try:
                    yield from packet.decode()
                except av.InvalidDataError:
                    continue  # one damaged packet: skip it, keep the sound going
        except av.FFmpegError:
            return  # truncated or damaged from here on: the sound simply ends

    def _resampled(self) -> Iterator[tuple[float | None, np.ndarray]]:
        """(media time of first sample or None if unknown, int16 samples×channels)."""
        for frame in self._decoded():
            time = None if frame.time is None else frame.time - self._origin
            for out in self._resampler.resample(frame):
                yield time, _frame_pcm(out, self.channels)
                time = None
        for out in self._resampler.resample(None):
            yield None, _frame_pcm(out, self.channels)

    def _trimmed_input(self) -> Iterator[np.ndarray]:
        """Drops the samples before `start_time` (seeking lands on a packet boundary before it)."""
        cursor: float | None = None  # media time of the next sample
        started = False
        for time, pcm in self._resampled():
            if time is not None:
                cursor = time
            if cursor is None:
                cursor = 0.0
            if not started:
                skip = int(round((self.start_time - cursor) * self.sample_rate))
                if skip >= pcm.shape[0]:
                    cursor += pcm.shape[0] / self.sample_rate
                    continue
                if skip > 0:
                    pcm = pcm[skip:]
                    cursor += skip / self.sample_rate
                started = True
            cursor += pcm.shape[0] / self.sample_rate
            yield pcm

    def _tempo(self, pcm_parts: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        if not self._factors:
            yield from pcm_parts
            return
        graph, source, sink = self._make_tempo_graph()
        pts = 0
        for pcm in pcm_parts:
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(pcm).reshape(1, -1), format="s16", layout=self._layout
            )
            frame.sample_rate = self.sample_rate
            frame.time_base = Fraction(1, self.sample_rate)
            frame.pts = pts
            pts += pcm.shape[0]
            source.push(frame)
            yield from _drain(sink.pull, self.channels)
        source.push(None)
        yield from _drain(sink.pull, self.channels)

    def _make_tempo_graph(self):
        graph = av.filter.Graph()
        source = graph.add_abuffer(
            format="s16",
            sample_rate=self.sample_rate,
            layout=self._layout,
            time_base=Fraction(1, self.sample_rate),
        )
        nodes = [source] + [graph.add("atempo", f"{factor:.6f}") for factor in self._factors]
        sink = graph.add("abuffersink")
        nodes.append(sink)
        for upstream, downstream in zip(nodes, nodes[1:], strict=False):
            upstream.link_to(downstream)
        graph.configure()
        return graph, source, sink


def _frame_pcm(frame: av.AudioFrame, channels: int) -> np.ndarray:
    return frame.to_ndarray().reshape(-1, channels)


def _drain(pull: Callable[[], av.AudioFrame], channels: int) -> Iterator[np.ndarray]:
    while True:
        try:
            frame = pull()
        except (av.BlockingIOError, av.EOFError):
            return
        yield _frame_pcm(frame, channels)
