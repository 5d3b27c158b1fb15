"""Anonymous outcomes bundles at a service's scale: a practitioner with N families (PHQ-9 and GAD-7 pre
and post each) exports, the lead imports, and the lead's outcome numbers are gathered with the
imported families against the same number of the lead's own, in the same run.

    .venv/bin/python bench/outcome_bundles.py [--cases 300] [--repeat 3]

Prints the median export, import and gather times, and the ratio of gathering N imported families to
gathering N of the library's own (the goal: imported data costs no more than the library's own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="vig-outbundle-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(TMP / var.lower())
os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vigstudio.app import keys, outcomes  # noqa: E402
from vigstudio.app.cases import add_case, add_session  # noqa: E402
from vigstudio.app.library import LibraryService  # noqa: E402
from vigstudio.app.outcome_bundles import export_outcomes_bundle, forget_source, import_outcomes_bundle  # noqa: E402
from vigstudio.app.outcome_report import gather  # noqa: E402

PASSPHRASE = "bench passphrase long enough"


def library(name: str, cases: int) -> LibraryService:
    service = LibraryService()
    service.create(TMP / name, PASSPHRASE)
    for n in range(cases):
        code = f"{name[:2].upper()}-{n:04d}"
        add_case(service, code)
        add_session(service, code)
        for when, day, phq, gad in (("pre", 10, 14 + n % 9, 9 + n % 7), ("post", 20, 6 + n % 11, 5 + n % 6)):
            date = dt.date(2026, 1 + n % 11, day)
            outcomes.add_completion(service, code, "PHQ-9", when, answers=[phq // 8 + (i < phq % 8) for i in range(8)]
                                    + [0], date=date)
            outcomes.add_completion(service, code, "GAD-7", when, answers=[gad // 7 + (i < gad % 7) for i in range(7)],
                                    date=date)
    return service


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prac, own, boss = library("practitioner", args.cases), library("own", args.cases), library("lead", 0)
    keys.add_contact(prac, "Lead", keys.contact_card(boss), "supervisor")
    keys.add_contact(boss, "HV", keys.contact_card(prac), "practitioner")
    out = TMP / "outcomes.age"
    export_s = timed(lambda: export_outcomes_bundle(prac, "Lead", out), args.repeat)

    def import_again() -> None:
        for source in __import__("vigstudio.app.outcome_bundles", fromlist=["sources"]).sources(boss):
            forget_source(boss, source.id)
        import_outcomes_bundle(boss, export_outcomes_bundle(prac, "Lead", out).path)

    import_s = timed(import_again, args.repeat) - export_s
    imported_s = timed(lambda: gather(boss), args.repeat)
    own_s = timed(lambda: gather(own), args.repeat)
    print(f"{args.cases} families, {out.stat().st_size / 1024:.0f} KiB bundle")
    print(f"export {export_s * 1000:.0f} ms, import {import_s * 1000:.0f} ms")
    print(f"gather: imported {imported_s * 1000:.0f} ms, own {own_s * 1000:.0f} ms, "
          f"ratio {imported_s / own_s:.2f}")
    for service in (prac, own, boss):
        service.close()


if __name__ == "__main__":
    main()
