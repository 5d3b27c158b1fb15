"""What an export draws into the picture: square pixels, blurred faces and regions, a burned-in caption.

All of it works on upright H×W×3 uint8 RGB numpy pictures (OpenCV + numpy only).

Captions and title cards are drawn with `cv2.putText`. OpenCV 5 draws UTF-8 text with its built-in
fonts (accents, Cyrillic, CJK...); OpenCV 4's Hershey fonts are ASCII only, so there accented
letters lose their accents ("é" → "e") and any other character outside ASCII is drawn as "?".
"""

from __future__ import annotations

import os
import textwrap
import unicodedata
from collections.abc import Sequence
from fractions import Fraction

import cv2
import numpy as np

from vigstudio.domain.errors import InvalidInput, VigError

FACE_DETECT_EVERY = 5  # frames; boxes are held in between (faces move little in 0.2 s)
FACE_DETECT_WIDTH = 480  # detection runs on a picture scaled down to this width
FACE_PAD = 0.3  # each side of a detected box grows by this share of its size
CASCADE_FILE = "haarcascade_frontalface_default.xml"


def even(n: float) -> int:
    return max(2, int(round(n / 2)) * 2)


def square_pixel_size(width: int, height: int, sar: Fraction, *, even_size: bool = True) -> tuple[int, int]:
    """Size showing the picture with square pixels (never scaled down); even for video (4:2:0)."""
    sar = Fraction(sar) if sar else Fraction(1)
    w, h = (width * sar, height) if sar >= 1 else (width, height / sar)
    if even_size:
        return even(w), even(h)
    return max(1, round(w)), max(1, round(h))


def fit_picture(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    """`rgb` scaled to exactly width×height (used for square pixels and even sizes)."""
    if rgb.shape[1] == width and rgb.shape[0] == height:
        return rgb
    shrink = width < rgb.shape[1] or height < rgb.shape[0]
    return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def letterbox(rgb: np.ndarray, width: int, height: int, background=(0, 0, 0)) -> np.ndarray:
    """`rgb` scaled to fit inside width×height, centred on `background` (review exports)."""
    h, w = rgb.shape[:2]
    scale = min(width / w, height / h)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = background
    x0, y0 = (width - new_w) // 2, (height - new_h) // 2
    canvas[y0:y0 + new_h, x0:x0 + new_w] = fit_picture(rgb, new_w, new_h)
    return canvas


# ---------------------------------------------------------------- blur

def strong_blur(rgb: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    """Blur the box in place so that nobody can be recognised (shrink, enlarge, then smooth)."""
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    box = rgb[y0:y1, x0:x1]
    tiny = cv2.resize(box, (max(1, (x1 - x0) // 16), max(1, (y1 - y0) // 16)), interpolation=cv2.INTER_AREA)
    big = cv2.resize(tiny, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    k = max(3, (min(x1 - x0, y1 - y0) // 4) | 1)
    rgb[y0:y1, x0:x1] = cv2.GaussianBlur(big, (k, k), 0)


def check_regions(regions: Sequence) -> list[tuple[float, float, float, float]]:
    """Normalised (x, y, width, height) rectangles, each within 0..1; InvalidInput otherwise."""
    out = []
    for region in regions:
        try:
            x, y, w, h = (float(v) for v in region)
        except (TypeError, ValueError):
            raise InvalidInput("a blur region must be four numbers: x, y, width, height (0..1)") from None
        if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1):
            raise InvalidInput("a blur region must lie within the picture (coordinates 0..1)")
        out.append((x, y, min(w, 1 - x), min(h, 1 - y)))
    return out


def region_pixels(region, width: int, height: int) -> tuple[int, int, int, int]:
    x, y, w, h = region
    return int(np.floor(x * width)), int(np.floor(y * height)), int(np.ceil((x + w) * width)), \
        int(np.ceil((y + h) * height))


class FaceDetectorMissing(VigError):
    def __init__(self):
        super().__init__("face blurring is not available: this installation's OpenCV has no bundled "
                         "face detector (OpenCV 4.x has one); draw blur regions instead")


def cascade_path() -> str:
    return os.path.join(getattr(getattr(cv2, "data", None), "haarcascades", ""), CASCADE_FILE)


def face_detection_available() -> bool:
    """OpenCV 4.x ships Haar cascades with its wheels; OpenCV 5 moved them out of the main package."""
    return hasattr(cv2, "CascadeClassifier") and os.path.isfile(cascade_path())


class FaceDetector:
    """OpenCV's bundled frontal-face Haar cascade, run every few frames with boxes held in between."""

    def __init__(self, every: int = FACE_DETECT_EVERY):
        if not face_detection_available():
            raise FaceDetectorMissing()
        self.cascade = cv2.CascadeClassifier(cascade_path())
        if self.cascade.empty():
            raise FaceDetectorMissing()
        self.every = max(1, every)
        self._count = 0
        self._boxes: list[tuple[int, int, int, int]] = []
        self._previous: list[tuple[int, int, int, int]] = []

    def detect(self, rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
        """(x0, y0, x1, y1) padded face boxes in pixels of `rgb`."""
        h, w = rgb.shape[:2]
        scale = min(1.0, FACE_DETECT_WIDTH / w)
        small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))),
                           interpolation=cv2.INTER_AREA) if scale < 1 else rgb
        gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
        min_side = max(12, round(min(small.shape[:2]) / 20))
        found = self.cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=4,
                                              minSize=(min_side, min_side))
        boxes = []
        for (x, y, bw, bh) in (found if len(found) else []):
            pad_w, pad_h = bw * FACE_PAD, bh * FACE_PAD
            boxes.append((int((x - pad_w) / scale), int((y - pad_h) / scale),
                          int(np.ceil((x + bw + pad_w) / scale)), int(np.ceil((y + bh + pad_h) / scale))))
        return boxes

    def boxes_for_next(self, rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
        """Boxes to blur in this frame: the last two detections (covers a face moving in between)."""
        if self._count % self.every == 0:
            self._previous, self._boxes = self._boxes, self.detect(rgb)
        self._count += 1
        return self._boxes + self._previous


# ---------------------------------------------------------------- caption

UNICODE_TEXT = hasattr(cv2, "FontFace")  # OpenCV 5's text renderer (UTF-8); OpenCV 4: Hershey, ASCII


def drawable_text(text: str) -> str:
    """`text` on one line, as this OpenCV can draw it."""
    if UNICODE_TEXT:
        return " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return ascii_caption(text)


def ascii_caption(text: str) -> str:
    """What the Hershey fonts can draw: accents dropped, other non-ASCII as '?', one line of spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = "".join(c if 32 <= ord(c) < 127 else (" " if c.isspace() else "?") for c in plain)
    return " ".join(plain.split())


class CaptionOverlay:
    """A caption in white on a soft dark band at the bottom, rendered once and blended into each frame."""

    FONT = cv2.FONT_HERSHEY_DUPLEX
    MAX_LINES = 3

    def __init__(self, text: str, width: int, height: int):
        self.text = drawable_text(text)
        self.width, self.height = width, height
        self.top = height
        self._alpha = self._colour = None
        if self.text:
            self._render()

    def _render(self) -> None:
        w, h = self.width, self.height
        scale = max(0.35, h / 720 * 1.1)
        thickness = max(1, round(scale * 1.6))
        (char_w, line_h), _ = cv2.getTextSize("M", self.FONT, scale, thickness)
        chars = max(8, int(w * 0.9 / max(1, char_w * 0.9)))
        lines = textwrap.wrap(self.text, chars)[:self.MAX_LINES]
        while lines and cv2.getTextSize(max(lines, key=len), self.FONT, scale, thickness)[0][0] > w * 0.94:
            scale *= 0.9
            thickness = max(1, round(scale * 1.6))
            line_h = cv2.getTextSize("M", self.FONT, scale, thickness)[0][1]
        gap = round(line_h * 0.8)
        band_h = min(h, len(lines) * (line_h + gap) + 2 * gap)
        self.top = h - band_h
        # soft band: 60 % dark, fading in over its top quarter
        fade = np.clip(np.linspace(0, 4, band_h), 0, 1)[:, None] * 0.6
        alpha = np.repeat(fade, w, axis=1)
        colour = np.zeros((band_h, w, 3), np.float32)
        text_mask = np.zeros((band_h, w), np.uint8)
        y = gap + line_h
        for line in lines:
            tw = cv2.getTextSize(line, self.FONT, scale, thickness)[0][0]
            cv2.putText(text_mask, line, ((w - tw) // 2, y), self.FONT, scale, 255, thickness, cv2.LINE_AA)
            y += line_h + gap
        ink = text_mask.astype(np.float32) / 255
        alpha = alpha + (1 - alpha) * ink * 0.95
        colour[:] = (ink[..., None] * 0.95 * 245) / np.maximum(alpha[..., None], 1e-6)
        self._alpha, self._colour = alpha[..., None].astype(np.float32), colour

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        if self._alpha is None:
            return rgb
        band = rgb[self.top:].astype(np.float32)
        rgb[self.top:] = (band * (1 - self._alpha) + self._colour * self._alpha + 0.5).astype(np.uint8)
        return rgb


def title_card(text: str, width: int, height: int, background=(24, 28, 34)) -> np.ndarray:
    """A calm dark picture with `text` centred in large light type (review title cards)."""
    img = np.empty((height, width, 3), np.uint8)
    img[:] = background
    text = drawable_text(text)
    font = cv2.FONT_HERSHEY_DUPLEX
    scale = max(0.5, height / 720 * 1.6)
    thickness = max(1, round(scale * 1.5))
    lines = textwrap.wrap(text, 36)[:4] or [""]
    while max(cv2.getTextSize(ln, font, scale, thickness)[0][0] for ln in lines) > width * 0.9:
        scale *= 0.9
    line_h = cv2.getTextSize("M", font, scale, thickness)[0][1]
    gap = line_h
    y = (height - len(lines) * line_h - (len(lines) - 1) * gap) // 2 + line_h
    for line in lines:
        tw = cv2.getTextSize(line, font, scale, thickness)[0][0]
        cv2.putText(img, line, ((width - tw) // 2, y), font, scale, (235, 235, 230), thickness, cv2.LINE_AA)
        y += line_h + gap
    return img


class Overlays:
    """Everything drawn into one clip's frames, in order: region blur, face blur, caption."""

    def __init__(self, width: int, height: int, *, caption: str | None = None, blur_faces: bool = False,
                 blur_regions: Sequence = ()):
        self.regions = [region_pixels(r, width, height) for r in check_regions(blur_regions)]
        self.faces = FaceDetector() if blur_faces else None
        self.caption = CaptionOverlay(caption, width, height) if caption else None

    @property
    def active(self) -> bool:
        return bool(self.regions or self.faces or (self.caption and self.caption.text))

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        if not self.active:
            return rgb
        rgb = np.array(rgb, copy=True) if not rgb.flags.writeable else rgb
        boxes = list(self.regions)
        if self.faces is not None:
            boxes += self.faces.boxes_for_next(rgb)
        for box in boxes:
            strong_blur(rgb, *box)
        if self.caption is not None:
            self.caption.apply(rgb)
        return rgb
