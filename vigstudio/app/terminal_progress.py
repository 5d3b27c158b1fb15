"""A one-line progress bar for the command line, drawn on stderr only when stderr is a terminal."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class TerminalBar:
    """A `ProgressCallback` (fraction, label) that redraws at most ~10 times a second."""

    def __init__(self, stream: TextIO | None = None, prefix: str = ""):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.prefix = prefix
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, fraction: float, label: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        columns = shutil.get_terminal_size((80, 20)).columns
        text = f"{self.prefix}{label}" if label else self.prefix
        bar_width = max(10, min(40, columns - len(text) - 10))
        filled = int(round(bar_width * max(0.0, min(1.0, fraction))))
        line = f"[{'#' * filled}{'.' * (bar_width - filled)}] {fraction * 100:3.0f}% {text}"
        self.stream.write("\r" + line[: columns - 1].ljust(columns - 1))
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        """Clear the bar's line so the next output starts on a clean line."""
        if self.enabled and self._drawn:
            columns = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (columns - 1) + "\r")
            self.stream.flush()
            self._drawn = False
