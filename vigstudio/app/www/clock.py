"""The quiet session clock of a WWW session: two halves (Watch, then Wonder), 30 + 30 minutes unless
the therapist sets other lengths. It only counts: it never makes a sound, and it is shown in the
therapist's editor only (never on the family's screen). Time comes from a monotonic clock passed in,
so it is exact under test and unaffected by changes of the wall clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from vigstudio.domain.errors import InvalidInput

DEFAULT_HALF_MINUTES = 30
MAX_HALF_MINUTES = 120


@dataclass(frozen=True)
class ClockReading:
    half: int  # 1 (Watch) or 2 (Wonder); 2 also once both halves are over
    elapsed_in_half: float  # seconds
    remaining_in_half: float  # seconds, 0 when the half is over
    running: bool
    overtime: float = 0.0  # seconds past the end of the second half

    @property
    def over(self) -> bool:
        return self.overtime > 0

    @property
    def half_name(self) -> str:
        return "Watch" if self.half == 1 else "Wonder"

    def text(self) -> str:
        if self.over:
            return f"Wonder · {_mm_ss(self.elapsed_in_half)} · over by {_mm_ss(self.overtime)}"
        return f"{self.half_name} · {_mm_ss(self.elapsed_in_half)} · {_mm_ss(self.remaining_in_half)} left"


def _mm_ss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class SessionClock:
    def __init__(self, first_minutes: int = DEFAULT_HALF_MINUTES, second_minutes: int = DEFAULT_HALF_MINUTES,
                 now: Callable[[], float] = time.monotonic):
        self._now = now
        self.set_halves(first_minutes, second_minutes)
        self._elapsed = 0.0  # counted before the current run
        self._started: float | None = None

    def set_halves(self, first_minutes: int, second_minutes: int) -> None:
        for minutes in (first_minutes, second_minutes):
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_HALF_MINUTES:
                raise InvalidInput(f"each half lasts 1 to {MAX_HALF_MINUTES} minutes")
        self.first = first_minutes * 60.0
        self.second = second_minutes * 60.0

    @property
    def running(self) -> bool:
        return self._started is not None

    def start(self) -> None:
        if self._started is None:
            self._started = self._now()

    def pause(self) -> None:
        if self._started is not None:
            self._elapsed += self._now() - self._started
            self._started = None

    def reset(self) -> None:
        self._elapsed, self._started = 0.0, None

    def to_second_half(self) -> None:
        """Move on to the Wonder half now (the Watch half may end early or late)."""
        if self.elapsed() < self.first:
            self._elapsed = self.first
            if self._started is not None:
                self._started = self._now()

    def elapsed(self) -> float:
        running = self._now() - self._started if self._started is not None else 0.0
        return self._elapsed + running

    def reading(self) -> ClockReading:
        t = self.elapsed()
        if t < self.first:
            return ClockReading(1, t, self.first - t, self.running)
        in_second = t - self.first
        return ClockReading(2, in_second, max(0.0, self.second - in_second), self.running,
                            overtime=max(0.0, in_second - self.second))
