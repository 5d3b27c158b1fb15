"""Owner-only permissions for a library's files: the folders 700, every file 600.

Everything in a library is encrypted, but its size, names and times still say something, and a key
file readable by other users of the machine lets them try passphrases offline. Applied when a
library is made and again at every open (a library copied or restored with a loose umask is
tightened the next time it is used). Files are created owner-only in the first place where the store
creates them itself (`create_private`); SQLite gives its -wal and -shm files the database's mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def create_private(path: Path) -> None:
    """Create `path` empty and owner-only if it does not exist (before SQLite or anything opens it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    os.close(fd)


def restrict(path: Path) -> None:
    """Make `path` owner-only (700 for a folder, 600 for a file); symlinks and others are left alone."""
    with contextlib.suppress(OSError):  # a read-only copy still opens; its modes are not ours to fix
        st = os.lstat(path)
        if stat.S_ISDIR(st.st_mode):
            wanted = FOLDER_MODE
        elif stat.S_ISREG(st.st_mode):
            wanted = FILE_MODE
        else:
            return
        if stat.S_IMODE(st.st_mode) != wanted:
            os.chmod(path, wanted)


def secure_library(folder: Path, subfolders: tuple[str, ...] = ("media",)) -> None:
    """The library folder, its files and the files of its subfolders, owner-only."""
    folder = Path(folder)
    restrict(folder)
    for entry in _entries(folder):
        restrict(entry)
    for name in subfolders:
        sub = folder / name
        if sub.is_dir() and not sub.is_symlink():
            restrict(sub)
            for entry in _entries(sub):
                if not entry.is_dir():
                    restrict(entry)


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []
