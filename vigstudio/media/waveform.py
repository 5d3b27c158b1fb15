"""Audio waveform peaks for the timeline: min/max of the mono mixdown per fixed time bin.

Computed once at import (`compute_peaks`), stored as one encrypted blob in the library
(`to_bytes`/`from_bytes`), and drawn at any zoom with `Waveform.slice(t0, t1, width)`.
Times are media seconds, the same timeline as `MediaSource.frame_time` (0 = first video frame).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

import av
import numpy as np

from vigstudio.media.audio import media_origin, open_audio_container

ProgressCallback = Callable[[float, str], None]

_MAGIC = b"VIGWAVE1"
_HEADER = struct.Struct("<8sddI")  # magic, bins_per_second, start_time, bin count
_PROGRESS_EVERY = 2.0  # seconds of audio between progress calls (each one may cancel)


@dataclass
class Waveform:
    """`mins[i]`, `maxs[i]` (float32, -1..1) cover media time `start_time + i / bins_per_second`."""

    bins_per_second: float = 100.0
    start_time: float = 0.0
    mins: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    maxs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    @property
    def is_empty(self) -> bool:
        return len(self.mins) == 0

    @property
    def duration(self) -> float:
        return len(self.mins) / self.bins_per_second

    def __len__(self) -> int:
        return len(self.mins)

    def slice(self, t0: float, t1: float, width: int) -> tuple[np.ndarray, np.ndarray]:
        """(mins, maxs) of `width` columns spanning media time [t0, t1); silence outside the audio.

        Zoomed out, a column takes the extremes of all bins it covers; zoomed in beyond one bin per
        column, neighbouring columns repeat the bin under them.
        """
        width = max(0, int(width))
        out_min = np.zeros(width, np.float32)
        out_max = np.zeros(width, np.float32)
        if width == 0 or self.is_empty or t1 <= t0:
            return out_min, out_max
        edges = (np.linspace(t0, t1, width + 1) - self.start_time) * self.bins_per_second
        first = np.floor(edges[:-1]).astype(np.int64)
        last = np.maximum(np.ceil(edges[1:]).astype(np.int64), first + 1)  # exclusive
        n = len(self.mins)
        inside = (last > 0) & (first < n)
        first = np.clip(first, 0, n)
        last = np.clip(last, 0, n)
        inside &= last > first
        if not inside.any():
            return out_min, out_max
        # reduceat over the start bins; columns share bins when zoomed in, so reduce per column start.
        cols = np.nonzero(inside)[0]
        starts, ends = first[cols], last[cols]
        if np.all(ends - starts == 1):
            out_min[cols] = self.mins[starts]
            out_max[cols] = self.maxs[starts]
        else:
            prefix_ok = np.all(starts[1:] >= ends[:-1])  # disjoint, increasing ranges
            if prefix_ok:
                idx = np.stack([starts, ends], axis=1).ravel()
                padded_min = np.append(self.mins, np.float32(0))
                padded_max = np.append(self.maxs, np.float32(0))
                out_min[cols] = np.minimum.reduceat(padded_min, idx)[::2]
                out_max[cols] = np.maximum.reduceat(padded_max, idx)[::2]
            else:
                for col, a, b in zip(cols, starts, ends, strict=True):
                    out_min[col] = self.mins[a:b].min()
                    out_max[col] = self.maxs[a:b].max()
        return out_min, out_max

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(_MAGIC, float(self.bins_per_second), float(self.start_time), len(self.mins))
        quantised = np.empty((len(self.mins), 2), "<i2")
        quantised[:, 0] = np.round(np.clip(self.mins, -1, 1) * 32767)
        quantised[:, 1] = np.round(np.clip(self.maxs, -1, 1) * 32767)
        return header + quantised.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Waveform:
        magic, bins_per_second, start_time, count = _HEADER.unpack_from(data, 0)
        if magic != _MAGIC:
            raise ValueError("not a waveform blob")
        body = np.frombuffer(data, "<i2", count=count * 2, offset=_HEADER.size).reshape(count, 2)
        scaled = body.astype(np.float32) / 32767
        return cls(bins_per_second, start_time, scaled[:, 0].copy(), scaled[:, 1].copy())


class _BinAccumulator:
    """Folds a stream of samples into min/max bins; sample k lands in bin floor(k·bps/rate)."""

    def __init__(self, rate: int, bins_per_second: float):
        self.rate = rate
        self.bins_per_second = bins_per_second
        self.samples_seen = 0
        self.mins: list[np.ndarray] = []
        self.maxs: list[np.ndarray] = []
        self._open_bin = -1  # index of the last (possibly partial) bin

    def add(self, mono: np.ndarray) -> None:
        if len(mono) == 0:
            return
        k = np.arange(self.samples_seen, self.samples_seen + len(mono), dtype=np.int64)
        bins = (k * self.bins_per_second // self.rate).astype(np.int64)
        self.samples_seen += len(mono)
        change = np.nonzero(np.diff(bins))[0] + 1
        starts = np.concatenate([[0], change])
        mins = np.minimum.reduceat(mono, starts)
        maxs = np.maximum.reduceat(mono, starts)
        if bins[0] == self._open_bin:  # continues the bin the previous chunk ended in
            self.mins[-1][-1] = min(self.mins[-1][-1], mins[0])
            self.maxs[-1][-1] = max(self.maxs[-1][-1], maxs[0])
            mins, maxs = mins[1:], maxs[1:]
        if len(mins):
            self.mins.append(mins.astype(np.float32))
            self.maxs.append(maxs.astype(np.float32))
        self._open_bin = int(bins[-1])

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.mins:
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        return np.concatenate(self.mins), np.concatenate(self.maxs)


def compute_peaks(
    source: str | BinaryIO | io.RawIOBase,
    bins_per_second: float = 100.0,
    progress: ProgressCallback | None = None,
) -> Waveform:
    """Peaks of the first audio stream of `source` (path or seekable file); empty if it has none.

    Unreadable input raises `MediaError`; a file damaged part-way gives the peaks up to the damage.

    `progress(fraction, label)` is called every few seconds of audio and may raise `Cancelled`.
    """
    container = open_audio_container(source)
    try:
        if not container.streams.audio:
            return Waveform(bins_per_second)
        stream = container.streams.audio[0]
        stream.thread_type = "AUTO"
        for other in container.streams:  # the demuxer then skips their data instead of reading it
            if other.index != stream.index:
                other.discard = type(other.discard).all
        origin = media_origin(container)
        rate = int(stream.codec_context.sample_rate or stream.rate)
        total = _duration_seconds(container, stream)
        # float samples keep the shape; the mixdown is the plain mean of the channels. One-second
        # chunks: per-frame numpy work on AAC's 1024-sample frames cost more than the decoding.
        resampler = av.AudioResampler(format="flt", rate=rate, frame_size=rate)
        accumulator = _BinAccumulator(rate, bins_per_second)
        start_time: float | None = None
        next_report = 0.0
        if progress is not None:
            progress(0.0, "waveform")
        for packet in _packets(container, stream):
            try:
                frames = packet.decode()
            except av.FFmpegError:
                continue  # one damaged packet, as ffmpeg skips it
            for frame in frames:
                if start_time is None and frame.time is not None:
                    start_time = frame.time - origin
                for out in resampler.resample(frame):
                    channels = out.layout.nb_channels
                    accumulator.add(out.to_ndarray().reshape(-1, channels).mean(axis=1))
            done = accumulator.samples_seen / rate
            if progress is not None and done >= next_report:
                next_report = done + _PROGRESS_EVERY
                progress(min(0.99, done / total) if total else 0.0, "waveform")
        for out in resampler.resample(None):
            accumulator.add(out.to_ndarray().reshape(-1, out.layout.nb_channels).mean(axis=1))
        mins, maxs = accumulator.result()
        if progress is not None:
            progress(1.0, "waveform")
        return Waveform(bins_per_second, start_time or 0.0, mins, maxs)
    finally:
        container.close()


def _packets(container, stream):
    """Demuxed packets until the end, or until the file stops being readable (truncated)."""
    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except (StopIteration, av.FFmpegError):
            return
        yield packet


def _duration_seconds(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None
