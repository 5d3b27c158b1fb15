"""Encrypted media containers: writing, verifying, seeking, PyAV decoding through the reader, clean-up."""

from __future__ import annotations

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from vigstudio.domain import model
from vigstudio.domain.errors import Cancelled, DamagedLibrary, InvalidInput
from vigstudio.store import Library
from vigstudio.store.containers import CHUNK_SIZE, PAGE_SIZE

from .conftest import add_family, make_video


@pytest.fixture
def source(tmp_path):
    data = random.Random(1).randbytes(2 * CHUNK_SIZE + 12345)  # two full chunks and a short one
    path = tmp_path / "source.bin"
    path.write_bytes(data)
    return path, data


def test_round_trip_with_random_seeks(library, source):
    path, data = source
    fractions = []
    name, sha, key_hex = library.containers.create(path, lambda f, label: fractions.append(f))
    assert sha == hashlib.sha256(data).hexdigest()
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    stored = library.containers.path(name)
    raw = stored.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and data[:4096] not in raw
    assert len(raw) % PAGE_SIZE == 0  # the large cipher page size is in effect
    rng = random.Random(2)
    with library.containers.open_reader(name, key_hex) as reader:
        assert reader.readable() and reader.seekable() and not reader.writable()
        assert reader.size == len(data) and reader.sha256 == sha
        assert reader.read() == data
        assert reader.read(10) == b""
        for _ in range(300):
            whence = rng.choice([io.SEEK_SET, io.SEEK_CUR, io.SEEK_END])
            target = rng.randrange(0, len(data) + 100)
            offset = {io.SEEK_SET: target, io.SEEK_CUR: target - reader.tell(),
                      io.SEEK_END: target - len(data)}[whence]
            assert reader.seek(offset, whence) == target == reader.tell()
            n = rng.choice([1, 7, 4096, CHUNK_SIZE - 3, CHUNK_SIZE + 5])
            assert reader.read(n) == data[target:target + n]
            assert reader.tell() == min(target + n, max(target, len(data)))
        buf = bytearray(CHUNK_SIZE + 10)  # readinto across a chunk boundary
        reader.seek(CHUNK_SIZE - 5)
        assert reader.readinto(buf) == len(buf)
        assert bytes(buf) == data[CHUNK_SIZE - 5: 2 * CHUNK_SIZE + 5]
        with pytest.raises(ValueError):
            reader.seek(-1)
        with pytest.raises(io.UnsupportedOperation):
            reader.write(b"x")
    assert reader.closed


def test_from_a_file_object(library, source):
    _, data = source
    memory = io.BytesIO(b"skipped" + data)
    memory.seek(len(b"skipped"))
    fractions = []
    name, sha, key_hex = library.containers.create(memory, lambda f, label: fractions.append(f))
    assert sha == hashlib.sha256(data).hexdigest() and fractions[-1] == 1.0
    with library.containers.open_reader(name, key_hex) as reader:
        assert reader.read() == data


def test_missing_source_refused_before_writing(library, tmp_path):
    with pytest.raises(InvalidInput, match="file not found"):
        library.containers.create(tmp_path / "nope.mp4")
    assert list(library.containers.folder.iterdir()) == []


def test_empty_source(library, tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    name, sha, key_hex = library.containers.create(tmp_path / "empty")
    assert sha == hashlib.sha256(b"").hexdigest()
    with library.containers.open_reader(name, key_hex) as reader:
        assert reader.size == 0 and reader.read() == b""


def test_pyav_decodes_straight_from_the_container(library, tmp_path):
    video = make_video(tmp_path / "clip.mp4", frames=30)
    name, _, key_hex = library.containers.create(video)
    with av.open(str(video)) as original:
        expected = [f.to_ndarray(format="rgb24") for f in original.decode(video=0)]
    with library.containers.open_reader(name, key_hex) as reader, av.open(reader) as container:
        stream = container.streams.video[0]
        decoded = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
        assert len(decoded) == len(expected) == 30
        assert all(np.array_equal(a, b) for a, b in zip(decoded, expected, strict=True))
        # Seek back and decode again: PyAV's seeks go through the reader too.
        container.seek(0, stream=stream)
        first = next(container.decode(stream)).to_ndarray(format="rgb24")
        assert np.array_equal(first, expected[0])


def test_wrong_key_is_refused(library, source):
    name, _, _ = library.containers.create(source[0])
    with pytest.raises(DamagedLibrary, match="cannot be read"):
        library.containers.open_reader(name, "00" * 32)
    assert library.containers.check(name, "00" * 32)


def test_cancel_leaves_nothing_behind(library, source):
    def cancel_halfway(fraction, label):
        if fraction > 0.3:
            raise Cancelled("import")

    with pytest.raises(Cancelled):
        library.containers.create(source[0], cancel_halfway)
    assert list(library.containers.folder.iterdir()) == []


def test_leftovers_removed_on_open(tmp_path, passphrase, source):
    lib = Library.create(tmp_path / "lib", passphrase)
    kept, sha, key_hex = lib.containers.create(source[0])
    orphan, _, _ = lib.containers.create(source[0])  # written, but its row was never committed
    with lib.transaction() as repos:
        f = add_family(repos)
        repos.recordings.add(model.Recording(f["session"].id, "s.bin", kept, sha, 1, 1.0, 1.0),
                             container_key=key_hex)
    lib.close()
    media = tmp_path / "lib" / "media"
    (media / "feedbeef.vigm.partial").write_bytes(b"\x00" * 1000)  # an import killed midway
    Library.open(tmp_path / "lib", passphrase).close()
    assert sorted(p.name for p in media.iterdir()) == [kept]
    assert orphan != kept


KILLED_IMPORT = """
import os, sys, time
from vigstudio.store import Library

lib = Library.open(sys.argv[1], os.environ["PASSPHRASE"])

def progress(fraction, label):
    if fraction > 0.3:
        print("midway", flush=True)
        time.sleep(600)  # the parent kills us here, mid-import

lib.containers.create(sys.argv[2], progress)
"""


def test_import_killed_midway(tmp_path, passphrase, source):
    Library.create(tmp_path / "lib", passphrase).close()
    env = {**os.environ, "PASSPHRASE": passphrase, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(tmp_path / "lib"), str(source[0])],
                             stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "midway"
        media = tmp_path / "lib" / "media"
        assert [p.suffix for p in media.iterdir()] == [".partial"]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    with Library.open(tmp_path / "lib", passphrase) as lib:
        assert list(media.iterdir()) == []
        with lib.transaction() as repos:
            assert repos.recordings.list() == []
