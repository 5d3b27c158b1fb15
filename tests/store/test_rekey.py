"""Rotating the data key: library.db re-encrypted (`PRAGMA rekey`), an old library.key no longer opens it."""

from __future__ import annotations

import shutil

import pytest

from tests.store.conftest import add_family
from vigstudio.domain.errors import DamagedLibrary, WrongPassphrase
from vigstudio.store import Library
from vigstudio.store.lock import LibraryBusy


def test_an_old_key_file_and_old_passphrase_no_longer_open_the_library(tmp_path, passphrase):
    path = tmp_path / "lib"
    with Library.create(path, passphrase) as lib:
        with lib.transaction() as repos:
            case_id = add_family(repos)["case"].id
    old_key_file = (path / "library.key").read_bytes()  # e.g. in an old backup of the folder
    with Library.open(path, passphrase) as lib:
        lib.rotate_data_key(passphrase)
        with lib.read() as repos:  # still usable at once
            assert repos.cases.get(case_id).code == "F-014"
        assert lib.anchor_problem() is None
    assert (path / "library.key").read_bytes() != old_key_file
    assert not (path / "library.key.next").exists()
    with Library.open(path, passphrase) as lib, lib.read() as repos:
        assert repos.cases.get(case_id).code == "F-014"
        assert repos.audit.verify_chain() == []
    (path / "library.key").write_bytes(old_key_file)
    with pytest.raises(DamagedLibrary, match="cannot be decrypted"):
        Library.open(path, passphrase)


def test_rotation_needs_the_passphrase_and_the_library_to_itself(tmp_path, passphrase):
    path = tmp_path / "lib"
    Library.create(path, passphrase).close()
    with Library.open(path, passphrase) as lib:
        with pytest.raises(WrongPassphrase):
            lib.rotate_data_key("not the passphrase at all")
        other = Library.open(path, passphrase)  # another window has it open
        try:
            with pytest.raises(LibraryBusy, match="open in another window"):
                lib.rotate_data_key(passphrase)
            with other.read() as repos:  # nothing changed under it
                assert repos.cases.list() == []
        finally:
            other.close()
        lib.rotate_data_key(passphrase)


def test_a_rotation_cut_short_after_the_rekey_is_finished_at_the_next_open(tmp_path, passphrase):
    path = tmp_path / "lib"
    Library.create(path, passphrase).close()
    old_key_file = (path / "library.key").read_bytes()
    with Library.open(path, passphrase) as lib:
        lib.rotate_data_key(passphrase)
    # The state a crash leaves between `PRAGMA rekey` and the rename of the new key file:
    shutil.copy(path / "library.key", path / "library.key.next")
    (path / "library.key").write_bytes(old_key_file)
    with Library.open(path, passphrase) as lib, lib.read() as repos:
        assert repos.cases.list() == []
    assert not (path / "library.key.next").exists()
    assert (path / "library.key").read_bytes() != old_key_file


def test_a_rotation_cut_short_before_the_rekey_drops_the_new_key_file(tmp_path, passphrase):
    path = tmp_path / "lib"
    Library.create(path, passphrase).close()
    shutil.copy(path / "library.key", path / "library.key.next")  # any key file that is not in use
    Library.open(path, passphrase).close()
    assert not (path / "library.key.next").exists()


def test_a_lock_file_that_cannot_be_opened_is_a_clean_refusal(tmp_path, passphrase):
    path = tmp_path / "lib"
    Library.create(path, passphrase).close()
    (path / "library.lock").unlink()
    (path / "library.lock").mkdir()  # as a read-only folder would: the lock cannot be opened for writing
    with pytest.raises(LibraryBusy, match="cannot be written"):
        Library.open(path, passphrase)
