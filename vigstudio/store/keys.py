"""The library key file: a random data key, wrapped by a key derived from the passphrase.

`library.key` is JSON. The passphrase goes through Argon2id (parameters and salt stored beside it) to a
key-encryption key, which unwraps the 256-bit data key with AES-256-GCM. Every header field is GCM
associated data, so a changed parameter is detected, and a SHA-256 `check` over the whole body tells
accidental damage (a flipped byte) apart from a wrong passphrase. Changing the passphrase re-wraps the
same data key: nothing else in the library is re-encrypted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vigstudio.domain.errors import DamagedLibrary, NotALibrary, WrongPassphrase

FORMAT = "vigstudio-library-key"
VERSION = 1
KDF_NAME = "argon2id"
CIPHER = "aes-256-gcm"
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
KDF_PROFILE_ENV = "VIGSTUDIO_KDF_PROFILE"

# Refuse absurd parameters from a tampered file before spending memory or time on them.
_MAX_TIME_COST = 64
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_PARALLELISM = 64


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int

    @classmethod
    def fast(cls) -> KdfParams:
        """Cheap parameters for tests (stored in the key file like any others)."""
        return cls(time_cost=1, memory_cost=64, parallelism=1)

    @classmethod
    def calibrated(cls, target_seconds: float = 0.5) -> KdfParams:
        """Argon2id tuned on this machine to take about `target_seconds` (measured once, at creation)."""
        parallelism = max(1, min(4, os.cpu_count() or 1))
        memory = 256 * 1024  # 256 MiB; halved (down to 19 MiB, OWASP's floor) on slow machines
        while True:
            elapsed = _time_one(cls(1, memory, parallelism))
            if elapsed <= target_seconds / 2 or memory <= 19 * 1024:
                break
            memory = max(19 * 1024, memory // 2)
        # Grow the pass count until one measurement is long enough to extrapolate from reliably.
        time_cost = 1
        while elapsed < target_seconds / 2 and time_cost < _MAX_TIME_COST:
            time_cost = min(_MAX_TIME_COST, time_cost * 2)
            elapsed = _time_one(cls(time_cost, memory, parallelism))
        time_cost = max(1, min(_MAX_TIME_COST, round(time_cost * target_seconds / max(elapsed, 1e-4))))
        return cls(time_cost, memory, parallelism)

    @classmethod
    def default(cls) -> KdfParams:
        if os.environ.get(KDF_PROFILE_ENV) == "fast":
            return cls.fast()
        return cls.calibrated()

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            passphrase.encode("utf-8"), salt, time_cost=self.time_cost, memory_cost=self.memory_cost,
            parallelism=self.parallelism, hash_len=32, type=Type.ID,
        )

    def is_sane(self) -> bool:
        return (1 <= self.time_cost <= _MAX_TIME_COST and 1 <= self.parallelism <= _MAX_PARALLELISM
                and 8 * self.parallelism <= self.memory_cost <= _MAX_MEMORY_KIB)


def _time_one(params: KdfParams) -> float:
    """Best of two runs: the machine may be busy with something else for one of them."""
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        params.derive("calibration", secrets.token_bytes(SALT_BYTES))
        best = min(best, time.perf_counter() - start)
    return best


def create_keyfile(path: Path | str, passphrase: str, params: KdfParams | None = None) -> bytes:
    """Write a new key file with a fresh random data key; return the data key."""
    path = Path(path)
    data_key = secrets.token_bytes(DATA_KEY_BYTES)
    _write_atomically(path, _wrap(data_key, passphrase, params or KdfParams.default()))
    return data_key


def unwrap_keyfile(path: Path | str, passphrase: str) -> bytes:
    """Return the data key; `WrongPassphrase`, `NotALibrary` or `DamagedLibrary` otherwise."""
    path = Path(path)
    library = str(path.parent)
    header, params, salt, nonce, wrapped = _read(path)
    kek = params.derive(passphrase, salt)
    try:
        data_key = AESGCM(kek).decrypt(nonce, wrapped, _associated_data(header))
    except InvalidTag:
        raise WrongPassphrase(library) from None
    if len(data_key) != DATA_KEY_BYTES:
        raise DamagedLibrary(library, "library.key holds a key of the wrong size")
    return data_key


def rewrap_keyfile(path: Path | str, old: str, new: str) -> None:
    """Wrap the same data key under `new` (fresh salt and nonce, same KDF parameters), atomically."""
    path = Path(path)
    data_key = unwrap_keyfile(path, old)
    _, params, *_ = _read(path)
    _write_atomically(path, _wrap(data_key, new, params))


# --- file format -------------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _associated_data(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(_associated_data(body)).hexdigest()


def _wrap(data_key: bytes, passphrase: str, params: KdfParams) -> bytes:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {"name": KDF_NAME, **asdict(params), "salt": _b64(salt)},
        "cipher": CIPHER,
    }
    wrapped = AESGCM(params.derive(passphrase, salt)).encrypt(nonce, data_key, _associated_data(header))
    body = {**header, "nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}
    body["check"] = _checksum(body)
    return (json.dumps(body, indent=2) + "\n").encode("utf-8")


def _read(path: Path) -> tuple[dict[str, Any], KdfParams, bytes, bytes, bytes]:
    library = str(path.parent)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotALibrary(library) from None
    except IsADirectoryError:
        raise NotALibrary(library, "library.key is not a file") from None
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DamagedLibrary(library, "library.key is not readable") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise DamagedLibrary(library, "library.key is not a VIG Studio key file")
    if body.get("version") != VERSION:
        raise DamagedLibrary(library, f"library.key has unsupported version {body.get('version')!r}")
    check = body.pop("check", None)
    if check != _checksum(body):
        raise DamagedLibrary(library, "library.key was modified or corrupted")
    try:
        kdf = body["kdf"]
        if kdf["name"] != KDF_NAME or body["cipher"] != CIPHER:
            raise DamagedLibrary(library, "library.key uses an unknown algorithm")
        params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]))
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(body["nonce"], validate=True)
        wrapped = base64.b64decode(body["wrapped_key"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise DamagedLibrary(library, "library.key is incomplete") from None
    if not params.is_sane() or len(salt) < 8 or len(nonce) != NONCE_BYTES:
        raise DamagedLibrary(library, "library.key has invalid parameters")
    header = {k: v for k, v in body.items() if k not in ("nonce", "wrapped_key")}
    return header, params, salt, nonce, wrapped


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a temp file beside `path`, fsync it, rename over `path`, fsync the folder."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
