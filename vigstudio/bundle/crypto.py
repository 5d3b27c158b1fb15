"""age encryption of the bundle's tar stream (pyrage), written atomically; decryption, authenticated
in full before anything is parsed.

Encryption to X25519 recipients streams: the tar generator feeds `pyrage.encrypt_io` through a small
reader, and ciphertext goes straight to `.<name>.partial` beside the target (fsync, rename, fsync the
folder). pyrage 1.4 offers passphrase (scrypt) encryption on whole bytes only, so a passphrase bundle
is assembled in memory, bounded by `MAX_IN_MEMORY`. age itself allows a passphrase only as the sole
recipient, so a bundle is encrypted either to recipients or to a passphrase, never both.

Decryption holds the plaintext in memory (bounded by `MAX_IN_MEMORY`): age authenticates every 64 KiB
chunk and the last one, and an age stream hands over plaintext before it has seen a truncated or
altered end, so nothing is parsed until `decrypt_io` has returned without error.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from vigstudio.domain.errors import DiskFull

from .format import BundleRefused

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

MAX_IN_MEMORY = 2 * 1024**3  # a bundle's plaintext is held in memory while it is checked
AGE_HEADER = b"age-encryption.org/v1\n"


def parse_recipient(text: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(text.strip())
    except Exception:
        raise BundleRefused(f"not an age public key: {text.strip()[:12]}… (expected age1…)") from None


def parse_identities(text: str) -> list[x25519.Identity]:
    """The X25519 identities in an age identity file's text (comments and blank lines skipped)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                found.append(x25519.Identity.from_str(line))
            except Exception:
                raise BundleRefused("the identity file is not an age identity (AGE-SECRET-KEY-1…)") from None
    if not found:
        raise BundleRefused("the identity file holds no age identity")
    return found


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte chunks (what `encrypt_io` pulls from)."""

    def __init__(self, chunks: Iterable[bytes]):
        super().__init__()
        self._chunks: Iterator[bytes] = iter(chunks)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._pending:
            try:
                self._pending = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        target = memoryview(buffer).cast("B")
        n = min(len(target), len(self._pending))
        target[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def write_encrypted(out_path: Path | str, tar_chunks: Iterable[bytes], recipients: Sequence[str] = (),
                    passphrase: str | None = None) -> Path:
    """Encrypt the tar stream to `recipients` or to `passphrase` into `out_path`, atomically."""
    if recipients and passphrase:
        raise BundleRefused("a bundle is encrypted to public keys or to a passphrase, not both "
                            "(the age format allows a passphrase only on its own)")
    if not recipients and not passphrase:
        raise BundleRefused("a bundle needs at least one recipient (age1…) or a passphrase")
    parsed = [parse_recipient(r) for r in recipients]
    final = Path(out_path)
    if final.is_dir():
        raise BundleRefused(f"cannot write the bundle to {final}: it is a folder")
    if not final.parent.is_dir():
        raise BundleRefused(f"cannot write the bundle to {final.parent}: the folder does not exist")
    partial = final.parent / f".{final.name}.partial"
    try:
        # Owner-only (600) from its creation: a bundle is encrypted, but its size and name are not.
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            if passphrase:
                out.write(age_passphrase.encrypt(_bounded_join(tar_chunks), passphrase))
            else:
                reader = _ChunkReader(tar_chunks)
                try:
                    pyrage.encrypt_io(reader, out, parsed)
                except pyrage.EncryptError as exc:
                    raise BundleRefused(f"the bundle could not be encrypted ({exc})") from None
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, final)
        _fsync_dir(final.parent)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
            raise DiskFull(str(final.parent)) from None
        if isinstance(exc, OSError):
            raise BundleRefused(f"cannot write the bundle {final}: {exc.strerror or exc}") from None
        raise
    return final


def _bounded_join(chunks: Iterable[bytes]) -> bytes:
    parts, total = [], 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_IN_MEMORY:
            raise BundleRefused("the bundle is too large for passphrase protection; encrypt it to the "
                                "supervisor's public key instead")
        parts.append(chunk)
    return b"".join(parts)


class _BoundedSink(io.RawIOBase):
    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: ReadableBuffer) -> int:
        data = memoryview(b).cast("B")
        if len(self.data) + len(data) > MAX_IN_MEMORY:
            raise BundleRefused("the bundle is too large to open on this computer")
        self.data += data
        return len(data)


def uses_passphrase(path: Path | str) -> bool:
    """Whether the age file is protected by a passphrase (its header has an scrypt stanza)."""
    with open(path, "rb") as f:
        head = f.read(256)
    return head.startswith(AGE_HEADER) and b"\n-> scrypt " in head


def decrypt_file(path: Path | str, identities: Sequence[x25519.Identity] = (),
                 passphrase: str | None = None) -> bytearray:
    """The whole authenticated plaintext, or `BundleRefused` (wrong key, damaged, truncated)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(len(AGE_HEADER))
    except OSError as exc:
        raise BundleRefused(f"cannot read the bundle {path}: {exc.strerror or exc}") from None
    if head != AGE_HEADER:
        raise BundleRefused(f"{path.name} is not an age-encrypted bundle")
    if size > MAX_IN_MEMORY + (1 << 20):
        raise BundleRefused("the bundle is too large to open on this computer")
    protected = uses_passphrase(path)
    if protected and not passphrase:
        raise BundleRefused("this bundle is protected by a passphrase: give the passphrase to open it")
    try:
        if protected:
            return bytearray(age_passphrase.decrypt(path.read_bytes(), passphrase))
        sink = _BoundedSink()
        with open(path, "rb") as f:
            pyrage.decrypt_io(f, sink, list(identities))
        return sink.data
    except BundleRefused:
        raise
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise BundleRefused("this bundle cannot be opened with this library's key (or the identity given): "
                                "it was encrypted for someone else, or its header is damaged") from None
        if protected:
            raise BundleRefused("wrong passphrase for this bundle, or the file is damaged") from None
        raise BundleRefused("the bundle is damaged or incomplete (it failed authentication); "
                            "nothing was imported") from None
    except Exception:  # pyrage reports a bad header or stream as OSError or its own errors
        raise BundleRefused("the bundle is damaged or incomplete (it failed authentication); "
                            "nothing was imported") from None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
