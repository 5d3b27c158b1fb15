"""An unlocked library folder: key file, encrypted database and media containers (see architecture.md).

Several processes may have one library open at once: each holds `library.lock` shared (`lock`), and
what must not run beside another user of the library (removing an interrupted import's leftovers,
rotating the data key) runs only while holding it alone. Every transaction that appends audit events
also moves `audit.anchor` (`anchor`). Files are owner-only (`permissions`).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession

from vigstudio.domain.errors import (
    DamagedLibrary,
    LibraryExists,
    NotALibrary,
    PassphraseTooShort,
    VigError,
)
from vigstudio.domain.model import AuditEvent

from . import keys
from .anchor import (
    ANCHOR_FILE,
    ANCHOR_LOCK_FILE,
    Anchor,
    AnchorLock,
    AnchorProblem,
    AuditKeys,
    Head,
    audit_root,
    read_anchor,
    write_anchor,
)
from .audit_log import AUDIT_GENESIS
from .containers import ContainerStore
from .database import READ_ONLY_OPTION, connect_keyed, disk_full_as_error, ensure_not_plaintext, open_engine
from .lock import LOCK_FILE, LibraryBusy, LibraryLock
from .migrate import current_revision, upgrade_to_head
from .permissions import FOLDER_MODE, create_private, secure_library
from .process import core_dumps_off, core_dumps_restored
from .repositories import Repos

log = logging.getLogger(__name__)

KEY_FILE = "library.key"
NEXT_KEY_FILE = "library.key.next"  # a key rotation's new key file until library.db is re-keyed
DB_FILE = "library.db"
MEDIA_DIR = "media"
AUDIT_ROOT_SETTING = "audit_root"  # hex of the key the audit HMACs derive from (see AuditKeys)


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < PassphraseTooShort.MIN_LENGTH:
        raise PassphraseTooShort()


class Library:
    """Use `Library.create` or `Library.open`; every edit goes through `transaction()`."""

    def __init__(self, path: Path, engine: Engine, lock: LibraryLock, audit_keys: AuditKeys | None = None):
        self.path = path
        self._engine: Engine | None = engine
        self._lock: LibraryLock | None = lock
        self._audit_keys = audit_keys
        self._schema_version: str | None = None  # only migrations at open change it
        self.containers = ContainerStore(path / MEDIA_DIR, self._container_names, str(path))
        core_dumps_off()

    # --- opening and closing -----------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, passphrase: str, params: keys.KdfParams | None = None) -> Library:
        """Make a new library in `path` (which must not exist or be an empty folder)."""
        path = Path(path).absolute()
        _check_passphrase(passphrase)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise LibraryExists(str(path))
        made_folder = not path.exists()
        engine = lock = library = None
        try:
            with disk_full_as_error(path.parent if made_folder else path, str(path)):
                path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
                secure_library(path)
                lock = LibraryLock.open_shared(path)
                data_key = keys.create_keyfile(path / KEY_FILE, passphrase, params)
                create_private(path / DB_FILE)
                engine = open_engine(path / DB_FILE, data_key)
                upgrade_to_head(engine, str(path))
                ensure_not_plaintext(path / DB_FILE, str(path))
                (path / MEDIA_DIR).mkdir(mode=FOLDER_MODE)
                library = cls(path, engine, lock)
                library._key_audit_log(data_key)
                secure_library(path)
                keys.fsync_dir(path)
        except BaseException:
            if library is not None:
                library.close()
            if engine is not None:
                engine.dispose()
            if lock is not None:
                lock.close()
            _remove_partial_library(path, made_folder)
            raise
        return library

    @classmethod
    def open(cls, path: Path | str, passphrase: str) -> Library:
        """Unlock `path`. Nothing is written before the passphrase has been checked."""
        path = Path(path).absolute()
        if not path.is_dir():
            raise NotALibrary(str(path), "no such folder")
        key_bytes = keys.read_keyfile(path / KEY_FILE)
        data_key = keys.unwrap_keyfile_bytes(path / KEY_FILE, key_bytes, passphrase)
        db = path / DB_FILE
        if not db.is_file():
            raise DamagedLibrary(str(path), f"{DB_FILE} is missing")
        ensure_not_plaintext(db, str(path))
        # Held from here on: another process's key rotation or clean-up finishes before we go on.
        lock = LibraryLock.open_shared(path)
        engine = None
        try:
            if keys.read_keyfile(path / KEY_FILE) != key_bytes:  # a passphrase change or rotation meanwhile
                data_key = keys.unwrap_keyfile(path / KEY_FILE, passphrase)
            engine = open_engine(db, data_key)
            if not _decrypts(engine):
                engine.dispose()
                engine, data_key = _finish_rotation(path, passphrase)
            alone = lock.try_exclusive()
            with disk_full_as_error(path, str(path)):
                _upgrade(engine, str(path))
                library = cls(path, engine, lock)
                try:
                    (path / MEDIA_DIR).mkdir(exist_ok=True, mode=FOLDER_MODE)
                    secure_library(path)
                    library._key_audit_log(data_key)
                    if alone:
                        # Nobody else has the library open, so no import of theirs is in flight: what is
                        # unrecorded now was left by a process that died or was killed.
                        library.containers.remove_leftovers()
                        for name in (KEY_FILE + ".tmp", NEXT_KEY_FILE, ANCHOR_FILE + ".tmp"):
                            (path / name).unlink(missing_ok=True)
                        lock.share()
                except BaseException:
                    library._lock = None  # closed below, with the engine
                    library.close()
                    raise
        except BaseException:
            if engine is not None:
                engine.dispose()
            lock.close()
            raise
        return library

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._audit_keys = None
            core_dumps_restored()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Library {self.path} {'open' if self.is_open else 'closed'}>"

    # --- use -----------------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VigError(f"library {self.path} is closed")
        return self._engine

    @property
    def _chain_key(self) -> bytes | None:
        return self._audit_keys.chain if self._audit_keys is not None else None

    @contextmanager
    def transaction(self, *, reanchor: bool = False) -> Iterator[Repos]:
        """One transaction, committed once when the block ends; rolled back if it raises.

        It holds the write lock from its start, so do not open another `transaction` inside
        it in the same thread. A full disk raises `DiskFull` and leaves the library as it was.
        If it appended audit events, `audit.anchor` follows the commit (see `anchor`); with
        `reanchor` the anchor is rewritten even if it did not match (a restore, a re-keyed log).
        """
        engine = self.engine
        anchoring: _Anchoring | None = None
        try:
            with disk_full_as_error(self.path, str(self.path)):
                with OrmSession(engine, expire_on_commit=False) as session:
                    with session.begin():
                        repos = Repos(session, self._chain_key)
                        yield repos
                        if repos.audit.appended:
                            anchoring = self._anchor_pending(repos, force=reanchor)
                    if anchoring is not None:
                        anchoring.committed()
        finally:
            if anchoring is not None:
                anchoring.release()

    @contextmanager
    def read(self) -> Iterator[Repos]:
        """A read-only snapshot: never waits for a writer, never blocks one; any write in it is refused."""
        with OrmSession(self._read_only_engine()) as session:  # closing it rolls back; nothing is ever committed
            yield Repos(session, self._chain_key)

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under `new` (raising the KDF parameters to today's calibration); nothing
        else is rewritten. `WrongPassphrase` if `old` is wrong."""
        _check_passphrase(new)
        with disk_full_as_error(self.path, str(self.path)):
            keys.rewrap_keyfile(self.path / KEY_FILE, old, new)

    def rotate_data_key(self, passphrase: str) -> None:
        """Re-encrypt library.db under a new random data key (`PRAGMA rekey`) and wrap that key in
        library.key, so an old copy of library.key no longer opens today's library.db. Containers
        keep their own keys. Only while no other window or process has the library open.

        Crash-safe: the new key file is written as `library.key.next` first; an open that finds
        library.db already re-keyed takes it (see `_finish_rotation`), otherwise drops it.
        """
        path = self.path
        old_key = keys.unwrap_keyfile(path / KEY_FILE, passphrase)  # WrongPassphrase before anything changes
        if self._lock is None or not self._lock.try_exclusive():
            raise LibraryBusy(str(path), "it is open in another window or program; close it there first")
        try:
            params = keys.keyfile_params(path / KEY_FILE)
            wanted = keys.KdfParams.default(path)
            params = wanted if params.is_test_profile() else params.at_least(wanted)
            new_key = secrets.token_bytes(keys.DATA_KEY_BYTES)
            with disk_full_as_error(path, str(path)):
                keys.write_keyfile(path / NEXT_KEY_FILE, new_key, passphrase, params)
                self.engine.dispose()
                conn = connect_keyed(path / DB_FILE, old_key)
                try:
                    conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")  # one transaction
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no page under the old key stays in the WAL
                finally:
                    conn.close()
                self._engine = open_engine(path / DB_FILE, new_key)
                os.replace(path / NEXT_KEY_FILE, path / KEY_FILE)
                keys.fsync_dir(path)
        finally:
            if self._lock is not None:
                self._lock.share()

    # --- the audit anchor ------------------------------------------------------------------------------

    def anchor_problem(self) -> str | None:
        """Why `audit.anchor` and library.db's audit log disagree (one line), or None if they agree."""
        if self._audit_keys is None:
            raise VigError(f"library {self.path} is closed")
        with self.read() as repos:
            head = repos.audit.head()
            try:
                anchor = read_anchor(self.path, self._audit_keys.anchor)
            except AnchorProblem as problem:
                return str(problem)
            if anchor is None:
                return f"{ANCHOR_FILE} is missing (deleted, or library.db was copied in from elsewhere)"
            if anchor.accepts(head):
                return None
            newest = anchor.newest()
            if head.counter < newest.counter:
                return (f"library.db ends at audit event {head.counter} but {ANCHOR_FILE} records "
                        f"{newest.counter}: events were removed or an older library.db was put back")
            if head.counter > newest.counter and repos.audit.hash_of(newest.counter) == newest.head:
                return (f"{ANCHOR_FILE} records audit event {newest.counter} but library.db goes on to "
                        f"{head.counter}: an older {ANCHOR_FILE} was put back")
            return (f"library.db's audit log does not lead to the event {ANCHOR_FILE} records: it was "
                    "rewritten, or another library.db was put in its place")

    def _anchor_pending(self, repos: Repos, *, force: bool) -> _Anchoring | None:
        """Inside the transaction, before its commit: take `audit.lock` and write {before, after}."""
        assert self._audit_keys is not None
        key = self._audit_keys.anchor
        before, after = repos.audit.head_before, repos.audit.head()
        assert before is not None
        lock = AnchorLock(self.path)
        try:
            if not force:
                try:
                    anchor = read_anchor(self.path, key)
                except AnchorProblem:
                    anchor = None
                if anchor is None or not anchor.accepts(before):
                    # Keep the evidence: `audit verify` reports it until a restore re-anchors.
                    log.warning("audit anchor does not match library.db; left as it is")
                    lock.release()
                    return None
            write_anchor(self.path, key, Anchor(before, after))
        except BaseException:
            lock.release()
            raise
        return _Anchoring(self.path, key, lock, after)

    def _key_audit_log(self, data_key: bytes) -> None:
        """The audit log's keys, keying the chain first if this library was made before it was keyed.

        Re-chaining a legacy (plain SHA-256) log is recorded with what its old chain showed; the
        anchor is written only if there is none yet (one already there belongs to a newer state: an
        older, unkeyed library.db put back must not be laundered into a fresh anchor).
        """
        with self.read() as repos:
            stored = repos.settings.get(AUDIT_ROOT_SETTING)
        if stored is not None:
            self._audit_keys = AuditKeys.from_root(bytes.fromhex(stored))
            return
        root = audit_root(data_key)
        audit_keys = AuditKeys.from_root(root)
        fresh = not (self.path / ANCHOR_FILE).exists()
        self._audit_keys = audit_keys
        with self.transaction(reanchor=fresh) as repos:
            if repos.settings.get(AUDIT_ROOT_SETTING) is not None:  # another process keyed it meanwhile
                return
            broken = repos.audit.verify_chain(legacy=True)
            count = repos.audit.rechain(audit_keys.chain)
            repos.settings.set(AUDIT_ROOT_SETTING, root.hex())
            if count or not fresh:
                note = f"; the unkeyed chain was broken at ids {', '.join(map(str, broken[:20]))}" if broken else ""
                repos.audit.append(AuditEvent("audit_keyed", f"{count} events re-chained under the library key{note}"))
            else:
                write_anchor(self.path, audit_keys.anchor, Anchor(Head(0, AUDIT_GENESIS)))
        with self.read() as repos:  # another process may have keyed it first: use what is stored
            self._audit_keys = AuditKeys.from_root(bytes.fromhex(repos.settings.get(AUDIT_ROOT_SETTING) or root.hex()))

    @property
    def sqlcipher_version(self) -> str:
        with self.read() as repos:
            return str(repos.orm_session.connection().exec_driver_sql("PRAGMA cipher_version").scalar())

    @property
    def schema_version(self) -> str | None:
        if self._schema_version is None:
            self._schema_version = current_revision(self._read_only_engine())
        return self._schema_version

    def integrity_check(self) -> list[str]:
        """Problems found in library.db and every media container; an empty list means all is well.

        SQLCipher's `cipher_integrity_check` verifies every page's HMAC; SQLite's `integrity_check`
        and `foreign_key_check` the structure. A check that cannot even run is reported, not raised.
        """
        problems: list[str] = []
        checks: list[tuple[str, Callable[[Sequence[Any]], list[str]]]] = [
            ("PRAGMA cipher_integrity_check", lambda rows: [r[0] for r in rows]),
            ("PRAGMA integrity_check", lambda rows: [r[0] for r in rows if r[0] != "ok"]),
            ("PRAGMA foreign_key_check", lambda rows: [f"broken reference in {r[0]} row {r[1]}" for r in rows]),
        ]
        for statement, problems_in in checks:
            try:
                with self._read_only_engine().connect() as conn:
                    problems += [f"{DB_FILE}: {p}" for p in problems_in(conn.exec_driver_sql(statement).all())]
            except DBAPIError as exc:
                problems.append(f"{DB_FILE}: {statement.split()[1]} failed ({exc.orig})")
        try:
            with self.read() as repos:
                containers = repos.recordings.containers() | repos.recordings.proxy_containers()
        except DBAPIError as exc:
            return problems + [f"{DB_FILE}: cannot list the media containers ({exc.orig})"]
        for name, key_hex in sorted(containers.items()):
            problems += self.containers.check(name, key_hex)
        return problems

    def _read_only_engine(self) -> Engine:
        return self.engine.execution_options(**{READ_ONLY_OPTION: True})

    def _container_names(self) -> list[str]:
        with self.read() as repos:
            return [*repos.recordings.containers(), *repos.recordings.proxy_containers()]


class _Anchoring:
    """An anchored transaction after its pending write: `committed()` then `release()`."""

    def __init__(self, folder: Path, key: bytes, lock: AnchorLock, after: Head):
        self._folder, self._key, self._lock, self._after = folder, key, lock, after

    def committed(self) -> None:
        write_anchor(self._folder, self._key, Anchor(self._after), durable_rename=False)

    def release(self) -> None:
        self._lock.release()


def _decrypts(engine: Engine) -> bool:
    try:
        with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except (DBAPIError, sqlcipher3.DatabaseError):
        return False
    return True


def _finish_rotation(path: Path, passphrase: str) -> tuple[Engine, bytes]:
    """library.db does not decrypt with library.key: a key rotation that re-keyed library.db was cut
    short before its new key file replaced the old one. Take `library.key.next` if it opens it."""
    library = str(path)
    damaged = DamagedLibrary(library, f"{DB_FILE} cannot be decrypted with this library's key")
    next_file = path / NEXT_KEY_FILE
    if not next_file.is_file():
        raise damaged
    new_key = keys.unwrap_keyfile(next_file, passphrase)
    engine = open_engine(path / DB_FILE, new_key)
    if not _decrypts(engine):
        engine.dispose()
        raise damaged
    os.replace(next_file, path / KEY_FILE)
    keys.fsync_dir(path)
    return engine, new_key


def _upgrade(engine: Engine, library: str) -> None:
    """Run the migrations; a library.db damaged beyond them is a clean refusal, not a crash."""
    try:
        upgrade_to_head(engine, library)
    except (DBAPIError, sqlcipher3.DatabaseError) as exc:
        raise DamagedLibrary(library, f"{DB_FILE} cannot be brought up to date ({_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).splitlines() or [type(orig).__name__])[0][:120]


def _remove_partial_library(path: Path, made_folder: bool) -> None:
    """Undo a failed `create`: remove only what it made."""
    if made_folder:
        shutil.rmtree(path, ignore_errors=True)
        return
    for name in (KEY_FILE, KEY_FILE + ".tmp", ANCHOR_FILE, ANCHOR_FILE + ".tmp", ANCHOR_LOCK_FILE, LOCK_FILE,
                 DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal"):
        (path / name).unlink(missing_ok=True)
    shutil.rmtree(path / MEDIA_DIR, ignore_errors=True)
