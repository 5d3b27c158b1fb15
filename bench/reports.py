"""Reports and summaries in a library of years: each at 300 cases against a one-case library, same run.

    .venv/bin/python bench/reports.py [--cases 300] [--repeat 5] [--code DIR]

Both libraries come from `bench/report_library.py` (bulk inserts, no media: per case a referral, a
pathway, a VIG cycle with sessions and rated goals, a WWW course of 10 sessions with coded moments
and Wonder notes, PHQ-9, GAD-7 and WSAS pre and post; the service's supervisions and activities over
three years). Each library is measured in a fresh process, which runs each report once to warm up
(imports, catalogues) and then `--repeat` times, printing the median wall time and CPU time of:

- the outcome report: gathering its numbers, and the whole report (gather, charts, PDF and CSV);
- the activity report for the last year: gathering, and the whole report (PDF and CSV);
- the caseload (`app.pathway.caseload`, closed cases included);
- the training portfolio (its PDF: stages, cycles counted from the library, supervisions);
- the WWW course summary of the first case's course (its overview, and the PDF).

`--code DIR` measures another version unpacked there (`git archive <commit> vigstudio | tar -x -C DIR`)
on the same libraries, for a before/after. The machine's load (`uptime`) is printed with the figures:
on a shared machine every wall time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSPHRASE = "reports benchmark passphrase"
REPORTS = ("outcome gather", "outcome report (PDF, CSV)", "activity gather", "activity report (PDF, CSV)",
           "caseload", "training portfolio (PDF)", "WWW course overview", "WWW course summary (PDF)")


def make_libraries(folder: Path, cases: int) -> dict[str, Path]:
    from bench.report_library import generate
    from vigstudio.app.library import LibraryService

    paths = {}
    for name, size in (("one case", 1), (f"{cases} cases", cases)):
        service = LibraryService()
        service.create(folder / name.replace(" ", "-"), PASSPHRASE)
        started = time.perf_counter()
        generate(service, size)
        print(f"generated {name} in {time.perf_counter() - started:.1f} s")
        service.close()
        paths[name] = folder / name.replace(" ", "-")
    return paths


def _reports(service, out: Path) -> dict[str, Callable[[], object]]:
    from vigstudio.app import activity_report, outcome_report, pathway, portfolio
    from vigstudio.app.www.overview import course_overview
    from vigstudio.app.www.summary import make_course_summary

    today = dt.date.today()
    year_ago = today - dt.timedelta(days=365)
    with service.read() as repos:
        first = repos.cases.by_code("R-0001")
        course = next(i.id for i in repos.interventions.of_case(first.id) if i.kind.value == "www")
    return {
        "outcome gather": lambda: outcome_report.gather(service),
        "outcome report (PDF, CSV)": lambda: outcome_report.make_outcome_report(
            service, out / "outcomes.pdf", csv_path=out / "outcomes.csv"),
        "activity gather": lambda: activity_report.gather(service, year_ago, today),
        "activity report (PDF, CSV)": lambda: activity_report.make_activity_report(
            service, out / "activity.pdf", year_ago, today, csv_path=out / "activity.csv"),
        "caseload": lambda: pathway.caseload(service, include_closed=True),
        "training portfolio (PDF)": lambda: portfolio.make_portfolio(service, out / "portfolio.pdf"),
        "WWW course overview": lambda: course_overview(service, course),
        "WWW course summary (PDF)": lambda: make_course_summary(service, course, out / "summary.pdf"),
    }


def measure(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """In this (fresh) process: each report once to warm up, then the median of `repeat` runs as
    (wall ms, CPU ms)."""
    from vigstudio.app.library import LibraryService

    service = LibraryService()
    service.open(path, PASSPHRASE)
    out = Path(tempfile.mkdtemp(prefix="vig-reports-out-"))
    results = {}
    try:
        for name, run in _reports(service, out).items():
            run()
            walls, cpus = [], []
            for _ in range(repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                run()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            results[name] = (statistics.median(walls) * 1000, statistics.median(cpus) * 1000)
    finally:
        service.close()
        shutil.rmtree(out, ignore_errors=True)
    return results


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def report(results: dict[str, dict[str, tuple[float, float]]], cases: int) -> None:
    one, big = results["one case"], results[f"{cases} cases"]
    print(f"\n{'':30}{'1 case':>18}{f'{cases} cases':>20}{'ratio':>9}")
    print(f"{'':30}{'wall (CPU) ms':>18}{'wall (CPU) ms':>20}{'(wall)':>9}")
    for name in REPORTS:
        (w1, c1), (wn, cn) = one[name], big[name]
        print(f"{name:30}{w1:10.0f} ({c1:5.0f}){wn:12.0f} ({cn:5.0f}){wn / w1:8.1f}x")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, help="measure the vigstudio package found in this folder instead "
                        "(e.g. an older version unpacked with git archive), for a before/after")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child process: one library
    args = parser.parse_args(argv)
    if args.measure:
        if args.code:  # import the package from there first: its modules then come from there too
            sys.path.insert(0, str(args.code))
            import vigstudio
            assert Path(vigstudio.__file__).is_relative_to(args.code.resolve()), vigstudio.__file__
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="vig-reports-"))
    env = dict(os.environ, VIGSTUDIO_KDF_PROFILE="fast")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = os.environ[var] = str(tmp / var.lower())
    os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"
    try:
        paths = make_libraries(tmp, args.cases)
        print(f"before: {_load()}")
        results = {}
        for name, path in paths.items():
            child = [sys.executable, __file__, "--measure", str(path), "--repeat", str(args.repeat),
                     *(["--code", str(args.code)] if args.code else [])]
            done = subprocess.run(child, env=env, capture_output=True, text=True)
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"measuring {name} failed")
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"after:  {_load()}")
        report(results, args.cases)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
