"""library.key: wrapping, unwrapping and re-wrapping the data key (real Argon2id, real AES-GCM)."""

import json
from pathlib import Path

import pytest

from vigstudio.domain.errors import DamagedLibrary, NotALibrary, WrongPassphrase
from vigstudio.store import keys
from vigstudio.store.keys import KdfParams, create_keyfile, rewrap_keyfile, unwrap_keyfile


def _rewrite(path, edit):
    body = json.loads(path.read_text())
    edit(body)
    path.write_text(json.dumps(body))


def _recheck(body):
    body.pop("check", None)
    body["check"] = keys._checksum(body)


def test_round_trip_and_file_contents(tmp_path, passphrase):
    path = tmp_path / "library.key"
    data_key = create_keyfile(path, passphrase)
    assert len(data_key) == 32
    assert unwrap_keyfile(path, passphrase) == data_key
    body = json.loads(path.read_text())
    assert body["format"] == keys.FORMAT and body["version"] == keys.VERSION
    assert body["kdf"]["name"] == "argon2id" and body["cipher"] == "aes-256-gcm"
    # Tests run with the fast profile (conftest), and the parameters are stored beside the salt.
    assert {k: body["kdf"][k] for k in ("time_cost", "memory_cost", "parallelism")} == vars(KdfParams.fast())
    assert data_key.hex() not in path.read_text() and passphrase not in path.read_text()


def test_wrong_passphrase(tmp_path, passphrase):
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    with pytest.raises(WrongPassphrase) as err:
        unwrap_keyfile(path, passphrase + "!")
    assert str(err.value) == f"wrong passphrase for library {tmp_path}"


def test_missing_key_file_is_not_a_library(tmp_path, passphrase):
    with pytest.raises(NotALibrary):
        unwrap_keyfile(tmp_path / "library.key", passphrase)


@pytest.mark.parametrize("damage", ["garbage", "flipped_byte", "truncated", "other_json", "huge_memory"])
def test_damaged_key_file(tmp_path, passphrase, damage):
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\xff" * 40)
    elif damage == "flipped_byte":
        i = raw.index(b'"wrapped_key": "') + 20
        path.write_bytes(raw[:i] + (b"A" if raw[i:i + 1] != b"A" else b"B") + raw[i + 1:])
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "other_json":
        path.write_text('{"hello": "world"}')
    elif damage == "huge_memory":  # a tampered file must not make us allocate terabytes
        _rewrite(path, lambda b: (b["kdf"].update(memory_cost=2**40), _recheck(b)))
    with pytest.raises(DamagedLibrary) as err:
        unwrap_keyfile(path, passphrase)
    assert "library.key" in str(err.value) and "\n" not in str(err.value)


def test_header_is_authenticated(tmp_path, passphrase):
    """Even with a recomputed checksum, a changed header no longer unwraps (it is GCM associated data),
    and with the right passphrase that is reported as tampering, not as a wrong passphrase."""
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    _rewrite(path, lambda b: (b.update(comment="edited"), _recheck(b)))
    with pytest.raises(DamagedLibrary, match="tampered"):
        unwrap_keyfile(path, passphrase)
    with pytest.raises(WrongPassphrase):
        unwrap_keyfile(path, "not the passphrase at all")


def test_a_replaced_wrapped_key_is_tampering_not_a_wrong_passphrase(tmp_path, passphrase):
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    other = tmp_path / "other" / "library.key"
    other.parent.mkdir()
    create_keyfile(other, passphrase)
    theirs = json.loads(other.read_text())
    _rewrite(path, lambda b: (b.update(wrapped_key=theirs["wrapped_key"]), _recheck(b)))
    with pytest.raises(DamagedLibrary, match="tampered"):
        unwrap_keyfile(path, passphrase)


@pytest.mark.parametrize("depth", [20_000, 1_000_000])
def test_deeply_nested_json_is_a_clean_refusal(tmp_path, passphrase, depth):
    path = tmp_path / "library.key"
    path.write_text("[" * depth + "]" * depth)
    with pytest.raises(DamagedLibrary):
        unwrap_keyfile(path, passphrase)


@pytest.mark.parametrize("params", [
    {"memory_cost": 4 * 1024 * 1024, "time_cost": 64},  # 4 GiB x 64 passes
    {"memory_cost": 1024 * 1024, "time_cost": 64},  # 1 GiB x 64: within each bound, not within the work
    {"time_cost": 10_000},
    {"parallelism": 255},
    {"time_cost": True},
    {"memory_cost": "65536"},
])
def test_absurd_parameters_are_refused_before_any_work(tmp_path, passphrase, params, monkeypatch):
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    _rewrite(path, lambda b: (b["kdf"].update(params), _recheck(b)))
    monkeypatch.setattr(KdfParams, "derive", lambda *a: pytest.fail("derived a key from absurd parameters"))
    with pytest.raises(DamagedLibrary, match="library.key"):
        unwrap_keyfile(path, passphrase)


def test_the_test_profile_needs_the_marker_and_a_temporary_folder(tmp_path, passphrase, monkeypatch):
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    assert json.loads(path.read_text())["kdf"]["profile"] == keys.TEST_PROFILE
    assert keys.test_profile_allowed(tmp_path)
    assert not keys.test_profile_allowed("/home/someone/Library")
    monkeypatch.delenv(keys.KDF_PROFILE_ENV)
    assert not keys.test_profile_allowed(tmp_path)
    with pytest.raises(DamagedLibrary, match="test suite"):  # outside the tests, such a key file is refused
        unwrap_keyfile(path, passphrase)
    # ... even with its marker removed (the parameters give it away)
    monkeypatch.setenv(keys.KDF_PROFILE_ENV, "fast")
    _rewrite(path, lambda b: (b["kdf"].pop("profile"), _recheck(b)))
    monkeypatch.delenv(keys.KDF_PROFILE_ENV)
    with pytest.raises(DamagedLibrary, match="test suite"):
        unwrap_keyfile(path, passphrase)


def test_the_fast_profile_is_not_used_for_a_library_outside_the_temporary_folder(monkeypatch):
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls: cls(3, 65536, 1)))
    assert KdfParams.default(Path("/home/someone/Library")) == KdfParams(3, 65536, 1)
    assert KdfParams.default(None) == KdfParams(3, 65536, 1)
    with pytest.raises(ValueError):
        keys.write_keyfile(Path("/nonexistent/library.key"), b"k" * 32, "a passphrase!", KdfParams.fast())


def test_rewrap_raises_old_parameters_to_todays_calibration(tmp_path, passphrase, monkeypatch):
    path = tmp_path / "library.key"
    monkeypatch.setenv(keys.KDF_PROFILE_ENV, "production")
    data_key = create_keyfile(path, passphrase, KdfParams(1, 19 * 1024, 1))  # an old, weak calibration
    rewrap_keyfile(path, passphrase, "a brand new passphrase", params=KdfParams(3, 65536, 2))
    assert keys.keyfile_params(path) == KdfParams(3, 65536, 2)
    assert unwrap_keyfile(path, "a brand new passphrase") == data_key
    rewrap_keyfile(path, "a brand new passphrase", passphrase, params=KdfParams(2, 32768, 1))
    assert keys.keyfile_params(path) == KdfParams(3, 65536, 2)  # never lowered


def test_rewrap_keeps_the_data_key(tmp_path, passphrase):
    path = tmp_path / "library.key"
    data_key = create_keyfile(path, passphrase)
    salt_before = json.loads(path.read_text())["kdf"]["salt"]
    rewrap_keyfile(path, passphrase, "a brand new passphrase")
    assert unwrap_keyfile(path, "a brand new passphrase") == data_key
    with pytest.raises(WrongPassphrase):
        unwrap_keyfile(path, passphrase)
    assert json.loads(path.read_text())["kdf"]["salt"] != salt_before
    assert [p.name for p in tmp_path.iterdir()] == ["library.key"]  # no temp file left


def test_rewrap_with_wrong_old_passphrase_changes_nothing(tmp_path, passphrase):
    path = tmp_path / "library.key"
    create_keyfile(path, passphrase)
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase):
        rewrap_keyfile(path, "not the passphrase", "a brand new passphrase")
    assert path.read_bytes() == before


def test_profile_is_chosen_by_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(keys.KDF_PROFILE_ENV, "fast")
    assert KdfParams.default(tmp_path) == KdfParams.fast()
    monkeypatch.setenv(keys.KDF_PROFILE_ENV, "production")
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls: cls(3, 4096, 1)))
    assert KdfParams.default(tmp_path) == KdfParams(3, 4096, 1)


def test_calibrated_parameters_are_usable_and_never_below_the_floor():
    params = KdfParams.calibrated(target_seconds=0.05)
    assert params.is_sane()
    assert params.memory_cost >= 64 * 1024 and params.time_cost >= 3  # even when that takes longer
    assert len(params.derive("x", b"0123456789abcdef")) == 32
