"""ReviewController: the state of one shared review, shared by the family screen and the presenter.

It holds the session's playlist (and nothing else from the library: no other session or case is
reachable through it), the current item, one `Player` for the recording that item comes from, the
speed, the loop switch and whether captions show. Both windows call its methods (the family screen
from keys and a clicker, the presenter from buttons) and redraw from its signals, so they never
disagree.

A clip plays exactly frames start..end-1, then pauses on its last frame (or starts again when the
loop is on): the player plays the whole recording, so the controller stops it at the clip's end and,
if a late frame slipped past, seeks back to the exact last frame. A still is a paused seek to its
frame, decoded exactly (never a nearby keyframe).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from vigstudio.app.recordings import open_recording_media
from vigstudio.app.review import PlaylistItem, ReviewPlan, open_recording_file, review_plan
from vigstudio.ui.autolock import keep_awake
from vigstudio.ui.player import Player

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.media import MediaSource

log = logging.getLogger(__name__)

SPEEDS = (0.25, 0.5, 0.75, 1.0)  # what Up/Down step through; sound keeps its pitch


def speed_text(speed: float) -> str:
    return {0.25: "¼ speed", 0.5: "½ speed", 0.75: "¾ speed", 1.0: "Normal speed"}.get(speed, f"{speed:g}×")


class ReviewController(QObject):
    itemChanged = Signal(int)  # index into `items`
    frameChanged = Signal(int, QImage)  # frame of the current item's recording, its picture
    playingChanged = Signal(bool)
    speedChanged = Signal(float)
    loopChanged = Signal(bool)
    captionsChanged = Signal(bool)
    failed = Signal(str)  # the recording could not be played (shown quietly)

    def __init__(self, service: LibraryService, session_id: int, parent: QObject | None = None,
                 plan: ReviewPlan | None = None):
        super().__init__(parent)
        self.service = service
        self.plan = plan or review_plan(service, session_id)
        self.session_id = session_id
        self._index = -1
        self._speed = 1.0
        self._loop = False
        self._captions = True
        self._frame: int | None = None
        self._image: QImage | None = None
        self._player: Player | None = None
        self._source: MediaSource | None = None
        self._recording_id: int | None = None
        self._started = time.monotonic()
        self._closed = False

    # -- state ----------------------------------------------------------------------------------

    @property
    def items(self) -> list[PlaylistItem]:
        return self.plan.items

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> PlaylistItem | None:
        return self.items[self._index] if 0 <= self._index < len(self.items) else None

    @property
    def current_frame(self) -> int | None:
        """The frame on screen (None before the first picture of the item arrived)."""
        return self._frame

    @property
    def image(self) -> QImage | None:
        return self._image

    @property
    def playing(self) -> bool:
        return self._player is not None and self._player.playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def loop(self) -> bool:
        return self._loop

    @property
    def captions(self) -> bool:
        return self._captions

    @property
    def sample_aspect_ratio(self) -> float:
        """Of the recording being shown (anamorphic camcorder files are stretched when drawn)."""
        sar = self._source.info.sample_aspect_ratio if self._source is not None else None
        return float(sar) if sar else 1.0

    def elapsed_seconds(self) -> float:
        return time.monotonic() - self._started

    # -- moving through the playlist ------------------------------------------------------------

    def start(self) -> None:
        self._started = time.monotonic()
        if self.items:
            self.go_to(0)

    def go_to(self, index: int, frame: int | None = None) -> None:
        """Show item `index` from its start; or paused on `frame` of it (kept inside the item), the
        item on screen staying as it is when it is already that one (a comment's moment)."""
        if self._closed or not self.items:
            return
        index = min(max(int(index), 0), len(self.items) - 1)
        item = self.items[index]
        target = item.start_frame if frame is None else min(max(int(frame), item.start_frame), item.last_frame)
        if self._player is not None:
            self._player.pause()
            if frame is not None and index == self._index:
                self._player.seek(target)
                return
        self._index = index
        self._frame = None
        if not self._ensure_player(item.recording_id):
            self.itemChanged.emit(index)
            return
        self._player.seek(target)
        self.itemChanged.emit(index)

    def next(self) -> None:
        if self._index < len(self.items) - 1:
            self.go_to(self._index + 1)

    def previous(self) -> None:
        if self._index > 0:
            self.go_to(self._index - 1)

    # -- playing --------------------------------------------------------------------------------

    def toggle_play(self) -> None:
        item, player = self.current, self._player
        if item is None or player is None or item.is_still:
            return  # a still stays paused on its frame
        if player.playing:
            player.pause()
            return
        if self._frame is None or not item.start_frame <= self._frame < item.last_frame:
            player.seek(item.start_frame)  # at (or past) the end: play the clip again from its start
        player.play()

    def replay(self) -> None:
        item, player = self.current, self._player
        if item is None or player is None:
            return
        player.pause()
        player.seek(item.start_frame)
        if not item.is_still:
            player.play()

    def faster(self) -> None:
        self.set_speed(next((s for s in SPEEDS if s > self._speed), SPEEDS[-1]))

    def slower(self) -> None:
        self.set_speed(next((s for s in reversed(SPEEDS) if s < self._speed), SPEEDS[0]))

    def set_speed(self, speed: float) -> None:
        if speed == self._speed:
            return
        self._speed = speed
        if self._player is not None:
            self._player.set_speed(speed)
        self.speedChanged.emit(speed)

    def toggle_loop(self) -> None:
        self._loop = not self._loop
        self.loopChanged.emit(self._loop)

    def toggle_captions(self) -> None:
        self._captions = not self._captions
        self.captionsChanged.emit(self._captions)

    def close(self) -> None:
        """Stop playing and let go of the recording (the decode thread ends, the reader closes)."""
        if self._closed:
            return
        self._closed = True
        self._release_player()

    # -- the player -----------------------------------------------------------------------------

    def _ensure_player(self, recording_id: int) -> bool:
        if self._player is not None and self._recording_id == recording_id:
            return True
        self._release_player()
        try:
            source = open_recording_media(self.service, recording_id)
        except Exception as exc:  # shown quietly; the review goes on with other items
            log.warning("review could not open recording %s: %s", recording_id, type(exc).__name__)
            self.failed.emit("This recording cannot be played.")
            return False
        service = self.service
        self._source, self._recording_id = source, recording_id
        self._player = Player(source, audio_file=lambda: open_recording_file(service, recording_id), parent=self)
        self._player.set_speed(self._speed)
        self._player.frameChanged.connect(self._on_frame)
        self._player.stateChanged.connect(self._on_state)
        self._player.failed.connect(self.failed)
        return True

    def _release_player(self) -> None:
        player, source = self._player, self._source
        self._player = self._source = None
        self._recording_id = None
        keep_awake().release(self)  # a closed player plays no more (it says nothing when closed)
        if player is not None:
            player.frameChanged.disconnect(self._on_frame)
            player.close()
            player.deleteLater()
        if source is not None:
            source.close()

    @Slot(int, QImage)
    def _on_frame(self, index: int, image: QImage) -> None:
        item, player = self.current, self._player
        if item is None or player is None:
            return
        if item.is_still:
            if index != item.frame:
                return  # the still's own frame only, never a neighbour on the way
        elif player.playing and index >= item.last_frame:
            if index > item.last_frame:  # a late frame slipped past the clip's end: go back exactly
                player.pause()
                player.seek(item.last_frame if not self._loop else item.start_frame)
                if self._loop:
                    player.play()
                return
            if self._loop:
                self._show(index, image)
                player.seek(item.start_frame)  # keeps playing from the clip's start
                return
            player.pause()
        elif not item.start_frame <= index <= item.last_frame:
            return  # an answer for another item's seek
        self._show(index, image)

    def _show(self, index: int, image: QImage) -> None:
        self._frame, self._image = index, image
        self.frameChanged.emit(index, image)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        keep_awake().set_held(self, state == "playing")  # watching counts as use (auto-lock)
        self.playingChanged.emit(state == "playing")
