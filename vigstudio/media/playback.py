"""Playback timing without Qt: the clock that says what media time it is, and which frame to show.

`PlaybackClock` follows the sound device when sound is playing (audio is the master: media time =
where the audio started + samples the device has actually played / rate × speed) and a monotonic
wall clock × speed otherwise. The sink reports its processed-sample count only every few
milliseconds, so between reports the clock interpolates with the wall clock, at most
`MAX_INTERPOLATION` ahead of the last report (a stalled device stalls the picture too), and never runs
backwards while playing.

`FramePacer` maps the clock's time to a frame index over the recording's real frame times (variable
frame rate included) and counts dropped frames: frames whose display slot passed before they were
shown.

The time source is injected (`now`), so both are tested with a clock driven by hand.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence

from vigstudio.media.audio import MAX_SPEED, MIN_SPEED, SUPPORTED_SPEEDS, AudioChunk, AudioStream

__all__ = ["AudioChunk", "AudioStream", "FramePacer", "PlaybackClock", "SUPPORTED_SPEEDS"]

MAX_INTERPOLATION = 0.1  # seconds of wall time the clock may run past the sink's last report


class PlaybackClock:
    """Media time for playback; `now` returns seconds from a monotonic clock."""

    def __init__(self, now: Callable[[], float] = time.monotonic, position: float = 0.0):
        self._now = now
        self._speed = 1.0
        self._playing = False
        self._anchor_media = float(position)  # media time at _anchor_wall
        self._anchor_wall = now()
        self._floor = float(position)  # last time handed out while playing: never go below it
        # audio master
        self._audio_rate: int | None = None
        self._audio_origin = 0.0  # media time of the first sample the sink was given
        self._audio_processed = -1

    # -- state ----------------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def audio_master(self) -> bool:
        return self._audio_rate is not None

    def position(self) -> float:
        """The current media time in seconds."""
        if not self._playing:
            return self._anchor_media
        elapsed = self._now() - self._anchor_wall
        if self.audio_master:
            elapsed = min(elapsed, MAX_INTERPOLATION)
        current = self._anchor_media + max(0.0, elapsed) * self._speed
        self._floor = max(self._floor, current)
        return self._floor

    # -- control --------------------------------------------------------------------------------

    def play(self) -> None:
        if not self._playing:
            self._rebase(self._anchor_media)
            self._playing = True

    def pause(self) -> None:
        if self._playing:
            self._rebase(self.position())
            self._playing = False
            self.detach_audio()

    def seek(self, media_time: float) -> None:
        """Jump to `media_time`; a running audio master must be re-attached at the new place."""
        self.detach_audio()
        self._rebase(max(0.0, float(media_time)))

    def set_speed(self, speed: float) -> None:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed {speed} outside {MIN_SPEED}..{MAX_SPEED}")
        here = self.position()
        self.detach_audio()  # the audio stream is recreated at the new tempo, then re-attached
        self._speed = float(speed)
        self._rebase(here)

    # -- audio master ---------------------------------------------------------------------------

    def attach_audio(self, sample_rate: int, media_time: float | None = None) -> None:
        """Audio starts playing from `media_time` (default: now); from here it drives the clock."""
        origin = self.position() if media_time is None else float(media_time)
        self._audio_rate = int(sample_rate)
        self._audio_origin = origin
        self._audio_processed = 0
        self._rebase(origin)

    def audio_processed(self, samples: int) -> None:
        """The sink has played `samples` sample frames (per channel) since `attach_audio`."""
        if self._audio_rate is None or samples == self._audio_processed:
            return
        self._audio_processed = int(samples)
        media = self._audio_origin + samples / self._audio_rate * self._speed
        self._anchor_media = media
        self._anchor_wall = self._now()

    def detach_audio(self) -> None:
        """Sound stopped (end of audio, device error, pause): continue on the wall clock from here."""
        if self._audio_rate is not None:
            here = self.position()
            self._audio_rate = None
            self._rebase(here)

    def _rebase(self, media_time: float) -> None:
        self._anchor_media = media_time
        self._anchor_wall = self._now()
        self._floor = media_time


class FramePacer:
    """Which frame to show at a media time, and how many frames were never shown in time."""

    def __init__(self, frame_times: Sequence[float]):
        self._times = list(frame_times)
        if not self._times:
            raise ValueError("no frames")
        self.dropped = 0
        self.shown: int | None = None

    @property
    def frame_count(self) -> int:
        return len(self._times)

    def frame_at(self, media_time: float) -> int:
        """The frame whose display slot [t_i, t_i+1) contains `media_time`."""
        index = bisect.bisect_right(self._times, media_time + 1e-9) - 1
        return min(max(index, 0), len(self._times) - 1)

    def frame_time(self, index: int) -> float:
        return self._times[index]

    def next_frame_time(self) -> float | None:
        """When the frame after the one shown is due (None at the end)."""
        if self.shown is None:
            return self._times[0]
        nxt = self.shown + 1
        return self._times[nxt] if nxt < len(self._times) else None

    def at_end(self) -> bool:
        return self.shown == len(self._times) - 1

    def present(self, index: int, media_time: float | None = None) -> None:
        """Frame `index` was put on screen during playback (at `media_time`, if known).

        Frames skipped since the last one shown count as dropped, and so does this one when its
        slot had already passed (a late decoder: shown, but not when it should have been).
        """
        if self.shown is not None and index > self.shown + 1:
            self.dropped += index - self.shown - 1
        if media_time is not None and self.frame_at(media_time) > index:
            self.dropped += 1
        self.shown = index

    def reset(self, index: int | None) -> None:
        """After a seek or step: `index` is on screen, and jumping there drops nothing."""
        self.shown = index
