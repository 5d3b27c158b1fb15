"""Freed picture memory goes back to the system (glibc's malloc, i.e. Linux).

Once a block above glibc's mmap threshold is freed, glibc raises the threshold to that block's size
(up to 32 MB). After the first 4K picture (25 MB at 10 bits) every scaled frame and RGB array below
that size comes from the heap and its per-thread arenas, where freed ones stay resident among small
live allocations: editing a 10-minute 4K recording grew from 529 to 607 MB over a few jumps and kept
400 MB after the source was closed. Two remedies, for two costs:
- `return_large_buffers` fixes the threshold at 1 MiB (which also stops the raising): every buffer
  of a megabyte or more gets a mapping of its own, unmapped when freed. A fresh mapping costs page
  faults on each frame (~2 ms per 720p RGB array under load, 0.1 ms from the heap: 1080p playback
  dropped frames), so it is applied only when a source above 1080p is opened, where decoding costs
  ten times that anyway; it then holds for the process.
- `give_back_free_memory` (`malloc_trim`) hands the heap's free pages back; the engine calls it
  whenever its decoding goes idle and when a source closes.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
MMAP_THRESHOLD = 1 << 20
MIN_TRIM_INTERVAL = 0.25  # seconds between two trims (a trim walks every arena)

_lock = threading.Lock()
_applied = False
_last_trim = 0.0
_libc: ctypes.CDLL | None = None
_looked = False


def _glibc() -> ctypes.CDLL | None:
    global _libc, _looked
    with _lock:
        if not _looked:
            _looked = True
            if sys.platform.startswith("linux"):
                libc = ctypes.CDLL(None)  # the C library the process runs on
                if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim"):
                    libc.mallopt.argtypes, libc.mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
                    libc.malloc_trim.argtypes, libc.malloc_trim.restype = (ctypes.c_size_t,), ctypes.c_int
                    _libc = libc
        return _libc


def return_large_buffers() -> bool:
    """Fix the process's mmap threshold at MMAP_THRESHOLD (once); False where malloc is not glibc's."""
    global _applied
    libc = _glibc()
    if libc is None:
        return False
    with _lock:
        if not _applied:
            _applied = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
        return _applied


def give_back_free_memory() -> bool:
    """Return the heap's free pages to the system (at most every MIN_TRIM_INTERVAL); False if nothing
    was done (too soon, or not glibc)."""
    global _last_trim
    libc = _glibc()
    if libc is None:
        return False
    now = time.monotonic()
    with _lock:
        if now - _last_trim < MIN_TRIM_INTERVAL:
            return False
        _last_trim = now
    libc.malloc_trim(0)
    return True
