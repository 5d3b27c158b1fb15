"""A passphrase bundle whose header asks scrypt for more work than age allows is refused before any
key derivation (no GiBs allocated), with a clear message."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pyrage import passphrase as age_passphrase

from vigstudio.bundle import MAX_SCRYPT_LOG_N, BundleRefused, decrypt_file, scrypt_work_factor

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def protected():
    data = age_passphrase.encrypt(b"hello", "long enough phrase")
    header = data.split(b"\n---", 1)[0]
    log_n = int(header.split(b"\n")[1].split(b" ")[3])
    return data, log_n


def _with_work_factor(data: bytes, old: int, new: int) -> bytes:
    head, rest = data.split(b"\n", 2)[:2], data.split(b"\n", 2)[2]
    stanza = head[1].rsplit(b" ", 1)
    assert stanza[1] == str(old).encode()
    return head[0] + b"\n" + stanza[0] + b" " + str(new).encode() + b"\n" + rest


def test_the_work_factor_is_read_from_the_header(protected):
    data, log_n = protected
    assert 10 <= log_n <= MAX_SCRYPT_LOG_N == 22
    assert scrypt_work_factor(data[:4096]) == log_n
    assert scrypt_work_factor(b"age-encryption.org/v1\n-> X25519 abc\nbody\n--- mac\n") is None


def test_a_crafted_work_factor_is_refused_without_allocating(protected, tmp_path):
    data, log_n = protected
    crafted = tmp_path / "crafted.age"
    crafted.write_bytes(_with_work_factor(data, log_n, 23))
    with pytest.raises(BundleRefused, match=r"work factor of 2\^23, more than the 2\^22 age allows") as info:
        decrypt_file(crafted, passphrase="long enough phrase")
    assert "8 GiB" in str(info.value) and "\n" not in str(info.value)
    # In a process that may not map more than 1 GiB: 2^23 would need 8 GiB, so a clean refusal
    # (exit 0 here) shows nothing tried to allocate it.
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from vigstudio.bundle import BundleRefused, decrypt_file
        try:
            decrypt_file({str(crafted)!r}, passphrase="long enough phrase")
        except BundleRefused as err:
            print(err)
            sys.exit(0)
        sys.exit(3)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "2^23" in result.stdout


def test_malformed_scrypt_stanzas_are_refused(protected, tmp_path):
    data, log_n = protected
    for n, bad in enumerate([
            _with_work_factor(data, log_n, 99),
            data.replace(f" {log_n}\n".encode(), f" 0{log_n}\n".encode(), 1),
            data.replace(f" {log_n}\n".encode(), b" x\n", 1),
            data.replace(b"\n-> scrypt ", b"\n-> X25519 abc\nAAAA\n-> scrypt ", 1)]):
        path = tmp_path / f"bad{n}.age"
        path.write_bytes(bad)
        with pytest.raises(BundleRefused) as info:
            decrypt_file(path, passphrase="long enough phrase")
        assert "\n" not in str(info.value)
