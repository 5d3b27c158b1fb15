"""Player: plays a MediaSource in the editor — frames from a decode thread, sound via QtMultimedia.

    player = Player(source, audio_file=lambda: library.open_reader(...))   # or a path
    player.frameChanged.connect(view.set_frame)            # (index, QImage)
    player.audioStatusChanged.connect(show_quiet_notice)   # (available, reason)
    player.previewShown.connect(view.set_preview)          # (index, QImage): that frame's proxy picture
    player.play(); player.step(-1); player.set_speed(0.5)

Threads (in `player_threads`). The player touches the MediaSource (thread-safe) only from its own
decode thread: during playback that thread decodes ahead with `iter_frames` into a bounded queue; for
a seek, a step or the first picture it decodes the exact frame with `source.frame(i)`, which comes
back to the GUI thread as a queued signal. Playback starts once its first frame is decoded (preroll), so a play or a seek
never skips the frame it starts on. Every request carries a generation number, so answers to superseded requests are dropped.
The GUI thread never waits for the decoder: a timer reads the clock, asks the `FramePacer` which frame
is due, and shows it if it has arrived.

Previews. With a scrubbing proxy (`media.proxy.ProxyReader`), a seek to a frame the source has not
decoded yet first shows that frame's small proxy picture (`previewShown`), fetched right there on the
GUI thread (a few milliseconds: one small picture group), so that the picture always belongs to the
position shown, even while the playhead is dragged faster than full frames decode; the exact frame
replaces it when it arrives (`frameChanged`).

Sound. An `AudioStream` (PCM at the chosen speed, pitch kept) runs in its own thread and fills a
bounded queue that a pull-mode QIODevice hands to a `QAudioSink`; the sink's `processedUSecs()` drives
the `PlaybackClock` (audio is the master). With no sound device, no audio in the recording, or a sink
that fails, the clock runs on the wall clock and `audio_status` says why, quietly.
"""

from __future__ import annotations

import queue
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QIODevice, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices

from vigstudio.media.audio import MAX_SPEED, MIN_SPEED, AudioStream
from vigstudio.media.playback import FramePacer, PlaybackClock
from vigstudio.ui.player_threads import (
    AudioFeeder,
    AudioFile,
    Bridge,
    Decoded,
    DecodeThread,
    PcmDevice,
    close_owned_file,
    to_qimage,
)

TICK_MS = 5  # how often the GUI thread looks at the clock while playing

NO_DEVICE = "No sound device — playing silently"
NO_AUDIO = "This recording has no sound"
DEVICE_FAILED = "Sound device stopped — playing silently"
AUDIO_UNREADABLE = "The sound of this recording cannot be played — playing silently"


class Player(QObject):
    """Plays a MediaSource frame-exactly; see the module docstring. States: "paused", "playing"."""

    frameChanged = Signal(int, QImage)  # frame index, upright picture (apply the SAR when drawing)
    previewShown = Signal(int, QImage)  # frame index, its small proxy picture until frameChanged comes
    stateChanged = Signal(str)
    positionChanged = Signal(float)  # media seconds of the frame on screen
    audioStatusChanged = Signal(bool, str)  # sound available, reason when not
    failed = Signal(str)  # decoding stopped (damaged stretch); playback pauses

    def __init__(self, source, audio_file: AudioFile = None, parent: QObject | None = None, *,
                 audio_device: QAudioDevice | None = None, now: Callable[[], float] = time.monotonic,
                 proxy=None):
        """`audio_file`: the recording again for the sound (a path, or a function returning a fresh
        seekable file object: the sound thread reads it while the decoder reads its own).
        `audio_device`: an output to use instead of the system default (which is checked first).
        `proxy`: the recording's scrubbing proxy, if it has one (or later: `set_proxy`)."""
        super().__init__(parent)
        self.source = source
        self._audio_file = audio_file
        self._audio_device = audio_device
        self._frame_times = list(source.frame_times)
        self._last_index = len(self._frame_times) - 1
        self._proxy = None
        self.set_proxy(proxy)
        self._clock = PlaybackClock(now)
        self._pacer = FramePacer(self._frame_times)
        self._bridge = Bridge()
        self._bridge.exactFrame.connect(self._on_exact_frame, Qt.ConnectionType.QueuedConnection)
        self._bridge.audioEnded.connect(self._on_audio_ended, Qt.ConnectionType.QueuedConnection)
        self._bridge.decodeFailed.connect(self._on_decode_failed, Qt.ConnectionType.QueuedConnection)
        self._decoder = DecodeThread(source, self._bridge)
        self._decoder.start()
        self._generation = 0
        self._pending: deque[Decoded] = deque()
        self._end_reached = False
        self._current = 0
        self._playing = False
        self._prerolling = False
        self._volume = 1.0
        self._muted = False
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        # sound
        self._sink: QAudioSink | None = None
        self._feeder: AudioFeeder | None = None
        self._device: PcmDevice | None = None
        self._audio_rate = 0
        self._audio_generation = 0
        self.audio_available, self.audio_status = self._probe_audio()
        self._closed = False
        self._request_exact(0)

    # -- state ----------------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def current_frame(self) -> int:
        return self._current

    @property
    def frame_count(self) -> int:
        return self._last_index + 1

    @property
    def speed(self) -> float:
        return self._clock.speed

    @property
    def clock(self) -> PlaybackClock:
        return self._clock

    def droppedFrames(self) -> int:
        return self._pacer.dropped

    # -- control --------------------------------------------------------------------------------

    def play(self) -> None:
        """Start from the current frame. The clock and the sound start when that frame has been
        decoded (preroll), so a play or a seek never skips the frame it starts on."""
        if self._playing or self._closed:
            return
        start = 0 if self._current >= self._last_index else self._current
        self._new_generation()
        self._clock.seek(self._frame_times[start])
        self._pacer.reset(None)
        self._current = start
        self._playing = True
        self._prerolling = True
        self._decoder.commands.put(("play", self._generation, start))
        self._timer.start()
        self.stateChanged.emit("playing")

    def pause(self) -> None:
        if not self._playing:
            return
        self._timer.stop()
        self._stop_audio()
        self._playing = self._prerolling = False
        self._clock.pause()
        self._new_generation()
        self._decoder.commands.put(("stop",))
        # the picture on screen is already the exact frame `_current`, unless the pause came before
        # the first frame of this run arrived: then fetch the frame we stand on
        if self._pacer.shown is None:
            self._request_exact(self._current)
        self._clock.seek(self._frame_times[self._current])
        self.stateChanged.emit("paused")

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def set_view_size(self, width: int, height: int, sample_aspect_ratio: float = 1.0) -> None:
        """The space the picture is shown in, in device pixels: frames are converted and scaled to
        the size they are shown at in one pass (a 4K frame shown in a window costs a fraction of a
        full-size conversion). Never larger than the recording; stills and export decode their own."""
        info = self.source.info
        shown_width = info.width * (sample_aspect_ratio if sample_aspect_ratio > 0 else 1.0)
        scale = min(width / shown_width, height / info.height) if width > 0 and height > 0 else 1.0
        size = None if scale >= 1.0 else (max(2, round(info.width * scale)), max(2, round(info.height * scale)))
        if size == self._decoder.size:
            return
        self._decoder.size = size
        if not self._playing and not self._closed:
            self._request_exact(self._current)  # the paused picture again, sharp at the new size

    def set_proxy(self, proxy) -> None:
        """Use `proxy` (frame(i) -> small RGB, same frames as the source) for previews; None: none."""
        if proxy is not None and proxy.frame_count != self._last_index + 1:
            proxy = None  # made from another index of the file: its pictures would be other frames
        self._proxy = proxy

    @property
    def has_proxy(self) -> bool:
        return self._proxy is not None

    def seek(self, frame: int, *, scrubbing: bool = False) -> None:
        """Show exactly `frame`; playback, if running, continues from there. Until the frame is
        decoded, its proxy picture is shown (if there is a proxy and the frame is not cached; while
        `scrubbing`, also when it is: the picture then changes in step with the dragged playhead)."""
        frame = min(max(int(frame), 0), self._last_index)
        self._show_preview(frame, scrubbing)
        was_playing = self._playing
        if was_playing:
            self.pause()
        self._current = frame
        self._clock.seek(self._frame_times[frame])
        if was_playing:
            self.play()
        else:
            self._request_exact(frame)

    def step(self, delta: int = 1) -> None:
        """Pause and move `delta` frames (exact, via `source.frame`); steps queue up instantly."""
        if self._playing:
            self.pause()
        self.seek(self._current + int(delta))

    def set_speed(self, speed: float) -> None:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed {speed} outside {MIN_SPEED}..{MAX_SPEED}")
        if speed == self._clock.speed:
            return
        self._clock.set_speed(speed)
        if self._playing and not self._prerolling:  # sound re-made at the new tempo from here
            self._stop_audio()
            self._start_audio(self._clock.position())

    def set_volume(self, volume: float) -> None:
        self._volume = min(max(float(volume), 0.0), 1.0)
        self._apply_volume()

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)
        self._apply_volume()

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    def close(self) -> None:
        """Stop everything; the decode thread finishes its current frame and lets go of the source."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self._stop_audio()
        self._playing = False
        self._new_generation()
        self._decoder.commands.put(("quit",))
        self._decoder.join(timeout=5)  # shutdown only: the owner closes the source after this

    # -- frames ---------------------------------------------------------------------------------

    def _new_generation(self) -> None:
        self._generation += 1
        self._pending.clear()
        self._end_reached = False
        while True:  # drop decoded frames nobody will show; never blocks
            try:
                self._decoder.frames.get_nowait()
            except queue.Empty:
                break

    def _request_exact(self, frame: int) -> None:
        self._new_generation()
        self._decoder.commands.put(("frame", self._generation, frame))

    @Slot(int, int, QImage)
    def _on_exact_frame(self, generation: int, index: int, image: QImage) -> None:
        if generation != self._generation:
            return
        self._pacer.reset(index)
        self._show(index, image)

    def _show_preview(self, frame: int, always: bool) -> None:
        if self._proxy is None or self._closed or (not always and self.source.has_frame(frame)):
            return
        try:
            image = to_qimage(self._proxy.frame(frame))
        except Exception:  # a damaged proxy: the exact frame still comes
            return
        self._current = frame
        self.previewShown.emit(frame, image)
        self.positionChanged.emit(self._frame_times[frame])

    def _show(self, index: int, image: QImage) -> None:
        self._current = index
        self.frameChanged.emit(index, image)
        self.positionChanged.emit(self._frame_times[index])

    def _peek(self) -> Decoded | None:
        """The next decoded item of the current generation, left in place (None: not there yet)."""
        while True:
            if not self._pending:
                try:
                    self._pending.append(self._decoder.frames.get_nowait())
                except queue.Empty:
                    return None
            if self._pending[0].generation == self._generation:
                return self._pending[0]
            self._pending.popleft()

    def _tick(self) -> None:
        if not self._playing:
            return
        if self._prerolling:
            self._finish_preroll()
            return
        if self._sink is not None:
            self._check_sink()
        if self._sink is not None and self._audio_rate:
            self._clock.audio_processed(self._samples_played())
        now = self._clock.position()
        target = self._pacer.frame_at(now)
        best: Decoded | None = None
        while (item := self._peek()) is not None:
            if item.index is None:
                self._pending.popleft()
                self._end_reached = True
                break
            if item.index > target:
                break
            best = self._pending.popleft()  # an earlier `best` whose slot passed is a dropped frame
        if best is not None:
            self._pacer.present(best.index, now)
            self._show(best.index, best.image)
        if self._end_reached and not self._pending:
            self.pause()

    def _finish_preroll(self) -> None:
        first = self._peek()
        if first is None:
            return
        self._pending.popleft()
        if first.index is None:  # nothing left to play
            self.pause()
            return
        self._prerolling = False
        self._pacer.present(first.index)
        self._show(first.index, first.image)
        self._clock.seek(self._frame_times[first.index])
        self._clock.play()
        self._start_audio(self._frame_times[first.index])

    @Slot(int, str)
    def _on_decode_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.pause()
            self.failed.emit(message)

    # -- sound ----------------------------------------------------------------------------------

    def _probe_audio(self) -> tuple[bool, str]:
        if not getattr(self.source.info, "has_audio", False) or self._audio_file is None:
            return False, NO_AUDIO
        if self._audio_device is None and QMediaDevices.defaultAudioOutput().isNull():
            return False, NO_DEVICE
        return True, ""

    def _set_audio_unavailable(self, reason: str) -> None:
        if self.audio_available or self.audio_status != reason:
            self.audio_available, self.audio_status = False, reason
            self.audioStatusChanged.emit(False, reason)

    def _start_audio(self, media_time: float) -> None:
        if not self.audio_available:
            return
        opened = None
        try:
            opened = self._audio_file() if callable(self._audio_file) else self._audio_file
            stream = AudioStream(opened, media_time, self._clock.speed)
        except Exception:
            close_owned_file(opened, self._audio_file)
            self._set_audio_unavailable(AUDIO_UNREADABLE)
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(stream.sample_rate)
        fmt.setChannelCount(stream.channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._audio_generation += 1
        self._audio_rate = stream.sample_rate
        self._feeder = AudioFeeder(stream, opened if callable(self._audio_file) else None)
        self._feeder.start()
        self._device = PcmDevice(self._feeder, self)
        self._device.open(QIODevice.OpenModeFlag.ReadOnly)
        device = self._audio_device if self._audio_device is not None else QMediaDevices.defaultAudioOutput()
        self._sink = QAudioSink(device, fmt, self)
        self._apply_volume()
        self._sink.start(self._device)
        if self._sink.error() not in (QAudio.Error.NoError, QAudio.Error.UnderrunError):
            self._stop_audio()
            self._set_audio_unavailable(DEVICE_FAILED)
            return
        self._clock.attach_audio(stream.sample_rate, media_time)

    def _samples_played(self) -> int:
        """Samples that have left the sink: processed minus what still waits in its buffer."""
        processed = self._sink.processedUSecs() * self._audio_rate // 1_000_000
        frame_bytes = 2 * self._sink.format().channelCount()
        queued = max(0, self._sink.bufferSize() - self._sink.bytesFree()) // max(1, frame_bytes)
        return max(0, processed - queued)

    def _check_sink(self) -> None:
        """Fall back to the wall clock when the device fails or the sound has all been played."""
        error = self._sink.error()
        if error not in (QAudio.Error.NoError, QAudio.Error.UnderrunError):
            self._stop_audio()
            self._set_audio_unavailable(DEVICE_FAILED)
        elif self._device is not None and self._sink.state() == QAudio.State.IdleState:
            if self._device.ended and not self._device.buffer:
                self._bridge.audioEnded.emit(self._audio_generation)
            elif self._device.bytesAvailable() > 0:
                self._device.readyRead.emit()  # starved for a moment (slow decode): wake the sink

    @Slot(int)
    def _on_audio_ended(self, generation: int) -> None:
        if generation == self._audio_generation and self._sink is not None:
            self._stop_audio()  # the picture goes on by the wall clock (audio shorter than video)

    def _stop_audio(self) -> None:
        self._clock.detach_audio()
        if self._feeder is not None:
            self._feeder.stopping.set()
            self._feeder = None
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._device is not None:
            self._device.close()
            self._device.deleteLater()
            self._device = None
        self._audio_rate = 0

    def _apply_volume(self) -> None:
        if self._sink is not None:
            self._sink.setVolume(0.0 if self._muted else self._volume)
