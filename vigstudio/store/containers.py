"""Encrypted media containers: one SQLCipher file per recording, read back as a seekable file object.

A container holds the original file's bytes in 1 MiB chunks (`chunks(idx, data)`) plus a little `meta`
(size, SHA-256), encrypted with its own random raw key (kept in library.db) and 64 KiB cipher pages,
so a chunk costs few page decryptions. An import writes `<uuid>.vigm.partial`, reads every chunk back
and compares the SHA-256 with the source's, and only then renames it to `<uuid>.vigm`. No plaintext
copy of the media ever touches the disk.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import sqlcipher3

from vigstudio.domain.errors import DamagedLibrary, InvalidInput, NotFound

from .database import disk_full_as_error, raw_key_pragma_value
from .keys import fsync_dir
from .permissions import create_private

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

CHUNK_SIZE = 1024 * 1024
PAGE_SIZE = 65536
SUFFIX = ".vigm"
PARTIAL = ".partial"
CONTAINER_FORMAT = "vigstudio-media-1"
_COMMIT_EVERY = 32  # chunks per transaction while writing; the file is discarded on any failure anyway
# A recording's scrubbing proxy lives in a companion container named after the recording's own, so
# that whatever deletes a recording's container (delete, retention, consent, a failed import)
# deletes its proxy too. Its key is the recording asset PROXY_ASSET (gone with the row).
PROXY_TAG = "-proxy"
PROXY_ASSET = "proxy"

Progress = Callable[[float, str], None]


def _connect(path: Path, key: bytes, *, read_only: bool) -> sqlcipher3.Connection:
    if read_only:
        conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                                  isolation_level=None)
    else:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would log errors to stderr itself
    conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"')
    conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def proxy_name(container: str) -> str:
    """The name of the companion container holding `container`'s scrubbing proxy."""
    return container[: -len(SUFFIX)] + PROXY_TAG + SUFFIX


def _key_bytes(key_hex: str) -> bytes:
    try:
        key = bytes.fromhex(key_hex)
    except ValueError:
        raise InvalidInput("container key is not hexadecimal") from None
    if len(key) != 32:
        raise InvalidInput("container key must be 32 bytes")
    return key


def _read_full_chunk(f: BinaryIO) -> bytes:
    """Up to CHUNK_SIZE bytes; raw files and pipes may return less per read, so keep reading."""
    parts, got = [], 0
    while got < CHUNK_SIZE:
        part = f.read(CHUNK_SIZE - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


class ContainerReader(io.RawIOBase):
    """Read-only, seekable view of a container's original bytes. PyAV can `av.open()` it directly.

    Thread-safe (one lock), so a decoder thread may read while another thread created it.
    """

    CACHE_CHUNKS = 4

    def __init__(self, path: Path, key_hex: str):
        super().__init__()
        self.name = path.name
        self._path = path
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._pos = 0
        self._conn: sqlcipher3.Connection | None = None
        try:
            self._conn = _connect(path, _key_bytes(key_hex), read_only=True)
            meta = dict(self._conn.execute("SELECT name, value FROM meta").fetchall())
        except sqlcipher3.DatabaseError as exc:
            self.close()
            raise DamagedLibrary(str(path.parent.parent), f"media container {path.name} cannot be read") from exc
        if meta.get("format") != CONTAINER_FORMAT:
            self.close()
            raise DamagedLibrary(str(path.parent.parent), f"media container {path.name} has an unknown format")
        self.size = int(meta["size"])
        self.sha256 = meta["sha256"]
        self._chunk_size = int(meta["chunk_size"])

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def write(self, data: ReadableBuffer) -> int:
        raise io.UnsupportedOperation("media containers are read-only")

    def truncate(self, size: int | None = None) -> int:
        raise io.UnsupportedOperation("media containers are read-only")

    def tell(self) -> int:
        self._checkClosed()
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._checkClosed()
        if whence == io.SEEK_SET:
            new = offset
        elif whence == io.SEEK_CUR:
            new = self._pos + offset
        elif whence == io.SEEK_END:
            new = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if new < 0:
            raise ValueError("negative seek position")
        self._pos = new
        return new

    def _chunk(self, idx: int) -> bytes:
        cached = self._cache.get(idx)
        if cached is not None:
            self._cache.move_to_end(idx)
            return cached
        try:
            row = self._conn.execute("SELECT data FROM chunks WHERE idx = ?", (idx,)).fetchone()  # type: ignore[union-attr]
        except sqlcipher3.DatabaseError as exc:
            raise OSError(f"media container {self.name} is damaged (chunk {idx})") from exc
        if row is None:
            raise OSError(f"media container {self.name} is missing chunk {idx}")
        data = bytes(row[0])
        self._cache[idx] = data
        if len(self._cache) > self.CACHE_CHUNKS:
            self._cache.popitem(last=False)
        return data

    def readinto(self, buffer: WriteableBuffer) -> int:
        self._checkClosed()
        out = memoryview(buffer).cast("B")
        with self._lock:
            filled = 0
            while filled < len(out) and self._pos < self.size:
                idx, offset = divmod(self._pos, self._chunk_size)
                chunk = self._chunk(idx)
                n = min(len(out) - filled, len(chunk) - offset)
                if n <= 0:
                    raise OSError(f"media container {self.name} has a short chunk {idx}")
                out[filled:filled + n] = chunk[offset:offset + n]
                filled += n
                self._pos += n
            return filled

    def readall(self) -> bytes:
        return self.read(max(0, self.size - self._pos))

    def close(self) -> None:
        if not self.closed and self._conn is not None:
            with self._lock:
                self._conn.close()
                self._conn = None
                self._cache.clear()
        super().close()


class ContainerStore:
    """The `media/` folder of a library. `referenced` lists the container names library.db knows."""

    def __init__(self, folder: Path, referenced: Callable[[], Iterable[str]], library: str | None = None):
        self.folder = Path(folder)
        self._referenced = referenced
        self._library = library or str(self.folder.parent)

    def path(self, name: str) -> Path:
        if not name.endswith(SUFFIX) or "/" in name or os.sep in name or name.startswith("."):
            raise InvalidInput(f"not a container name: {name!r}")
        return self.folder / name

    def create(self, source_file: Path | str | BinaryIO | io.RawIOBase, progress: Progress | None = None, *,
               name: str | None = None) -> tuple[str, str, str]:
        """Encrypt `source_file` into a new container; return (container_name, sha256_hex, key_hex).

        `name` (e.g. a `proxy_name`) replaces the random one; an existing file of that name (one no
        row refers to yet) is replaced only once the new one is complete.

        `source_file` is a path or a readable binary file object (read from its current position,
        e.g. an in-memory video; it is not closed). `progress(fraction, label)` may raise (e.g.
        `Cancelled`) to stop: the partial file is removed and the exception propagates. A full disk
        raises `DiskFull`, also leaving nothing behind.
        """
        if not hasattr(source_file, "read"):
            source_file = Path(source_file)
            if not source_file.is_file():
                raise InvalidInput(f"file not found: {source_file}")
        name = name or f"{uuid.uuid4().hex}{SUFFIX}"
        final = self.path(name)
        partial = final.with_name(name + PARTIAL)
        key = secrets.token_bytes(32)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            with disk_full_as_error(self.folder, self._library):
                create_private(partial)  # owner-only before SQLCipher writes a byte
                if isinstance(source_file, Path):
                    with open(source_file, "rb") as f:
                        sha256 = self._write(f, partial, key, progress)
                else:
                    sha256 = self._write(source_file, partial, key, progress)  # type: ignore[arg-type]
                self._verify(partial, key, sha256, progress)
                with open(partial, "rb+") as f:
                    os.fsync(f.fileno())
                os.replace(partial, final)
                fsync_dir(self.folder)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if progress is not None:
            progress(1.0, "stored")
        return name, sha256, key.hex()

    @staticmethod
    def _remaining_size(f: BinaryIO) -> int | None:
        try:
            if not f.seekable():
                return None
            here = f.tell()
            end = f.seek(0, io.SEEK_END)
            f.seek(here)
            return end - here
        except (OSError, AttributeError, ValueError):
            return None

    def _write(self, f: BinaryIO, partial: Path, key: bytes, progress: Progress | None) -> str:
        digest = hashlib.sha256()
        total = self._remaining_size(f)
        conn = _connect(partial, key, read_only=False)
        try:
            # No journal: on any failure the whole partial file is thrown away, never repaired.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("CREATE TABLE chunks (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)")
            conn.execute("BEGIN")
            size = idx = 0
            while chunk := _read_full_chunk(f):
                digest.update(chunk)
                conn.execute("INSERT INTO chunks (idx, data) VALUES (?, ?)", (idx, chunk))
                idx += 1
                size += len(chunk)
                if idx % _COMMIT_EVERY == 0:
                    conn.execute("COMMIT")
                    conn.execute("BEGIN")
                if progress is not None:
                    # Unknown length (a pipe): creep towards 0.8 without ever reaching it.
                    done = size / max(total, 1) if total is not None else 1 - 1 / (1 + idx / 64)
                    progress(0.8 * min(done, 1.0), "encrypting")
            meta = {"format": CONTAINER_FORMAT, "size": str(size), "chunk_size": str(CHUNK_SIZE),
                    "sha256": digest.hexdigest()}
            conn.executemany("INSERT INTO meta (name, value) VALUES (?, ?)", meta.items())
            conn.execute("COMMIT")
        finally:
            conn.close()
        return digest.hexdigest()

    def _verify(self, partial: Path, key: bytes, sha256: str, progress: Progress | None) -> None:
        """Read every chunk back through SQLCipher and compare the hash with the source's."""
        digest = hashlib.sha256()
        with ContainerReader(partial, key.hex()) as reader:
            chunks = max(1, -(-reader.size // CHUNK_SIZE))
            for idx in range(chunks if reader.size else 0):
                digest.update(reader._chunk(idx))
                if progress is not None:
                    progress(0.8 + 0.2 * (idx + 1) / chunks, "verifying")
        if digest.hexdigest() != sha256:
            raise DamagedLibrary(self._library, "the encrypted copy did not verify; nothing was imported")

    def open_reader(self, name: str, key_hex: str) -> ContainerReader:
        path = self.path(name)
        if not path.is_file():
            raise NotFound("media container", name)
        return ContainerReader(path, key_hex)

    def delete(self, name: str) -> None:
        """Remove a container, and the scrubbing proxy of a recording's container with it."""
        self.path(name).unlink(missing_ok=True)
        if not name.endswith(PROXY_TAG + SUFFIX):
            self.path(proxy_name(name)).unlink(missing_ok=True)
        fsync_dir(self.folder)

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.name.endswith(SUFFIX))

    def check(self, name: str, key_hex: str) -> list[str]:
        """SQLCipher's page-integrity check (HMAC of every page) plus SQLite's structural check."""
        path = self.path(name)
        if not path.is_file():
            return [f"media/{name}: missing"]
        try:
            conn = _connect(path, _key_bytes(key_hex), read_only=True)
        except sqlcipher3.DatabaseError as exc:
            return [f"media/{name}: cannot be opened ({exc})"]
        try:
            problems = [f"media/{name}: {row[0]}" for row in conn.execute("PRAGMA cipher_integrity_check")]
            if not problems:
                result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems += [f"media/{name}: {line}" for line in result]
        except sqlcipher3.DatabaseError as exc:
            problems = [f"media/{name}: {exc}"]
        finally:
            conn.close()
        return problems

    def remove_leftovers(self) -> list[str]:
        """Delete interrupted imports (`.partial`) and containers no recording refers to; return their names."""
        if not self.folder.is_dir():
            return []
        referenced = set(self._referenced())
        removed = []
        for p in self.folder.iterdir():
            interrupted = p.name.endswith((PARTIAL, "-journal", "-wal", "-shm")) and SUFFIX in p.name
            if interrupted or (p.name.endswith(SUFFIX) and p.name not in referenced):
                p.unlink(missing_ok=True)
                removed.append(p.name)
        if removed:
            fsync_dir(self.folder)
        return sorted(removed)
