"""The rotating error log shared by the CLI and the GUI, built so it cannot leak a family's details.

Rules: messages carry ids, codes and kinds only (callers never pass names, notes, file names or
argument values); exception *messages* are withheld from the log (a traceback's frames are kept,
its text is replaced by the exception type), because an unexpected error's message may quote a
path, a SQL parameter or a note; and any record that still contains a registered secret (the
passphrase of the unlocked library) is rewritten before it reaches the file.
"""

from __future__ import annotations

import hashlib
import logging
import logging.handlers
import os
import secrets
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from logging import _SysExcInfoType as _ExcInfo

LOGGER_NAME = "vigstudio"
LOG_FILE_NAME = "vigstudio.log"
_MAX_BYTES = 1024 * 1024
_BACKUPS = 3

_lock = threading.Lock()
_handler: logging.Handler | None = None


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("vigstudio", appauthor=False))


def configure_logging(directory: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Attach the rotating file log to the `vigstudio` logger (once); return the log file path.

    Returns None (and logs nowhere) when the log folder cannot be written: a missing log must never
    stop a practitioner from working.
    """
    global _handler
    with _lock:
        if _handler is not None:
            return Path(getattr(_handler, "baseFilename", "")) or None
        folder = directory or log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / LOG_FILE_NAME
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8", delay=True
            )
            # Create it owner-only before the first record (delay=True defers the open).
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.close(fd)
        except OSError:
            return None
        handler.setFormatter(PrivacyFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(SECRETS)
        logger = logging.getLogger(LOGGER_NAME)
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > level:
            logger.setLevel(level)
        _handler = handler
        return path


def shutdown_logging() -> None:
    """Detach and close the file handler (tests, and before the process exits)."""
    global _handler
    with _lock:
        if _handler is not None:
            logging.getLogger(LOGGER_NAME).removeHandler(_handler)
            _handler.close()
            _handler = None


def log_unexpected(exc: BaseException, where: str) -> str:
    """Log an unexpected exception with its traceback (no locals, no message); return a short
    reference the user can quote."""
    reference = secrets.token_hex(4)
    logging.getLogger(LOGGER_NAME).error(
        "unexpected %s in %s (ref %s)", type(exc).__name__, where, reference,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return reference


class PrivacyFormatter(logging.Formatter):
    """Formats tracebacks with frames and exception types only; exception messages are withheld."""

    def formatException(self, ei: _ExcInfo) -> str:
        _etype, value, tb = ei
        if value is None:
            return ""
        exc = traceback.TracebackException(type(value), value, tb, capture_locals=False)
        return "".join(_without_messages(exc)).rstrip("\n")


def _without_messages(exc: traceback.TracebackException) -> list[str]:
    lines: list[str] = []
    if exc.__cause__ is not None:
        lines += _without_messages(exc.__cause__)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif exc.__context__ is not None and not exc.__suppress_context__:
        lines += _without_messages(exc.__context__)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    lines.append("Traceback (most recent call last):\n")
    lines += exc.stack.format()
    module = exc.exc_type.__module__ if exc.exc_type is not None else ""
    name = exc.exc_type.__qualname__ if exc.exc_type is not None else "Exception"
    qualified = name if module in ("builtins", "__main__", "") else f"{module}.{name}"
    lines.append(f"{qualified}: <message withheld>\n")
    return lines


class SecretFilter(logging.Filter):
    """Rewrites any record containing a registered secret.

    It keeps no copy of a passphrase and no plain hash of one (an unsalted SHA-256 could be looked up
    in a precomputed table from a memory dump): only BLAKE2b tags under a random key made afresh each
    time the filter is cleared, and the service clears it when its library closes, so nothing of a
    passphrase outlives the time it is in use.
    """

    def __init__(self) -> None:
        super().__init__()
        self._digests: dict[int, set[bytes]] = {}
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()

    def add_secret(self, secret: str) -> None:
        if len(secret) < 4:
            return
        with self._lock:
            self._digests.setdefault(len(secret), set()).add(_digest(self._key, secret))

    def clear(self) -> None:
        with self._lock:
            self._digests.clear()
            self._key = secrets.token_bytes(32)

    @property
    def holds_secrets(self) -> bool:
        return bool(self._digests)

    def contains_secret(self, text: str) -> bool:
        with self._lock:
            key, by_length = self._key, {n: set(d) for n, d in self._digests.items()}
        for length, digests in by_length.items():
            for start in range(0, len(text) - length + 1):
                if _digest(key, text[start : start + length]) in digests:
                    return True
        return False

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._digests:
            return True
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        if self.contains_secret(text):
            record.msg, record.args = "a log record was withheld because it contained a secret", None
        return True


def _digest(key: bytes, text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), key=key, digest_size=16).digest()


SECRETS = SecretFilter()
