"""The caseload stays instant with 300 cases: one read of `app.pathway.caseload` and one refresh of the
caseload tab, at 300 cases against a one-case library, in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/caseload.py [--cases 300] [--repeat 5]

The library comes from `bench/scale_library.py` (bulk inserts, no media), and every case gets a
referral, three pathway steps, a consent and a questionnaire. Prints the median of `--repeat` reads
and the ratio to the one-case library; the goal is a refresh well under 100 ms at 300 cases.
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

TMP = Path(tempfile.mkdtemp(prefix="vig-caseload-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(TMP / var.lower())
os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale_library import generate  # noqa: E402
from vigstudio.app import consent, outcomes, pathway  # noqa: E402
from vigstudio.app.library import LibraryService  # noqa: E402


def library(cases: int) -> LibraryService:
    service = LibraryService()
    service.create(TMP / f"lib{cases}", "bench passphrase long enough")
    generate(service, cases)
    with service.read() as repos:
        codes = [c.code for c in repos.cases.list()]
    start = dt.date.today() - dt.timedelta(days=90)
    for n, code in enumerate(codes):
        pathway.add_referral(service, code, start + dt.timedelta(days=n % 30), "health-visitor")
        pathway.set_stage(service, code, "assessment", on=start + dt.timedelta(days=35))
        pathway.set_stage(service, code, "in-intervention", on=start + dt.timedelta(days=50))
        consent.add(service, code, ["storage"], "HV")
        outcomes.add_completion(service, code, "GAD-7", "pre", answers=[1] * 7)
    return service


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from vigstudio.ui.caseload.view import CaseloadView

    app = QApplication.instance() or QApplication([])
    results = {}
    for size in (1, args.cases):
        service = library(size)
        view = CaseloadView()
        view.attach(service)
        view.show()
        app.processEvents()
        read = timed(lambda s=service: pathway.caseload(s), args.repeat)
        refresh = timed(lambda v=view: (v.reload(), app.processEvents()), args.repeat)
        results[size] = (read, refresh)
        view.detach()
        service.close()
    one, many = results[1], results[args.cases]
    print(f"caseload read:     1 case {one[0] * 1000:7.1f} ms   {args.cases} cases {many[0] * 1000:7.1f} ms"
          f"   ratio {many[0] / one[0]:.1f}x")
    print(f"caseload refresh:  1 case {one[1] * 1000:7.1f} ms   {args.cases} cases {many[1] * 1000:7.1f} ms"
          f"   ratio {many[1] / one[1]:.1f}x")


if __name__ == "__main__":
    main()
