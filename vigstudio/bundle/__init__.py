"""The encrypted exchange format for supervision: age-encrypted tar with a hashed manifest.

Knows nothing of the library or the decoder: `app` feeds it members and stores what it yields.
`format` is the plaintext (manifest, tar stream, checks); `crypto` is age (pyrage) and atomic writing.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyrage import x25519

from .crypto import (
    MAX_IN_MEMORY,
    decrypt_file,
    parse_identities,
    parse_recipient,
    uses_passphrase,
    write_encrypted,
)
from .format import (
    FORMAT,
    MANIFEST,
    VERSION,
    BundleRefused,
    Member,
    OpenedBundle,
    make_manifest,
    parse_tar,
    tar_stream,
)

__all__ = ["FORMAT", "MANIFEST", "MAX_IN_MEMORY", "VERSION", "BundleRefused", "Member", "OpenedBundle",
           "decrypt_file", "make_manifest", "open_bundle_file", "parse_identities", "parse_recipient",
           "parse_tar", "tar_stream", "uses_passphrase", "write_bundle"]


def write_bundle(out_path: Path | str, manifest: dict[str, Any], members: list[Member],
                 recipients: Sequence[str] = (), passphrase: str | None = None) -> Path:
    """Encrypt `manifest.json` + `members` as one age file at `out_path` (atomic)."""
    return write_encrypted(out_path, tar_stream(manifest, members), recipients, passphrase)


def open_bundle_file(path: Path | str, identities: Sequence[x25519.Identity] = (),
                     passphrase: str | None = None) -> OpenedBundle:
    """Decrypt and authenticate the whole file, then check the tar against its manifest."""
    return parse_tar(decrypt_file(path, identities, passphrase))
