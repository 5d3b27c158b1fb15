"""Correcting what a case's pathway records: referrals, the dated steps, the closing summary.

    vigstudio referral edit LIBRARY REFERRAL_ID [--received D] [--source S] [--reason R ...] [--notes -]
                                                [--antenatal-due D | --postnatal-born D | --no-perinatal]
                                                [--urgency U] [--role R] [--team T] [--contact -]
    vigstudio pathway list LIBRARY CASE [--json]
    vigstudio pathway edit LIBRARY STEP_ID [--date D] [--reason T]
    vigstudio pathway delete LIBRARY STEP_ID          # the case's last step only
    vigstudio closing show LIBRARY CASE [--json]
    vigstudio closing edit LIBRARY CASE [--reason T] [--offered T] [--note -]
    vigstudio closing delete LIBRARY CASE

A referral's decision is changed with `referral decide`. Free text that may identify someone is read
from standard input when given as `-`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened
from vigstudio.cli.outcomes import _text, date_argument


def _library(p: argparse.ArgumentParser) -> None:
    p.add_argument("library", type=Path, metavar="LIBRARY")


def register(commands) -> None:
    p = commands.add_parser("pathway", help="a case's dated pathway steps: list, correct, delete the last")
    sub = p.add_subparsers(title="pathway commands", metavar="ACTION", required=True)
    q = sub.add_parser("list", help="the case's steps with their ids")
    _library(q)
    q.add_argument("case", metavar="CASE")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_pathway_list)
    q = sub.add_parser("edit", help="correct a step's date or reason")
    _library(q)
    q.add_argument("step", type=int, metavar="STEP_ID")
    q.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD")
    q.add_argument("--reason", metavar="TEXT", help="for ended: completed, disengaged, moved-away, transferred")
    q.set_defaults(handler=cmd_pathway_edit)
    q = sub.add_parser("delete", help="delete the case's last step (recorded by mistake)")
    _library(q)
    q.add_argument("step", type=int, metavar="STEP_ID")
    q.set_defaults(handler=cmd_pathway_delete)

    p = commands.add_parser("closing", help="a closed case's written summary: show, edit, delete")
    sub = p.add_subparsers(title="closing summary commands", metavar="ACTION", required=True)
    q = sub.add_parser("show", help="the closing summary")
    _library(q)
    q.add_argument("case", metavar="CASE")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_closing_show)
    q = sub.add_parser("edit", help="change the closing summary")
    _library(q)
    q.add_argument("case", metavar="CASE")
    q.add_argument("--reason", metavar="TEXT")
    q.add_argument("--offered", metavar="TEXT")
    q.add_argument("--note", metavar="TEXT", help="the written summary; '-' reads it from stdin")
    q.set_defaults(handler=cmd_closing_edit)
    q = sub.add_parser("delete", help="delete the closing summary (the case stays closed)")
    _library(q)
    q.add_argument("case", metavar="CASE")
    q.set_defaults(handler=cmd_closing_delete)


def extend(commands) -> None:
    """`referral` is made by `cli.caseload`."""
    group = next(a for a in commands.choices["referral"]._actions if isinstance(a, argparse._SubParsersAction))
    q = group.add_parser("edit", help="correct a referral (its decision: referral decide)")
    _library(q)
    q.add_argument("referral", type=int, metavar="REFERRAL_ID")
    q.add_argument("--received", type=date_argument, metavar="YYYY-MM-DD")
    q.add_argument("--source", metavar="SOURCE")
    q.add_argument("--reason", action="append", metavar="REASON", help="the reasons (repeat; replaces them all)")
    q.add_argument("--notes", metavar="TEXT", help="concerns in free words; '-' reads stdin")
    stage = q.add_mutually_exclusive_group()
    stage.add_argument("--antenatal-due", type=date_argument, metavar="YYYY-MM-DD")
    stage.add_argument("--postnatal-born", type=date_argument, metavar="YYYY-MM-DD")
    stage.add_argument("--no-perinatal", action="store_true", help="the perinatal stage was not recorded")
    q.add_argument("--urgency", metavar="U")
    q.add_argument("--role", metavar="ROLE")
    q.add_argument("--team", metavar="TEAM")
    q.add_argument("--contact", metavar="TEXT", help="'-' reads stdin")
    q.set_defaults(handler=cmd_referral_edit)


def cmd_referral_edit(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway_records import edit_referral

    changes: dict = {name: value for name, value in (
        ("received", args.received), ("source", args.source), ("reasons", args.reason),
        ("reason_text", _text(args.notes) if args.notes is not None else None), ("urgency", args.urgency),
        ("referrer_role", args.role), ("referrer_team", args.team),
        ("contact", _text(args.contact) if args.contact is not None else None)) if value is not None}
    if args.antenatal_due:
        changes.update(perinatal="antenatal", due_date=args.antenatal_due)
    elif args.postnatal_born:
        changes.update(perinatal="postnatal", birth_date=args.postnatal_born)
    elif args.no_perinatal:
        changes.update(perinatal=None)
    with _opened(args.library, audit_now=False) as service:
        edit_referral(service, args.referral, **changes)
    return EXIT_OK


def cmd_pathway_list(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import pathway

    with _opened(args.library, audit_now=False) as service:
        steps = pathway(service, args.case)
    if args.json:
        print(json.dumps({"pathway": [{"id": s.id, "stage": s.stage.value, "date": s.date.isoformat(),
                                       "reason": s.reason, "referral": s.referral_id} for s in steps]}, indent=1))
        return EXIT_OK
    if not steps:
        print("not on the pathway (no referral recorded)")
    for s in steps:
        print(f"{s.id}\t{s.date}\t{s.stage.value.replace('_', ' ')}\t{s.reason}")
    return EXIT_OK


def cmd_pathway_edit(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway_records import edit_step

    with _opened(args.library, audit_now=False) as service:
        edit_step(service, args.step, date=args.date, reason=args.reason)
    return EXIT_OK


def cmd_pathway_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway_records import delete_last_step

    with _opened(args.library, audit_now=False) as service:
        delete_last_step(service, args.step)
    return EXIT_OK


def cmd_closing_show(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import closing_summary

    with _opened(args.library, audit_now=False) as service:
        summary = closing_summary(service, args.case)
    data = None if summary is None else {
        "closed_on": summary.closed_on.isoformat(), "reason": summary.reason, "offered": summary.offered,
        "note": summary.note, "last_scores": summary.last_scores}
    if args.json:
        print(json.dumps({"summary": data}, indent=1))
    elif summary is None:
        print(f"case {args.case} has no closing summary")
    else:
        print(f"closed on {summary.closed_on.isoformat()}: {summary.reason}")
        if summary.offered:
            print(f"offered: {summary.offered}")
        for measure, total in summary.last_scores.items():
            print(f"{measure}: {total:g}")
        if summary.note:
            print(summary.note)
    return EXIT_OK


def cmd_closing_edit(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway_records import edit_summary

    note = _text(args.note) if args.note is not None else None
    with _opened(args.library, audit_now=False) as service:
        edit_summary(service, args.case, reason=args.reason, offered=args.offered, note=note)
    return EXIT_OK


def cmd_closing_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway_records import delete_summary

    with _opened(args.library, audit_now=False) as service:
        delete_summary(service, args.case)
    return EXIT_OK
