"""Making a recording's scrubbing previews in the background (`app.proxies.build_proxy`), quietly:
no dialog, progress as a line in the editor's status bar, stopped (and cleaned up) when the editor
closes or opens another recording. When done, the editor starts using them at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

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

    def start(self, service: LibraryService, recording_id: int) -> None:
        self.stop()
        self.recording_id = recording_id

        def work(progress: Progress) -> int:  # on a pool thread
            try:
                build_proxy(service, recording_id, progress)
            except Exception:
                if progress.cancelled or not service.is_open:  # the editor closed, the library locked
                    raise Cancelled("previews") from None
                raise
            return recording_id

        task = run_in_background(None, work, self._done, self._failed, on_cancelled=lambda: None,
                                 cancellable=True, show_progress=False, failure_title="Scrubbing previews")
        task.progressed.connect(lambda fraction, _label, t=task: t is self._task and self.progressed.emit(fraction))
        task.finished.connect(lambda t=task: self._finished(t))
        self._task = task

    def _done(self, recording_id: int) -> None:
        if recording_id == self.recording_id:
            self.ready.emit(recording_id)

    def _failed(self, err: VigError) -> None:
        log.info("scrubbing previews of recording %s: %s", self.recording_id, type(err).__name__)
        self.failed.emit(str(err))

    def _finished(self, task: BackgroundTask) -> None:
        if task is self._task:
            self._task = None

    def stop(self) -> None:
        """Cancel a build under way (its partial container is removed by the build itself)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.recording_id = None
