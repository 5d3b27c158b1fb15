"""The thumbnail strip of a recording, for the timeline: small upright JPEGs labelled by frame index.

`make_strip(source, count, height)` picks `count` frames spread evenly over the recording and
encodes each, scaled to `height` pixels with the sample aspect ratio applied, as an in-memory JPEG.
The strip is one blob (`to_bytes`/`from_bytes`) that the app stores encrypted in the library; it is
never written to disk by this module.

Speed: a strip is made while a recording is imported, so it must cost little next to the encrypted
copy. A keyframe's picture costs one seek and one decode; any other frame costs decoding its GOP up
to it. All pictures come from one private decoder (`MediaSource.pictures`, so the editing cache is
left alone), converted and scaled in one swscale pass. Each thumbnail is the keyframe nearest the
centre of its equal slice when one lies in that slice (phone and camcorder video, GOPs of 0.5–2 s);
otherwise, within a budget of a few decodes per thumbnail, the slice centre. Past the budget a short
recording is decoded once linearly for exact, evenly spread frames, and a long one with long GOPs
gets its keyframes only (fewer thumbnails). Measured on a 2-minute 1080p file with a 10 s GOP: the
linear strip took 22 s; the keyframe one is a fraction of a second. Every thumbnail is labelled with
the exact index of the frame it shows.
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field

import cv2
import numpy as np

ProgressCallback = Callable[[float, str], None]

_MAGIC = b"VIGTHMB1"
_HEADER = struct.Struct("<8sII")  # magic, thumbnail height, thumbnail count
_ENTRY = struct.Struct("<II")  # frame index, JPEG length
JPEG_QUALITY = 80


@dataclass
class ThumbnailStrip:
    """Thumbnails in frame order: `frame_indices[i]` is the exact frame shown by `jpegs[i]`."""

    height: int = 72
    frame_indices: list[int] = field(default_factory=list)
    jpegs: list[bytes] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.frame_indices)

    def image(self, position: int) -> np.ndarray:
        """RGB (height×width×3 uint8) of the `position`-th thumbnail."""
        bgr = cv2.imdecode(np.frombuffer(self.jpegs[position], np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            raise ValueError("damaged thumbnail")
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def nearest(self, frame: int) -> tuple[int, np.ndarray]:
        """(frame index, RGB) of the thumbnail closest to `frame` (e.g. a picture to show at once
        while the exact frame decodes)."""
        if not self.frame_indices:
            raise LookupError("empty thumbnail strip")
        position = _nearest_position(self.frame_indices, frame)
        return self.frame_indices[position], self.image(position)

    def to_bytes(self) -> bytes:
        parts = [_HEADER.pack(_MAGIC, self.height, len(self.frame_indices))]
        for index, jpeg in zip(self.frame_indices, self.jpegs, strict=True):
            parts.append(_ENTRY.pack(index, len(jpeg)))
            parts.append(jpeg)
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> ThumbnailStrip:
        magic, height, count = _HEADER.unpack_from(data, 0)
        if magic != _MAGIC:
            raise ValueError("not a thumbnail strip")
        offset = _HEADER.size
        indices, jpegs = [], []
        for _ in range(count):
            index, length = _ENTRY.unpack_from(data, offset)
            offset += _ENTRY.size
            jpegs.append(bytes(data[offset:offset + length]))
            indices.append(index)
            offset += length
        return cls(height, indices, jpegs)


def _nearest_position(sorted_values: Sequence[int], value: int) -> int:
    right = bisect.bisect_left(sorted_values, value)
    if right == 0:
        return 0
    if right == len(sorted_values):
        return len(sorted_values) - 1
    left = right - 1
    return left if value - sorted_values[left] <= sorted_values[right] - value else right


def even_frame_indices(frame_count: int, count: int) -> list[int]:
    """`count` distinct frame indices at the centres of equal slices of the recording."""
    count = max(0, min(count, frame_count))
    return [int((k + 0.5) * frame_count / count) for k in range(count)]


def thumbnail_size(width: int, height: int, sample_aspect_ratio, thumb_height: int) -> tuple[int, int]:
    """(w, h) of a thumbnail of an upright `width`×`height` picture, square pixels on screen."""
    sar = float(sample_aspect_ratio) if sample_aspect_ratio else 1.0
    if sar <= 0:
        sar = 1.0
    display_width = width * sar
    return max(1, round(thumb_height * display_width / height)), thumb_height


def encode_thumbnail(rgb: np.ndarray, size: tuple[int, int]) -> bytes:
    small = rgb if (rgb.shape[1], rgb.shape[0]) == size else cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(small, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return jpeg.tobytes()


# ---------------------------------------------------------------------------------- making a strip


def keyframe_indices(source) -> list[int]:
    """Frame indices at which decoding can start without decoding anything before (sorted).

    Uses `source.keyframe_indices` when the MediaSource offers it; otherwise reads the frame index
    the source was built with (the first frame shown at or after each keyframe packet).
    """
    public = getattr(source, "keyframe_indices", None)
    if public is not None:
        return sorted(int(i) for i in (public() if callable(public) else public))
    index = getattr(source, "_index", None)
    if index is None or not hasattr(index, "key_pts"):
        return [0]
    firsts = {index.gop_first_frame(g) for g in range(len(index.key_pts))}
    return sorted(i for i in firsts if 0 <= i < index.frame_count)


# Frames a strip may decode beyond one per thumbnail before it settles for keyframes alone: a short
# recording is decoded linearly for exact, evenly spread pictures; a long one with long GOPs is not.
DECODES_PER_THUMBNAIL = 4
SHORT_RECORDING_FRAMES = 450


def plan_frames(frame_count: int, keyframes: Sequence[int], count: int,
                budget: int | None = None) -> tuple[list[int], str]:
    """Which frames to take and how, within a budget of decoded frames.

    Each of `count` equal slices of the recording gets the keyframe nearest its centre when a keyframe
    lies in that slice, else its centre frame ("keyframes": one cheap decode per keyframe, a GOP's
    worth for a centre). When that costs more than `budget` decodes (default: a few per thumbnail,
    or a short recording's whole length), the evenly spread centres come from one linear pass if the
    recording fits the budget ("linear"), else each slice shows its nearest keyframe and slices
    sharing one share its thumbnail ("sparse": a 10 s GOP gives a picture every 10 s, cheaply; the
    timeline shows the nearest one and the video view shows the exact frame).
    """
    centres = even_frame_indices(frame_count, count)
    if not centres:
        return [], "linear"
    if budget is None:
        budget = max(DECODES_PER_THUMBNAIL * len(centres), SHORT_RECORDING_FRAMES)
    keys = sorted(set(keyframes)) or [0]
    chosen: list[int] = []
    nearest_keys: list[int] = []
    cost = 0
    for k, centre in enumerate(centres):
        lo = int(k * frame_count / len(centres))
        hi = int((k + 1) * frame_count / len(centres))  # exclusive
        key = keys[_nearest_position(keys, centre)]
        nearest_keys.append(key)
        if lo <= key < hi:
            chosen.append(key)
            cost += 1
        else:
            chosen.append(centre)
            before = keys[max(0, bisect.bisect_right(keys, centre) - 1)]
            cost += centre - before + 1
    if cost <= min(budget, frame_count):
        return chosen, "keyframes"
    if frame_count <= budget:
        return centres, "linear"
    return sorted(set(nearest_keys)), "sparse"


def make_strip(source, count: int, height: int = 72, progress: ProgressCallback | None = None,
               budget: int | None = None) -> ThumbnailStrip:
    """Up to `count` thumbnails spread evenly over `source` (a MediaSource), `height` px high
    (fewer on long GOPs past the decode `budget`: see `plan_frames`).

    `progress(fraction, label)` is called per thumbnail and may raise `Cancelled` to stop.
    """
    info = source.info
    wanted, _method = plan_frames(info.frame_count, keyframe_indices(source), count, budget)
    size = thumbnail_size(info.width, info.height, info.sample_aspect_ratio, height)
    strip = ThumbnailStrip(height)

    def add(index: int, rgb: np.ndarray) -> None:
        strip.frame_indices.append(index)
        strip.jpegs.append(encode_thumbnail(rgb, size))
        if progress is not None:
            progress(len(strip) / len(wanted), "thumbnails")

    if progress is not None:
        progress(0.0, "thumbnails")
    # one private decoder for the whole strip; only the wanted frames are converted, straight to size
    with closing(source.pictures(wanted, size)) as pictures:  # closed at once on cancel
        for index, rgb in pictures:
            add(index, rgb)
    return strip
