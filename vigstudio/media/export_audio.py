"""Export audio: the source's sound of exactly a clip's span, tempo changes, AAC encoding.

Decoded audio stays in memory (float32 planar PCM); nothing is written but the export itself.
"""

from __future__ import annotations

import math
from collections import deque
from fractions import Fraction

import av
import numpy as np

from .audio import atempo_chain, media_origin
from .export_encode import SourceViews

AUDIO_BITRATE = 160_000
AUDIO_CHUNK = 1024  # samples per AAC frame


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
    """AAC track fed from in-memory PCM, interleaved with the video by `feed_until(seconds)`.

    `encode_ahead()` (on a worker thread, before anything is muxed) encodes all appended PCM at
    once; feed_until and finish then only mux the ready packets.
    """

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
        self._ready: deque | None = None  # packets encoded ahead, not yet muxed

    @property
    def samples(self) -> int:
        return self._queued

    def append(self, pcm: np.ndarray) -> None:
        if pcm.shape[1]:
            self._parts.append(np.ascontiguousarray(pcm, np.float32))
            self._queued += pcm.shape[1]

    def append_silence(self, samples: int) -> None:
        self.append(np.zeros((self.channels, max(0, samples)), np.float32))

    def encode_ahead(self) -> None:
        ready: list = []
        self._encode(self._queued, ready.extend)
        ready.extend(self.stream.encode(None))
        self._ready = deque(ready)

    def feed_until(self, seconds: float) -> None:
        if self._ready is None:
            self._encode(min(self._queued, round(seconds * self.rate)), self._out.mux)
            return
        while self._ready and self._ready[0].pts is not None \
                and self._ready[0].pts * self._ready[0].time_base <= seconds:
            self._out.mux(self._ready.popleft())

    def finish(self) -> None:
        if self._ready is None:
            self._encode(self._queued, self._out.mux)
            self._out.mux(self.stream.encode(None))
            return
        self._out.mux(list(self._ready))
        self._ready.clear()

    def _encode(self, upto: int, sink) -> None:
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
            sink(self.stream.encode(frame))
            start = stop
        self._written = upto
        self._parts = [pending[:, upto - base:]]
