"""Backups of a whole library as one file, and restoring them.

A backup is an uncompressed tar of what is already encrypted at rest: `library.key` (the data key,
wrapped by the passphrase), a snapshot of `library.db` (SQLCipher, same key) made with `VACUUM INTO`
while the library stays open, and every media container the snapshot refers to; plus a manifest with
each member's SHA-256 and the audit log's head at the snapshot. No plaintext is written anywhere.

Consistency: containers are written once and only ever deleted (after their row). So the containers
present are opened *before* the snapshot is taken (an open file survives a later unlink), and one
made between the listing and the snapshot is opened after it; if that one is already gone, the whole
backup is taken again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from vigstudio.domain.errors import InvalidInput, LibraryExists, VigError

from .anchor import ANCHOR_FILE
from .containers import PROXY_ASSET, SUFFIX, proxy_name
from .keys import fsync_dir
from .lock import LibraryBusy, LibraryLock
from .permissions import FILE_MODE, FOLDER_MODE, secure_library

if TYPE_CHECKING:
    from .library import Library

FORMAT = "vigstudio-backup"
VERSION = 1
MANIFEST = "vigstudio-backup.json"
_CONTAINER_MEMBER = re.compile(r"^media/[0-9a-f]{32}(-proxy)?\.vigm$")
_MAX_MANIFEST = 4 * 1024 * 1024
_ATTEMPTS = 3

Progress = Callable[[float, str], None]


class BackupRefused(VigError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    created: dt.datetime
    audit_counter: int  # the newest audit event in the snapshot
    schema: str | None
    containers: int
    key_file: bytes  # library.key as backed up (to check the passphrase before anything is written)


def write_backup(library: Library, out: Path, progress: Progress | None = None) -> BackupInfo:
    """Write a consistent backup of the open `library` to `out` (atomically, owner-only)."""
    out = Path(out).absolute()
    if not out.parent.is_dir():
        raise InvalidInput(f"cannot write {out}: the folder does not exist")
    if out == library.path or library.path in out.parents:
        raise InvalidInput("a backup cannot be written inside the library it backs up")
    for _ in range(_ATTEMPTS):
        info = _try_backup(library, out, progress)
        if info is not None:
            return info
    raise BackupRefused(f"library {library.path} changed too often during the backup; try again")


def _try_backup(library: Library, out: Path, progress: Progress | None) -> BackupInfo | None:
    media = library.path / "media"
    opened: dict[str, BinaryIO] = {}
    snapshot = out.with_name(f".{out.name}.{secrets.token_hex(4)}.db.partial")
    partial = out.with_name(f".{out.name}.partial")
    try:
        for p in sorted(media.iterdir()) if media.is_dir() else []:
            if p.name.endswith(SUFFIX):
                opened[p.name] = open(p, "rb")
        if progress:
            progress(0.02, "snapshot of library.db")
        counter, head, schema, names = _snapshot(library, snapshot)
        for name in names:
            if name not in opened:
                try:
                    opened[name] = open(media / name, "rb")
                except FileNotFoundError:
                    return None  # made and deleted while we looked: take the backup again
        created = dt.datetime.now(dt.UTC)
        key_file = (library.path / "library.key").read_bytes()
        members: list[tuple[str, BinaryIO | Path | bytes]] = [("library.key", key_file), ("library.db", snapshot)]
        members += [(f"media/{name}", opened[name]) for name in sorted(names)]
        total = sum(_size(src) for _, src in members) or 1
        digests: dict[str, str] = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
        with open(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            done = 0
            for name, src in members:
                digests[name] = _add(tar, name, src)
                done += _size(src)
                if progress:
                    progress(0.05 + 0.9 * done / total, "writing the backup")
            manifest = {"format": FORMAT, "version": VERSION, "created": created.isoformat(),
                        "audit": {"counter": counter, "head": head}, "schema": schema, "members": digests}
            _add(tar, MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
        fsync_dir(out.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        for f in opened.values():
            f.close()
        snapshot.unlink(missing_ok=True)
    if progress:
        progress(1.0, "backed up")
    return BackupInfo(created, counter, schema, len(names), key_file)


def _snapshot(library: Library, target: Path) -> tuple[int, str, str | None, list[str]]:
    """`VACUUM INTO` a consistent, encrypted copy of library.db; its audit head and containers."""
    conn = library.engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute("PRAGMA query_only = OFF")  # a pooled connection may come from a read-only snapshot
        cur.execute("VACUUM INTO ?", (str(target),))
        os.chmod(target, FILE_MODE)
        cur.execute("ATTACH DATABASE ? AS snap", (str(target),))  # no KEY: the main database's key
        try:
            row = cur.execute("SELECT id, hash FROM snap.audit_events ORDER BY id DESC LIMIT 1").fetchone()
            names = [r[0] for r in cur.execute("SELECT container FROM snap.recordings").fetchall()]
            names += [proxy_name(r[0]) for r in cur.execute(
                "SELECT r.container FROM snap.recordings r JOIN snap.recording_assets a ON a.recording_id = r.id "
                "WHERE a.kind = ?", (PROXY_ASSET,)).fetchall()]  # scrubbing proxies, keyed by that asset
            version = cur.execute("SELECT version_num FROM snap.alembic_version").fetchone()
        finally:
            cur.execute("DETACH DATABASE snap")
        cur.close()
    finally:
        conn.close()
    counter, head = (row[0], row[1]) if row else (0, "0" * 64)
    return counter, head, version[0] if version else None, names


def _size(src: BinaryIO | Path | bytes) -> int:
    if isinstance(src, bytes):
        return len(src)
    if isinstance(src, Path):
        return src.stat().st_size
    return os.fstat(src.fileno()).st_size


def _add(tar: tarfile.TarFile, name: str, src: BinaryIO | Path | bytes) -> str:
    """Add one member (mode 600, no owner names, time 0); return its SHA-256."""
    digest = hashlib.sha256()
    if isinstance(src, Path):
        with open(src, "rb") as f:
            return _add(tar, name, f)
    stream: BinaryIO = io.BytesIO(src) if isinstance(src, bytes) else src
    size = _size(src)
    stream.seek(0)
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, FILE_MODE, 0
    tar.addfile(info, _Hashing(stream, digest))
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    def __init__(self, inner: BinaryIO, digest: Any):
        super().__init__()
        self._inner, self._digest = inner, digest

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self._inner.read(n)
        self._digest.update(data)
        return data


# --- restore ------------------------------------------------------------------------------------------


def read_backup_info(backup: Path) -> BackupInfo:
    """The backup's manifest and key file, checked (`BackupRefused` for anything that is not ours)."""
    manifest, key_file, _ = _open_backup(Path(backup))
    return BackupInfo(_created(manifest), manifest["audit"]["counter"], manifest.get("schema"),
                      sum(1 for n in manifest["members"] if n.startswith("media/")), key_file)


def _refuse(backup: Path, why: str) -> BackupRefused:
    return BackupRefused(f"{backup} is not a usable VIG Studio backup: {why}")


def _open_backup(backup: Path) -> tuple[dict[str, Any], bytes, list[tarfile.TarInfo]]:
    try:
        with tarfile.open(backup, mode="r:") as tar:
            members = tar.getmembers()
            by_name = {m.name: m for m in members}
            if len(by_name) != len(members):
                raise _refuse(backup, "a member appears twice")
            for m in members:
                if not m.isfile() or not (m.name in (MANIFEST, "library.key", "library.db")
                                          or _CONTAINER_MEMBER.match(m.name)):
                    raise _refuse(backup, f"unexpected member {m.name[:80]!r}")
            if MANIFEST not in by_name or by_name[MANIFEST].size > _MAX_MANIFEST:
                raise _refuse(backup, "no manifest")
            manifest = json.loads(_read_member(tar, by_name[MANIFEST]).decode("utf-8"))
            key_file = _read_member(tar, by_name["library.key"]) if "library.key" in by_name else b""
    except FileNotFoundError:
        raise InvalidInput(f"file not found: {backup}") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _refuse(backup, f"not a readable tar file ({type(exc).__name__})") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(backup, "its manifest is not readable") from None
    try:
        ok = (isinstance(manifest, dict) and manifest.get("format") == FORMAT and manifest.get("version") == VERSION
              and isinstance(manifest["members"], dict) and isinstance(manifest["audit"]["counter"], int))
        _created(manifest)
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        raise _refuse(backup, "its manifest is not one VIG Studio writes")
    named = {m.name for m in members} - {MANIFEST}
    if named != set(manifest["members"]) or not {"library.key", "library.db"} <= named:
        raise _refuse(backup, "its members do not match its manifest")
    return manifest, key_file, members


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    f = tar.extractfile(member)
    if f is None:
        raise tarfile.TarError("not a file")
    return f.read()


def _created(manifest: dict[str, Any]) -> dt.datetime:
    created = dt.datetime.fromisoformat(manifest["created"])
    if created.tzinfo is None:
        raise ValueError("naive time")
    return created


def existing_audit_counter(folder: Path) -> int | None:
    """The newest audit event a library folder's anchor records (unverified: only to compare ages)."""
    try:
        body = json.loads((Path(folder) / ANCHOR_FILE).read_text(encoding="utf-8"))
        heads = [body["committed"], body.get("pending") or body["committed"]]
        return max(int(h["counter"]) for h in heads)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def restore_files(backup: Path, to: Path, *, force: bool = False, progress: Progress | None = None) -> Path | None:
    """Unpack `backup` into `to`, checking every member's SHA-256 first. A library already in `to`
    that is newer than the backup (by its audit anchor) is refused unless `force`; one that is
    replaced is moved aside, never deleted. Returns where the replaced library went (or None)."""
    backup, to = Path(backup).absolute(), Path(to).absolute()
    manifest, _, members = _open_backup(backup)
    if to.exists() and (not to.is_dir() or any(to.iterdir())):
        if not (to / "library.key").is_file():
            raise LibraryExists(str(to))
        # Held alone until the old library has been moved aside: nobody opens it meanwhile.
        in_the_way = LibraryLock(to)
        if not in_the_way.try_exclusive():
            in_the_way.close()
            raise LibraryBusy(str(to), "it is open in a window or program; close it before restoring over it")
        try:
            return _replace(backup, to, manifest, members, force, progress)
        finally:
            in_the_way.close()
    return _replace(backup, to, manifest, members, force, progress)


def _replace(backup: Path, to: Path, manifest: dict[str, Any], members: list[tarfile.TarInfo], force: bool,
             progress: Progress | None) -> Path | None:
    replaced_to = None
    if to.exists() and any(to.iterdir()):
        existing = existing_audit_counter(to)
        backed_up = manifest["audit"]["counter"]
        if existing is not None and existing > backed_up and not force:
            raise BackupRefused(f"{to} holds a newer library (audit event {existing}; the backup ends at "
                                f"{backed_up}): nothing was changed (use --force to replace it)")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        replaced_to = to.with_name(f"{to.name}.before-restore-{stamp}")
    staging = to.with_name(f".{to.name}.restoring-{secrets.token_hex(4)}")
    try:
        staging.mkdir(mode=FOLDER_MODE, parents=False)
        (staging / "media").mkdir(mode=FOLDER_MODE)
        total = sum(m.size for m in members) or 1
        done = 0
        with tarfile.open(backup, mode="r:") as tar:
            for m in members:
                if m.name == MANIFEST:
                    continue
                digest = hashlib.sha256()
                src = tar.extractfile(m)
                assert src is not None
                target = staging / m.name
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
                with open(fd, "wb") as dst:
                    while chunk := src.read(1024 * 1024):
                        digest.update(chunk)
                        dst.write(chunk)
                    dst.flush()
                    os.fsync(dst.fileno())
                if digest.hexdigest() != manifest["members"][m.name]:
                    raise _refuse(backup, f"{m.name} does not match its checksum (the file is damaged)")
                done += m.size
                if progress:
                    progress(0.9 * done / total, "restoring")
        fsync_dir(staging / "media")
        fsync_dir(staging)
        if replaced_to is not None:
            os.replace(to, replaced_to)
        elif to.exists():
            to.rmdir()  # an empty folder
        os.replace(staging, to)
        fsync_dir(to.parent)
        secure_library(to)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return replaced_to
