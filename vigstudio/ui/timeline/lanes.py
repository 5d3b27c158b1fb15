"""Vertical layout of the timeline's lanes (ruler, clips, observations when there are any, thumbnails,
waveform). Qt-free."""

from __future__ import annotations

from dataclasses import dataclass

RULER_HEIGHT = 24.0
CLIP_LANE_HEIGHT = 22.0
MIN_THUMB_HEIGHT = 30.0
MAX_THUMB_HEIGHT = 90.0
WAVE_HEIGHT = 34.0
MAX_WAVE_HEIGHT = 64.0
LANE_GAP = 2.0
OBSERVATION_LANE_HEIGHT = 18.0  # WWW observations, under the clips; taken from the thumbnails
MOMENT_LANE_HEIGHT = 18.0  # a labelled lane of moments (the guider's ratings); added to the timeline's height


@dataclass(frozen=True)
class Band:
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, y: float) -> bool:
        return self.top <= y < self.bottom


@dataclass(frozen=True)
class Lanes:
    ruler: Band
    clips: Band
    thumbs: Band
    wave: Band
    observations: Band | None = None  # only when the recording has (or may get) WWW observations
    moments: tuple[Band, ...] = ()  # the labelled moment lanes, top to bottom

    @property
    def media(self) -> Band:
        """Thumbnails and waveform together: where clip ranges are tinted."""
        return Band(self.thumbs.top, self.wave.bottom)

    @property
    def bottom(self) -> float:
        return self.wave.bottom

    @staticmethod
    def for_height(height: float, *, observations: bool = False, moment_lanes: int = 0) -> Lanes:
        """Thumbnails take the spare height first (up to a limit), then the waveform. An observation
        lane, when asked for, comes out of the thumbnails' share (the timeline keeps its height); moment
        lanes come on top of it (the widget grows by `moments_height`)."""
        extra = OBSERVATION_LANE_HEIGHT + LANE_GAP if observations else 0.0
        height -= Lanes.moments_height(moment_lanes)
        fixed = RULER_HEIGHT + CLIP_LANE_HEIGHT + WAVE_HEIGHT + 3 * LANE_GAP + extra
        spare = max(0.0, height - fixed)
        thumb_h = min(max(spare, MIN_THUMB_HEIGHT - (extra and 8.0)), MAX_THUMB_HEIGHT)
        wave_h = min(WAVE_HEIGHT + max(0.0, spare - thumb_h), MAX_WAVE_HEIGHT)
        ruler = Band(0.0, RULER_HEIGHT)
        clips = Band(ruler.bottom + LANE_GAP, ruler.bottom + LANE_GAP + CLIP_LANE_HEIGHT)
        lane = None
        above_thumbs = clips.bottom
        if observations:
            lane = Band(clips.bottom + LANE_GAP, clips.bottom + LANE_GAP + OBSERVATION_LANE_HEIGHT)
            above_thumbs = lane.bottom
        moments = []
        for _ in range(moment_lanes):
            moments.append(Band(above_thumbs + LANE_GAP, above_thumbs + LANE_GAP + MOMENT_LANE_HEIGHT))
            above_thumbs = moments[-1].bottom
        thumbs = Band(above_thumbs + LANE_GAP, above_thumbs + LANE_GAP + thumb_h)
        wave = Band(thumbs.bottom + LANE_GAP, thumbs.bottom + LANE_GAP + wave_h)
        return Lanes(ruler, clips, thumbs, wave, lane, tuple(moments))

    @staticmethod
    def moments_height(count: int) -> float:
        return count * (MOMENT_LANE_HEIGHT + LANE_GAP)

    @staticmethod
    def preferred_height() -> float:
        return RULER_HEIGHT + CLIP_LANE_HEIGHT + 56.0 + WAVE_HEIGHT + 3 * LANE_GAP
