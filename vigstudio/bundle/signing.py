"""Who made a bundle: an Ed25519 signature over the manifest, and the contact card that carries keys.

age encrypts to the recipient but does not say who encrypted (its spec says so and says to add a
signature). Every bundle therefore carries `manifest.sig`, the sending library's Ed25519 signature over
the exact bytes of `manifest.json`, which names the sender's keys and holds every member's SHA-256; so
the signature covers the whole bundle. Deciding whether the signer is someone we trust is the app's
business (its contacts); this module only makes and checks signatures, fingerprints and cards.

A *contact card* is one copyable line with both of a library's public keys:
`vigcard1:<age1… recipient>:<Ed25519 key, base64url>:<checksum>`; the checksum (8 hex digits of a
SHA-256 over the rest) catches a line damaged by copying. A fingerprint is how a person compares a
signing key over the phone: 40 digits in groups of five, from the key's SHA-256 (as Signal's safety
numbers are shown).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import BundleRefused

SIGNATURE = "manifest.sig"
CARD_PREFIX = "vigcard1"
KEY_BYTES = 32
SIGNATURE_BYTES = 64
# Signatures are made over this prefix + the manifest, so a library's key signs nothing else by accident.
CONTEXT = b"vigstudio-bundle-manifest-v2\n"


def new_signing_key() -> bytes:
    """A fresh Ed25519 private key (32 raw bytes, to be kept encrypted in library.db)."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_of(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def sign(private: bytes, manifest_bytes: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(CONTEXT + manifest_bytes)


def verify(public: bytes, signature: bytes, manifest_bytes: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, CONTEXT + manifest_bytes)
    except (InvalidSignature, ValueError):
        return False
    return True


def encode_key(public: bytes) -> str:
    return base64.urlsafe_b64encode(public).rstrip(b"=").decode("ascii")


def decode_key(text: object) -> bytes:
    """The 32 raw bytes of a base64url Ed25519 public key, or `BundleRefused`."""
    if not isinstance(text, str) or len(text) != 43 or not text.isascii():
        raise BundleRefused("not a signing key (expected 43 base64url characters)")
    try:
        raw = base64.urlsafe_b64decode(text + "=")
    except (binascii.Error, ValueError):
        raise BundleRefused("not a signing key (expected 43 base64url characters)") from None
    if len(raw) != KEY_BYTES or encode_key(raw) != text:
        raise BundleRefused("not a signing key (expected 43 base64url characters)")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise BundleRefused("not a valid Ed25519 signing key") from None
    return raw


def fingerprint(public: bytes) -> str:
    """40 digits in eight groups of five, e.g. `04722 91330 …`: what two people read to each other."""
    digest = hashlib.sha512(b"vigstudio-fingerprint\n" + public).digest()
    return " ".join(f"{int.from_bytes(digest[i:i + 5], 'big') % 100000:05d}" for i in range(0, 40, 5))


@dataclass(frozen=True)
class ContactCard:
    """Both public keys of a library; `signing_key` is None for a bare (legacy) age1 key."""

    recipient: str
    signing_key: bytes | None

    @property
    def fingerprint(self) -> str | None:
        return None if self.signing_key is None else fingerprint(self.signing_key)


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("ascii")).hexdigest()[:8]


def card_text(recipient: str, signing_key: bytes) -> str:
    body = f"{CARD_PREFIX}:{recipient}:{encode_key(signing_key)}"
    return f"{body}:{_checksum(body)}"


def parse_card(text: str) -> ContactCard:
    """A contact card, or a bare `age1…` key (legacy: no signing key yet); `BundleRefused` otherwise.
    The recipient is returned as written; the caller checks it is a valid age key."""
    text = "".join((text or "").split())  # a card wrapped by a mail program still reads
    if text.startswith("age1"):
        return ContactCard(text, None)
    parts = text.split(":")
    if len(parts) != 4 or parts[0] != CARD_PREFIX:
        raise BundleRefused("not a contact card (vigcard1:…) or an age public key (age1…)")
    body = ":".join(parts[:3])
    if parts[3].lower() != _checksum(body):
        raise BundleRefused("the contact card is damaged (its checksum does not match): copy it again")
    return ContactCard(parts[1], decode_key(parts[2]))
