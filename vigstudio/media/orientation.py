"""How a stored picture is shown: the container's display matrix, applied as FFmpeg's autorotate does.

A display matrix can turn the picture and also mirror it (front cameras and some editing apps write
a matrix with a negative determinant, e.g. a transpose). FFmpeg's command-line tools pick one of
the eight lossless turns/flips from the matrix (fftools `get_rotation` plus transpose/hflip/vflip);
the same rule is followed here so that every picture the engine serves is the one FFmpeg shows.

`Orientation(rotation, mirrored)` means: turn the stored picture `rotation` degrees clockwise, then
mirror it left to right if `mirrored`. Every one of the eight cases is one such pair.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Orientation:
    rotation: int = 0  # clockwise degrees: 0, 90, 180 or 270
    mirrored: bool = False  # mirrored left to right after the turn

    @property
    def turned(self) -> bool:
        """Whether width and height swap."""
        return self.rotation in (90, 270)

    @property
    def identity(self) -> bool:
        return self.rotation == 0 and not self.mirrored

    def apply(self, picture: np.ndarray) -> np.ndarray:
        """The picture (H×W or H×W×C) shown upright, as a new contiguous array.

        OpenCV turns and mirrors 8-bit pictures with SIMD (a 720p RGB picture in about a millisecond;
        numpy's strided copy of a turned view takes tens of milliseconds).
        """
        if picture.dtype == np.uint8 and (picture.ndim == 2 or (picture.ndim == 3 and picture.shape[2] <= 4)):
            if self.rotation:
                picture = cv2.rotate(picture, _CV2_TURN[self.rotation])
            if self.mirrored:
                picture = cv2.flip(picture, 1)
            return picture if not self.identity else picture.copy()
        if self.rotation:
            picture = np.rot90(picture, k=(-self.rotation // 90) % 4)  # rot90 turns counter-clockwise
        if self.mirrored:
            picture = picture[:, ::-1]
        return np.ascontiguousarray(picture)


UPRIGHT = Orientation()
_CV2_TURN = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def as_orientation(value) -> Orientation:
    """An Orientation from an Orientation or a plain clockwise rotation in degrees."""
    if isinstance(value, Orientation):
        return value
    return Orientation(round((value or 0) / 90) % 4 * 90, False)


def matrix_from_bytes(data: bytes) -> tuple[int, ...] | None:
    """The nine int32 of an AV_FRAME_DATA_DISPLAYMATRIX side data (native byte order), or None."""
    if len(data) < 36:
        return None
    return struct.unpack("=9i", bytes(data[:36]))


def _ffmpeg_theta(m) -> float:
    """fftools' get_rotation: the clockwise angle FFmpeg reads from the matrix, in [0, 360)."""
    a, b = m[0] / 65536, m[3] / 65536
    c, d = m[1] / 65536, m[4] / 65536
    scale0, scale1 = math.hypot(a, b), math.hypot(c, d)
    if scale0 == 0 or scale1 == 0:
        return 0.0
    ccw = -math.degrees(math.atan2(c / scale1, a / scale0))  # av_display_rotation_get
    theta = -round(ccw)
    theta -= 360 * math.floor(theta / 360 + 0.9 / 360)
    return theta


def from_display_matrix(m) -> Orientation:
    """The turn and flip FFmpeg's autorotate applies for display matrix `m` (nine int32)."""
    theta = _ffmpeg_theta(m)
    if abs(theta - 90) < 1.0:
        # transpose=cclock_flip (a true transpose) or transpose=clock
        return Orientation(90, m[3] > 0)
    if abs(theta - 180) < 1.0:
        hflip, vflip = m[0] < 0, m[4] < 0
        if hflip and vflip:
            return Orientation(180, False)
        if hflip:
            return Orientation(0, True)
        return Orientation(180, True) if vflip else UPRIGHT  # a vertical flip = half turn + mirror
    if abs(theta - 270) < 1.0:
        # transpose=clock_flip (the anti-transpose) or transpose=cclock
        return Orientation(270, m[3] < 0)
    if abs(theta) > 1.0:
        # FFmpeg turns by any angle (with black corners); the nearest quarter turn keeps the picture whole
        return Orientation(round(theta / 90) % 4 * 90, False)
    return Orientation(180, True) if m[4] < 0 else UPRIGHT


def of_frame(frame, stream=None) -> Orientation:
    """The orientation of a decoded av.VideoFrame (its display matrix side data), else the stream's
    legacy `rotate` tag."""
    if frame is not None:
        for side in frame.side_data or ():
            if str(getattr(side.type, "name", side.type)).upper().endswith("DISPLAYMATRIX"):
                matrix = matrix_from_bytes(bytes(side))
                if matrix is not None:
                    return from_display_matrix(matrix)
    if stream is not None:
        try:
            return as_orientation(float(stream.metadata.get("rotate", 0)))  # clockwise
        except (TypeError, ValueError):
            return UPRIGHT
    return UPRIGHT
