"""A recording once imported: read it, decode it, its derived assets, delete it.

Module functions taking the open `LibraryService` first, as every use case in `app`.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.model import AuditEvent, Recording
from vigstudio.media import MediaSource, open_media

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

log = logging.getLogger(__name__)


def get_recording(service: LibraryService, recording_id: int) -> Recording:
    with service.read() as repos:
        return repos.recordings.get(recording_id)


def open_recording_media(service: LibraryService, recording_id: int) -> MediaSource:
    """The recording's decoder, reading the encrypted container through its stored frame index."""
    with service.read() as repos:
        recording = repos.recordings.get(recording_id)
        key_hex = repos.recordings.container_key(recording_id)
        index = repos.assets.get(recording_id, "index")
    reader = service.library.containers.open_reader(recording.container, key_hex)
    try:
        media = open_media(reader, index=index)
    except BaseException:
        reader.close()
        raise
    # The media source does not own the file object it reads: close the container reader with it.
    close_media = media.close

    def close() -> None:
        close_media()
        reader.close()

    media.close = close  # type: ignore[method-assign]
    weakref.finalize(media, reader.close)
    return media


def recording_asset(service: LibraryService, recording_id: int, kind: str) -> bytes | None:
    """A derived blob kept with the recording: "index", "thumbnails" or "waveform"."""
    with service.read() as repos:
        repos.recordings.get(recording_id)
        return repos.assets.get(recording_id, kind)


def delete_recording(service: LibraryService, recording_id: int) -> None:
    """Delete the recording with its clips and stills; its container key goes with the row
    (crypto-shredding the media), then the container file itself is removed."""
    with service.edit() as repos:
        recording = repos.recordings.get(recording_id)
        case = repos.sessions.case_of(recording.session_id)
        repos.recordings.delete(recording_id)
        repos.audit.append(AuditEvent("delete", f"recording {recording_id} case {case.code}"))
    try:
        service.library.containers.delete(recording.container)
    except OSError:
        # The key is gone with the row, so the file is unreadable; the next open removes it.
        log.warning("container of deleted recording %s left for the next open", recording_id)
    service.emit(Change(ChangeKind.RECORDING, ChangeAction.DELETED, (recording_id,), case.id, recording.session_id))
