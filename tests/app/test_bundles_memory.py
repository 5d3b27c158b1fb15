"""Making a bundle exports clips and stills in memory: no plaintext file anywhere, tmpfs included."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from pyrage import x25519

from tests.bundle.support import CODE, introduce, practitioner_library, supervisor_library
from tests.videos import read_frame_number
from vigstudio.app import bundles, keys
from vigstudio.app.bundles import export_session_bundle, open_bundle
from vigstudio.app.recordings import open_recording_media, recording_asset
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import InvalidInput

SHM = Path("/dev/shm")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class FileWrites:
    """Files and folders this process creates or opens for writing (Python's audit events), while on."""

    def __init__(self):
        self.active = False
        self.seen: list[tuple[str, str]] = []
        sys.addaudithook(self._hook)  # cannot be removed: it stays cheap and silent while off

    def _hook(self, event: str, args) -> None:
        if not self.active:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            mode, flags = args[1], args[2]
            writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & WRITE_FLAGS)
            if writes:
                self.seen.append((event, os.fsdecode(args[0])))
        elif event in ("os.mkdir", "tempfile.mkdtemp", "tempfile.mkstemp"):
            self.seen.append((event, os.fsdecode(args[0])))

    def outside(self, *allowed: Path) -> list[tuple[str, str]]:
        roots = [str(a.resolve()) for a in allowed]
        return [(e, p) for e, p in self.seen
                if not any(str(Path(p).resolve()).startswith(r + os.sep) or str(Path(p).resolve()) == r
                           for r in roots)]


_writes = FileWrites()


def listing(folder: Path) -> set[str]:
    return {str(p) for p in folder.rglob("*")} if folder.is_dir() else set()


@pytest.fixture
def scratch_dirs(tmp_path, monkeypatch):
    """TMPDIR and XDG_RUNTIME_DIR point at an empty folder of the test's own."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    return scratch


def test_bundle_export_writes_no_plaintext_file_and_round_trips(tmp_path, passphrase, scratch_dirs):
    practice = practitioner_library(tmp_path, passphrase)
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)
    out = tmp_path / "out" / "F-014.age"
    out.parent.mkdir()
    shm_before = listing(SHM)
    _writes.seen.clear()
    _writes.active = True
    try:
        made = export_session_bundle(practice.service, practice.session_id, out, [keys.public_key(supervisor)])
    finally:
        _writes.active = False
    assert made.clips == 2 and made.stills == 1
    assert listing(SHM) - shm_before == set()
    assert listing(scratch_dirs) == set()
    # the only files written were the library's own (encrypted) ones and the age bundle
    assert _writes.outside(practice.service.path, out.parent) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["F-014.age"]

    opened = open_bundle(supervisor, out)
    assert (opened.case_code, opened.clips, opened.stills) == (CODE, 2, 1)
    node = next(n for n in library_tree(supervisor) if n.case.code == CODE).sessions()[0][2]
    original = {c.uid: c for c in library_tree(practice.service)[0].sessions()[0][2].clips}
    for clip in node.clips:
        source = original[clip.uid]
        with open_recording_media(supervisor, clip.recording_id) as media:
            numbers = [read_frame_number(rgb) for _k, rgb in media.iter_frames()]
        assert numbers == list(range(source.start_frame, source.end_frame))
    still = node.stills[0]
    assert recording_asset(supervisor, still.recording_id, f"still:{still.id}")[:8] == b"\x89PNG\r\n\x1a\n"
    practice.service.close()
    supervisor.close()


def test_an_oversized_clip_is_refused_clearly_and_nothing_is_written(tmp_path, passphrase, scratch_dirs,
                                                                     monkeypatch):
    practice = practitioner_library(tmp_path, passphrase)
    monkeypatch.setattr(bundles, "MAX_MEMBER_BYTES", 4096)  # the clips here are ~10 KiB
    keys.add_contact(practice.service, "Dr S", str(x25519.Identity.generate().to_public()))
    out = tmp_path / "big.age"
    with pytest.raises(InvalidInput, match=r"clip \d+ exports to more than 4 KiB, too large for a bundle"):
        export_session_bundle(practice.service, practice.session_id, out, passphrase="plum orchard wind",
                              to=["Dr S"])
    assert not out.exists() and listing(scratch_dirs) == set()
    practice.service.close()
