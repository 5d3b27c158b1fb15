"""Large buffers go back to the system when they are freed (glibc's malloc, i.e. Linux).

glibc serves a request above its mmap threshold with mmap, and unmaps it when it is freed; but once
such a block is freed it raises the threshold to that block's size (up to 32 MB). After the first
4K picture (25 MB at 10 bits) every picture, scaled frame and RGB array below that size comes from
the heap and its per-thread arenas, where freed ones stay resident among small live allocations:
editing a 10-minute 4K recording grew from 529 to 607 MB over a few jumps and kept 400 MB after
the source was closed. A fixed threshold (which also stops the raising) keeps every buffer of a
megabyte or more in its own mapping, given back the moment it is freed (the decoder's own picture
pool keeps reusing its buffers, so that costs no extra page faults there).
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
MMAP_THRESHOLD = 1 << 20

_applied = False


def return_large_buffers() -> bool:
    """Fix the process's mmap threshold at MMAP_THRESHOLD (once); False where malloc is not glibc's."""
    global _applied
    if _applied or not sys.platform.startswith("linux"):
        return _applied
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the process runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    _applied = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return _applied
