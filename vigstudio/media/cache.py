"""A thread-safe cache of decoded frames keyed by frame index, bounded in bytes.

When full it drops the frame farthest from where the user is (`focus`), not the least recently used
one: the prefetch decodes a window in ascending order, so under LRU the frames it was about to
refresh (the oldest in the window) went first, and an interrupted prefetch left holes right next to
the current frame.
"""

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
        self.focus: int | None = None  # the frame the user is on; None: least recently used goes first

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
            focus = self.focus
            while self._bytes > self.max_bytes and len(self._frames) > 1:
                if focus is None:
                    _, (_, dropped) = self._frames.popitem(last=False)
                else:  # a few hundred entries at most: a scan costs far less than one decode
                    _, dropped = self._frames.pop(max(self._frames, key=lambda k: abs(k - focus)))
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
