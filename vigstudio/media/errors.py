"""The one exception type the media layer lets escape."""

from vigstudio.domain.errors import VigError


class MediaError(VigError):
    """A recording that cannot be served: the message is one line fit for a practitioner."""


class FrameOutOfRange(MediaError, IndexError):
    def __init__(self, index: int, count: int):
        super().__init__(f"frame {index} is out of range (the recording has {count} frames)")
