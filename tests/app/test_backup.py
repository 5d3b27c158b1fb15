"""Backup and restore: a consistent encrypted snapshot of an open library, brought back intact."""

from __future__ import annotations

import os
import stat
import tarfile

import pytest

from tests.app.conftest import folder_snapshot
from vigstudio.app import audit, proxies
from vigstudio.app.backup import backup, restore
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import LibraryExists, WrongPassphrase
from vigstudio.store.backup import BackupRefused
from vigstudio.store.lock import LibraryBusy


def _recording_bytes(service, recording_id) -> bytes:
    media = open_recording_media(service, recording_id)
    try:
        return bytes(media.frame(5).tobytes())
    finally:
        media.close()


def test_round_trip(service, video, tmp_path, passphrase):
    add_case(service, "F-1", name="A Family Name")
    recording = import_recording(service, "F-1", video)
    assert proxies.build_proxy(service, recording.id)  # its scrubbing proxy is a container too
    out = tmp_path / "lib.vigbackup"
    info = backup(service, out)  # the library stays open (and in use) meanwhile
    assert info.containers == 2 and stat.S_IMODE(os.stat(out).st_mode) == 0o600
    raw = out.read_bytes()
    assert b"A Family Name" not in raw and b"F-1" not in raw  # nothing in plaintext
    frame = _recording_bytes(service, recording.id)
    result = restore(out, tmp_path / "restored", passphrase)
    assert result.replaced_to is None
    with LibraryService() as copy:
        copy.open(tmp_path / "restored", passphrase)
        assert [c.case.code for c in library_tree(copy)] == ["F-1"]
        assert _recording_bytes(copy, recording.id) == frame
        report = copy.check()  # every container and proxy the database names is there and intact
        assert report.ok, report.problems
        assert proxies.has_proxy(copy, recording.id) and len(list((tmp_path / "restored" / "media").iterdir())) == 2
        report = audit.verify(copy)
        assert report.ok, report.message()
        # the backup's own event follows its snapshot; the restore's is recorded in the copy
        assert [e.action for e in audit.list_events(copy)][-3:] == ["unlock", "restore", "unlock"]
    assert audit.list_events(service)[-1].action == "backup"


def test_restore_over_a_newer_library_needs_force(service, tmp_path, passphrase):
    path = service.path
    add_case(service, "F-1")
    out = tmp_path / "lib.vigbackup"
    backup(service, out)
    add_case(service, "F-2")  # the library moves on after the backup
    service.close()
    before = folder_snapshot(path)
    with pytest.raises(BackupRefused, match="newer library"):
        restore(out, path, passphrase)
    assert folder_snapshot(path) == before
    result = restore(out, path, passphrase, force=True)
    assert result.replaced_to is not None and folder_snapshot(result.replaced_to) == before  # moved, not lost
    service.open(path, passphrase)
    assert [c.case.code for c in library_tree(service)] == ["F-1"]
    assert audit.verify(service).ok  # a legitimate restore is not reported as a rollback


def test_restore_refusals_write_nothing(service, tmp_path, passphrase):
    out = tmp_path / "lib.vigbackup"
    backup(service, out)
    with pytest.raises(WrongPassphrase):
        restore(out, tmp_path / "a", "not the passphrase at all")
    assert not (tmp_path / "a").exists()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("mine")
    with pytest.raises(LibraryExists):
        restore(out, tmp_path / "b", passphrase)
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["notes.txt"]
    with pytest.raises(LibraryBusy, match="open in a window"):  # the library is open here
        restore(out, service.path, passphrase, force=True)


@pytest.mark.parametrize("member", ["../evil", "media/../../x.vigm", "library.db.extra"])
def test_a_hand_made_backup_is_refused(tmp_path, passphrase, member):
    out = tmp_path / "evil.vigbackup"
    with tarfile.open(out, "w") as tar:
        (tmp_path / "x").write_bytes(b"x")
        tar.add(tmp_path / "x", arcname=member)
    with pytest.raises(BackupRefused, match="not a usable"):
        restore(out, tmp_path / "to", passphrase)
    assert not (tmp_path / "to").exists()
