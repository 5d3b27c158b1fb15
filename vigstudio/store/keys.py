"""The library key file: a random data key, wrapped by a key derived from the passphrase.

`library.key` is JSON. The passphrase goes through Argon2id (parameters and salt stored beside it) to a
key-encryption key, which unwraps the 256-bit data key with AES-256-GCM. Every header field is GCM
associated data, so a changed parameter is detected, and a SHA-256 `check` over the whole body tells
accidental damage (a flipped byte) apart from a wrong passphrase, and a short `kek_check` (an HMAC of
a constant under the key-encryption key) tells a wrong passphrase apart from a wrapped key that was
tampered with and re-checksummed. Changing the passphrase re-wraps the same data key (with the KDF
parameters raised to today's calibration); `rekey` wraps a new one.

Bounds: new key files never go below `FLOOR` (64 MiB, 3 passes, as KeePassXC's defaults), and a key
file asking for more than `MAX_MEMORY_KIB`, `MAX_TIME_COST` or `MAX_WORK` is refused before any work
(a tampered file must not make the app allocate gigabytes). The cheap test profile exists only for
the test suite: it is honoured only with `VIGSTUDIO_KDF_PROFILE=fast` *and* a library inside the
system's temporary folder, and a key file made with it says so and is refused anywhere else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import tempfile
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

TEST_PROFILE = "test-only"  # the kdf "profile" of a key file made with the fast test parameters

# Refuse absurd parameters from a tampered file before spending memory or time on them. The bounds
# leave room for every file the calibration ever made (up to 256 MiB, up to 64 passes at 19 MiB).
MAX_TIME_COST = 64
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
MAX_WORK = 16 * 1024 * 1024  # KiB x passes: 1 GiB x 16, 256 MiB x 64
MAX_PARALLELISM = 16
_CALIBRATION_MAX_TIME = 32
_KEK_CHECK_LABEL = b"vigstudio library.key passphrase check"


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int

    @classmethod
    def fast(cls) -> KdfParams:
        """Cheap parameters for tests only (see `test_profile_allowed`)."""
        return cls(time_cost=1, memory_cost=64, parallelism=1)

    @classmethod
    def calibrated(cls, target_seconds: float = 0.5) -> KdfParams:
        """Argon2id tuned on this machine to take about `target_seconds`, never below `FLOOR`."""
        parallelism = max(1, min(4, os.cpu_count() or 1))
        memory = 256 * 1024  # 256 MiB; halved down to the floor's 64 MiB on slow machines
        while True:
            elapsed = _time_one(cls(1, memory, parallelism))
            if elapsed <= target_seconds / 2 or memory <= FLOOR.memory_cost:
                break
            memory = max(FLOOR.memory_cost, memory // 2)
        # Grow the pass count until one measurement is long enough to extrapolate from reliably.
        time_cost = 1
        while elapsed < target_seconds / 2 and time_cost < _CALIBRATION_MAX_TIME:
            time_cost = min(_CALIBRATION_MAX_TIME, time_cost * 2)
            elapsed = _time_one(cls(time_cost, memory, parallelism))
        time_cost = round(time_cost * target_seconds / max(elapsed, 1e-4))
        return cls(max(FLOOR.time_cost, min(_CALIBRATION_MAX_TIME, time_cost)), memory, parallelism)

    @classmethod
    def default(cls, library: Path | None = None) -> KdfParams:
        """The parameters for a new key file of the library in `library`."""
        if test_profile_allowed(library):
            return cls.fast()
        return cls.calibrated()

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            passphrase.encode("utf-8"), salt, time_cost=self.time_cost, memory_cost=self.memory_cost,
            parallelism=self.parallelism, hash_len=32, type=Type.ID,
        )

    def is_sane(self) -> bool:
        return (1 <= self.time_cost <= MAX_TIME_COST and 1 <= self.parallelism <= MAX_PARALLELISM
                and 8 * self.parallelism <= self.memory_cost <= MAX_MEMORY_KIB
                and self.memory_cost * self.time_cost <= MAX_WORK)

    def is_test_profile(self) -> bool:
        return self == KdfParams.fast()

    def at_least(self, other: KdfParams) -> KdfParams:
        """Each parameter raised to `other`'s where it is lower (what `passwd` does with today's calibration)."""
        return KdfParams(max(self.time_cost, other.time_cost), max(self.memory_cost, other.memory_cost),
                         max(self.parallelism, other.parallelism))


FLOOR = KdfParams(time_cost=3, memory_cost=64 * 1024, parallelism=1)


def test_profile_allowed(library: Path | str | None) -> bool:
    """The fast profile: only with the environment variable *and* a library in the temporary folder
    (where the test suite makes its libraries; nobody keeps a real library there)."""
    if os.environ.get(KDF_PROFILE_ENV) != "fast" or library is None:
        return False
    try:
        Path(library).resolve().relative_to(Path(tempfile.gettempdir()).resolve())
    except ValueError:
        return False
    return True


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
    write_keyfile(path, data_key, passphrase, params or KdfParams.default(path.parent))
    return data_key


def write_keyfile(path: Path | str, data_key: bytes, passphrase: str, params: KdfParams) -> None:
    """Wrap `data_key` under `passphrase` into `path`, atomically (a key rotation writes a new one)."""
    path = Path(path)
    if params.is_test_profile() and not test_profile_allowed(path.parent):
        raise ValueError("the fast key derivation is for the test suite only")
    _write_atomically(path, _wrap(data_key, passphrase, params))


def unwrap_keyfile(path: Path | str, passphrase: str) -> bytes:
    """Return the data key; `WrongPassphrase`, `NotALibrary` or `DamagedLibrary` otherwise."""
    return unwrap_keyfile_bytes(Path(path), read_keyfile(path), passphrase)


def read_keyfile(path: Path | str) -> bytes:
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotALibrary(str(path.parent)) from None
    except IsADirectoryError:
        raise NotALibrary(str(path.parent), "library.key is not a file") from None
    except OSError as exc:
        raise NotALibrary(str(path.parent), f"library.key cannot be read ({exc.strerror or exc})") from None


def unwrap_keyfile_bytes(path: Path, raw: bytes, passphrase: str) -> bytes:
    """`unwrap_keyfile` of the key file content `raw` (read from `path`)."""
    library = str(path.parent)
    header, params, salt, nonce, wrapped, kek_check = _parse(path, raw)
    kek = params.derive(passphrase, salt)
    if kek_check is not None and not hmac.compare_digest(_kek_check(kek), kek_check):
        raise WrongPassphrase(library)
    try:
        data_key = AESGCM(kek).decrypt(nonce, wrapped, _associated_data(header))
    except InvalidTag:
        if kek_check is not None:  # the passphrase was right: the wrapped key or its header was changed
            raise DamagedLibrary(library, "library.key was tampered with (its key does not unwrap)") from None
        raise WrongPassphrase(library) from None
    if len(data_key) != DATA_KEY_BYTES:
        raise DamagedLibrary(library, "library.key holds a key of the wrong size")
    return data_key


def keyfile_params(path: Path | str) -> KdfParams:
    path = Path(path)
    return _parse(path, read_keyfile(path))[1]


def rewrap_keyfile(path: Path | str, old: str, new: str, params: KdfParams | None = None) -> None:
    """Wrap the same data key under `new` (fresh salt and nonce), atomically. The KDF parameters are
    raised to `params` (by default today's calibration) where the file's are lower."""
    path = Path(path)
    data_key = unwrap_keyfile(path, old)
    current = keyfile_params(path)
    wanted = params or KdfParams.default(path.parent)
    write_keyfile(path, data_key, new, wanted if current.is_test_profile() else current.at_least(wanted))


# --- file format -------------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _associated_data(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(_associated_data(body)).hexdigest()


def _kek_check(kek: bytes) -> bytes:
    return hmac.new(kek, _KEK_CHECK_LABEL, hashlib.sha256).digest()[:16]


def _wrap(data_key: bytes, passphrase: str, params: KdfParams) -> bytes:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    kdf = {"name": KDF_NAME, **asdict(params), "salt": _b64(salt)}
    if params.is_test_profile():
        kdf["profile"] = TEST_PROFILE
    header = {"format": FORMAT, "version": VERSION, "kdf": kdf, "cipher": CIPHER}
    kek = params.derive(passphrase, salt)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _associated_data(header))
    body = {**header, "nonce": _b64(nonce), "wrapped_key": _b64(wrapped), "kek_check": _b64(_kek_check(kek))}
    body["check"] = _checksum(body)
    return (json.dumps(body, indent=2) + "\n").encode("utf-8")


def _parse(path: Path, raw: bytes) -> tuple[dict[str, Any], KdfParams, bytes, bytes, bytes, bytes | None]:
    library = str(path.parent)
    if len(raw) > 64 * 1024:
        raise DamagedLibrary(library, "library.key is not a VIG Studio key file (far too large)")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DamagedLibrary(library, "library.key is not readable") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise DamagedLibrary(library, "library.key is not a VIG Studio key file")
    if body.get("version") != VERSION:
        raise DamagedLibrary(library, "library.key has an unsupported version")
    check = body.pop("check", None)
    if check != _checksum(body):
        raise DamagedLibrary(library, "library.key was modified or corrupted")
    try:
        kdf = body["kdf"]
        if kdf["name"] != KDF_NAME or body["cipher"] != CIPHER:
            raise DamagedLibrary(library, "library.key uses an unknown algorithm")
        params = KdfParams(_int(kdf["time_cost"]), _int(kdf["memory_cost"]), _int(kdf["parallelism"]))
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(body["nonce"], validate=True)
        wrapped = base64.b64decode(body["wrapped_key"], validate=True)
        kek_check = base64.b64decode(body["kek_check"], validate=True) if "kek_check" in body else None
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise DamagedLibrary(library, "library.key is incomplete") from None
    if not params.is_sane() or len(salt) < 8 or len(nonce) != NONCE_BYTES:
        raise DamagedLibrary(library, "library.key asks for invalid or absurd key-derivation parameters")
    if (params.is_test_profile() or kdf.get("profile") is not None) and not test_profile_allowed(path.parent):
        raise DamagedLibrary(library, "library.key uses the test suite's weak key derivation; "
                                      "it is not accepted for a real library")
    header = {k: v for k, v in body.items() if k not in ("nonce", "wrapped_key", "kek_check")}
    return header, params, salt, nonce, wrapped, kek_check


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _write_atomically(path: Path, data: bytes) -> None:
    """Write an owner-only temp file beside `path`, fsync it, rename over `path`, fsync the folder."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with open(fd, "wb") as f:
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
