"""The editor's timeline widget: ruler, clip ranges with trim handles, thumbnails, waveform, playhead."""

from vigstudio.ui.timeline.items import TimelineClip, TimelineMarker, TimelineMomentLane, TimelineObservation
from vigstudio.ui.timeline.palette import TimelinePalette
from vigstudio.ui.timeline.widget import TimelineWidget

__all__ = ["TimelineClip", "TimelineMarker", "TimelineMomentLane", "TimelineObservation", "TimelinePalette", "TimelineWidget"]
