"""Source frames for the encoder: decoded in YUV and handed on untouched whenever the picture allows.

Converting 1080p to RGB and back costs more CPU than decoding it, so an export only goes through RGB
when something is drawn into the picture (caption, blur). Otherwise the decoded yuv420p frame goes
straight to libx264 ("copy"), is turned upright by moving its planes ("rotate"), or is rescaled or
re-sampled by swscale ("reformat": other pixel formats, non-square pixels, odd sizes). In those
three ways the YUV keeps the source's matrix, so the export is tagged with the source's colour
description (`ColorTags`), and a player shows the same colours as for the source.
"""

from __future__ import annotations

from collections.abc import Iterator

import av
import numpy as np

from .decoder import decode_range, to_rgb
from .export_encode import RANGE_MPEG, RGB_PATH_TAGS, ColorTags, yuv_frame
from .export_overlays import Overlays, fit_picture
from .index import FrameIndex
from .orientation import as_orientation
from .probe import Opener

NO_PICT_TYPE = av.video.frame.PictureType.NONE
RANGE_JPEG = 2


def decoded_frames(views, media, start: int, stop: int) -> Iterator[tuple[int, av.VideoFrame]]:
    """(index, decoded av.VideoFrame) for source frames start <= index < stop: like
    MediaSource.iter_frames without the RGB conversion, on a private decoder of the export's own view."""
    return decode_range(Opener(views.view()), FrameIndex.from_bytes(media.index_bytes()), start, stop)


class FrameShaper:
    """Makes the encoder's upright width×height yuv420p frame from a decoded source frame.

    `mode(frame)` says which way ("copy", "rotate", "reformat" or "rgb"); `tags(frame)` the colour
    description the encoder must carry for it (decided once, from the first frame).
    """

    def __init__(self, width: int, height: int, orientation, overlays: Overlays | None = None):
        """`orientation`: an `Orientation` or a plain clockwise rotation in degrees."""
        self.width, self.height = width, height
        self.orientation = as_orientation(orientation)
        self.rotation = self.orientation.rotation
        self.overlays = overlays

    def mode(self, frame: av.VideoFrame) -> str:
        if self.overlays is not None and self.overlays.active:
            return "rgb"
        yuv420 = frame.format.name == "yuv420p"
        if not self.orientation.identity:
            even = frame.width % 2 == 0 and frame.height % 2 == 0
            return "rotate" if yuv420 and even else "rgb"
        if yuv420 and (frame.width, frame.height) == (self.width, self.height):
            return "copy"
        return "reformat"

    def tags(self, frame: av.VideoFrame) -> ColorTags:
        mode = self.mode(frame)
        if mode == "rgb":
            return RGB_PATH_TAGS
        color_range = frame.color_range if mode in ("copy", "rotate") else RANGE_MPEG
        return ColorTags(frame.colorspace, frame.color_primaries, frame.color_trc, color_range)

    def __call__(self, frame: av.VideoFrame, pts: int, time_base) -> av.VideoFrame:
        mode = self.mode(frame)
        if mode == "rgb":
            out = _rgb_path(frame, self.orientation, self.width, self.height, self.overlays)
        else:
            out = frame
            if mode == "rotate":
                out = rotate_yuv420p(frame, self.orientation)
            if mode == "reformat" or (out.width, out.height) != (self.width, self.height):
                out = _reformat(out, self.width, self.height)
        # a decoded frame still says I/P/B; libx264 would obey it (forced B-frames, keyframes)
        out.pict_type = NO_PICT_TYPE
        out.pts, out.time_base = pts, time_base
        return out


def _reformat(frame: av.VideoFrame, width: int, height: int) -> av.VideoFrame:
    """swscale to width×height yuv420p, limited range (full-range sources are scaled into it)."""
    src_range = frame.color_range
    if frame.format.name.startswith("yuvj"):
        src_range = RANGE_JPEG  # the deprecated J formats mean full range whatever the tag says
    return frame.reformat(width=width, height=height, format="yuv420p",
                          src_color_range=src_range or None, dst_color_range=RANGE_MPEG)


def rotate_yuv420p(frame: av.VideoFrame, orientation) -> av.VideoFrame:
    """The frame turned upright (`orientation`: an `Orientation` or clockwise degrees), plane by
    plane (4:2:0 turns and mirrors with its luma)."""
    orientation = as_orientation(orientation)
    w, h = frame.width, frame.height
    flat = frame.to_ndarray().reshape(-1)  # I420: Y, then U, then V, without padding
    y = flat[:w * h].reshape(h, w)
    u = flat[w * h:w * h * 5 // 4].reshape(h // 2, w // 2)
    v = flat[w * h * 5 // 4:].reshape(h // 2, w // 2)
    planes = [orientation.apply(p) for p in (y, u, v)]
    new_h, new_w = planes[0].shape
    packed = np.concatenate([p.reshape(-1) for p in planes]).reshape(new_h * 3 // 2, new_w)
    out = av.VideoFrame.from_ndarray(packed, format="yuv420p")
    out.colorspace, out.color_range = frame.colorspace, frame.color_range
    return out


def _rgb_path(frame, orientation, width: int, height: int, overlays: Overlays | None) -> av.VideoFrame:
    rgb = fit_picture(to_rgb(frame, orientation), width, height)
    if overlays is not None:
        rgb = overlays.apply(rgb)
    return yuv_frame(rgb, 0)
