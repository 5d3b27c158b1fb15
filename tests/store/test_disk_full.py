"""A full disk during an edit or an import: `DiskFull`, and the library exactly as it was.

Writes fail for real: on a 3 MiB tmpfs where mounting is allowed (root), and always in a subprocess
whose file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) makes writes fail with EFBIG.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vigstudio.domain.errors import DiskFull
from vigstudio.store import Library

from .conftest import add_family, add_recording

REPO = Path(__file__).resolve().parents[2]
# `add_recording` refers to a container that was never written; everything else must check out.
ONLY_THE_FAKE_CONTAINER_MISSING = [f"media/{'0' * 32}.vigm: missing"]


@pytest.fixture
def small_fs(tmp_path):
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is None or done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here (the RLIMIT_FSIZE test covers this)")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False, timeout=10)


def _state(lib: Library):
    with lib.transaction() as repos:
        return ([c.code for c in repos.cases.list()], [s.notes for s in repos.sessions.list()],
                repos.recordings.containers(), [a for r in repos.recordings.list()
                                                for a in repos.assets.kinds(r.id)])


def _populate(lib: Library) -> int:
    with lib.transaction() as repos:
        f = add_family(repos)
        rec = add_recording(repos, f["session"].id)
        repos.assets.put(rec.id, "index", b"\x01" * 1000)
    return rec.id


def test_edit_on_a_full_disk(small_fs, passphrase):
    lib = Library.create(small_fs / "lib", passphrase)
    rec_id = _populate(lib)
    before = _state(lib)
    with pytest.raises(DiskFull) as err, lib.transaction() as repos:
        add_family(repos, code="F-999")
        repos.assets.put(rec_id, "thumbnails", os.urandom(4 * 1024 * 1024))
    assert str(err.value) == f"not enough disk space to write to {small_fs / 'lib'}; nothing was changed"
    assert _state(lib) == before
    lib.close()
    with Library.open(small_fs / "lib", passphrase) as lib:
        assert _state(lib) == before
        assert lib.integrity_check() == ONLY_THE_FAKE_CONTAINER_MISSING


def test_import_on_a_full_disk(small_fs, tmp_path, passphrase):
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(4 * 1024 * 1024))
    lib = Library.create(small_fs / "lib", passphrase)
    _populate(lib)
    before = _state(lib)
    with pytest.raises(DiskFull):
        lib.containers.create(source)
    assert list((small_fs / "lib" / "media").iterdir()) == []
    lib.close()
    with Library.open(small_fs / "lib", passphrase) as lib:
        assert _state(lib) == before


SCRIPT = """
import os, resource, signal, sys
from vigstudio.domain.errors import DiskFull
from vigstudio.store import Library

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG instead
library, source, rec_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
lib = Library.open(library, os.environ["PASSPHRASE"])
limit = 2 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
outcomes = []
try:
    with lib.transaction() as repos:
        repos.assets.put(rec_id, "thumbnails", os.urandom(3 * 1024 * 1024))
    outcomes.append("edit committed")
except DiskFull:
    outcomes.append("edit DiskFull")
try:
    lib.containers.create(source)
    outcomes.append("import stored")
except DiskFull:
    outcomes.append("import DiskFull")
lib.close()
print(";".join(outcomes))
"""


def test_file_size_limit_in_a_subprocess(tmp_path, passphrase):
    lib = Library.create(tmp_path / "lib", passphrase)
    rec_id = _populate(lib)
    before = _state(lib)
    lib.close()
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024))
    env = {**os.environ, "PASSPHRASE": passphrase, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path / "lib"), str(source),
                           str(rec_id)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "edit DiskFull;import DiskFull"
    assert list((tmp_path / "lib" / "media").iterdir()) == []
    with Library.open(tmp_path / "lib", passphrase) as lib:
        assert _state(lib) == before
        assert lib.integrity_check() == ONLY_THE_FAKE_CONTAINER_MISSING
