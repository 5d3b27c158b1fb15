"""StillPictureLoader: the pictures of a session's stills, decoded off the GUI thread as soon as the
editor opens or a still appears, so the stills list shows each still's frame without the practitioner
first having to show that frame in the viewer.

The work goes through `run_in_background` (the GUI's one way to run slow work) with no progress
dialog, and calls the app's `still_pictures`: the UI decodes nothing itself. Each picture crosses to
the GUI thread as soon as it is decoded, by a queued signal. Pictures stay in memory only.
`stop()` (the editor closes, the library locks) cancels the work and ignores whatever still arrives.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from vigstudio.app.library import LibraryService
from vigstudio.app.pictures import still_pictures
from vigstudio.app.progress import Progress
from vigstudio.domain.errors import Cancelled, VigError
from vigstudio.ui.background import BackgroundTask, run_in_background
from vigstudio.ui.player_threads import to_qimage

log = logging.getLogger(__name__)

PictureKey = tuple[int, int]  # (recording id, frame)


class _Relay(QObject):
    """Carries pictures from the worker. Not owned by the loader: the work may outlive it."""

    picture = Signal(int, int, QImage)


class StillPictureLoader(QObject):
    pictureReady = Signal(int, int, QImage)  # recording id, frame, picture (on the GUI thread)

    def __init__(self, service: LibraryService, height: int, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._height = height
        self._asked: set[PictureKey] = set()  # each picture is asked for once (a failure is not retried)
        self._pending: set[PictureKey] = set()
        self._task: BackgroundTask | None = None
        self._stopped = False
        # Requests are gathered until the event loop turns, so one edit (S takes a still and hands
        # over the frame on screen at once) does not start a decode for a picture already in hand.
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(0)
        self._start_timer.timeout.connect(self._start)

    @property
    def busy(self) -> bool:
        return self._task is not None or bool(self._pending)

    def request(self, keys: Iterable[PictureKey]) -> None:
        """Decode these pictures (those not asked for before) in the background."""
        if self._stopped:
            return
        new = set(keys) - self._asked
        if new:
            self._asked |= new
            self._pending |= new
            self._start_timer.start()

    def forget(self, keys: Iterable[PictureKey]) -> None:
        """Not needed any more (the picture came from the viewer meanwhile): skip it if not begun."""
        self._pending -= set(keys)

    def stop(self) -> None:
        self._stopped = True
        self._pending.clear()
        self._start_timer.stop()
        if self._task is not None:
            self._task.cancel()

    # -- GUI thread ---------------------------------------------------------------------------------

    def _start(self) -> None:
        if self._stopped or self._task is not None or not self._pending:
            return
        by_recording: dict[int, list[int]] = defaultdict(list)
        for recording_id, frame in sorted(self._pending):
            by_recording[recording_id].append(frame)
        self._pending.clear()
        relay = _Relay()
        relay.picture.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        service, height = self._service, self._height

        def work(progress: Progress) -> None:  # on a pool thread
            _relay = relay  # kept alive by this closure until the work ends
            for recording_id, frames in by_recording.items():
                try:
                    for frame, rgb in still_pictures(service, recording_id, frames, height, progress):
                        progress.check()
                        _relay.picture.emit(recording_id, frame, to_qimage(rgb))
                except (Cancelled, VigError) as err:
                    if isinstance(err, Cancelled) or not service.is_open:
                        raise Cancelled("pictures of stills") from None
                    # An unusable recording: its stills keep the generic icon; the others go on.
                    log.info("pictures of stills of recording %s: %s", recording_id, type(err).__name__)
                except Exception:
                    if not service.is_open:  # the library was locked under the decoder
                        raise Cancelled("pictures of stills") from None
                    raise

        # quiet work: no progress dialog and so no Cancel button; `stop()` cancels it
        self._task = run_in_background(None, work, on_cancelled=lambda: None, cancellable=False,
                                       show_progress=False, failure_title="Pictures of stills")
        self._task.finished.connect(self._finished)

    @Slot(int, int, QImage)
    def _arrived(self, recording_id: int, frame: int, image: QImage) -> None:
        if not self._stopped:
            self.pictureReady.emit(recording_id, frame, image)

    @Slot()
    def _finished(self) -> None:
        self._task = None
        if not self._stopped:
            self._start()  # stills added while this batch was decoding
