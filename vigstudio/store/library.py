"""An unlocked library folder: key file, encrypted database and media containers (see architecture.md)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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

from . import keys
from .containers import ContainerStore
from .database import READ_ONLY_OPTION, disk_full_as_error, ensure_not_plaintext, open_engine
from .migrate import current_revision, upgrade_to_head
from .repositories import Repos

KEY_FILE = "library.key"
DB_FILE = "library.db"
MEDIA_DIR = "media"


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < PassphraseTooShort.MIN_LENGTH:
        raise PassphraseTooShort()


class Library:
    """Use `Library.create` or `Library.open`; every edit goes through `transaction()`."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self._engine: Engine | None = engine
        self._schema_version: str | None = None  # only migrations at open change it
        self.containers = ContainerStore(path / MEDIA_DIR, self._container_names, str(path))

    # --- opening and closing -----------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, passphrase: str, params: keys.KdfParams | None = None) -> Library:
        """Make a new library in `path` (which must not exist or be an empty folder)."""
        path = Path(path).absolute()
        _check_passphrase(passphrase)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise LibraryExists(str(path))
        made_folder = not path.exists()
        engine = None
        try:
            with disk_full_as_error(path.parent if made_folder else path, str(path)):
                path.mkdir(parents=True, exist_ok=True)
                data_key = keys.create_keyfile(path / KEY_FILE, passphrase, params)
                engine = open_engine(path / DB_FILE, data_key)
                upgrade_to_head(engine, str(path))
                ensure_not_plaintext(path / DB_FILE, str(path))
                (path / MEDIA_DIR).mkdir()
                keys.fsync_dir(path)
        except BaseException:
            if engine is not None:
                engine.dispose()
            _remove_partial_library(path, made_folder)
            raise
        return cls(path, engine)

    @classmethod
    def open(cls, path: Path | str, passphrase: str) -> Library:
        """Unlock `path`. Nothing is written before the passphrase has been checked."""
        path = Path(path).absolute()
        if not path.is_dir():
            raise NotALibrary(str(path), "no such folder")
        data_key = keys.unwrap_keyfile(path / KEY_FILE, passphrase)
        db = path / DB_FILE
        if not db.is_file():
            raise DamagedLibrary(str(path), f"{DB_FILE} is missing")
        ensure_not_plaintext(db, str(path))
        engine = open_engine(db, data_key)
        try:
            _check_decrypts(engine, str(path))
            with disk_full_as_error(path, str(path)):
                upgrade_to_head(engine, str(path))
                library = cls(path, engine)
                (path / MEDIA_DIR).mkdir(exist_ok=True)
                library.containers.remove_leftovers()
                (path / (KEY_FILE + ".tmp")).unlink(missing_ok=True)  # a passphrase change cut short
        except BaseException:
            engine.dispose()
            raise
        return library

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Library {self.path} {'open' if self.is_open else 'closed'}>"

    # --- use -----------------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VigError(f"library {self.path} is closed")
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Repos]:
        """One transaction, committed once when the block ends; rolled back if it raises.

        It holds the write lock from its start, so do not open another `transaction` inside
        it in the same thread. A full disk raises `DiskFull` and leaves the library as it was.
        """
        engine = self.engine
        with disk_full_as_error(self.path, str(self.path)):
            with OrmSession(engine, expire_on_commit=False) as session, session.begin():
                yield Repos(session)

    @contextmanager
    def read(self) -> Iterator[Repos]:
        """A read-only snapshot: never waits for a writer, never blocks one; any write in it is refused."""
        with OrmSession(self._read_only_engine()) as session:  # closing it rolls back; nothing is ever committed
            yield Repos(session)

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under `new`; nothing else is rewritten. `WrongPassphrase` if `old` is wrong."""
        _check_passphrase(new)
        with disk_full_as_error(self.path, str(self.path)):
            keys.rewrap_keyfile(self.path / KEY_FILE, old, new)

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
        checks = [
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


def _check_decrypts(engine: Engine, library: str) -> None:
    try:
        with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except (DBAPIError, sqlcipher3.DatabaseError) as exc:
        raise DamagedLibrary(library, f"{DB_FILE} cannot be decrypted with this library's key") from exc


def _remove_partial_library(path: Path, made_folder: bool) -> None:
    """Undo a failed `create`: remove only what it made."""
    if made_folder:
        shutil.rmtree(path, ignore_errors=True)
        return
    for name in (KEY_FILE, KEY_FILE + ".tmp", DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal"):
        (path / name).unlink(missing_ok=True)
    shutil.rmtree(path / MEDIA_DIR, ignore_errors=True)
