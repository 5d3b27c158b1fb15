"""`LibraryService`: one unlocked library, and the use cases the GUI and the CLI both call.

Every edit runs in its own store transaction; once it has committed, the service emits a `Change`
(kind, action, ids) to its subscribers, which is how the GUI's models know what to reload. Audit
events (ids and codes only) are appended in the same transaction as the edit they record.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeCallback, ChangeKind, ChangeNotifier
from vigstudio.app.logging_setup import SECRETS
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.app.sessions import new_session
from vigstudio.app.tree import CaseNode, build_tree
from vigstudio.domain.errors import InvalidInput, PassphraseTooShort, VigError
from vigstudio.domain.model import (
    AuditEvent,
    Case,
    Recording,
    ReferralSource,
    Session,
    SessionKind,
)
from vigstudio.media import MediaSource, open_media
from vigstudio.store.keys import KdfParams, unwrap_keyfile
from vigstudio.store.library import KEY_FILE, Library
from vigstudio.store.tree_rows import tree_rows

if TYPE_CHECKING:
    from vigstudio.store.repositories import Repos

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 64


class LibraryNotOpen(VigError):
    def __init__(self) -> None:
        super().__init__("no library is open (it may have been locked)")


@dataclass(frozen=True)
class LibraryInfo:
    path: Path
    cases: int
    sessions: int
    recordings: int
    clips: int
    stills: int
    size_bytes: int  # everything under the library folder, encrypted
    schema_version: str
    sqlcipher_version: str
    demo_cases: int = 0

    def as_lines(self) -> list[tuple[str, str]]:
        return [
            ("library", str(self.path)),
            ("cases", str(self.cases) + (f" ({self.demo_cases} demo)" if self.demo_cases else "")),
            ("sessions", str(self.sessions)),
            ("recordings", str(self.recordings)),
            ("clips", str(self.clips)),
            ("stills", str(self.stills)),
            ("size on disk", _human_size(self.size_bytes)),
            ("schema version", self.schema_version),
            ("SQLCipher version", self.sqlcipher_version),
        ]


@dataclass(frozen=True)
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: int = 0  # files checked: library.db and every container

    @property
    def ok(self) -> bool:
        return not self.problems


def wipe_freed_memory() -> None:
    """SQLCipher wipes every buffer it frees from now on, for the rest of the process (for processes
    that do not decode media: the cost is small for library.db and large for containers)."""
    from vigstudio.store.database import wipe_freed_memory as turn_on

    turn_on()


def validate_passphrase(passphrase: str) -> None:
    """Refuse passphrases under 10 characters (before anything touches the disk)."""
    if len(passphrase) < PassphraseTooShort.MIN_LENGTH:
        raise PassphraseTooShort()


def parse_referral(text: str | ReferralSource) -> ReferralSource:
    """'mental-health', 'Mental health' and 'mental_health' all mean the same referral source."""
    if isinstance(text, ReferralSource):
        return text
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return ReferralSource(key)
    except ValueError:
        choices = ", ".join(r.value for r in ReferralSource)
        raise InvalidInput(f"unknown referral source {text!r} (one of: {choices})") from None


def normalise_case_code(code: str) -> str:
    cleaned = (code or "").strip()
    if not cleaned:
        raise InvalidInput("a case needs a code, e.g. F-014")
    if len(cleaned) > MAX_CODE_LENGTH:
        raise InvalidInput(f"a case code has at most {MAX_CODE_LENGTH} characters")
    if any(ch.isspace() and ch != " " or not ch.isprintable() for ch in cleaned):
        raise InvalidInput("a case code cannot contain tabs, line breaks or control characters")
    return cleaned


class LibraryService:
    def __init__(self) -> None:
        self._library: Library | None = None
        self._changes = ChangeNotifier()
        self._pending_audit: list[AuditEvent] = []

    # -- opening and closing ------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._library is not None

    @property
    def library(self) -> Library:
        if self._library is None:
            raise LibraryNotOpen()
        return self._library

    @property
    def path(self) -> Path:
        return Path(self.library.path)

    def create(self, path: Path | str, passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """A new library; `kdf` None: Argon2id calibrated on this machine (the demo passes its own)."""
        validate_passphrase(passphrase)
        self.close()
        SECRETS.add_secret(passphrase)
        self._library = Library.create(Path(path), passphrase, kdf)
        with self.edit() as repos:
            repos.audit.append(AuditEvent("create", "library"))
        self._changes.emit(Change(ChangeKind.LIBRARY, ChangeAction.OPENED))

    def open(self, path: Path | str, passphrase: str, *, audit_now: bool = True) -> None:
        """Unlock the library. The "unlock" audit event is written at once, or with `audit_now=False`
        together with the first edit (so a command refused after unlocking writes nothing at all)."""
        self.close()
        SECRETS.add_secret(passphrase)
        self._library = Library.open(Path(path), passphrase)  # alone, it removes a killed import's leftovers
        self._pending_audit.append(AuditEvent("unlock", "library"))
        if audit_now:
            try:
                with self.edit():
                    pass
            except BaseException:
                self.close()
                raise
        self._changes.emit(Change(ChangeKind.LIBRARY, ChangeAction.OPENED))

    def close(self) -> None:
        if self._library is None:
            return
        library, self._library = self._library, None
        self._pending_audit.clear()
        library.close()
        SECRETS.clear()  # nothing derived from the passphrase outlives the unlocked library
        self._changes.emit(Change(ChangeKind.LIBRARY, ChangeAction.CLOSED))

    def __enter__(self) -> LibraryService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def change_passphrase(self, old: str, new: str) -> None:
        validate_passphrase(new)
        SECRETS.add_secret(new)
        self.library.change_passphrase(old, new)
        with self.edit() as repos:
            repos.audit.append(AuditEvent("passphrase_change", "library"))
        self._changes.emit(Change(ChangeKind.LIBRARY, ChangeAction.UPDATED))

    def rotate_data_key(self, passphrase: str) -> None:
        """Re-encrypt library.db under a new data key (an old library.key copy no longer opens it);
        only while no other window or program has the library open (`LibraryBusy`)."""
        SECRETS.add_secret(passphrase)
        self.library.rotate_data_key(passphrase)
        with self.edit() as repos:
            repos.audit.append(AuditEvent("key_rotate", "library data key"))
        self._changes.emit(Change(ChangeKind.LIBRARY, ChangeAction.UPDATED))

    def check_passphrase(self, passphrase: str) -> None:
        """Raise `WrongPassphrase` unless `passphrase` unlocks this library's key file; the open
        library stays as it is. Takes about as long as an unlock (the key derivation)."""
        SECRETS.add_secret(passphrase)
        unwrap_keyfile(self.path / KEY_FILE, passphrase)

    # -- notifications ------------------------------------------------------------------------------

    def subscribe(self, callback: ChangeCallback) -> Callable[[], None]:
        """Call `callback(change)` after every committed edit; returns an unsubscribe function."""
        return self._changes.subscribe(callback)

    def emit(self, change: Change) -> None:
        self._changes.emit(change)

    @contextmanager
    def edit(self, *, reanchor: bool = False) -> Iterator[Repos]:
        """One committed transaction for an edit (audit events waiting since the unlock go with it).
        The caller emits the `Change` once the block has ended, i.e. after the commit. `reanchor`
        (a restore) rewrites audit.anchor even where it did not match library.db."""
        with self.library.transaction(reanchor=reanchor) as repos:
            for event in self._pending_audit:
                repos.audit.append(AuditEvent(event.action, event.object, event.at))
            yield repos
        self._pending_audit.clear()

    @contextmanager
    def read(self) -> Iterator[Repos]:
        """A read snapshot (a plain deferred transaction, refused any write): it never takes the write
        lock, so reading never waits for an edit or an import, nor makes one wait."""
        with self.library.read() as repos:
            yield repos

    # -- facts --------------------------------------------------------------------------------------

    def info(self) -> LibraryInfo:
        library = self.library
        with self.read() as repos:
            cases = repos.cases.list()
            sqlcipher_version = _sqlcipher_version(library, repos)
            counts = {
                "sessions": len(repos.sessions.list()),
                "recordings": len(repos.recordings.list()),
                "clips": len(repos.clips.list()),
                "stills": len(repos.stills.list()),
            }
        return LibraryInfo(
            path=Path(library.path),
            cases=len(cases),
            demo_cases=sum(1 for c in cases if c.is_demo),
            size_bytes=_folder_size(Path(library.path)),
            schema_version=str(library.schema_version),
            sqlcipher_version=sqlcipher_version,
            **counts,
        )

    def check(self, progress: Progress | ProgressCallback | None = None) -> CheckReport:
        """SQLCipher's page-integrity check (every page's HMAC) of library.db and every media container."""
        progress = as_progress(progress, "integrity check")
        progress(0.0, "checking")
        with self.read() as repos:
            checked = 1 + len(repos.recordings.containers())
        problems = list(self.library.integrity_check())
        progress(1.0, "checked")
        return CheckReport(problems, checked=checked)

    # -- cases and sessions -------------------------------------------------------------------------

    def add_case(self, code: str, name: str | None = None,
                 referral: ReferralSource | str = ReferralSource.OTHER, *, is_demo: bool = False) -> Case:
        code = normalise_case_code(code)
        referral = parse_referral(referral)
        name = (name or "").strip() or None
        with self.edit() as repos:
            taken = {c.code.casefold(): c.code for c in repos.cases.list()}
            if code.casefold() in taken:
                existing = taken[code.casefold()]
                raise InvalidInput(f"case {existing} already exists" if existing == code else
                                   f"case {existing} already exists (codes ignore upper/lower case)")
            case = repos.cases.add(Case(code=code, name=name, referral=referral, is_demo=is_demo))
            repos.audit.append(AuditEvent("case_add", f"case {case.id} {case.code}"))
        self._changes.emit(Change(ChangeKind.CASE, ChangeAction.ADDED, (case.saved_id,), case.saved_id))
        return case

    def cases(self) -> list[Case]:
        """Every case, ordered by code (one query)."""
        with self.read() as repos:
            return repos.cases.list()

    def find_case(self, code: str) -> Case:
        with self.read() as repos:
            return repos.cases.by_code(code.strip())

    def find_session(self, session_id: int, case_code: str | None = None) -> Session:
        """The session, checked to belong to `case_code` when given."""
        with self.read() as repos:
            session = repos.sessions.get(session_id)
            if case_code is not None and repos.sessions.case_of(session_id).code != case_code.strip():
                raise InvalidInput(f"session {session_id} does not belong to case {case_code}")
            return session

    def add_session(self, case_code: str, kind: SessionKind = SessionKind.FILMING, *, notes: str = "",
                    date: dt.date | None = None) -> Session:
        """A new session in the case's current cycle (a VIG intervention and cycle 1 made if needed)."""
        with self.edit() as repos:
            case = repos.cases.by_code(case_code.strip())
            session = new_session(repos, case, kind, notes=notes, date=date)
        self._changes.emit(Change(ChangeKind.SESSION, ChangeAction.ADDED, (session.saved_id,), case.saved_id, session.saved_id))
        return session

    def update_session_notes(self, session_id: int, notes: str) -> Session:
        with self.edit() as repos:
            session = repos.sessions.get(session_id)
            session.notes = notes
            repos.sessions.update(session)
            case = repos.sessions.case_of(session_id)
        self._changes.emit(Change(ChangeKind.SESSION, ChangeAction.UPDATED, (session_id,), case.id, session_id))
        return session

    # -- the tree -----------------------------------------------------------------------------------

    def tree(self, case_id: int | None = None, *, annotations: bool = True, items: bool = True) -> list[CaseNode]:
        """Cases → interventions → cycles → sessions → recordings / clips / stills, as plain data: the
        whole library, or the one case `case_id` (empty if it is gone). A handful of bulk queries on a
        read snapshot, whatever the library's size; `annotations=False` leaves the tags out,
        `items=False` the clips and stills too (sessions still carry their counts)."""
        with self.read() as repos:
            return build_tree(tree_rows(repos, case_id, annotations=annotations, items=items))

    def case_of_session(self, session_id: int) -> Case:
        """The case a session belongs to (`NotFound` for an unknown session)."""
        with self.read() as repos:
            return repos.sessions.case_of(session_id)

    # -- recordings ---------------------------------------------------------------------------------

    def recording(self, recording_id: int) -> Recording:
        with self.read() as repos:
            return repos.recordings.get(recording_id)

    def open_media(self, recording_id: int) -> MediaSource:
        """The recording's decoder, reading the encrypted container through its stored frame index."""
        with self.read() as repos:
            recording = repos.recordings.get(recording_id)
            key_hex = repos.recordings.container_key(recording_id)
            index = repos.assets.get(recording_id, "index")
        reader = self.library.containers.open_reader(recording.container, key_hex)
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

    def asset(self, recording_id: int, kind: str) -> bytes | None:
        """A derived blob kept with the recording: "index", "thumbnails" or "waveform"."""
        with self.read() as repos:
            repos.recordings.get(recording_id)
            return repos.assets.get(recording_id, kind)

    def delete_recording(self, recording_id: int) -> None:
        """Delete the recording with its clips and stills; its container key goes with the row
        (crypto-shredding the media), then the container file itself is removed."""
        with self.edit() as repos:
            recording = repos.recordings.get(recording_id)
            case = repos.sessions.case_of(recording.session_id)
            repos.recordings.delete(recording_id)
            repos.audit.append(AuditEvent("delete", f"recording {recording_id} case {case.code}"))
        try:
            self.library.containers.delete(recording.container)
        except OSError:
            # The key is gone with the row, so the file is unreadable; the next open removes it.
            log.warning("container of deleted recording %s left for the next open", recording_id)
        self._changes.emit(Change(ChangeKind.RECORDING, ChangeAction.DELETED, (recording_id,), case.id,
                                  recording.session_id))


def _sqlcipher_version(library: Library, repos: Repos) -> str:
    known = getattr(library, "sqlcipher_version", None)
    if known:
        return str(known)
    # The store has no accessor for it (yet): ask the open connection, read-only.
    return str(repos.orm_session.connection().exec_driver_sql("PRAGMA cipher_version").scalar())


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                pass
    return total


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
