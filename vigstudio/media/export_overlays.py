"""What an export draws into the picture: square pixels, blurred faces and regions, a burned-in caption.

All of it works on upright H×W×3 uint8 RGB numpy pictures. Blurring and scaling use OpenCV (kept at
4.x for its bundled Haar face cascade).

Captions and title cards are typeset with Pillow in DejaVu Sans (found at its usual paths or through
fontconfig; Pillow's built-in Aileron, ASCII plus typographic quotes, when it is missing): anti-aliased,
word-wrapped to the picture width (captions at most 3 lines, then an ellipsis), centred, at about 5 %
of the picture height. A caption sits on a soft translucent band at the bottom; it is rendered once
per overlay and only blended into each frame. Everything stays in memory.
"""

from __future__ import annotations

import os
import subprocess
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

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

UNICODE_TEXT = True  # Pillow + DejaVu Sans draw accents, typographic quotes, Greek, Cyrillic...

FONT_FILES = (  # DejaVu Sans where the usual Linux packages put it (Debian's fonts-dejavu-core first)
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
)
CAPTION_SIZE = 0.05  # type size as a share of the picture's shorter side (readable on a TV)
CAPTION_MIN_SIZE = 9  # px: tiny pictures still get legible type...
CAPTION_MAX_BAND = 0.45  # ...as long as the band stays within the bottom part of the picture
CAPTION_WIDTH = 0.88  # lines wrap within this share of the picture width
CAPTION_DARKNESS = 0.55  # opacity of the band under the text
CAPTION_INK = (246, 244, 238)  # a warm white, softer than pure white
TITLE_SIZE = 0.075
TITLE_WIDTH = 0.82
TITLE_INK = (235, 235, 230)
ELLIPSIS = "…"


@lru_cache(maxsize=1)
def caption_font_file() -> str | None:
    """DejaVu Sans (known paths, then fontconfig); None when neither finds a scalable font."""
    for path in FONT_FILES:
        if os.path.isfile(path):
            return path
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True,
                               text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    scalable = found.lower().endswith((".ttf", ".otf", ".ttc"))
    return found if scalable and os.path.isfile(found) else None


@lru_cache(maxsize=16)
def caption_font(size: int) -> ImageFont.FreeTypeFont:
    """The caption typeface at `size` px; Pillow's built-in Aileron (ASCII + quotes) without DejaVu."""
    path = caption_font_file()
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def drawable_text(text: str) -> str:
    """`text` on one line: composed accents (NFC, so "Zoë" typed as e + ¨ draws as one letter),
    control characters and line breaks turned into single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def ascii_caption(text: str) -> str:
    """Plain-ASCII form (accents dropped, other non-ASCII as '?'); no longer used for drawing."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = "".join(c if 32 <= ord(c) < 127 else (" " if c.isspace() else "?") for c in plain)
    return " ".join(plain.split())


def wrap_text(text: str, font, max_width: float, max_lines: int) -> list[str]:
    """Greedy word wrap measured in pixels; over-long words are broken, and text beyond
    `max_lines` is cut at a word with an ellipsis."""
    words, lines, line = text.split(), [], ""
    while words:
        word = words.pop(0)
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
            words.insert(0, word)
            continue
        cut = max(1, next((i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= max_width), 1))
        lines.append(word[:cut])
        if word[cut:]:
            words.insert(0, word[cut:])
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last + ELLIPSIS) > max_width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    kept[-1] = last.rstrip(" ,;:.-–—") + ELLIPSIS
    return kept


def draw_lines(mask: Image.Image, lines: list[str], font, top: int, step: int) -> None:
    """Each line centred horizontally, the first line's ascender at `top`, baselines `step` apart."""
    draw = ImageDraw.Draw(mask)
    for i, line in enumerate(lines):
        x = (mask.width - font.getlength(line)) / 2
        draw.text((x, top + i * step), line, font=font, fill=255)


def text_block_height(font, lines: int, step: int) -> int:
    ascent, descent = font.getmetrics()
    return (lines - 1) * step + ascent + descent


class CaptionOverlay:
    """A caption in soft white on a translucent dark band at the bottom: wrapped, centred, anti-aliased.

    Rendered once (Pillow) into a band-sized opacity and colour; each frame only blends them (numpy).
    """

    MAX_LINES = 3

    def __init__(self, text: str, width: int, height: int):
        self.text = drawable_text(text)
        self.width, self.height = width, height
        self.top = height
        self.lines: list[str] = []
        self.size = 0
        self._keep = self._add = None
        if self.text:
            self._render()

    def _layout(self):
        """Type size, lines and band height: ~5 % of the picture, smaller only if the band gets too tall."""
        w, h = self.width, self.height
        size = max(CAPTION_MIN_SIZE, round(min(w, h) * CAPTION_SIZE))
        while True:
            font = caption_font(size)
            lines = wrap_text(self.text, font, w * CAPTION_WIDTH, self.MAX_LINES)
            step = round(size * 1.3)
            fade, pad_top, pad_bottom = round(size * 1.5), round(size * 0.4), round(size * 0.9)
            band_h = fade + pad_top + text_block_height(font, len(lines), step) + pad_bottom
            if band_h <= h * CAPTION_MAX_BAND or size <= 6:
                return font, size, lines, step, fade + pad_top, min(h, band_h), fade
            size = max(6, round(size * 0.9))

    def _render(self) -> None:
        w = self.width
        font, self.size, self.lines, step, text_top, band_h, fade = self._layout()
        self.top = self.height - band_h
        mask = Image.new("L", (w, band_h), 0)
        draw_lines(mask, self.lines, font, text_top, step)
        ink = np.asarray(mask, np.float32) / 255
        shadow = np.asarray(mask.filter(ImageFilter.GaussianBlur(max(1.0, self.size * 0.08))), np.float32) / 255
        # the band fades in smoothly over its top rows, then stays at CAPTION_DARKNESS
        t = np.clip(np.arange(band_h, dtype=np.float32) / max(1, fade), 0, 1)
        band = (t * t * (3 - 2 * t) * CAPTION_DARKNESS)[:, None]
        dark = band + (1 - band) * np.minimum(1, shadow * 0.6)  # a soft shadow lifts the letters
        keep = (1 - dark) * (1 - ink)  # share of the picture left under band, shadow and text
        self._keep = keep[..., None]
        self._add = ink[..., None] * np.asarray(CAPTION_INK, np.float32) + 0.5

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        if self._keep is None:
            return rgb
        band = rgb[self.top:].astype(np.float32)
        rgb[self.top:] = (band * self._keep + self._add).astype(np.uint8)
        return rgb


def title_card(text: str, width: int, height: int, background=(24, 28, 34)) -> np.ndarray:
    """A calm dark picture with `text` centred in large light type (review title cards)."""
    img = np.empty((height, width, 3), np.uint8)
    img[:] = background
    text = drawable_text(text)
    if not text:
        return img
    size = max(CAPTION_MIN_SIZE, round(min(width, height) * TITLE_SIZE))
    while True:
        font = caption_font(size)
        lines = wrap_text(text, font, width * TITLE_WIDTH, 4)
        step = round(size * 1.35)
        block = text_block_height(font, len(lines), step)
        if block <= height * 0.8 or size <= 6:
            break
        size = max(6, round(size * 0.9))
    mask = Image.new("L", (width, height), 0)
    # centre what the eye sees: from the first line's capitals down to the last line's baseline
    cap_top, ascent = font.getbbox("H")[1], font.getmetrics()[0]
    top = round(height / 2 - (cap_top + (len(lines) - 1) * step + ascent) / 2)
    draw_lines(mask, lines, font, top, step)
    ink = np.asarray(mask, np.float32)[..., None] / 255
    mixed = img * (1 - ink) + ink * np.asarray(TITLE_INK, np.float32)
    return (mixed + 0.5).astype(np.uint8)


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
