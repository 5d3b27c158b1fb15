"""A generated sample recording for the demo library: no real family, made on the spot.

A calm animated scene (two soft shapes, a larger "parent" and a smaller "baby", slowly turning towards
each other), the frame number drawn in the bottom-left corner as digits and as a row of binary
blocks that survive compression (so any decoded picture can be identified), and a soft audio tone.
It is written with PyAV straight into a caller-supplied binary file object (normally a `BytesIO`):
nothing is ever written to a temporary file on disk.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import BinaryIO

import av
import cv2
import numpy as np

FRAME_CODE_BITS = 16  # up to 65535 frames: over 40 minutes at 25 fps
_BLOCK = 12  # px per bit block
_MARGIN = 8


def make_sample_video(
    file_obj: BinaryIO,
    seconds: float = 20.0,
    *,
    fps: int = 25,
    width: int = 640,
    height: int = 360,
    with_audio: bool = True,
    label: str = "DEMO - generated sample, no real family",
    progress: Callable[[float, str], None] | None = None,
    preset: str = "veryfast",
) -> int:
    """Write an MP4 (H.264 + AAC) sample scene into `file_obj`; return the number of video frames.

    `file_obj` must be writable and seekable (the MP4 muxer goes back to write its index).
    `progress(fraction, label)` may raise `Cancelled` to stop; the caller then discards `file_obj`.
    `preset` is libx264's speed/size trade (the demo takes "ultrafast": it is made while you wait).
    """
    if width % 2 or height % 2:
        raise ValueError("width and height must be even for yuv420p")
    frame_count = max(1, round(seconds * fps))
    container = av.open(file_obj, mode="w", format="mp4")
    try:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        # Short GOP and no B-frame reordering surprises for the demo; quality high enough for the code blocks.
        video.options = {"crf": "20", "preset": preset, "g": str(2 * fps)}
        audio = None
        if with_audio:
            audio = container.add_stream("aac", rate=48000)
            audio.layout = "mono"
        scene = _Scene(width, height)
        tone = _SoftTone(48000)
        samples_per_frame = 48000 / fps
        samples_written = 0
        for index in range(frame_count):
            picture = scene.render(index, fps)
            draw_frame_number(picture, index)
            if label:
                cv2.putText(picture, label, (_MARGIN, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (90, 70, 100), 1,
                            cv2.LINE_AA)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(video.encode(frame))
            if audio is not None:
                target = round((index + 1) * samples_per_frame)
                chunk = tone.samples(samples_written, target - samples_written)
                samples_written = target
                aframe = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
                aframe.sample_rate = 48000
                container.mux(audio.encode(aframe))
            if progress is not None and index % 10 == 0:
                progress(index / frame_count, "making the sample recording")
        container.mux(video.encode(None))
        if audio is not None:
            container.mux(audio.encode(None))
    finally:
        container.close()
    if progress is not None:
        progress(1.0, "making the sample recording")
    return frame_count


def draw_frame_number(picture: np.ndarray, index: int) -> None:
    """Draw `index` into the bottom-left corner of an RGB picture, in place (blocks + digits)."""
    h = picture.shape[0]
    top = h - _MARGIN - _BLOCK
    # A dark backing strip so the blocks read the same whatever the scene behind them.
    picture[top - 4 : top + _BLOCK + 4, _MARGIN - 4 : _MARGIN + FRAME_CODE_BITS * _BLOCK + 4] = 0
    for bit in range(FRAME_CODE_BITS):
        if (index >> (FRAME_CODE_BITS - 1 - bit)) & 1:
            x = _MARGIN + bit * _BLOCK
            picture[top : top + _BLOCK, x : x + _BLOCK] = 255
    cv2.putText(picture, f"frame {index}", (_MARGIN, top - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                (255, 255, 255), 2, cv2.LINE_AA)


def read_frame_number(picture: np.ndarray) -> int:
    """The frame number drawn by `draw_frame_number` in a decoded RGB picture (same size as drawn)."""
    h = picture.shape[0]
    top = h - _MARGIN - _BLOCK
    gray = picture[..., :3].mean(axis=2)
    value = 0
    for bit in range(FRAME_CODE_BITS):
        x = _MARGIN + bit * _BLOCK
        # Sample the middle of each block: edges blur under chroma subsampling and compression.
        centre = gray[top + 3 : top + _BLOCK - 3, x + 3 : x + _BLOCK - 3].mean()
        value = (value << 1) | int(centre > 128)
    return value


class _Scene:
    """A warm backdrop with two soft figures that lean and look towards each other and away again."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
        top = np.array([250, 236, 214], np.float32)  # warm cream
        bottom = np.array([214, 196, 226], np.float32)  # soft lilac
        self.backdrop = np.broadcast_to(top * (1 - ys) + bottom * ys, (height, width, 3)).astype(np.uint8)

    def render(self, index: int, fps: int) -> np.ndarray:
        t = index / fps
        w, h = self.width, self.height
        # Slow "turning towards" rhythm: about one exchange every 8 seconds.
        towards = 0.5 - 0.5 * math.cos(2 * math.pi * t / 8.0)
        parent_centre = (int(w * (0.30 + 0.05 * towards)), int(h * 0.50))
        baby_centre = (int(w * (0.72 - 0.06 * towards)), int(h * (0.60 - 0.03 * math.sin(t * 1.3))))
        parent_size = (int(h * 0.22), int(h * 0.30))
        baby_size = (int(h * 0.13), int(h * 0.14))
        overlay = self.backdrop.copy()
        cv2.ellipse(overlay, parent_centre, parent_size, -12 * towards, 0, 360, (120, 150, 200), -1, cv2.LINE_AA)
        cv2.ellipse(overlay, baby_centre, baby_size, 10 * towards, 0, 360, (236, 160, 150), -1, cv2.LINE_AA)
        # Eyes drift from looking ahead to looking at each other.
        for centre, size, direction in ((parent_centre, parent_size, 1), (baby_centre, baby_size, -1)):
            gaze = int(direction * size[0] * (0.15 + 0.35 * towards))
            eye_y = centre[1] - size[1] // 3
            for dx in (-size[0] // 4, size[0] // 4):
                cv2.circle(overlay, (centre[0] + dx + gaze, eye_y), max(2, size[0] // 9), (70, 60, 80), -1,
                           cv2.LINE_AA)
            # A small smile that widens as they turn towards each other.
            cv2.ellipse(overlay, (centre[0] + gaze, centre[1] + size[1] // 5),
                        (size[0] // 4, max(1, int(size[1] // 10 * (0.4 + towards)))), 0, 10, 170,
                        (70, 60, 80), 2, cv2.LINE_AA)
        # Soften only the band the figures move in (the backdrop around them is already smooth):
        # the demo is made while the user waits.
        top, bottom, left, right = int(h * 0.1), int(h * 0.9), int(w * 0.12), int(w * 0.9)
        band = cv2.GaussianBlur(overlay[top:bottom, left:right], (0, 0), 2.0)
        overlay[top:bottom, left:right] = cv2.addWeighted(band, 0.85, self.backdrop[top:bottom, left:right], 0.15, 0)
        return overlay


class _SoftTone:
    """A quiet, slowly swelling two-note hum (A3 with a fifth), continuous across chunks."""

    def __init__(self, sample_rate: int):
        self.rate = sample_rate

    def samples(self, start: int, count: int) -> np.ndarray:
        t = (np.arange(start, start + count, dtype=np.float64)) / self.rate
        swell = 0.5 + 0.5 * np.sin(2 * np.pi * t / 8.0 - np.pi / 2)
        wave = 0.6 * np.sin(2 * np.pi * 220.0 * t) + 0.4 * np.sin(2 * np.pi * 330.0 * t)
        return (0.12 * (0.3 + 0.7 * swell) * wave).astype(np.float32)
