"""`LibraryService`: one unlocked library (open, close, passphrase, transactions, notifications,
facts about the whole library). The use cases the GUI and the CLI both call are module functions
taking it first (`cases.add_case(service, ...)`, `editing.add_clip(service, ...)`...).

Every edit runs in its own store transaction; once it has committed, the use case emits a `Change`
(kind, action, ids, case, session) to the service's subscribers, which is how the GUI's models know
what to reload. Audit events (ids and codes only) are appended in the same transaction as the edit
they record.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app.changes import Change, ChangeAction, ChangeCallback, ChangeKind, ChangeNotifier
from vigstudio.app.logging_setup import SECRETS
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import AuditEvent, ReferralSource
from vigstudio.domain.passphrases import check_passphrase
from vigstudio.store.keys import KdfParams, unwrap_keyfile
from vigstudio.store.library import KEY_FILE, Library

if TYPE_CHECKING:
    from vigstudio.store.repositories import Repos

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = text_rules.MAX_CODE_LENGTH


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
    """Refuse passphrases under 10 characters or among the commonest (before anything touches the
    disk); the same rule protects a bundle's passphrase."""
    check_passphrase(passphrase)


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
    """The one rule for case codes, whatever their source (see `vigstudio.domain.text`)."""
    return text_rules.case_code(code)


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
