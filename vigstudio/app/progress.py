"""Progress reporting and cooperative cancellation for long work, without Qt.

Long operations take a `Progress` and call `progress.step(done, total, label)`. The caller (a Qt
worker, or the CLI's terminal bar) supplies the callback and may call `progress.cancel()` from
another thread; the next `step` then raises `Cancelled`, and the operation cleans up after itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from vigstudio.domain.errors import Cancelled

ProgressCallback = Callable[[float, str], None]  # fraction 0..1, label


class Progress:
    def __init__(self, callback: ProgressCallback | None = None, what: str = "operation"):
        self._callback = callback
        self._cancelled = threading.Event()
        self.what = what

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled(self.what)

    def step(self, done: float, total: float = 1.0, label: str = "") -> None:
        self.check()
        if self._callback is not None:
            self._callback(min(1.0, done / total) if total else 0.0, label)

    def __call__(self, fraction: float, label: str = "") -> None:
        """Lets a `Progress` be handed to media functions, which take a plain callback."""
        self.step(fraction, 1.0, label)

    def part(self, start: float, end: float) -> Progress:
        """A child progress mapped onto [start, end] of this one (one bar for a multi-stage job)."""
        parent = self

        def relay(fraction: float, label: str) -> None:
            parent.step(start + (end - start) * fraction, 1.0, label)

        child = Progress(relay, self.what)
        child._cancelled = self._cancelled
        return child


def as_progress(progress: Progress | ProgressCallback | None, what: str) -> Progress:
    """The `Progress` a use case reports to: the caller's own, or one around a plain callback (or none)."""
    if isinstance(progress, Progress):
        return progress
    return Progress(progress, what)
