"""The practitioner's own training record, and starting a new VIG cycle.

    vigstudio training show LIBRARY [--json]          stage, requirements, counts done, what is missing
    vigstudio training stage LIBRARY N [--since D]     entered stage N (after a transition meeting)
    vigstudio training statement LIBRARY --text -      the reflective statement (from stdin)
    vigstudio training portfolio LIBRARY --out FILE.pdf the portfolio for a transition meeting
    vigstudio supervision add LIBRARY --date D --supervisor NAME --minutes 60 [--session ID]...
                              [--discussed T] [--goals T] [--reflection -]
    vigstudio supervision list LIBRARY [--json]
    vigstudio supervision delete LIBRARY ID
    vigstudio cycle add LIBRARY CASE [--question -]   the next VIG cycle (prints its id)
    vigstudio annotations export LIBRARY --session ID --format eaf|csv --out FILE
    vigstudio annotations import LIBRARY --recording ID FILE [--coder NAME]
                              (all-or-nothing; one line per refused row; --coder: that second coder's rows,
                              as their tags on the recording's clips)
    vigstudio annotations tag LIBRARY --clip ID --coder NAME --principle P [--frame F]   a second coder's tag
    vigstudio agreement LIBRARY --session ID [--coders A,B] [--tolerance FRAMES] [--json] [--csv FILE]
                              per principle: n, % agreement, Cohen's kappa with its 95% CI; alpha overall
                              (coders: practitioner, supervisor or a second coder's name; default the first two)
    vigstudio self-assessment add LIBRARY --recording ID --frame F --principle P [--text T]
    vigstudio self-assessment list LIBRARY --recording ID
    vigstudio self-assessment delete LIBRARY ID
                              your own shared review tagged with the principles as you showed them as guider

NAME is one of the library's contacts. Supervision hours are the minutes summed. Words that may
describe a family (what was discussed, a reflection, a helping question) can be read from standard
input with `-`, away from the process list.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from vigstudio.app.cases import find_session
from vigstudio.cli import EXIT_OK, _opened
from vigstudio.cli.outcomes import _text, date_argument
from vigstudio.domain.errors import InvalidInput


def register(commands) -> None:
    p = commands.add_parser("training", help="your route to accreditation: stage, cycles, supervision hours")
    sub = p.add_subparsers(title="training commands", metavar="ACTION", required=True)
    q = sub.add_parser("show", help="progress against the stage requirements")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_show)
    q = sub.add_parser("stage", help="record entering a stage")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("stage", type=int, metavar="N")
    q.add_argument("--since", type=date_argument, metavar="YYYY-MM-DD", help="default: today")
    q.set_defaults(handler=cmd_stage)
    q = sub.add_parser("portfolio", help="the portfolio PDF for a transition meeting (case codes only)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    q.set_defaults(handler=cmd_portfolio)
    q = sub.add_parser("statement", help="save the reflective statement")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--text", required=True, metavar="TEXT", help="'-' reads it from stdin")
    q.set_defaults(handler=cmd_statement)

    p = commands.add_parser("supervision", help="the supervisions you held (date, supervisor, minutes)")
    sub = p.add_subparsers(title="supervision commands", metavar="ACTION", required=True)
    q = sub.add_parser("add", help="log a supervision (prints its id)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--date", type=date_argument, required=True, metavar="YYYY-MM-DD")
    q.add_argument("--supervisor", required=True, metavar="NAME", help="one of your contacts")
    q.add_argument("--minutes", type=int, required=True, metavar="M")
    q.add_argument("--session", type=int, action="append", default=[], metavar="ID",
                   help="a session reviewed (repeat for several)")
    q.add_argument("--discussed", default="", metavar="TEXT", help="'-' reads it from stdin")
    q.add_argument("--goals", default="", metavar="TEXT")
    q.add_argument("--reflection", default="", metavar="TEXT", help="'-' reads it from stdin")
    q.set_defaults(handler=cmd_supervision_add)
    q = sub.add_parser("list", help="every supervision logged")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_supervision_list)
    q = sub.add_parser("delete", help="delete a supervision logged by mistake")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_supervision_delete)

    p = commands.add_parser("agreement", help="coding agreement on a session's clips: practitioner and supervisor")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.add_argument("--csv", type=Path, metavar="FILE.csv", help="also write the table as CSV")
    p.add_argument("--tolerance", type=int, metavar="FRAMES",
                   help="also match tagged moments in time, within this many frames (as BORIS does)")
    p.add_argument("--coders", metavar="A,B", help="the two coders: practitioner, supervisor or a second "
                   "coder's name (default: practitioner,supervisor)")
    p.set_defaults(handler=cmd_agreement)

    p = commands.add_parser("annotations", help="a session's coding to and from ELAN (.eaf) and BORIS/Datavyu CSV")
    sub = p.add_subparsers(title="annotations commands", metavar="ACTION", required=True)
    q = sub.add_parser("export", help="write the coding (needs the case's training consent; audited)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--session", type=int, required=True, metavar="ID")
    q.add_argument("--format", required=True, choices=("eaf", "csv"))
    q.add_argument("--out", type=Path, required=True, metavar="FILE")
    q.set_defaults(handler=cmd_annotations_export)
    q = sub.add_parser("import", help="clips tagged from a CSV or .eaf onto a recording (all or nothing)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--recording", type=int, required=True, metavar="ID")
    q.add_argument("file", type=Path, metavar="FILE")
    q.add_argument("--coder", metavar="NAME", help="import only this second coder's rows, as their tags on the "
                   "recording's clips (for coding agreement)")
    q.set_defaults(handler=cmd_annotations_import)
    q = sub.add_parser("tag", help="record a second coder's principle tag on a clip (prints its id)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--clip", type=int, required=True, metavar="ID")
    q.add_argument("--coder", required=True, metavar="NAME")
    q.add_argument("--principle", required=True, metavar="P")
    q.add_argument("--frame", type=int, metavar="F")
    q.set_defaults(handler=cmd_annotations_tag)

    p = commands.add_parser("self-assessment", help="your shared review tagged with the principles you showed")
    sub = p.add_subparsers(title="self-assessment commands", metavar="ACTION", required=True)
    q = sub.add_parser("add", help="tag a moment of your shared-review recording (prints its id)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--recording", type=int, required=True, metavar="ID")
    q.add_argument("--frame", type=int, required=True, metavar="F")
    q.add_argument("--principle", required=True, metavar="P")
    q.add_argument("--text", default="", metavar="TEXT", help="what you did; '-' reads it from stdin")
    q.set_defaults(handler=cmd_self_assessment_add)
    q = sub.add_parser("list", help="a review recording's self-assessment and the supervisor's ratings of the guider")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--recording", type=int, required=True, metavar="ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_self_assessment_list)
    q = sub.add_parser("delete", help="take a self-assessment tag back")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_self_assessment_delete)

    p = commands.add_parser("cycle", help="VIG cycles of a case")
    sub = p.add_subparsers(title="cycle commands", metavar="ACTION", required=True)
    q = sub.add_parser("add", help="start the case's next VIG cycle (prints its id)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--question", default="", metavar="TEXT", help="the helping question; '-' reads stdin")
    q.set_defaults(handler=cmd_cycle_add)


def cmd_show(args: argparse.Namespace) -> int:
    from vigstudio.app.training import progress, progress_json

    with _opened(args.library, audit_now=False) as service:
        data = progress_json(progress(service))
    if args.json:
        print(json.dumps(data, indent=1))
        return EXIT_OK
    if data["stage"] is None:
        print("no training stage recorded: vigstudio training stage LIBRARY 1 --since DATE")
    for s in data["stages"]:
        r, d = s["requirements"], s["done"]
        print(f"stage {s['stage']} (since {s['started_on']}): {d['cycles']}/{r['cycles']} cycles, "
              f"{d['clients']}/{r['clients']} {'further ' if r['further_clients'] else ''}clients, "
              f"{d['supervision_hours']:g}/{r['supervision_hours']:g} supervision hours")
        print("  missing: " + ("; ".join(s["missing"]) or "nothing: ready for the transition meeting"))
    return EXIT_OK


def cmd_stage(args: argparse.Namespace) -> int:
    from vigstudio.app.training import enter_stage

    with _opened(args.library, audit_now=False) as service:
        enter_stage(service, args.stage, args.since)
    return EXIT_OK


def cmd_portfolio(args: argparse.Namespace) -> int:
    from vigstudio.app.portfolio import make_portfolio
    from vigstudio.cli.exporting import REMINDER

    with _opened(args.library, audit_now=False) as service:
        written = make_portfolio(service, args.out)
    print(written)
    print(REMINDER.format(path=written), file=sys.stderr)
    return EXIT_OK


def cmd_statement(args: argparse.Namespace) -> int:
    from vigstudio.app.training import set_statement

    text = _text(args.text)
    with _opened(args.library, audit_now=False) as service:
        set_statement(service, text)
    return EXIT_OK


def cmd_supervision_add(args: argparse.Namespace) -> int:
    from vigstudio.app.training import add_supervision

    discussed, reflection = _text(args.discussed), _text(args.reflection)
    with _opened(args.library, audit_now=False) as service:
        record = add_supervision(service, args.date, args.supervisor, args.minutes, sessions=args.session,
                                 discussed=discussed, goals=args.goals, reflection=reflection)
    print(record.id)
    return EXIT_OK


def cmd_supervision_list(args: argparse.Namespace) -> int:
    from vigstudio.app.training import supervisions

    with _opened(args.library, audit_now=False) as service:
        found = supervisions(service)
    if args.json:
        print(json.dumps({"supervisions": [{**dataclasses.asdict(s), "date": s.date.isoformat()} for s in found]},
                         indent=1))
        return EXIT_OK
    for s in found:
        print(f"{s.id}\t{s.date}\t{s.supervisor}\t{s.minutes} min\t{s.goals}")
    return EXIT_OK


def cmd_supervision_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.training import delete_supervision

    with _opened(args.library, audit_now=False) as service:
        delete_supervision(service, args.id)
    return EXIT_OK


def cmd_agreement(args: argparse.Namespace) -> int:
    from vigstudio.app.agreement import (
        agreement_csv,
        agreement_json,
        moment_agreement,
        moment_json,
        session_agreement,
    )

    coders = args.coders.split(",") if args.coders else None
    with _opened(args.library, audit_now=False) as service:
        find_session(service, args.session)
        result = session_agreement(service, args.session, coders)
        moments = (moment_agreement(service, args.session, args.tolerance, coders)
                   if args.tolerance is not None else None)
    if args.csv is not None:
        args.csv.write_text(agreement_csv(result), encoding="utf-8")
    if args.json:
        data = agreement_json(result)
        if moments is not None:
            data["moments"] = moment_json(moments)
        print(json.dumps(data, indent=1))
        return EXIT_OK
    print(f"coders: {result.coders[0]} and {result.coders[1]}")
    print(agreement_csv(result), end="")
    if moments is not None:
        m = moment_json(moments)
        first, second = moments.coders
        print(f"moments within {m['tolerance_frames']} frames: {m['matched']} matched, {m['only_practitioner']} only "
              f"the {first}'s, {m['only_supervisor']} only the {second}'s; agreement {m['agreement']}, "
              f"kappa {m['kappa']}")
    return EXIT_OK


def cmd_annotations_export(args: argparse.Namespace) -> int:
    from vigstudio.app.interchange import export_csv, export_eaf
    from vigstudio.cli.exporting import REMINDER

    with _opened(args.library, audit_now=False) as service:
        written = (export_eaf if args.format == "eaf" else export_csv)(service, args.session, args.out)
    print(written)
    print(REMINDER.format(path=written), file=sys.stderr)
    return EXIT_OK


def cmd_annotations_import(args: argparse.Namespace) -> int:
    from vigstudio.app.coders import import_tags
    from vigstudio.app.interchange import ImportRefused, import_moments

    with _opened(args.library, audit_now=False) as service:
        try:
            if args.coder is not None:
                ids = import_tags(service, args.recording, args.file, args.coder)
            else:
                ids = import_moments(service, args.recording, args.file)
        except ImportRefused as refused:
            for problem in refused.problems:  # one line per refused row, then the usual one-line refusal
                print(f"refused: {problem}", file=sys.stderr)
            raise InvalidInput(f"nothing imported: {len(refused.problems)} rows do not fit") from None
    for clip_id in ids:
        print(clip_id)
    return EXIT_OK


def cmd_annotations_tag(args: argparse.Namespace) -> int:
    from vigstudio.app.coders import add_tag

    with _opened(args.library, audit_now=False) as service:
        tag = add_tag(service, args.clip, args.coder, args.principle, args.frame)
    print(tag.id)
    return EXIT_OK


def cmd_self_assessment_add(args: argparse.Namespace) -> int:
    from vigstudio.app.guider import add_self_assessment

    text = _text(args.text)
    with _opened(args.library, audit_now=False) as service:
        item = add_self_assessment(service, args.recording, args.frame, args.principle, text)
    print(item.id)
    return EXIT_OK


def cmd_self_assessment_list(args: argparse.Namespace) -> int:
    from vigstudio.app.guider import guider_moments

    with _opened(args.library, audit_now=False) as service:
        found = guider_moments(service, args.recording)
    mine = [{"id": s.id, "frame": s.frame, "principle": s.principle, "text": s.text, "author": s.author}
            for s in found.self_assessment]
    ratings = [{"id": c.id, "frame": c.frame, "principle": c.principle, "text": c.text, "author": c.author}
               for c in found.ratings]
    if args.json:
        print(json.dumps({"self_assessment": mine, "guider_ratings": ratings}, indent=1))
        return EXIT_OK
    for who, rows in (("self-assessment", mine), ("supervisor", ratings)):
        for row in rows:
            print(f"{row['id']}\t{who}\tframe {row['frame']}\t{row['principle'] or '-'}\t{row['author']}: {row['text']}")
    return EXIT_OK


def cmd_self_assessment_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.guider import delete_self_assessment

    with _opened(args.library, audit_now=False) as service:
        delete_self_assessment(service, args.id)
    return EXIT_OK


def cmd_cycle_add(args: argparse.Namespace) -> int:
    from vigstudio.app.cycles import start_cycle

    question = _text(args.question)
    with _opened(args.library, audit_now=False) as service:
        cycle = start_cycle(service, args.case, question)
    print(cycle.id)
    return EXIT_OK
