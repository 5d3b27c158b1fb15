"""`audit.anchor`: the audit log's head kept outside library.db, so a rolled-back database is noticed.

The audit log in library.db is an HMAC chain (keyed from the data key, see `AuditKeys`): nobody
without the key can edit, insert or remove a row and recompute the chain. That alone does not stop
an older copy of library.db (an earlier, valid chain) from being put back, or the newest rows from
being cut off. The anchor file records the id and the HMAC of the newest event (a counter that only
grows) under its own HMAC, written atomically whenever a transaction appended events:

    before the commit:  {"committed": <head before>, "pending": <head after>}
    after the commit:   {"committed": <head after>,  "pending": null}

so a crash between the two leaves a file that accepts either state, and nothing else. A database
whose newest event is neither (rows removed, an older file copied back) or an anchor older than the
database (an older audit.anchor copied back) is reported by `audit verify`, and the anchor is then
left untouched (the evidence stays) until a restore re-anchors it. Writers take `audit.lock`
(flock) inside their SQLite write transaction, so anchors are written in commit order.

What it cannot detect: library.db *and* audit.anchor rolled back together to a consistent older pair.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .keys import fsync_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ANCHOR_FILE = "audit.anchor"
ANCHOR_LOCK_FILE = "audit.lock"
FORMAT = "vigstudio-audit-anchor"
VERSION = 1
_MAX_SIZE = 4096


def _hkdf(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)


def audit_root(data_key: bytes) -> bytes:
    """The audit log's root key, derived (HKDF) from the data key when the chain is first keyed, then
    kept inside library.db: rotating the data key later does not re-write the audit log."""
    return _hkdf(data_key, b"vigstudio audit root v1")


@dataclass(frozen=True, repr=False)
class AuditKeys:
    """The two keys derived from the audit root: one for the chain's HMACs, one for the anchor's."""

    chain: bytes
    anchor: bytes

    @classmethod
    def from_root(cls, root: bytes) -> AuditKeys:
        return cls(_hkdf(root, b"vigstudio audit chain v1"), _hkdf(root, b"vigstudio audit anchor v1"))

    def __repr__(self) -> str:  # never print a key
        return "AuditKeys(<hidden>)"


@dataclass(frozen=True)
class Head:
    """The newest audit event: its id (0 for an empty log) and its chain HMAC (hex)."""

    counter: int
    head: str

    def as_json(self) -> dict[str, Any]:
        return {"counter": self.counter, "head": self.head}


@dataclass(frozen=True)
class Anchor:
    committed: Head
    pending: Head | None = None

    def accepts(self, head: Head) -> bool:
        return head == self.committed or head == self.pending

    def newest(self) -> Head:
        return self.pending if self.pending is not None and self.pending.counter > self.committed.counter \
            else self.committed


class AnchorProblem(Exception):
    """The anchor file is missing, unreadable or its HMAC does not verify (message: one line)."""


def _mac(key: bytes, body: dict[str, Any]) -> str:
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def read_anchor(folder: Path, key: bytes) -> Anchor | None:
    """The anchor, None if there is no file; `AnchorProblem` if it is not a valid one."""
    path = Path(folder) / ANCHOR_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AnchorProblem(f"{ANCHOR_FILE} cannot be read ({exc.strerror or exc})") from None
    try:
        if len(raw) > _MAX_SIZE:
            raise ValueError("too large")
        body = json.loads(raw.decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("version") != VERSION:
            raise ValueError("not an anchor")
        mac = body.pop("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(key, body)):
            raise AnchorProblem(f"{ANCHOR_FILE} was altered or belongs to another library (its HMAC fails)")
        committed = _head(body["committed"])
        pending = None if body.get("pending") is None else _head(body["pending"])
    except AnchorProblem:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise AnchorProblem(f"{ANCHOR_FILE} is not readable") from None
    return Anchor(committed, pending)


def _head(value: object) -> Head:
    if not isinstance(value, dict):
        raise TypeError("head")
    counter, head = value["counter"], value["head"]
    if not isinstance(counter, int) or isinstance(counter, bool) or counter < 0 or not isinstance(head, str):
        raise TypeError("head")
    return Head(counter, head)


def write_anchor(folder: Path, key: bytes, anchor: Anchor, *, durable_rename: bool = True) -> None:
    """Write the anchor atomically (owner-only temp file, fsync, rename, fsync the folder). After a
    commit the folder's fsync may be skipped: losing that rename in a crash leaves the pending anchor,
    which accepts the committed state too."""
    body = {"format": FORMAT, "version": VERSION, "committed": anchor.committed.as_json(),
            "pending": anchor.pending.as_json() if anchor.pending is not None else None}
    body["mac"] = _mac(key, body)
    path = Path(folder) / ANCHOR_FILE
    tmp = path.with_name(ANCHOR_FILE + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with open(fd, "wb") as f:
            f.write((json.dumps(body, indent=1) + "\n").encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable_rename:
        fsync_dir(Path(folder))


class AnchorLock:
    """`audit.lock`, held exclusively from an anchored transaction's pending write to its final one."""

    def __init__(self, folder: Path):
        self._fd: int | None = os.open(Path(folder) / ANCHOR_LOCK_FILE,
                                       os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self.release()
                raise

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
