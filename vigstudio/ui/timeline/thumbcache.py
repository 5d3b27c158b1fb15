"""Thumbnails for the strip, scaled once and kept in memory (never on disk: they show a family).

The provider maps a frame to the nearest stored thumbnail (or None while thumbnails are still being
made). Results are cached per frame, and the scaled pixmap per distinct image and tile size, so a
repaint at any zoom scales nothing it has scaled before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap

ThumbnailProvider = Callable[[int], "QImage | None"]

DEFAULT_ASPECT = 16 / 9
_MAX_FRAMES = 4096
_MAX_PIXMAPS = 1024


class ThumbnailCache:
    def __init__(self) -> None:
        self._provider: ThumbnailProvider | None = None
        self._aspect: float | None = None
        self._frame_to_key: OrderedDict[int, int] = OrderedDict()
        self._images: dict[int, QImage] = {}
        self._scaled: OrderedDict[tuple[int, int, int], QPixmap] = OrderedDict()

    def set_provider(self, provider: ThumbnailProvider | None) -> None:
        self._provider = provider
        self.clear()

    def clear(self) -> None:
        """Forget everything (new provider, or thumbnails finished making)."""
        self._aspect = None
        self._frame_to_key.clear()
        self._images.clear()
        self._scaled.clear()

    @property
    def has_provider(self) -> bool:
        return self._provider is not None

    @property
    def aspect(self) -> float:
        """Width / height of the thumbnails, learnt from the first one the provider returns."""
        return self._aspect or DEFAULT_ASPECT

    def probe_aspect(self, frame: int) -> None:
        if self._aspect is None:
            self._image_for(frame)

    def pixmap(self, frame: int, size: QSize) -> QPixmap | None:
        """The thumbnail nearest `frame`, scaled to fill `size` (cropped to it by the painter)."""
        key = self._image_for(frame)
        if key is None:
            return None
        scaled_key = (key, size.width(), size.height())
        cached = self._scaled.get(scaled_key)
        if cached is not None:
            self._scaled.move_to_end(scaled_key)
            return cached
        image = self._images[key].scaled(size, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                         Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(image)
        self._scaled[scaled_key] = pixmap
        if len(self._scaled) > _MAX_PIXMAPS:
            self._scaled.popitem(last=False)
        return pixmap

    def _image_for(self, frame: int) -> int | None:
        key = self._frame_to_key.get(frame)
        if key is not None:
            self._frame_to_key.move_to_end(frame)
            return key
        if self._provider is None:
            return None
        image = self._provider(frame)
        if image is None or image.isNull():
            return None  # not made yet: ask again on a later paint
        key = image.cacheKey()
        if key not in self._images:
            self._images[key] = image
        if self._aspect is None and image.height() > 0:
            self._aspect = image.width() / image.height()
        self._frame_to_key[frame] = key
        if len(self._frame_to_key) > _MAX_FRAMES:
            self._frame_to_key.popitem(last=False)
            live = set(self._frame_to_key.values())
            if len(self._images) > 2 * len(live):
                self._images = {k: v for k, v in self._images.items() if k in live}
        return key
