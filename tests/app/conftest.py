"""Fixtures for the app tests: real libraries under tmp_path, real videos made with PyAV."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.videos import make_video
from vigstudio.app.library import LibraryService


@pytest.fixture
def service(tmp_path, passphrase):
    svc = LibraryService()
    svc.create(tmp_path / "lib", passphrase)
    yield svc
    svc.close()


@pytest.fixture
def video(tmp_path) -> Path:
    """A 48-frame numbered H.264 MP4 with an AAC tone (frame n shows n)."""
    return make_video(tmp_path / "family.mp4", frames=48, audio="aac")


def folder_snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, by relative path. SQLite's `-shm` file is left out: it is
    the WAL's shared-memory index, which every reader updates (read marks) and which holds no data."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith("-shm")}
