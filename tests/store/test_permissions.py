"""Owner-only files: the library folder 700, its files 600, on creation and again on every open."""

from __future__ import annotations

import os
import stat

import pytest

from tests.store.conftest import make_video
from vigstudio.bundle.crypto import write_encrypted
from vigstudio.store import Library


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def loose_umask():
    previous = os.umask(0o022)  # the usual default: new files 644, folders 755
    yield
    os.umask(previous)


def _assert_owner_only(folder) -> None:
    assert _mode(folder) == 0o700
    for p in [*folder.iterdir(), *(folder / "media").iterdir()]:
        assert _mode(p) == (0o700 if p.is_dir() else 0o600), p.name


def test_a_new_library_and_its_containers_are_owner_only(tmp_path, passphrase):
    path = tmp_path / "lib"
    with Library.create(path, passphrase) as lib:
        name, _, _ = lib.containers.create(make_video(tmp_path / "v.mp4"))
        assert _mode(path / "media" / name) == 0o600
        with lib.transaction() as repos:
            repos.settings.set("x", "y")  # library.db-wal and -shm exist now
        _assert_owner_only(path)
    assert {"library.key", "library.db", "audit.anchor", "library.lock"} <= {p.name for p in path.iterdir()}


def test_open_tightens_a_library_copied_with_loose_modes(tmp_path, passphrase):
    path = tmp_path / "lib"
    with Library.create(path, passphrase) as lib:
        lib.containers.create(make_video(tmp_path / "v.mp4"))
    os.chmod(path, 0o755)
    for p in [*path.iterdir(), *(path / "media").iterdir()]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    Library.open(path, passphrase).close()
    _assert_owner_only(path)


def test_bundles_are_owner_only(tmp_path):
    out = tmp_path / "session.vigbundle"
    write_encrypted(out, [b"tar bytes"], passphrase="a long bundle passphrase")
    assert _mode(out) == 0o600


def test_no_core_dumps_while_a_library_is_open(tmp_path, passphrase):
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (resource.getrlimit(resource.RLIMIT_CORE)[1],) * 2)
    before = resource.getrlimit(resource.RLIMIT_CORE)
    first = Library.create(tmp_path / "a", passphrase)
    second = Library.create(tmp_path / "b", passphrase)
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0
    first.close()
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0  # one is still open
    second.close()
    assert resource.getrlimit(resource.RLIMIT_CORE) == before


def test_the_data_key_is_not_kept_as_text_by_the_engine(tmp_path, passphrase):
    with Library.create(tmp_path / "lib", passphrase) as lib:
        url = lib.engine.url
        assert url.password is None and "x'" not in str(url)
