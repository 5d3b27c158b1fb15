"""SQLCipher engine for library.db, opened with the raw data key, and the mapping of "disk full" errors.

Every connection is keyed with `PRAGMA key = "x'<hex>'"` (raw key: no passphrase KDF inside SQLCipher),
keeps temporary tables and indices in memory, uses WAL and enforces foreign keys. Freed pages are zeroed
(`secure_delete`), so deleting a recording's row really removes its container key from the file.
"""

from __future__ import annotations

import errno
import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from vigstudio.domain.errors import DamagedLibrary, DiskFull

SQLITE_HEADER = b"SQLite format 3\x00"
READ_ONLY_OPTION = "vigstudio_read_only"  # execution option: begin a read-only, non-locking transaction
BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 3  # the GUI thread, a background task and a thumbnail or picture loader at once
# Below this much free space an SQLite write I/O error is taken to be a full disk (see `is_disk_full`).
_LOW_SPACE_BYTES = 4 * 1024 * 1024
# SQLCipher's `cipher_memory_security`: wipe every buffer SQLCipher frees. It is process-wide and cannot
# be turned off again, and it makes reading media containers ~2.5x slower while library.db work costs
# ~1.2x (bench/memory_security.py): so processes that do not decode media turn it on (`wipe_freed_memory`).
MEMORY_SECURITY = False


def wipe_freed_memory() -> None:
    """Turn `cipher_memory_security` on for every connection this process opens from now on."""
    global MEMORY_SECURITY
    MEMORY_SECURITY = True


def raw_key_pragma_value(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("SQLCipher raw keys are 32 bytes")
    return f"x'{key.hex()}'"


def connect_keyed(db_path: Path, key: bytes) -> sqlcipher3.Connection:
    """A raw connection to `db_path`, keyed with `PRAGMA key = "x'<hex>'"` (SQLCipher's raw-key form)."""
    conn = sqlcipher3.connect(str(db_path), check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"')
        if MEMORY_SECURITY:
            conn.execute("PRAGMA cipher_memory_security = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def ensure_not_plaintext(path: Path, library: str) -> None:
    """Refuse a database file that SQLite could read without a key."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    if head == SQLITE_HEADER:
        raise DamagedLibrary(library, f"{path.name} is not encrypted")


def open_engine(db_path: Path, key: bytes) -> Engine:
    """An engine on `db_path` (created if missing) encrypted with the 32-byte raw `key`.

    Each new connection is keyed by `connect_keyed`, which keeps the key as bytes (no URL or engine
    option holds it as text for the engine's lifetime). A small pool keeps a few keyed connections
    while the library is open, so a transaction does not pay for opening, keying and configuring a
    connection, nor the WAL checkpoint SQLite runs when the last connection closes (together most of
    an edit's cost): `Library.close()` disposes of the engine, which closes them, so nothing stays
    open once the library is closed or locked. A connection is used by one thread at a time (the pool
    hands it out exclusively), whichever thread that is.
    """
    raw_key_pragma_value(key)  # refuse a key of the wrong size now, not at the first connection
    engine = create_engine("sqlite://", creator=lambda: connect_keyed(db_path, key), module=sqlcipher3,
                           poolclass=QueuePool, pool_size=POOL_SIZE, max_overflow=8)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours (see `_on_begin`).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "foreign_keys = ON",
                           "secure_delete = ON", "synchronous = FULL",
                           f"busy_timeout = {BUSY_TIMEOUT_MS}"):
                cursor.execute(f"PRAGMA {pragma}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            # A snapshot that neither waits for nor blocks writers (WAL); writing in it is refused.
            connection.exec_driver_sql("PRAGMA query_only = ON")
            connection.exec_driver_sql("BEGIN")
        else:
            # A pooled connection may come from a snapshot: writable again first. IMMEDIATE: take the
            # write lock up front, so a transaction never fails half-way on a lock upgrade. (So do not
            # nest a transaction inside another in the same thread: it would wait.)
            connection.exec_driver_sql("PRAGMA query_only = OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def sqlite_error_name(exc: BaseException) -> str | None:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return getattr(orig, "sqlite_errorname", None)


def is_disk_full(exc: BaseException, where: Path) -> bool:
    """Whether `exc` means the disk (or the process's file-size limit) ran out.

    SQLite reports ENOSPC as SQLITE_FULL; EFBIG (file-size limit) and some ENOSPC cases arrive as a
    plain write I/O error, without the errno, so for those the free space and limits are checked.
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    name = sqlite_error_name(exc)
    if name == "SQLITE_FULL":
        return True
    if name in ("SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE", "SQLITE_IOERR"):
        return _space_is_short(where)
    return False


def _space_is_short(where: Path) -> bool:
    try:
        st = os.statvfs(where)
        if st.f_bavail * st.f_frsize < _LOW_SPACE_BYTES:
            return True
    except OSError:
        pass
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


@contextmanager
def disk_full_as_error(where: Path, library: str) -> Iterator[None]:
    """Turn a full-disk failure inside the block into `DiskFull(library)`."""
    try:
        yield
    except (DBAPIError, sqlcipher3.DatabaseError, OSError) as exc:
        if is_disk_full(exc, where):
            raise DiskFull(library) from exc
        raise
