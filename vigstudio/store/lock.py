"""The inter-process lock of a library folder (`library.lock`, an advisory `flock`).

Every process that has a library open holds the lock *shared* for as long as it is open, so any
number of windows, app instances and CLI commands may use it together (SQLite serialises their
writes). Work that must not run beside another user of the library takes it *exclusively*, and only
if nobody else holds it: removing an interrupted import's leftovers at open (a container that is not
yet recorded may belong to another process's import that is about to commit), rotating the data key,
restoring over the folder. The kernel drops the lock when its process dies, even on `kill -9`.

`flock` locks belong to an open file description, so two opens in the same process exclude each
other just like two processes do. Where `fcntl` does not exist (Windows) nobody ever holds the
library exclusively: leftovers then stay until removed by hand, which loses nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from vigstudio.domain.errors import VigError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "library.lock"
WAIT_SECONDS = 15.0  # how long an open waits for another process's exclusive work (key rotation, clean-up)
_POLL_SECONDS = 0.05


class LibraryBusy(VigError):
    def __init__(self, library: str, why: str):
        super().__init__(f"library {library} is busy: {why}")


class LibraryLock:
    """One open file description of `library.lock`; `close()` (or process death) releases it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        try:
            self._fd: int | None = os.open(self.folder / LOCK_FILE,
                                           os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            raise LibraryBusy(str(self.folder), f"its folder cannot be written ({exc.strerror or exc}); "
                                                "a library is used from a folder you may change") from None
        self.exclusive = False

    @classmethod
    def open_shared(cls, folder: Path) -> LibraryLock:
        lock = cls(folder)
        try:
            lock.share()
        except BaseException:
            lock.close()
            raise
        return lock

    def try_exclusive(self) -> bool:
        """Hold the library alone if no other open (in any process) holds it; never waits.

        On failure the lock is shared again (Linux drops the old lock when a conversion fails).
        """
        if fcntl is None or self._fd is None:
            return False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.share()
            return False
        self.exclusive = True
        return True

    def share(self, wait: float = WAIT_SECONDS) -> None:
        """Hold the lock shared (from nothing, or down from exclusive), waiting up to `wait` seconds
        for a process that holds it exclusively."""
        if fcntl is None or self._fd is None:
            return
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                self.exclusive = False
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LibraryBusy(str(self.folder), "another program is changing it; try again") from None
                time.sleep(_POLL_SECONDS)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the flock
            self._fd = None
            self.exclusive = False

    def __enter__(self) -> LibraryLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def held_elsewhere(folder: Path) -> bool:
    """Whether some open of the library (this process included) holds its lock now."""
    if fcntl is None or not (Path(folder) / LOCK_FILE).exists():
        return False
    probe = LibraryLock(folder)
    try:
        fcntl.flock(probe._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[arg-type]
        return False
    except BlockingIOError:
        return True
    finally:
        probe.close()
