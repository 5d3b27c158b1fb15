"""Referrals, the case pathway, the caseload and the service's own work.

    vigstudio referral add LIBRARY CASE --received D --source health-visitor [--reason low-mood ...]
                                        [--postnatal-born D | --antenatal-due D] [--urgency U]
                                        [--role R] [--team T] [--contact -] [--notes -]
    vigstudio referral decide LIBRARY REFERRAL_ID --decision accepted|declined|signposted [--reason T] [--date D]
    vigstudio referral list LIBRARY CASE [--json]
    vigstudio referral delete LIBRARY REFERRAL_ID      (referral edit, pathway, closing: cli.case_records)
    vigstudio case status LIBRARY CASE --to referred|assessment|waiting|in-intervention|ended|closed
                                      [--date D] [--reason T]
    vigstudio case close LIBRARY CASE --reason T [--offered T] [--note -] [--date D]
    vigstudio retention review LIBRARY CASE --action keep|summary|delete-all
    vigstudio caseload LIBRARY [--json] [--all]
    vigstudio activity add LIBRARY --kind consultation|training|liaison|resource --date D --title T
                                   [--attendees N] [--minutes M] [--case CODE] [--role R] [--team T] [--outcome O]
    vigstudio activity list LIBRARY [--json]
    vigstudio activity edit LIBRARY ID [--title T] [--date D] [--attendees N] [--minutes M] [--outcome O]
    vigstudio activity delete LIBRARY ID

Creating commands print the bare id. Free text that may identify someone (a referrer's contact, the
referral's notes) is read from standard input when given as `-`: command lines are visible to every
user of the computer.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened
from vigstudio.cli.outcomes import _text, date_argument


def _sub(commands, name: str) -> argparse._SubParsersAction:
    """The sub-command list of an existing command (`case` lives in the package's own module)."""
    parser = commands.choices[name]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def register(commands) -> None:
    p = commands.add_parser("referral", help="referrals of a case: add, decide, list, delete")
    sub = p.add_subparsers(title="referral commands", metavar="ACTION", required=True)
    q = sub.add_parser("add", help="record a referral (prints its id); a new or closed case enters the pathway")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--received", type=date_argument, required=True, metavar="YYYY-MM-DD")
    q.add_argument("--source", required=True, metavar="SOURCE", help="e.g. health-visitor, gp, midwifery")
    q.add_argument("--reason", action="append", default=[], metavar="REASON",
                   help="a reason from the catalogue (repeat for several), e.g. low-mood, birth-trauma")
    q.add_argument("--notes", default="", metavar="TEXT", help="concerns in free words; '-' reads stdin")
    stage = q.add_mutually_exclusive_group()
    stage.add_argument("--antenatal-due", type=date_argument, metavar="YYYY-MM-DD", help="expected delivery date")
    stage.add_argument("--postnatal-born", type=date_argument, metavar="YYYY-MM-DD", help="infant's date of birth")
    q.add_argument("--urgency", default="routine", metavar="U", help="routine, soon or urgent")
    q.add_argument("--role", default="", metavar="ROLE", help="the referrer's role (no name needed)")
    q.add_argument("--team", default="", metavar="TEAM")
    q.add_argument("--contact", default="", metavar="TEXT", help="how to reach the referrer; '-' reads stdin")
    q.set_defaults(handler=cmd_referral_add)
    q = sub.add_parser("decide", help="accept, decline or signpost a referral")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("referral", type=int, metavar="REFERRAL_ID")
    q.add_argument("--decision", required=True, choices=("accepted", "declined", "signposted"))
    q.add_argument("--reason", default="", metavar="TEXT")
    q.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD")
    q.set_defaults(handler=cmd_referral_decide)
    q = sub.add_parser("list", help="a case's referrals and pathway")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_referral_list)
    q = sub.add_parser("delete", help="delete a referral recorded by mistake")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("referral", type=int, metavar="REFERRAL_ID")
    q.set_defaults(handler=cmd_referral_delete)

    q = _sub(commands, "case").add_parser("status", help="move a case along its pathway (dated)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--to", required=True, metavar="STAGE",
                   help="referred, assessment, waiting, in-intervention, ended or closed")
    q.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD", help="default: today")
    q.add_argument("--reason", default="", metavar="TEXT",
                   help="for ended: completed, disengaged, moved-away or transferred")
    q.set_defaults(handler=cmd_case_status)

    q = _sub(commands, "case").add_parser("close", help="close a case with its written summary (audited)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--reason", required=True, metavar="TEXT", help="e.g. completed, disengaged, moved away")
    q.add_argument("--offered", default="", metavar="TEXT", help="what was offered, e.g. '3 VIG cycles'")
    q.add_argument("--note", default="", metavar="TEXT", help="the written summary; '-' reads it from stdin")
    q.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD", help="default: today")
    q.set_defaults(handler=cmd_case_close)

    p = commands.add_parser("caseload", help="open cases with their pathway, waiting and what is outstanding")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="closed cases too")
    p.set_defaults(handler=cmd_caseload)

    p = commands.add_parser("activity", help="the service's own work: consultations, training, liaison")
    sub = p.add_subparsers(title="activity commands", metavar="ACTION", required=True)
    q = sub.add_parser("add", help="record an activity (prints its id)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--kind", required=True, choices=("consultation", "training", "liaison", "resource"))
    _activity_fields(q, required=True)
    q.add_argument("--case", metavar="CODE", help="the case a consultation was about")
    q.set_defaults(handler=cmd_activity_add)
    q = sub.add_parser("edit", help="change an activity")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("id", type=int, metavar="ID")
    _activity_fields(q, required=False)
    q.set_defaults(handler=cmd_activity_edit)
    q = sub.add_parser("list", help="every activity")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_activity_list)
    q = sub.add_parser("delete", help="delete an activity")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_activity_delete)


def extend(commands) -> None:
    """Called once every module has registered: `retention` belongs to the supervision module."""
    q = _sub(commands, "retention").add_parser(
        "review", help="a closed case's retention review: keep, summary (delete the recordings) or delete-all")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--action", required=True, choices=("keep", "summary", "delete-all"))
    q.set_defaults(handler=cmd_retention_review)


def _activity_fields(q: argparse.ArgumentParser, *, required: bool) -> None:
    q.add_argument("--date", type=date_argument, required=required, metavar="YYYY-MM-DD")
    q.add_argument("--title", required=required, metavar="TEXT", help="the topic or the training's title")
    q.add_argument("--attendees", type=int, metavar="N")
    q.add_argument("--minutes", type=int, metavar="M")
    q.add_argument("--role", metavar="ROLE", help="the professional's role, or the audience's roles")
    q.add_argument("--team", metavar="TEAM", help="their team, or the other service")
    q.add_argument("--outcome", metavar="TEXT", help="advice, joint visit, referral made...")
    q.add_argument("--materials", metavar="TEXT")


def _referral_json(r) -> dict:
    return {"id": r.id, "received": r.received.isoformat(), "source": r.source, "reasons": r.reasons,
            "perinatal": r.perinatal.value if r.perinatal else None, "weeks": r.weeks(), "urgency": r.urgency,
            "decision": r.decision.value if r.decision else None,
            "decision_date": r.decision_date.isoformat() if r.decision_date else None}


def cmd_referral_add(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import add_referral

    notes, contact = _text(args.notes), _text(args.contact)
    perinatal = "antenatal" if args.antenatal_due else "postnatal" if args.postnatal_born else None
    with _opened(args.library, audit_now=False) as service:
        referral = add_referral(service, args.case, args.received, args.source, reasons=args.reason,
                                reason_text=notes, referrer_role=args.role, referrer_team=args.team,
                                contact=contact, perinatal=perinatal, due_date=args.antenatal_due,
                                birth_date=args.postnatal_born, urgency=args.urgency)
    print(referral.id)
    return EXIT_OK


def cmd_referral_decide(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import decide

    with _opened(args.library, audit_now=False) as service:
        decide(service, args.referral, args.decision, reason=args.reason, on=args.date)
    return EXIT_OK


def cmd_referral_list(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import pathway, referrals

    with _opened(args.library, audit_now=False) as service:
        refs, steps = referrals(service, args.case), pathway(service, args.case)
    if args.json:
        print(json.dumps({"referrals": [_referral_json(r) for r in refs],
                          "pathway": [{"id": e.id, "stage": e.stage.value, "date": e.date.isoformat(),
                                       "reason": e.reason} for e in steps]}, indent=1))
        return EXIT_OK
    for r in refs:
        print(f"referral {r.id}: {r.received} from {r.source} ({r.decision.value if r.decision else 'undecided'})")
    for e in steps:
        print(f"  step {e.id}: {e.date} {e.stage.value.replace('_', ' ')}{' (' + e.reason + ')' if e.reason else ''}")
    return EXIT_OK


def cmd_referral_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import delete_referral

    with _opened(args.library, audit_now=False) as service:
        delete_referral(service, args.referral)
    return EXIT_OK


def cmd_case_status(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import set_stage

    with _opened(args.library, audit_now=False) as service:
        set_stage(service, args.case, args.to, on=args.date, reason=args.reason)
    return EXIT_OK


def cmd_case_close(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import close_with_summary

    note = _text(args.note)
    with _opened(args.library, audit_now=False) as service:
        close_with_summary(service, args.case, reason=args.reason, offered=args.offered, note=note, on=args.date)
    return EXIT_OK


def cmd_retention_review(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import review_retention

    with _opened(args.library, audit_now=False) as service:
        deleted = review_retention(service, args.case, args.action)
    print(f"{deleted} recordings deleted")
    return EXIT_OK


def cmd_caseload(args: argparse.Namespace) -> int:
    from vigstudio.app.pathway import caseload, caseload_json

    with _opened(args.library, audit_now=False) as service:
        rows = caseload(service, include_closed=args.all)
    if args.json:
        print(json.dumps(caseload_json(rows), indent=1))
        return EXIT_OK
    if not rows:
        print("no open cases")
    for r in rows:
        waiting = f"{r.days_waiting} days waiting" if r.days_waiting is not None else "no referral"
        todo = ", ".join(r.outstanding) or "nothing outstanding"
        print(f"{r.code}\t{(r.stage or r.status).replace('_', ' ')}\t{'+'.join(r.interventions) or '-'}\t"
              f"{waiting}\t{todo}")
    return EXIT_OK


def _details(args: argparse.Namespace) -> dict:
    names = ("date", "title", "attendees", "minutes", "role", "team", "outcome", "materials")
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def cmd_activity_add(args: argparse.Namespace) -> int:
    from vigstudio.app.activities import add_activity

    details = _details(args)
    date, title = details.pop("date"), details.pop("title")
    with _opened(args.library, audit_now=False) as service:
        activity = add_activity(service, args.kind, date, title, case_code=args.case, **details)
    print(activity.id)
    return EXIT_OK


def cmd_activity_edit(args: argparse.Namespace) -> int:
    from vigstudio.app.activities import update_activity

    with _opened(args.library, audit_now=False) as service:
        update_activity(service, args.id, **_details(args))
    return EXIT_OK


def cmd_activity_list(args: argparse.Namespace) -> int:
    from vigstudio.app.activities import activities

    with _opened(args.library, audit_now=False) as service:
        found = activities(service)
    if args.json:
        rows = [{**dataclasses.asdict(a), "kind": a.kind.value, "date": a.date.isoformat()} for a in found]
        print(json.dumps({"activities": rows}, indent=1))
        return EXIT_OK
    for a in found:
        print(f"{a.id}\t{a.date}\t{a.kind.value}\t{a.title}")
    return EXIT_OK


def cmd_activity_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.activities import delete_activity

    with _opened(args.library, audit_now=False) as service:
        delete_activity(service, args.id)
    return EXIT_OK


