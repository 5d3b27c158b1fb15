"""Process-wide hardening while a library is open: no core dumps (a dump would hold its keys)."""

from __future__ import annotations

import contextlib
import resource
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_open_count = 0
_saved: tuple[int, int] | None = None


@contextlib.contextmanager
def _guard() -> Iterator[None]:
    with _lock:
        yield


def core_dumps_off() -> None:
    """Set RLIMIT_CORE to 0 (soft and hard stay as they were otherwise) while any library is open."""
    global _open_count, _saved
    with _guard():
        if _open_count == 0:
            with contextlib.suppress(ValueError, OSError):
                _saved = resource.getrlimit(resource.RLIMIT_CORE)
                resource.setrlimit(resource.RLIMIT_CORE, (0, _saved[1]))
        _open_count += 1


def core_dumps_restored() -> None:
    """Undo one `core_dumps_off`; the limit comes back when the last library closes."""
    global _open_count, _saved
    with _guard():
        _open_count = max(0, _open_count - 1)
        if _open_count == 0 and _saved is not None:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_CORE, _saved)
            _saved = None
