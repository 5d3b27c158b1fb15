"""PlaybackController: one recording's Player wired to the picture, the transport bar and the timeline.

Owns the J/K/L shuttle: forward up to the player's top speed is real playback at that speed (sound with
pitch kept); backward, or faster than that, is silent stepping on a timer (`ShuttleState.step_plan`),
each step an exact frame from the media engine's cache. Every move ends in `Player.seek`/`step`, so the
picture on screen is always the exact frame whose number the transport bar shows.

Thumbnails and waveform come from the blobs the import stored (encrypted) with the recording. Jumps
and drags show the frame's scrubbing preview at once (`app.proxies`); a recording that has none yet
gets it made in the background (`PreviewBuild`), used as soon as it is ready.

While it plays or shuttles it holds `autolock.keep_awake()`: watching is use, so the library does not
lock itself for want of a key press in the middle of a recording.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from vigstudio.app import review
from vigstudio.app.proxies import open_proxy
from vigstudio.app.recordings import open_recording_media, recording_asset
from vigstudio.domain.model import Recording
from vigstudio.domain.timecode import frame_at_time
from vigstudio.media.audio import MAX_SPEED
from vigstudio.media.thumbnails import ThumbnailStrip
from vigstudio.media.waveform import Waveform
from vigstudio.ui.autolock import keep_awake
from vigstudio.ui.editor.previews import PreviewBuild
from vigstudio.ui.player import NO_AUDIO, Player
from vigstudio.ui.shortcuts import ShuttleState
from vigstudio.ui.timeline import TimelineWidget
from vigstudio.ui.transport import TransportBar
from vigstudio.ui.video_view import FrameView

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

log = logging.getLogger(__name__)


class ThumbnailProvider:
    """`provider(frame)` → the nearest stored thumbnail as a QImage (decoded once, kept in memory)."""

    def __init__(self, strip: ThumbnailStrip):
        self._strip = strip
        self._images: dict[int, QImage] = {}

    def __call__(self, frame: int) -> QImage | None:
        if not len(self._strip):
            return None
        index, rgb = self._strip.nearest(frame)
        cached = self._images.get(index)
        if cached is None:
            rgb = np.ascontiguousarray(rgb)
            height, width = rgb.shape[:2]
            cached = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
            self._images[index] = cached
        return cached


def waveform_bins(waveform: Waveform) -> tuple[np.ndarray, np.ndarray]:
    """The peaks re-based so bin 0 starts at media time 0 (the timeline's clock)."""
    shift = round(waveform.start_time * waveform.bins_per_second)
    mins, maxs = waveform.mins, waveform.maxs
    if shift > 0:
        pad = np.zeros(shift, np.float32)
        return np.concatenate([pad, mins]), np.concatenate([pad, maxs])
    if shift < 0:
        return mins[-shift:], maxs[-shift:]
    return mins, maxs


def _audio_opener(service: LibraryService, recording_id: int):
    """A fresh seekable reader of the recording's encrypted container, for the sound thread."""
    return lambda: review.open_recording_file(service, recording_id)


class PlaybackController(QObject):
    frameShown = Signal(int)  # the exact frame now on screen
    playingChanged = Signal(bool)
    status = Signal(str)  # a quiet line for the status bar while previews are made ("" when done)

    def __init__(self, view: FrameView, bar: TransportBar, timeline: TimelineWidget, parent=None):
        super().__init__(parent)
        self.view, self.bar, self.timeline = view, bar, timeline
        self.player: Player | None = None
        self.source = None
        self.recording: Recording | None = None
        self.frame_times: list[float] = []
        self.fps = 0.0
        self.user_speed = 1.0
        self.shuttle = ShuttleState()
        self._step_timer = QTimer(self)
        self._step_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._step_timer.timeout.connect(self._shuttle_tick)
        self._step_frames = 0
        self._silent_notice_shown = False
        self.thumbnails: ThumbnailProvider | None = None  # what the timeline shows, when the import made them
        self.waveform: Waveform | None = None
        self.proxy = None  # the recording's scrubbing previews, when it has them
        self._service: LibraryService | None = None
        self.previews = PreviewBuild(self)
        self.previews.progressed.connect(
            lambda f: self.status.emit(f"Preparing scrubbing previews… {round(100 * f)} %"))
        self.previews.ready.connect(self._previews_ready)
        self.previews.failed.connect(lambda message: self.status.emit(f"No scrubbing previews: {message}"))

        bar.playToggled.connect(self.toggle)
        bar.stepRequested.connect(self.step)
        bar.secondsStepRequested.connect(self.step_seconds)
        bar.seekStartRequested.connect(self.go_start)
        bar.seekEndRequested.connect(self.go_end)
        bar.speedChanged.connect(self._speed_picked)
        bar.volumeChanged.connect(lambda v: self.player and self.player.set_volume(v))
        bar.mutedChanged.connect(lambda m: self.player and self.player.set_muted(m))
        timeline.scrubbed.connect(self.scrub)
        view.resized.connect(self._fit_frames)
        timeline.seekRequested.connect(self.seek)

    # -- opening ------------------------------------------------------------------------------------

    def open(self, service: LibraryService, recording: Recording) -> None:
        self.close()
        self.recording = recording
        self.source = open_recording_media(service, recording.id)
        info = self.source.info
        self.frame_times = list(self.source.frame_times)
        self.fps = float(info.average_fps or recording.fps or 25.0)
        self.view.set_sample_aspect_ratio(float(info.sample_aspect_ratio or 1.0))
        self.timeline.set_recording(self.frame_times)
        self._load_assets(service, recording.id)
        audio = _audio_opener(service, recording.id) if info.has_audio else None
        self._service = service
        self.proxy = open_proxy(service, recording.id)
        self.player = Player(self.source, audio_file=audio, parent=self, proxy=self.proxy)
        if self.proxy is None:
            self.previews.start(service, recording.id)
        self.player.set_speed(self.user_speed)
        self.player.frameChanged.connect(self._frame_changed)
        self.player.previewShown.connect(self._preview_shown)
        self._fit_frames()
        self.player.stateChanged.connect(self._state_changed)
        self.player.audioStatusChanged.connect(self._audio_status)
        self.player.failed.connect(lambda message: self.view.show_notice(
            "This part of the recording cannot be shown" + (f": {message}" if message else "")))
        self.bar.set_audio_available(self.player.audio_available, self.player.audio_status)
        self._silent_notice_shown = False

    def _load_assets(self, service: LibraryService, recording_id: int) -> None:
        provider = None
        try:
            blob = recording_asset(service, recording_id, "thumbnails")
            if blob:
                provider = ThumbnailProvider(ThumbnailStrip.from_bytes(blob))
        except Exception:  # a damaged blob: the timeline simply draws without pictures
            log.warning("thumbnails of recording %s unreadable", recording_id)
        self.thumbnails = provider
        self.timeline.set_thumbnail_provider(provider)
        empty = np.zeros(0, np.float32)
        try:
            blob = recording_asset(service, recording_id, "waveform")
            waveform = Waveform.from_bytes(blob) if blob else None
        except Exception:
            log.warning("waveform of recording %s unreadable", recording_id)
            waveform = None
        self.waveform = waveform if waveform is not None and not waveform.is_empty else None
        if self.waveform is not None:
            mins, maxs = waveform_bins(waveform)
            self.timeline.set_waveform(mins, maxs, waveform.bins_per_second)
        else:
            self.timeline.set_waveform(empty, empty, 100.0)

    def _fit_frames(self) -> None:
        """Frames are decoded for the size the view shows them at (full size kept for stills, export)."""
        if self.player is not None and self.source is not None:
            self.player.set_view_size(*self.view.device_size(), float(self.source.info.sample_aspect_ratio or 1.0))

    def _previews_ready(self, recording_id: int) -> None:
        if self.recording is None or recording_id != self.recording.id or self._service is None:
            return
        self.proxy = open_proxy(self._service, recording_id)
        if self.player is not None:
            self.player.set_proxy(self.proxy)
        self.status.emit("")

    def close(self) -> None:
        self._stop_shuttle()
        keep_awake().release(self)
        self.previews.stop()
        if self.player is not None:
            self.player.close()
            self.player.deleteLater()
            self.player = None
        if self.proxy is not None:
            self.proxy.close()
            self.proxy = None
        if self.source is not None:
            self.source.close()
            self.source = None
        self.recording = None
        self.view.clear()
        self.bar.clear_position()

    # -- state --------------------------------------------------------------------------------------

    @property
    def current_frame(self) -> int:
        return self.player.current_frame if self.player is not None else 0

    @property
    def frame_count(self) -> int:
        return len(self.frame_times)

    @property
    def playing(self) -> bool:
        return self.player is not None and self.player.playing

    @property
    def shuttling(self) -> bool:
        return not self.shuttle.motion.stopped

    def seconds_between(self, start: int, end_exclusive: int) -> float:
        if not self.frame_times:
            return 0.0
        last = len(self.frame_times) - 1
        end_time = (self.frame_times[end_exclusive] if end_exclusive <= last
                    else self.frame_times[last] + (1.0 / self.fps if self.fps else 0.0))
        return max(0.0, end_time - self.frame_times[min(start, last)])

    # -- moving -------------------------------------------------------------------------------------

    def toggle(self) -> None:
        """Space / K: stop a shuttle, else play or pause at the chosen speed."""
        if self.player is None:
            return
        if self.shuttling:
            self._stop_shuttle()
            self.player.pause()
            return
        if not self.player.playing:
            self._announce_silence()
        self.player.toggle()

    def pause(self) -> None:
        self._stop_shuttle()
        if self.player is not None:
            self.player.pause()

    def seek(self, frame: int) -> None:
        if self.player is not None:
            self._stop_shuttle()
            self.player.seek(frame)

    def keep_ready(self, frames: list[int]) -> None:
        """Markers, clip starts, comments (most wanted first): kept decoded so that jumps to them are instant."""
        if self.source is not None:
            self.source.keep_ready(frames)

    def scrub(self, frame: int) -> None:
        """The playhead dragged to `frame`: its preview at once, the exact frame when decoded."""
        if self.player is not None:
            self._stop_shuttle()
            self.player.seek(frame, scrubbing=True)

    def step(self, delta: int) -> None:
        if self.player is not None:
            self._stop_shuttle()
            self.player.step(delta)

    def step_seconds(self, seconds: int) -> None:
        if self.player is None or not self.frame_times:
            return
        current = self.current_frame
        target = frame_at_time(self.frame_times, self.frame_times[current] + seconds)
        if seconds > 0 and target == current:
            target = current + 1
        self.step(target - current)

    def go_start(self) -> None:
        self.seek(0)

    def go_end(self) -> None:
        self.seek(max(0, self.frame_count - 1))

    # -- J/K/L --------------------------------------------------------------------------------------

    def shuttle_forward(self) -> None:
        self._shuttle(self.shuttle.forward())

    def shuttle_back(self) -> None:
        self._shuttle(self.shuttle.backward())

    def _shuttle(self, motion) -> None:
        if self.player is None:
            self.shuttle.stop()
            return
        self._step_timer.stop()
        if motion.direction > 0 and motion.rate <= MAX_SPEED:
            self._step_frames = 0
            self.player.set_speed(motion.rate)
            self.bar.set_speed(motion.rate)
            if not self.player.playing:
                self._announce_silence()
                self.player.play()
            return
        plan = self.shuttle.step_plan(self.fps)
        if plan is None:
            return
        self._step_frames = plan.frames  # before pausing: the pause must not end the shuttle
        self.player.pause()
        self._step_timer.start(max(1, round(plan.interval_ms)))
        self._update_keep_awake()

    def _shuttle_tick(self) -> None:
        if self.player is None:
            self._stop_shuttle()
            return
        current = self.current_frame
        target = min(max(current + self._step_frames, 0), self.frame_count - 1)
        if target == current:
            self._stop_shuttle()
            return
        self.player.seek(target)

    def _stop_shuttle(self) -> None:
        was_shuttling = self.shuttling
        self.shuttle.stop()
        self._step_timer.stop()
        if was_shuttling and self.player is not None:
            self.player.set_speed(self.user_speed)
            self.bar.set_speed(self.user_speed)
        self._update_keep_awake()

    def _update_keep_awake(self) -> None:
        keep_awake().set_held(self, self.playing or self.shuttling)

    def _speed_picked(self, speed: float) -> None:
        self.user_speed = speed
        self._stop_shuttle()
        if self.player is not None:
            self.player.set_speed(speed)

    # -- what the player says -----------------------------------------------------------------------

    def _frame_changed(self, index: int, image: QImage) -> None:
        seconds = self.frame_times[index] if 0 <= index < len(self.frame_times) else 0.0
        self.view.set_frame(index, image, seconds=seconds)
        self.bar.set_position(index, seconds, self.frame_count,
                              self.seconds_between(0, self.frame_count))
        self.timeline.set_playhead(index)
        self.frameShown.emit(index)

    def _preview_shown(self, index: int, image: QImage) -> None:
        """The frame's proxy picture, shown with its position at once; `_frame_changed` follows."""
        seconds = self.frame_times[index] if 0 <= index < len(self.frame_times) else 0.0
        self.view.set_preview(index, image, seconds=seconds)
        self.bar.set_position(index, seconds, self.frame_count, self.seconds_between(0, self.frame_count))
        self.timeline.set_playhead(index)

    def _state_changed(self, state: str) -> None:
        playing = state == "playing"
        self.view.set_playing(playing)
        self.bar.set_playing(playing)
        self.timeline.set_playing(playing)
        if not playing and self.shuttling and self._step_frames == 0:
            self._stop_shuttle()  # forward shuttle reached the end
        self._update_keep_awake()
        self.playingChanged.emit(playing)

    def _audio_status(self, available: bool, reason: str) -> None:
        self.bar.set_audio_available(available, reason)
        if not available and self.playing:
            self.view.show_notice(reason)

    def _announce_silence(self) -> None:
        """A quiet line the first time playback starts without sound ("playing silently")."""
        if self.player is None or self.player.audio_available or self._silent_notice_shown:
            return
        self._silent_notice_shown = True
        if self.player.audio_status != NO_AUDIO:
            self.view.show_notice(self.player.audio_status)
