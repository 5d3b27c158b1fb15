"""Real audio recordings generated with PyAV for the audio, waveform and playback tests.

`write_tones(path, segments, ...)` encodes a sequence of (seconds, frequency Hz, amplitude) pieces,
frequency 0 or amplitude 0 meaning silence, with a real encoder (AAC, Opus, AC-3, PCM, MP3).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

# codec → (container format, file suffix) the clinic files of that kind come in
CODECS = {
    "aac": ("mp4", ".m4a"),
    "libopus": ("webm", ".webm"),
    "ac3": ("mpegts", ".mts"),
    "pcm_s16le": ("wav", ".wav"),
    "libmp3lame": ("mp3", ".mp3"),
}


def tone_samples(segments, rate: int) -> np.ndarray:
    parts = []
    phase = 0.0
    for seconds, freq, amplitude in segments:
        n = int(round(seconds * rate))
        t = np.arange(n) / rate
        parts.append(amplitude * np.sin(phase + 2 * np.pi * freq * t))
        phase += 2 * np.pi * freq * n / rate
    return np.concatenate(parts).astype(np.float32)


def write_tones(
    path: Path,
    segments,
    *,
    codec: str = "aac",
    rate: int = 48000,
    channels: int = 2,
) -> Path:
    """Encode `segments` ([(seconds, Hz, amplitude 0..1)]) as audio-only file with `codec`."""
    fmt, _suffix = CODECS[codec]
    samples = tone_samples(segments, rate)
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), mode="w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        encode_samples(out, stream, samples, rate, channels)
    return path


def encode_samples(out, stream, samples: np.ndarray, rate: int, channels: int) -> None:
    """Encode mono float samples (duplicated to `channels`) in frames the encoder accepts."""
    layout = "mono" if channels == 1 else "stereo"
    frame_size = stream.codec_context.frame_size or 1024
    pcm16 = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    interleaved = np.repeat(pcm16[:, None], channels, axis=1)
    resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate)
    pts = 0
    for start in range(0, len(interleaved), frame_size):
        block = interleaved[start:start + frame_size]
        frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate = rate
        frame.pts = pts
        frame.time_base = Fraction(1, rate)
        pts += len(block)
        for converted in resampler.resample(frame):
            for packet in stream.encode(converted):
                out.mux(packet)
    for converted in resampler.resample(None):
        for packet in stream.encode(converted):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def dominant_frequency(pcm: np.ndarray, rate: int) -> float:
    """Frequency (Hz) of the strongest FFT bin of the first channel."""
    signal = pcm[:, 0].astype(np.float64)
    signal = signal - signal.mean()
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal))))
    return float(np.fft.rfftfreq(len(signal), 1 / rate)[int(np.argmax(spectrum))])
