"""Reports made from the library, anonymous, for the service (one command group for every report).

    vigstudio report outcomes LIBRARY --out report.pdf [--csv data.csv] [--from D --to D]
                                      [--kind vig|www|both|all]
    vigstudio report activity LIBRARY --from D --to D --out report.pdf [--csv data.csv]

The outcome report covers this library's families and every practitioner's imported anonymous outcomes
bundle (`vigstudio outcomes import`); --from/--to select the imported questionnaires by their month.
A report holds no case code, name or date of birth; a group with fewer than five completers is not
broken out and counts below five are shown as "<5"; still, the file leaves the encrypted library, so it is audited and the command says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened, _terminal_progress
from vigstudio.cli.exporting import REMINDER
from vigstudio.cli.outcomes import date_argument as _date


def register(commands) -> None:
    p = commands.add_parser("report", help="anonymous reports for the service (outcomes)")
    sub = p.add_subparsers(title="reports", metavar="REPORT", required=True)
    q = sub.add_parser("outcomes", help="the outcome evaluation: statistics per measure, PDF and CSV")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    q.add_argument("--csv", type=Path, metavar="FILE.csv", help="also the figures as CSV")
    q.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    q.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    q.add_argument("--kind", default="all", choices=("vig", "www", "both", "all"),
                   help="which families: VIG only, WWW only, both together, or all (default)")
    q.set_defaults(handler=cmd_outcomes)
    register_activity(sub)


def cmd_outcomes(args: argparse.Namespace) -> int:
    from vigstudio.app.outcome_report import make_outcome_report

    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("outcome report") as progress:
            files = make_outcome_report(service, args.out, csv_path=args.csv, date_from=args.date_from,
                                        date_to=args.date_to, kind=args.kind, progress=progress)
    for path in (files.pdf, files.csv):
        if path is not None:
            print(path)
            print(REMINDER.format(path=path), file=sys.stderr)
    return EXIT_OK


def register_activity(sub) -> None:
    q = sub.add_parser("activity", help="the service's activity: referrals, waiting, endings, its own work")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--from", dest="date_from", type=_date, required=True, metavar="YYYY-MM-DD")
    q.add_argument("--to", dest="date_to", type=_date, required=True, metavar="YYYY-MM-DD")
    q.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    q.add_argument("--csv", type=Path, metavar="FILE.csv", help="also the figures as CSV")
    q.set_defaults(handler=cmd_activity)


def cmd_activity(args: argparse.Namespace) -> int:
    from vigstudio.app.activity_report import make_activity_report

    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("activity report") as progress:
            files = make_activity_report(service, args.out, args.date_from, args.date_to, csv_path=args.csv,
                                         progress=progress)
    for path in (files.pdf, files.csv):
        if path is not None:
            print(path)
            print(REMINDER.format(path=path), file=sys.stderr)
    return EXIT_OK
