"""Making recordings' scrubbing previews in the background (`app.proxies.build_proxy`), quietly:
no dialog; the editor shows progress beside its status bar and uses them as soon as they are ready;
the library window starts one after each import. `stop()` cancels (the build cleans up after itself),
as closing the editor, locking or closing the library do.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal

from vigstudio.app.progress import Progress
from vigstudio.app.proxies import build_proxy
from vigstudio.domain.errors import Cancelled, VigError
from vigstudio.ui.background import BackgroundTask, run_in_background

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

log = logging.getLogger(__name__)


class PreviewBuild(QObject):
    progressed = Signal(float)  # 0..1
    ready = Signal(int)  # recording id whose previews now exist
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._task: BackgroundTask | None = None
        self.recording_id: int | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self, service: LibraryService, recording_id: int, *more: int) -> None:
        """Build the previews of `recording_id` (then of `more`, one after the other)."""
        self.stop()
        self.recording_id = recording_id
        ids = [recording_id, *more]

        def work(progress: Progress) -> int:  # on a pool thread
            try:
                for number, rid in enumerate(ids):
                    build_proxy(service, rid, progress.part(number / len(ids), (number + 1) / len(ids)))
            except Exception:
                if progress.cancelled or not service.is_open:  # the editor closed, the library locked
                    raise Cancelled("previews") from None
                raise
            return recording_id

        task = run_in_background(None, work, self._done, self._failed, on_cancelled=lambda: None,
                                 cancellable=True, show_progress=False, failure_title="Scrubbing previews")
        # bound methods, not lambdas: Qt drops these connections if this object goes first
        task.progressed.connect(self._progressed)
        task.finished.connect(self._finished)
        self._task = task

    def _progressed(self, fraction: float, _label: str) -> None:
        if self.sender() is self._task:
            self.progressed.emit(fraction)

    def _done(self, recording_id: int) -> None:
        if shiboken6.isValid(self) and recording_id == self.recording_id:
            self.ready.emit(recording_id)

    def _failed(self, err: VigError) -> None:
        log.info("scrubbing previews of recording %s: %s", self.recording_id, type(err).__name__)
        if shiboken6.isValid(self):
            self.failed.emit(str(err))

    def _finished(self) -> None:
        if self.sender() is self._task:
            self._task = None

    def stop(self) -> None:
        """Cancel a build under way (its partial container is removed by the build itself)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.recording_id = None
