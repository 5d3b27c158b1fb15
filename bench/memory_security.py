"""Cost of SQLCipher's `cipher_memory_security` (wipe every buffer SQLCipher frees), same run.

    .venv/bin/python bench/memory_security.py [--mib 64] [--edits 200] [--runs 3]

The pragma is process-wide in SQLCipher, and cannot be turned off once on, so each measurement runs
in a child process of its own. Times, with it OFF and ON (alternating, `--runs` each):
library.db work (`--edits` small committed edits plus a tree read after each ten) and a full
decrypting read of a `--mib` MiB media container, the decoder's access pattern. Prints the median
ON / OFF ratio of each: why only the commands that decode no media turn it on (`cli.main`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import library_tree
from vigstudio.store import database

PASSPHRASE = "bench passphrase, not secret"


def _measure(on: bool, mib: int, edits: int) -> dict[str, float]:
    """In this process (a child): the two timings with the pragma as `on`."""
    database.MEMORY_SECURITY = on
    with tempfile.TemporaryDirectory() as tmp:
        service = LibraryService()
        service.create(Path(tmp) / "lib", PASSPHRASE)
        try:
            with service.read() as repos:
                value = repos.orm_session.connection().exec_driver_sql("PRAGMA cipher_memory_security").scalar()
            assert str(value) == ("1" if on else "0"), value
            source = Path(tmp) / "blob.bin"
            source.write_bytes(os.urandom(mib * 1024 * 1024))
            name, _sha, key_hex = service.library.containers.create(source)
            return {"db": _edits(service, edits), "media": _read_container(service, name, key_hex)}
        finally:
            service.close()


def _edits(service: LibraryService, count: int) -> float:
    start = time.perf_counter()
    for i in range(count):
        add_case(service, f"B-{i}")
        if i % 10 == 0:
            library_tree(service)
    return time.perf_counter() - start


def _read_container(service: LibraryService, name: str, key_hex: str) -> float:
    start = time.perf_counter()
    with service.library.containers.open_reader(name, key_hex) as reader:
        while reader.read(256 * 1024):
            pass
    return time.perf_counter() - start


def _child(on: bool, mib: int, edits: int) -> dict[str, float]:
    env = dict(os.environ, VIGSTUDIO_KDF_PROFILE="fast")  # the library's passphrase derivation is not timed
    out = subprocess.run([sys.executable, __file__, "--child", "on" if on else "off", "--mib", str(mib),
                          "--edits", str(edits)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(mib: int = 64, edits: int = 200, runs: int = 3) -> dict[str, float]:
    times: dict[tuple[str, bool], list[float]] = {}
    for _ in range(runs):
        for on in (False, True):
            for what, seconds in _child(on, mib, edits).items():
                times.setdefault((what, on), []).append(seconds)
    result = {}
    for what, label in (("db", f"library.db: {edits} edits"), ("media", f"container: read {mib} MiB")):
        off, on = statistics.median(times[(what, False)]), statistics.median(times[(what, True)])
        result[what] = on / off
        print(f"{label:28} OFF {off:7.3f} s  ON {on:7.3f} s  ON/OFF {on / off:5.2f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=64)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["on", "off"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_measure(args.child == "on", args.mib, args.edits)))
    else:
        report(args.mib, args.edits, args.runs)


if __name__ == "__main__":
    main()
