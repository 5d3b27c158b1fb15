"""Media engine: frame-exact, cached access to recordings (PyAV + numpy; no Qt, no database).

`open_media(source, index=None)` → `MediaSource`; only `MediaError` escapes for unusable input.
"""

from .errors import FrameOutOfRange, MediaError
from .probe import VideoTrack
from .source import MediaInfo, MediaSource, list_video_tracks, open_media

__all__ = ["FrameOutOfRange", "MediaError", "MediaInfo", "MediaSource", "VideoTrack", "list_video_tracks",
           "open_media"]
