"""Fuzzing library.key: damaged bytes, any JSON value anywhere (with the checksum made to match, so the
parsing behind it is reached), deep nesting. Opening is refused with one line (`VigError`), and the
library's files are exactly as they were."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import DELETE, FUZZ, deeply_nested, json_values, paths_in, replaced
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.store.keys import _checksum

# Numbers there are Argon2id's work (a key file asking 4 GiB is the KDF bounds' business, not this
# fuzzer's): they are replaced by non-numbers only, so no case spends minutes deriving a key.
KDF_COSTS = {("kdf", "time_cost"), ("kdf", "memory_cost"), ("kdf", "parallelism")}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from tests.conftest import PASSPHRASE

    folder = tmp_path_factory.mktemp("fuzz-key") / "lib"
    service = LibraryService()
    service.create(folder, PASSPHRASE)
    service.close()
    key = (folder / "library.key").read_bytes()
    yield folder, key, PASSPHRASE
    (folder / "library.key").write_bytes(key)


def _files(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _refused(folder, key_bytes: bytes, passphrase: str) -> None:
    """Open with the changed key file: a one-line refusal that changed no file, or (a change to a field
    the key does not depend on) a normal open."""
    original = (folder / "library.key").read_bytes()
    (folder / "library.key").write_bytes(key_bytes)
    before = _files(folder)
    service = LibraryService()
    try:
        service.open(folder, passphrase)
    except VigError as err:
        assert str(err) and "\n" not in str(err)
        assert _files(folder) == before
    else:
        service.close()
    finally:
        (folder / "library.key").write_bytes(original)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), min_size=1,
                      max_size=4), cut=st.one_of(st.none(), st.integers(min_value=0)))
def test_fuzz_key_file_bytes(library, flips, cut):
    folder, key, passphrase = library
    data = bytearray(key)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    if cut is not None:
        del data[cut % len(data):]
    if bytes(data) != key:
        _refused(folder, bytes(data), passphrase)


@FUZZ
@given(data=st.data())
def test_fuzz_key_file_json_with_a_matching_checksum(library, data):
    folder, key, passphrase = library
    body = json.loads(key)
    body.pop("check")
    path = data.draw(st.sampled_from([p for p in paths_in(body) if p]))
    values = json_values.filter(lambda v: not isinstance(v, (int, float))) if path in KDF_COSTS else json_values
    value = data.draw(st.one_of(values, st.just(DELETE)))
    changed = replaced(body, path, value)
    if changed == body:
        return
    if path == ("kek_check",) and value is DELETE:
        return  # a key file made before the passphrase check existed has none: it must still open
    changed["check"] = _checksum(changed)
    _refused(folder, json.dumps(changed).encode(), passphrase)


def test_deeply_nested_and_odd_key_files(library):
    folder, _key, passphrase = library
    for blob in (deeply_nested().encode(), b"", b"\xff\xfe\x00", b"[]", b"null", b'{"format": ' * 10_000, b"1e999999"):
        _refused(folder, blob, passphrase)
