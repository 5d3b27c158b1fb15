"""The quiet WWW session clock, on a clock the test moves."""

import pytest

from vigstudio.app.www.clock import SessionClock
from vigstudio.domain.errors import InvalidInput


class FakeTime:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_two_halves_of_30_minutes_by_default_and_overtime():
    now = FakeTime()
    clock = SessionClock(now=now)
    clock.start()
    now.t += 29 * 60 + 30
    assert clock.reading().text() == "Watch · 29:30 · 00:30 left"
    now.t += 60
    reading = clock.reading()
    assert (reading.half, reading.half_name, round(reading.elapsed_in_half)) == (2, "Wonder", 30)
    now.t += 30 * 60
    assert clock.reading().text() == "Wonder · 30:30 · over by 00:30"


def test_pause_resume_early_second_half_and_adjusted_lengths():
    now = FakeTime()
    clock = SessionClock(20, 25, now=now)
    clock.start()
    now.t += 60
    clock.pause()
    now.t += 600  # paused: not counted
    assert clock.elapsed() == 60
    clock.start()
    now.t += 60
    clock.to_second_half()
    assert clock.reading().text() == "Wonder · 00:00 · 25:00 left"
    now.t += 5
    assert clock.reading().elapsed_in_half == 5
    clock.reset()
    assert clock.elapsed() == 0 and not clock.running
    with pytest.raises(InvalidInput, match="1 to 120 minutes"):
        clock.set_halves(0, 30)
