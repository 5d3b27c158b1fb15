"""Writing down the parent's own words during a review: the moment they were said (the item and
frame on screen when the practitioner began to write, not when they pressed Enter) and the save.

Shared by the presenter window and the one-screen presenter strip, so both keep the same moment.
"""

from __future__ import annotations

from vigstudio.app.review import add_reflection
from vigstudio.domain.errors import VigError
from vigstudio.ui.review.controller import ReviewController

Moment = tuple[int | None, int | None, int | None]  # clip id, still id, frame


class WordsRecorder:
    def __init__(self, controller: ReviewController):
        self.controller = controller
        self._said_at: Moment | None = None

    def moment(self) -> Moment:
        """The clip or still on screen and the frame shown (a still: its clip and its frame)."""
        item = self.controller.current
        if item is None:
            return None, None, None
        frame = self.controller.current_frame
        frame = item.start_frame if frame is None else frame
        if item.is_still:
            return item.clip_id, item.id, frame
        return item.id, None, frame

    def writing(self, text: str) -> None:
        """Call on each edit: the first character written fixes the moment; clearing forgets it."""
        if self._said_at is None and text.strip():
            self._said_at = self.moment()
        elif not text.strip():
            self._said_at = None

    def save(self, text: str) -> str | None:
        """Save the words with their moment; None when saved, else the one-line reason."""
        text = text.strip()
        if not text:
            return "Nothing written."
        clip_id, still_id, frame = self._said_at or self.moment()
        c = self.controller
        try:
            add_reflection(c.service, c.session_id, text, clip_id=clip_id, still_id=still_id, frame=frame)
        except VigError as error:
            return str(error)
        self._said_at = None
        return None
