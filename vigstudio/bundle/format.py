"""The bundle's plaintext: a tar whose first member is `manifest.json`, then the listed members.

The manifest names the format and version, the kind, the bundle's uid, the app version, when it was
made, the consent scope it was made under, and the SHA-256 and size of every other member. Writing is
a generator of tar blocks (nothing is assembled on disk); reading checks everything before any member
is handed out: the format and version, that the tar holds exactly the listed regular files with safe
names, and every member's size and SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from vigstudio.domain.errors import VigError

FORMAT = "vigstudio-bundle"
VERSION = 1
MANIFEST = "manifest.json"
BLOCK = tarfile.BLOCKSIZE  # 512


class BundleRefused(VigError):
    """A bundle that cannot be opened or made; the message says why in one line."""


@dataclass(frozen=True)
class Member:
    """One file of the bundle. `chunks()` yields its bytes; `size` and `sha256` are declared up front
    (the manifest comes first) and checked again while the bytes stream past."""

    name: str
    size: int
    sha256: str
    chunks: Callable[[], Iterable[bytes]]

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Member:
        return cls(name, len(data), hashlib.sha256(data).hexdigest(), lambda: (data,))


def make_manifest(kind: str, uid: str, app_version: str, consent_scope: str | None,
                  members: Iterable[Member], created_at: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "uid": uid,
        "app_version": app_version,
        "created_at": (created_at or dt.datetime.now(dt.UTC)).isoformat(),
        "consent_scope": consent_scope,
        "members": {m.name: {"size": m.size, "sha256": m.sha256} for m in members},
    }


def tar_stream(manifest: Mapping[str, Any], members: Iterable[Member]) -> Iterator[bytes]:
    """The tar, block by block: the manifest first, then each member as it is read."""
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    yield from _member_blocks(Member.from_bytes(MANIFEST, manifest_bytes))
    for member in members:
        yield from _member_blocks(member)
    yield bytes(2 * BLOCK)  # end of archive


def _member_blocks(member: Member) -> Iterator[bytes]:
    _check_name(member.name)
    info = tarfile.TarInfo(member.name)
    info.size, info.mode, info.mtime = member.size, 0o600, 0
    yield info.tobuf(format=tarfile.PAX_FORMAT)
    digest, written = hashlib.sha256(), 0
    for chunk in member.chunks():
        written += len(chunk)
        if written > member.size:
            break
        digest.update(chunk)
        yield chunk
    if written != member.size or digest.hexdigest() != member.sha256:
        # The source changed under us (or a bug): the bundle would not open, so stop making it.
        raise BundleRefused(f"{member.name} changed while the bundle was being made; nothing was written")
    if member.size % BLOCK:
        yield bytes(BLOCK - member.size % BLOCK)


@dataclass
class OpenedBundle:
    """A fully authenticated and checked bundle, held in memory."""

    manifest: dict[str, Any]
    _data: memoryview
    _spans: dict[str, tuple[int, int]]

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def uid(self) -> str:
        return str(self.manifest["uid"])

    def names(self) -> list[str]:
        return list(self._spans)

    def member(self, name: str) -> memoryview:
        start, size = self._spans[name]
        return self._data[start:start + size]

    def json(self, name: str) -> dict[str, Any]:
        try:
            value = json.loads(bytes(self.member(name)).decode("utf-8"))
        except (KeyError, UnicodeDecodeError, json.JSONDecodeError):
            raise BundleRefused(f"the bundle's {name} is missing or not valid JSON") from None
        if not isinstance(value, dict):
            raise BundleRefused(f"the bundle's {name} is not valid")
        return value


def parse_tar(plaintext: bytes | bytearray) -> OpenedBundle:
    """Check the decrypted tar against its manifest; raise `BundleRefused` on any mismatch."""
    data = memoryview(plaintext)
    spans: dict[str, tuple[int, int]] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(plaintext), mode="r:") as tar:
            for info in tar:
                if not info.isreg() or not _safe_name(info.name) or info.name in spans:
                    raise BundleRefused(f"the bundle holds an unexpected entry {info.name!r}")
                spans[info.name] = (info.offset_data, info.size)
    except tarfile.TarError:
        raise BundleRefused("the bundle's contents are not readable (not a VIG Studio bundle?)") from None
    if not spans or next(iter(spans)) != MANIFEST:
        raise BundleRefused("the bundle has no manifest (not a VIG Studio bundle?)")
    bundle = OpenedBundle({}, data, spans)
    manifest = bundle.json(MANIFEST)
    if manifest.get("format") != FORMAT:
        raise BundleRefused("not a VIG Studio bundle (unknown format)")
    if manifest.get("version") != VERSION:
        raise BundleRefused(f"bundle format version {manifest.get('version')!r} is not supported by this "
                            f"version of VIG Studio (it reads version {VERSION}); please update the app")
    listed = manifest.get("members")
    if not isinstance(listed, dict) or not isinstance(manifest.get("uid"), str) or \
            manifest.get("kind") not in ("session", "feedback"):
        raise BundleRefused("the bundle's manifest is not valid")
    present = set(spans) - {MANIFEST}
    if present != set(listed):
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise BundleRefused(f"the bundle's members do not match its manifest (missing {missing[:3]}, "
                            f"unlisted {extra[:3]})")
    for name, facts in listed.items():
        start, size = spans[name]
        if not isinstance(facts, dict) or facts.get("size") != size or \
                hashlib.sha256(data[start:start + size]).hexdigest() != facts.get("sha256"):
            raise BundleRefused(f"the bundle's member {name} does not match its manifest (altered?)")
    bundle.manifest = manifest
    return bundle


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and \
        all(p not in ("", ".", "..") for p in parts)


def _check_name(name: str) -> None:
    if not _safe_name(name):
        raise ValueError(f"unsafe member name {name!r}")
