"""The bundle's plaintext: a tar of `manifest.json`, `manifest.sig`, then the listed members.

The manifest names the format and version, the kind, the bundle's uid, the app version, when it was
made, the consent scope it was made under, the sender (its age recipient, Ed25519 signing key and
display name), the age recipients it was encrypted to, and the SHA-256 and size of every other member.
`manifest.sig` is the sender's signature over the manifest's exact bytes (see `signing`). Writing is a
generator of tar blocks (nothing is assembled on disk); reading checks everything before any member is
handed out: the format and version, the signature against the key the manifest names, that the tar
holds exactly the listed regular files with safe names, and every member's size and SHA-256. Whether
the signer is someone the library trusts is decided by the app.
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

from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput

from . import signing
from .errors import BundleRefused

FORMAT = "vigstudio-bundle"
VERSION = 2  # 2: signed by the sending library (version 1 bundles carried no signature)
MANIFEST = "manifest.json"
SIGNATURE = signing.SIGNATURE
BLOCK = tarfile.BLOCKSIZE  # 512
MAX_NAME = 200  # a display name in a manifest (the sender's)
KINDS = ("session", "feedback", "outcomes")  # what a bundle may be (the app reads each its own way)

__all__ = ["BLOCK", "FORMAT", "MANIFEST", "SIGNATURE", "VERSION", "BundleRefused", "Member", "OpenedBundle",
           "Sender", "make_manifest", "parse_tar", "tar_stream"]


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


@dataclass(frozen=True)
class Sender:
    """Who signed a bundle, as its manifest says (the signature over the manifest has been checked)."""

    recipient: str  # the sender's age public key (age1…), for answering
    signing_key: bytes
    name: str

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.signing_key)

    def as_manifest(self) -> dict[str, Any]:
        return {"recipient": self.recipient, "signing_key": signing.encode_key(self.signing_key), "name": self.name}


def make_manifest(kind: str, uid: str, app_version: str, consent_scope: str | None,
                  members: Iterable[Member], sender: Sender, to: Iterable[str] = (),
                  created_at: dt.datetime | None = None) -> dict[str, Any]:
    """`to`: the age recipients the bundle is encrypted to (empty for a passphrase bundle)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "uid": uid,
        "app_version": app_version,
        "created_at": (created_at or dt.datetime.now(dt.UTC)).isoformat(),
        "consent_scope": consent_scope,
        "sender": sender.as_manifest(),
        "to": sorted(to),
        "members": {m.name: {"size": m.size, "sha256": m.sha256} for m in members},
    }


def tar_stream(manifest: Mapping[str, Any], members: Iterable[Member], signing_key: bytes) -> Iterator[bytes]:
    """The tar, block by block: the manifest and its signature (with the sender's private
    `signing_key`) first, then each member as it is read."""
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    yield from _member_blocks(Member.from_bytes(MANIFEST, manifest_bytes))
    yield from _member_blocks(Member.from_bytes(SIGNATURE, signing.sign(signing_key, manifest_bytes)))
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
    sender: Sender | None = None  # set once the signature has been checked

    @property
    def to(self) -> list[str]:
        """The age recipients the sender encrypted the bundle to (empty: a passphrase bundle)."""
        return list(self.manifest.get("to") or [])

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
        except (KeyError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise BundleRefused(f"the bundle's {name} is missing or not valid JSON") from None
        if not isinstance(value, dict):
            raise BundleRefused(f"the bundle's {name} is not valid")
        return value


def parse_tar(plaintext: bytes | bytearray) -> OpenedBundle:
    """Check the decrypted tar against its signed manifest; raise `BundleRefused` on any mismatch."""
    data = memoryview(plaintext)
    spans = _spans(plaintext)
    if not spans or next(iter(spans)) != MANIFEST:
        raise BundleRefused("the bundle has no manifest (not a VIG Studio bundle?)")
    bundle = OpenedBundle({}, data, spans)
    manifest = bundle.json(MANIFEST)
    if manifest.get("format") != FORMAT:
        raise BundleRefused("not a VIG Studio bundle (unknown format)")
    version = manifest.get("version")
    if version == 1:
        raise BundleRefused("this bundle was made by an older VIG Studio that did not sign bundles, so who sent "
                            "it cannot be checked: ask the sender to update and make it again")
    if version != VERSION:
        raise BundleRefused(f"bundle format version {str(version)[:12]} is not supported by this version of "
                            f"VIG Studio (it reads version {VERSION}); please update the app")
    sender = _checked_sender(bundle, manifest)
    listed, to = manifest.get("members"), manifest.get("to")
    if not isinstance(listed, dict) or not isinstance(manifest.get("uid"), str) or \
            manifest.get("kind") not in KINDS or \
            not isinstance(to, list) or not all(isinstance(r, str) for r in to):
        raise BundleRefused("the bundle's manifest is not valid")
    present = set(spans) - {MANIFEST, SIGNATURE}
    if present != set(listed):
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise BundleRefused(f"the bundle's members do not match its manifest (missing {missing[:3]}, "
                            f"unlisted {extra[:3]})")
    for name, facts in listed.items():
        start, size = spans[name]
        if not isinstance(facts, dict) or facts.get("size") != size or \
                hashlib.sha256(data[start:start + size]).hexdigest() != facts.get("sha256"):
            raise BundleRefused(f"the bundle's member {name} does not match its manifest (altered?)")
    bundle.manifest, bundle.sender = manifest, sender
    return bundle


def _spans(plaintext: bytes | bytearray) -> dict[str, tuple[int, int]]:
    """Name → (offset, size) of every regular file in the tar; anything else is refused."""
    spans: dict[str, tuple[int, int]] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(plaintext), mode="r:") as tar:
            for info in tar:
                if not info.isreg() or not _safe_name(info.name) or info.name in spans:
                    raise BundleRefused(f"the bundle holds an unexpected entry {info.name[:80]!r}")
                if info.offset_data + info.size > len(plaintext):
                    raise BundleRefused("the bundle's contents are cut short")
                spans[info.name] = (info.offset_data, info.size)
    except (tarfile.TarError, ValueError, OverflowError, UnicodeError, EOFError, RecursionError):
        raise BundleRefused("the bundle's contents are not readable (not a VIG Studio bundle?)") from None
    return spans


def _checked_sender(bundle: OpenedBundle, manifest: dict[str, Any]) -> Sender:
    """The sender the manifest names, once `manifest.sig` is verified against its signing key."""
    names = list(bundle.names())
    if len(names) < 2 or names[1] != SIGNATURE:
        raise BundleRefused("the bundle carries no sender signature, so who sent it cannot be checked")
    sender = manifest.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("recipient"), str) or \
            not isinstance(sender.get("name"), str) or len(sender["name"]) > MAX_NAME:
        raise BundleRefused("the bundle's manifest does not name its sender properly")
    public = signing.decode_key(sender.get("signing_key"))
    if not signing.verify(public, bytes(bundle.member(SIGNATURE)), bytes(bundle.member(MANIFEST))):
        raise BundleRefused("the bundle's signature does not match its contents (altered or forged); "
                            "nothing was imported")
    return Sender(sender["recipient"].strip(), public, _shown_name(sender["name"]))


def _shown_name(name: str) -> str:
    """The sender's display name as it may be shown (one clean line), or "" if it is not that."""
    try:
        return text_rules.single_line(name, "a name", text_rules.MAX_NAME_LENGTH)
    except InvalidInput:
        return ""


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and \
        all(p not in ("", ".", "..") for p in parts)


def _check_name(name: str) -> None:
    if not _safe_name(name):
        raise ValueError(f"unsafe member name {name!r}")
