"""Scrubbing proxies: a small encrypted picture of every frame of a recording (`media.proxy`), so
that a jump or a drag of the playhead shows that very frame at once while the full one decodes.

Made after the import, in the background (`build_proxy`, cancellable, with progress), or when a
recording without one is opened. The proxy is written straight from the encoder into its own
encrypted container (`ContainerStore.create` with `proxy_name(recording.container)`, read back and
verified), and only then does the recording's PROXY_ASSET row (the container's key) make it known:
a build that is cancelled or killed leaves nothing the library refers to (the next open removes the
file). Deleting the recording, by hand, by retention or after consent is withdrawn, deletes the
companion container with the recording's own (`ContainerStore.delete`), and the key goes with the row.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.app.recordings import open_recording_media
from vigstudio.domain.errors import DamagedLibrary, NotFound
from vigstudio.media.errors import MediaError
from vigstudio.media.proxy import ProxyReader, StreamFile, proxy_stream
from vigstudio.store.containers import PROXY_ASSET, proxy_name

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

_T = TypeVar("_T")
log = logging.getLogger(__name__)

BUILD_NICENESS = 10
_locks: dict[tuple[str, int], threading.Lock] = {}
_locks_guard = threading.Lock()


def _build_lock(service: LibraryService, recording_id: int) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((str(service.library.path), recording_id), threading.Lock())


def has_proxy(service: LibraryService, recording_id: int) -> bool:
    with service.read() as repos:
        repos.recordings.get(recording_id)
        return repos.assets.get(recording_id, PROXY_ASSET) is not None


def recordings_without_proxy(service: LibraryService) -> list[int]:
    """Ids of the recordings that have no scrubbing proxy yet (made before proxies existed, or
    whose build was cancelled)."""
    with service.read() as repos:
        return sorted(r.saved_id for r in repos.recordings.list() if repos.assets.get(r.saved_id, PROXY_ASSET) is None)


@dataclass(frozen=True)
class ProxyStatus:
    """Whether a recording has its scrubbing proxy, and what it takes on disk."""

    recording_id: int
    case_code: str
    session_id: int
    file_name: str
    frame_count: int
    proxy_bytes: int | None  # None: no proxy yet

    @property
    def has_proxy(self) -> bool:
        return self.proxy_bytes is not None

    def to_json(self) -> dict[str, object]:
        return {"recording": self.recording_id, "case": self.case_code, "session": self.session_id,
                "file_name": self.file_name, "frames": self.frame_count, "proxy": self.has_proxy,
                "proxy_bytes": self.proxy_bytes}


def proxy_status(service: LibraryService, recording_id: int | None = None) -> list[ProxyStatus]:
    """Every recording's proxy status (or only `recording_id`'s), by recording id."""
    with service.read() as repos:
        recordings = [repos.recordings.get(recording_id)] if recording_id is not None else repos.recordings.list()
        found = [(r, repos.sessions.case_of(r.session_id).code, repos.assets.get(r.saved_id, PROXY_ASSET) is not None)
                 for r in recordings]
    containers = service.library.containers
    statuses = []
    for recording, case_code, known in sorted(found, key=lambda f: f[0].saved_id):
        size = None
        if known:
            try:
                size = containers.path(proxy_name(recording.container)).stat().st_size
            except OSError:
                size = 0  # known but gone: `open_proxy` forgets it, and the next build makes it again
        statuses.append(ProxyStatus(recording.saved_id, case_code, recording.session_id, recording.file_name,
                                    recording.frame_count, size))
    return statuses


def build_proxy(service: LibraryService, recording_id: int,
                progress: Progress | ProgressCallback | None = None) -> bool:
    """Make the recording's scrubbing proxy; False if it has one already (or got one from a build
    running meanwhile, which this one waits for). `progress` may cancel: nothing is left behind."""
    progress = as_progress(progress, "previews")
    with _build_lock(service, recording_id):
        if has_proxy(service, recording_id):
            return False
        with service.read() as repos:
            recording = repos.recordings.get(recording_id)
        name = proxy_name(recording.container)
        containers = service.library.containers
        media = open_recording_media(service, recording_id)
        try:
            stream = StreamFile(proxy_stream(media, progress.part(0.0, 0.97)))
            _, _, key_hex = _at_low_priority(lambda: containers.create(stream, None, name=name))
        finally:
            media.close()
        try:
            with service.edit() as repos:
                repos.recordings.get(recording_id)  # deleted meanwhile: NotFound, the file goes below
                repos.assets.put(recording_id, PROXY_ASSET, key_hex.encode("ascii"))
        except BaseException:
            containers.path(name).unlink(missing_ok=True)
            raise
        progress(1.0, "previews ready")
        return True


def _at_low_priority(work: Callable[[], _T]) -> _T:
    """Run `work()` on a thread of its own at a lower CPU priority (nice +10; the decoder's and
    encoder's threads it starts inherit it), so the background build never slows what the user
    is doing. A thread of its own: a raised nice value cannot be lowered again, and the caller may
    be a pooled thread."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BUILD_NICENESS)
        except (AttributeError, OSError):
            pass  # not on this platform: the build runs at normal priority
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed to the caller, which raises it
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="proxy-build", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    result: _T = outcome["result"]
    return result


def open_proxy(service: LibraryService, recording_id: int) -> ProxyReader | None:
    """The recording's proxy (close() it when done), or None when it has none or it is unusable
    (then it is forgotten, so that the next `build_proxy` makes it again)."""
    with service.read() as repos:
        recording = repos.recordings.get(recording_id)
        key = repos.assets.get(recording_id, PROXY_ASSET)
    if key is None:
        return None
    try:
        reader = service.library.containers.open_reader(proxy_name(recording.container), key.decode("ascii"))
    except (NotFound, DamagedLibrary, OSError):
        reader = None
    if reader is not None:
        try:
            return ProxyReader(reader, close_file=True)
        except MediaError:
            reader.close()
    log.warning("scrubbing proxy of recording %s unusable: it will be made again", recording_id)
    forget_proxy(service, recording_id)
    return None


def forget_proxy(service: LibraryService, recording_id: int) -> None:
    """Drop the recording's proxy (row, then file); the recording itself is untouched."""
    with service.read() as repos:
        recording = repos.recordings.get(recording_id)
    with service.edit() as repos:
        repos.assets.delete(recording_id, PROXY_ASSET)
    service.library.containers.path(proxy_name(recording.container)).unlink(missing_ok=True)
