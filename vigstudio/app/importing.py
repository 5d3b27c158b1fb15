"""Importing a recording: all-or-nothing, verified, cancellable, with one progress bar.

Order of work (each step may be cancelled through `progress`):
  1. refuse bad input before writing anything (missing/empty file, unknown case or session, not a
     video: the media layer's `MediaError` message);
  2. encrypt a copy into a new media container (written as `.partial`, read back, SHA-256 verified,
     then renamed: the store's `ContainerStore.create`);
  3. make the thumbnail strip and the waveform, kept in memory: for a file on disk, from the original
     on a second thread while the main one encrypts the copy (the copy's SHA-256 matches the
     original's bytes, and the file must not change meanwhile); for a file object, afterwards from
     the container. Then open the container with the media layer (with the index made while
     probing, which it checks against the stored bytes and rebuilds if it does not fit);
  4. commit the recording row, its derived assets, its (new) session and an audit event in one
     transaction — last, so that until this commit the library does not know the recording exists.
On any failure or cancel the container is deleted and the library is as it was. A process killed in
the middle leaves at most a container no row refers to, which the next open that has the library
to itself removes (never an open beside a live import: see `vigstudio.store.lock`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from vigstudio.app.cases import find_case, find_session
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.app.sessions import new_session
from vigstudio.domain.errors import Cancelled, InvalidInput
from vigstudio.domain.model import AuditEvent, Recording, SessionKind
from vigstudio.media import MediaInfo, MediaSource, VideoTrack, list_video_tracks, open_media

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from typing_extensions import TypeIs

    from vigstudio.app.library import LibraryService
    from vigstudio.store.containers import ContainerStore
    from vigstudio.store.library import Library

log = logging.getLogger(__name__)

Source = Path | str | BinaryIO

THUMBNAIL_COUNT = 120
THUMBNAIL_HEIGHT = 72
WAVEFORM_BINS_PER_SECOND = 100.0

# Share of the single progress bar given to each stage (encrypting dominates on big files; for a
# file on disk the thumbnails and waveform are made during it and "analysis" is what is left of them).
_STAGES = {"store": (0.0, 0.55), "analysis": (0.55, 0.9), "index": (0.9, 0.95),
           "thumbnails": (0.55, 0.75), "waveform": (0.75, 0.9)}
_ANALYSIS_LABEL = "thumbnails and waveform"


def check_importable(source: Source, *, probe: bool = False, track: int | None = None) -> None:
    """Refusals before anything is written: the file exists, is a regular readable file, is not
    empty, and (with `probe`) the media layer can open it as a video (`MediaError` otherwise),
    with video track `track` when one is chosen."""
    if _is_file_object(source):
        if not (source.readable() and source.seekable()):
            raise InvalidInput("the recording to import must be a readable, seekable file")
        if probe:
            _probe(source, track)
        return
    path = Path(source)
    if not path.exists():
        raise InvalidInput(f"file not found: {path}")
    if not path.is_file():
        raise InvalidInput(f"not a file: {path}")
    if not os.access(path, os.R_OK):
        raise InvalidInput(f"cannot read {path} (permission denied)")
    if path.stat().st_size == 0:
        raise InvalidInput(f"{path} is empty: not a video")
    if probe:
        _probe(path, track)


def camera_tracks(source: Source) -> tuple[VideoTrack, ...]:
    """The full-length camera tracks of a file to choose from before importing it (empty when it
    has one): a quick look at the container, no indexing. `MediaError` for what is not a video."""
    if _is_file_object(source):
        source.seek(0)
        return list_video_tracks(_Unclosable(source))
    return list_video_tracks(Path(source))


def import_recording(service: LibraryService, case_code: str, source: Source, session_id: int | None = None,
                     progress: Progress | ProgressCallback | None = None,
                     file_name: str | None = None, track: int | None = None) -> Recording:
    """Import `source` (a path, or a seekable binary file object) into the case; return the recording.

    Without `session_id` a new filming session is made in the case's current cycle (a VIG
    intervention and cycle 1 are made if the case has none) — in the same transaction as the
    recording, so a refused or cancelled import leaves no empty session behind.
    `track`: the video track to keep (its number, see `camera_tracks`); by default the main one. The
    whole file is stored; the track chosen goes with its frame index, which every later open uses.
    """
    progress = as_progress(progress, "import")
    check_importable(source)  # cheap checks first; the media probe comes after the case check
    name = file_name or _display_name(source)
    case = find_case(service, case_code)  # NotFound("case", code) before anything is written
    if session_id is not None:
        find_session(service, session_id, case_code=case.code)
    progress(0.0, "checking the file")
    probed_index = _probe(source, track)  # not a video → MediaError, still nothing written

    library = service.library
    analysis = None if _is_file_object(source) else _Analysis(Path(source), probed_index).start()
    try:
        container, sha256, key_hex = _store_copy(library.containers, source, progress.part(*_STAGES["store"]))
    except BaseException:
        if analysis is not None:
            analysis.stop()
        raise
    try:
        if analysis is not None:
            analysis.wait(progress.part(*_STAGES["analysis"]))
        if analysis is None:
            derived = derive_stored(library, container, key_hex, sha256, probed_index, progress)
        else:
            derived = _open_stored(library, container, key_hex, sha256, probed_index, progress)
            derived.update(analysis.result)
        progress(0.98, "saving")
        with service.edit() as repos:
            case = repos.cases.get(case.saved_id)
            if session_id is None:
                session = new_session(repos, case, SessionKind.FILMING)
                new_session_id = session.id
            else:
                session = repos.sessions.get(session_id)
                new_session_id = None
            info = derived["info"]
            recording = repos.recordings.add(Recording(
                session_id=session.saved_id, file_name=name, container=container, sha256=sha256,
                frame_count=info.frame_count, fps=float(info.average_fps or 0.0),
                duration=float(info.duration or 0.0), width=info.width, height=info.height,
                has_audio=bool(info.has_audio),
            ), container_key=key_hex)
            for kind in ("index", "thumbnails", "waveform"):
                if derived.get(kind) is not None:
                    repos.assets.put(recording.saved_id, kind, derived[kind])
            repos.audit.append(AuditEvent(
                "import", f"recording {recording.id} case {case.code} session {session.id}"))
    except BaseException:
        if analysis is not None:
            analysis.stop()
        # Includes Cancelled and KeyboardInterrupt: the container must not outlive a failed import
        # (but an interrupt landing just after the commit must not take a saved recording's media).
        if not _is_referenced(service, container):
            try:
                library.containers.delete(container)
            except OSError:
                log.warning("could not remove the container of a failed import; the next open removes it")
        raise
    with contextlib.suppress(Cancelled):  # committed: a cancel arriving now is too late to honour
        progress(1.0, "imported")
    if new_session_id is not None:
        service.emit(Change(ChangeKind.SESSION, ChangeAction.ADDED, (new_session_id,), case.id, new_session_id))
    service.emit(Change(ChangeKind.RECORDING, ChangeAction.ADDED, (recording.saved_id,), case.saved_id, recording.session_id))
    return recording


def _is_referenced(service: LibraryService, container: str) -> bool:
    try:
        with service.read() as repos:
            return container in repos.recordings.containers()
    except Exception:
        return False  # the database cannot say: the commit did not happen


def _open_stored(library: Library, container: str, key_hex: str, sha256: str, probed_index: bytes,
                 progress: Progress) -> dict[str, Any]:
    """Media info and frame index, read back from the stored (encrypted) copy.

    The index made while probing the original describes the very same bytes (the copy's SHA-256
    was verified), so opening the container with it checks it against the stored copy without a
    second full scan; the media layer rebuilds it if it does not fit.
    """
    reader = library.containers.open_reader(container, key_hex)
    try:
        if getattr(reader, "sha256", sha256) != sha256:
            raise InvalidInput("the stored copy does not match the original; nothing was imported")
        index_progress = progress.part(*_STAGES["index"])
        index_progress(0.0, "indexing frames")
        with open_media(reader, index=probed_index) as media:
            index_progress(1.0, "indexing frames")
            return {"info": media.info, "index": media.index_bytes()}
    finally:
        reader.close()


def derive_stored(library: Library, container: str, key_hex: str, sha256: str, index: bytes,
                  progress: Progress) -> dict[str, Any]:
    """Info, index, thumbnails and waveform of a stored copy, read back from its container (for a
    file object, or a bundle's member: there is no original on disk to read beside the copy)."""
    derived = _open_stored(library, container, key_hex, sha256, index, progress)
    derived.update(_analyse_stored(library, container, key_hex, derived["info"], progress, derived["index"]))
    return derived


def _analyse_stored(library: Library, container: str, key_hex: str, info: MediaInfo,
                    progress: Progress, index: bytes) -> dict[str, Any]:
    reader = library.containers.open_reader(container, key_hex)
    try:
        with open_media(reader, index=index) as media:  # the index keeps the chosen video track
            thumbnails = _thumbnails(media, progress.part(*_STAGES["thumbnails"]))
    finally:
        reader.close()
    reader = library.containers.open_reader(container, key_hex)
    try:
        waveform = _waveform(reader, info.has_audio, progress.part(*_STAGES["waveform"]))
    finally:
        reader.close()
    return {"thumbnails": thumbnails, "waveform": waveform}


class _Analysis:
    """Thumbnails and waveform of a file on disk, made on a second thread while the main thread
    encrypts the copy: on two cores the import then takes little more than the copy alone.

    What was analysed is what was stored: the copy's SHA-256 is that of the bytes read from the
    original, and the original's size and modification time must be the same before and after.
    Progress is kept here and reported by the main thread (one bar, one thread calling it).
    """

    def __init__(self, path: Path, index: bytes):
        self.path, self.index = path, index
        self.fraction = 0.0
        self.result: dict[str, bytes | None] = {}
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._stamp = _file_stamp(path)
        self._thread = threading.Thread(target=self._run, name="import-analysis", daemon=True)

    def start(self) -> _Analysis:
        self._thread.start()
        return self

    def _part(self, start: float, end: float) -> ProgressCallback:
        def report(fraction: float, label: str) -> None:
            if self._stop.is_set():
                raise Cancelled("import")
            self.fraction = start + (end - start) * fraction
        return report

    def _run(self) -> None:
        try:
            with open_media(self.path, index=self.index) as media:
                has_audio = media.info.has_audio
                thumbnails = _thumbnails(media, self._part(0.0, 0.6))
            self.result = {"thumbnails": thumbnails,
                           "waveform": _waveform(str(self.path), has_audio, self._part(0.6, 1.0))}
        except BaseException as exc:  # handed to the main thread, which raises it
            self._error = exc

    def wait(self, progress: Progress) -> None:
        """Block until done, reporting progress (which may raise `Cancelled`); re-raise its error."""
        while self._thread.is_alive():
            progress(self.fraction, _ANALYSIS_LABEL)
            self._thread.join(0.05)
        progress(1.0, _ANALYSIS_LABEL)
        if self._error is not None:
            raise self._error
        if _file_stamp(self.path) != self._stamp:
            raise InvalidInput(f"{self.path.name} changed while it was being imported; nothing was imported")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _file_stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _thumbnails(media: MediaSource, progress: ProgressCallback) -> bytes | None:
    try:
        from vigstudio.media.thumbnails import make_strip
    except ImportError:  # thumbnails not available in this build: the timeline draws without them
        return None
    strip = make_strip(media, THUMBNAIL_COUNT, THUMBNAIL_HEIGHT, progress)
    return strip.to_bytes()


def _waveform(source: str | BinaryIO | io.RawIOBase, has_audio: bool, progress: ProgressCallback) -> bytes | None:
    if not has_audio:
        return None
    try:
        from vigstudio.media.waveform import compute_peaks
    except ImportError:
        return None
    return compute_peaks(source, WAVEFORM_BINS_PER_SECOND, progress).to_bytes()


def _store_copy(containers: ContainerStore, source: Source, progress: Progress) -> tuple[str, str, str]:
    """`ContainerStore.create` for a path or a file object (read from its start, never closed)."""
    if _is_file_object(source):
        source.seek(0)
        return containers.create(source, progress)
    return containers.create(Path(source), progress)


def _probe(source: Source, track: int | None = None) -> bytes:
    """Open the source with the media layer (video track `track`, or the main one); unusable input
    raises `MediaError`. Returns its index.

    Indexing scans the whole file, so the index of a path is remembered for a moment: the CLI
    checks every file before importing any, and the import itself need not scan it again.
    """
    if _is_file_object(source):
        source.seek(0)
        media = open_media(_Unclosable(source), track=track)
        try:
            return media.index_bytes()
        finally:
            media.close()
    path = Path(source)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, track)
    with _probes_lock:
        if key in _recent_probes:
            return _recent_probes[key]
    media = open_media(path, track=track)
    try:
        index = media.index_bytes()
    finally:
        media.close()
    with _probes_lock:
        _recent_probes[key] = index
        while len(_recent_probes) > _RECENT_PROBES:
            _recent_probes.popitem(last=False)
    return index


_RECENT_PROBES = 8
_recent_probes: OrderedDict[tuple[str, int, int, int | None], bytes] = OrderedDict()
_probes_lock = threading.Lock()


def _display_name(source: Source) -> str:
    if _is_file_object(source):
        name = getattr(source, "name", None)
        return Path(name).name if isinstance(name, str) and name else "recording"
    return Path(source).name


def _is_file_object(source: object) -> TypeIs[BinaryIO]:
    return hasattr(source, "read") and hasattr(source, "seek")


class _Unclosable(io.RawIOBase):
    """Lets the media layer 'close' a caller's file object without closing it."""

    def __init__(self, inner: BinaryIO):
        super().__init__()
        self._inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inner.read(len(view))
        view[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()
