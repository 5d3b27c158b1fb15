"""A thread-safe cache of decoded frames keyed by frame index, bounded in bytes (least recently used out)."""

from __future__ import annotations

import threading
from collections import OrderedDict

DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


def frame_nbytes(frame) -> int:
    """Memory held by a decoded av.VideoFrame (its planes, in the decoder's own format)."""
    return sum(plane.buffer_size for plane in frame.planes)


class FrameCache:
    """Decoded frames are kept as av.VideoFrame (YUV, half the size of RGB); RGB is made on demand."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES):
        self.max_bytes = max_bytes
        self._frames: OrderedDict[int, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, index: int):
        with self._lock:
            entry = self._frames.get(index)
            if entry is None:
                return None
            self._frames.move_to_end(index)
            return entry[0]

    def __contains__(self, index: int) -> bool:
        with self._lock:
            return index in self._frames

    def put(self, index: int, frame) -> None:
        size = frame_nbytes(frame)
        with self._lock:
            old = self._frames.pop(index, None)
            if old is not None:
                self._bytes -= old[1]
            self._frames[index] = (frame, size)
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._frames) > 1:
                _, (_, dropped) = self._frames.popitem(last=False)
                self._bytes -= dropped

    def missing(self, indices) -> list[int]:
        with self._lock:
            return [i for i in indices if i not in self._frames]

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._frames)

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._bytes = 0
