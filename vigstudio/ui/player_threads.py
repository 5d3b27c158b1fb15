"""The player's worker threads and what they hand to the GUI thread (`vigstudio.ui.player`).

`DecodeThread` is the sole user of the MediaSource while a player lives: it decodes ahead for playback
into a bounded queue of `Decoded` pictures, and the exact frame of a seek or a step, which comes back
through the `Bridge` (queued signals). `AudioFeeder` decodes PCM at the playing speed into a bounded
queue that `PcmDevice`, a pull-mode QIODevice, hands to the QAudioSink without ever waiting.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QIODevice, QObject, Signal
from PySide6.QtGui import QImage

from vigstudio.media.audio import AudioStream

FRAMES_AHEAD = 8  # decoded frames queued for display (8 × 1080p RGB ≈ 50 MB)
AUDIO_CHUNKS_AHEAD = 16  # PCM chunks queued for the sound device (about a third of a second)

AudioFile = str | Callable[[], Any] | None  # a path, or a function opening a fresh seekable file


def to_qimage(rgb: np.ndarray) -> QImage:
    """A QImage owning a copy of an H×W×3 RGB frame (safe to hand to another thread)."""
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


@dataclass
class Decoded:
    generation: int
    index: int | None  # None: the end of the recording
    image: QImage | None = None


def close_owned_file(opened, audio_file: AudioFile) -> None:
    """Close a reader the player opened itself (never a path, never the caller's own object)."""
    if opened is not None and callable(audio_file) and hasattr(opened, "close"):
        opened.close()


class Bridge(QObject):
    """Lives in the GUI thread; signals emitted from worker threads arrive there queued."""

    exactFrame = Signal(int, int, QImage)  # generation, index, picture
    audioEnded = Signal(int)  # audio generation
    decodeFailed = Signal(int, str)  # generation, message


class DecodeThread(threading.Thread):
    """Sole user of the MediaSource. Commands: ("play", gen, start), ("frame", gen, i), ("stop",), ("quit",)."""

    def __init__(self, source, bridge: Bridge):
        super().__init__(name="vig-decode", daemon=True)
        self.source = source
        self.bridge = bridge
        self.commands: queue.Queue = queue.Queue()
        self.frames: queue.Queue[Decoded] = queue.Queue(maxsize=FRAMES_AHEAD)
        self.size: tuple[int, int] | None = None  # (width, height) to convert frames at; None: full
        self.applied_size: tuple[int, int] | None = None

    def run(self) -> None:
        frames_iter = None
        generation = 0
        while True:
            command = self.commands.get() if frames_iter is None else self._next_command()
            command = self._latest(command)
            if command is not None:
                self._apply_size()
                if frames_iter is not None:
                    frames_iter.close()
                    frames_iter = None
                kind = command[0]
                if kind == "quit":
                    return
                if kind == "play":
                    generation = command[1]
                    frames_iter = iter(self.source.iter_frames(command[2], size=self.applied_size))
                elif kind == "frame":
                    self._exact(command[1], command[2])
                continue
            try:
                index, rgb = next(frames_iter)
                item = Decoded(generation, index, to_qimage(rgb))
            except StopIteration:
                frames_iter = None
                item = Decoded(generation, None)
            except Exception as err:  # a damaged stretch: stop playing, tell the GUI, stay alive
                frames_iter.close()
                frames_iter = None
                self.bridge.decodeFailed.emit(generation, str(err).splitlines()[0] if str(err) else "")
                continue
            self._put(item)

    def _apply_size(self) -> None:
        """The source keeps its frames at the size they are shown at (set here, on the thread that
        uses it: the change waits for a decode under way, which the GUI thread must not)."""
        if self.size != self.applied_size and hasattr(self.source, "set_view_size"):
            self.source.set_view_size(self.size)
        self.applied_size = self.size

    def _next_command(self):
        try:
            return self.commands.get_nowait()
        except queue.Empty:
            return None

    def _latest(self, command):
        """Only the newest command matters (held-down stepping sends many): skip the ones it replaces."""
        while command is not None and command[0] != "quit":
            newer = self._next_command()
            if newer is None:
                break
            command = newer
        return command

    def _put(self, item: Decoded) -> None:
        """Queue a frame, but keep listening for commands while the queue is full."""
        while self.commands.empty():
            try:
                self.frames.put(item, timeout=0.02)
                return
            except queue.Full:
                continue

    def _exact(self, generation: int, index: int) -> None:
        try:
            image = to_qimage(self.source.frame(index, self.applied_size))
        except Exception as err:
            self.bridge.decodeFailed.emit(generation, str(err).splitlines()[0] if str(err) else "")
            return
        self.bridge.exactFrame.emit(generation, index, image)


class AudioFeeder(threading.Thread):
    """Decodes PCM (tempo-changed) into a bounded queue of bytes; b"" marks the end."""

    def __init__(self, stream: AudioStream, owned_file=None):
        super().__init__(name="vig-audio", daemon=True)
        self.stream = stream
        self.owned_file = owned_file  # a reader the player opened for this stream: closed at the end
        self.chunks: queue.Queue[bytes] = queue.Queue(maxsize=AUDIO_CHUNKS_AHEAD)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            for chunk in self.stream:
                if not self._put(chunk.to_bytes()):
                    return
        except Exception:
            pass  # unreadable sound from here on: end the audio, the picture goes on
        finally:
            self.stream.close()
            if self.owned_file is not None:
                self.owned_file.close()
        self._put(b"")

    def _put(self, data: bytes) -> bool:
        while not self.stopping.is_set():
            try:
                self.chunks.put(data, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


class PcmDevice(QIODevice):
    """Pull-mode source for QAudioSink: hands out what the feeder has decoded, never waits."""

    def __init__(self, feeder: AudioFeeder, parent=None):
        super().__init__(parent)
        self.feeder = feeder
        self.buffer = bytearray()
        self.ended = False

    def isSequential(self) -> bool:
        return True

    def bytesAvailable(self) -> int:
        self._refill(1 << 16)
        return len(self.buffer) + super().bytesAvailable()

    def readData(self, maxlen: int):
        self._refill(maxlen)
        data = bytes(self.buffer[:maxlen])
        del self.buffer[:maxlen]
        return data

    def writeData(self, data) -> int:
        return -1

    def _refill(self, wanted: int) -> None:
        while len(self.buffer) < wanted and not self.ended:
            try:
                chunk = self.feeder.chunks.get_nowait()
            except queue.Empty:
                return
            if not chunk:
                self.ended = True
                return
            self.buffer += chunk
