"""What signing a bundle costs: Ed25519 sign + verify of the manifest and the scrypt header check,
against age encrypting and decrypting the same bundle (the baseline, measured in the same run).

    .venv/bin/python bench/bundle_trust.py [--mib 64] [--runs 5]

The signature covers the manifest only (a few KiB, holding every member's SHA-256), so its cost does
not grow with the bundle; the members' SHA-256 were already computed before signing existed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyrage
from pyrage import x25519

from vigstudio.bundle import (
    Member,
    Sender,
    make_manifest,
    new_signing_key,
    parse_tar,
    public_of,
    scrypt_work_factor,
    signing,
    tar_stream,
)


def _timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=64, help="size of the bundle's clips")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    identity = x25519.Identity.generate()
    key = new_signing_key()
    sender = Sender(str(identity.to_public()), public_of(key), "bench")
    members = [Member.from_bytes(f"clips/{n:032x}.mp4", os.urandom(1 << 20)) for n in range(args.mib)]
    manifest = make_manifest("session", "0" * 32, "bench", "supervision", members, sender, [])
    plain = b"".join(tar_stream(manifest, members, key))

    def encrypt_decrypt() -> None:
        sealed = io.BytesIO()
        pyrage.encrypt_io(io.BytesIO(plain), sealed, [identity.to_public()])
        pyrage.decrypt(sealed.getvalue(), [identity])

    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    signature = signing.sign(key, manifest_bytes)

    def sign_and_verify() -> None:
        signing.verify(public_of(key), signing.sign(key, manifest_bytes), manifest_bytes)

    def check_members() -> None:
        parse_tar(plain)  # signature, and every member's SHA-256 (which was checked before signing existed)

    def header_check() -> None:
        scrypt_work_factor(b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nAAAA\n--- mac\n")

    base = _timed(encrypt_decrypt, args.runs)
    signed = _timed(sign_and_verify, max(args.runs, 100))
    parsed = _timed(check_members, args.runs)
    assert signing.verify(public_of(key), signature, manifest_bytes)
    header = _timed(header_check, max(args.runs, 1000))
    print(f"bundle of {args.mib} MiB, manifest {len(manifest_bytes)} bytes, median of {args.runs} runs")
    print(f"age encrypt + decrypt (baseline): {base * 1000:.1f} ms")
    print(f"Ed25519 sign + verify of the manifest: {signed * 1e6:.0f} µs = {signed / base:.5f}x baseline")
    print(f"parse_tar (signature + every member's SHA-256): {parsed * 1000:.1f} ms = {parsed / base:.2f}x baseline")
    print(f"scrypt header check: {header * 1e6:.1f} µs = {header / base:.6f}x baseline")


if __name__ == "__main__":
    main()
