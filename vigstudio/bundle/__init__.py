"""The encrypted exchange format for supervision: a signed, age-encrypted tar with a hashed manifest.

Knows nothing of the library or the decoder: `app` feeds it members and stores what it yields.
`format` is the plaintext (manifest, tar stream, checks); `signing` the sender's Ed25519 signature,
fingerprints and contact cards; `crypto` is age (pyrage) and atomic writing.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyrage import x25519

from .crypto import (
    MAX_IN_MEMORY,
    MAX_SCRYPT_LOG_N,
    decrypt_file,
    parse_identities,
    parse_recipient,
    scrypt_work_factor,
    uses_passphrase,
    write_encrypted,
)
from .errors import BundleRefused
from .format import (
    FORMAT,
    MANIFEST,
    SIGNATURE,
    VERSION,
    Member,
    OpenedBundle,
    Sender,
    make_manifest,
    parse_tar,
    tar_stream,
)
from .signing import ContactCard, card_text, fingerprint, new_signing_key, parse_card, public_of

__all__ = ["FORMAT", "MANIFEST", "MAX_IN_MEMORY", "MAX_SCRYPT_LOG_N", "SIGNATURE", "VERSION", "BundleRefused",
           "ContactCard", "Member", "OpenedBundle", "Sender", "card_text", "decrypt_file", "fingerprint",
           "make_manifest", "new_signing_key", "open_bundle_file", "parse_card", "parse_identities",
           "parse_recipient", "parse_tar", "public_of", "scrypt_work_factor", "tar_stream", "uses_passphrase",
           "write_bundle"]


def write_bundle(out_path: Path | str, manifest: dict[str, Any], members: list[Member], signing_key: bytes,
                 recipients: Sequence[str] = (), passphrase: str | None = None) -> Path:
    """Sign `manifest.json` with the sender's `signing_key` and encrypt it + `members` as one age file
    at `out_path` (atomic)."""
    return write_encrypted(out_path, tar_stream(manifest, members, signing_key), recipients, passphrase)


def open_bundle_file(path: Path | str, identities: Sequence[x25519.Identity] = (),
                     passphrase: str | None = None) -> OpenedBundle:
    """Decrypt and authenticate the whole file, then check the tar against its signed manifest."""
    return parse_tar(decrypt_file(path, identities, passphrase))
