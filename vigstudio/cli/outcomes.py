"""Outcome measures and the parent's goals.

    vigstudio measure list-catalogue [LIBRARY]
    vigstudio measure add LIBRARY CASE --measure PHQ-9 --when pre [--date D] [--intervention ID]
                                       [--by parent|practitioner] --answers 1,2,0,3,1,0,2,1,0
    vigstudio measure add LIBRARY CASE --measure PSI-SF --when pre --scores PD=30,PCDI=25,DC=28,TS=83,percentile=60
    vigstudio measure show LIBRARY CASE [--json]
    vigstudio measure delete LIBRARY ID
    vigstudio measure act LIBRARY FLAG_ID --action TEXT [--by WHO]
    vigstudio measure rescore LIBRARY ID
    vigstudio goal add LIBRARY --cycle ID --text TEXT      (prints the goal's id)
    vigstudio goal rate LIBRARY GOAL_ID --when start|end --score N

Answers are each item's chosen option, numbered from 0 for the first option in the published
form's printed order (`-` for a missing item, `na` for "not applicable"); the catalogue turns
positions into scores, so reverse-scored items need no arithmetic by the caller. Scores are always
computed; only the licensed PSI short form is recorded as the totals read from its manual.

A goal's words and an action's description may name the family: give `-` to read them from
standard input instead of the command line, which other users of the computer can see.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened
from vigstudio.domain.errors import InvalidInput

DEFAULT_ACTOR = "practitioner"


def register(commands) -> None:
    p = commands.add_parser("measure", help="outcome questionnaires: record, score, show change")
    sub = p.add_subparsers(title="measure commands", metavar="ACTION", required=True)

    q = sub.add_parser("list-catalogue", help="the measures this library scores (id, items, range, licence)")
    q.add_argument("library", type=Path, nargs="?", metavar="LIBRARY",
                   help="include the library's own measures (measures.json in the library folder)")
    q.set_defaults(handler=cmd_list_catalogue)

    q = sub.add_parser("add", help="record a completed questionnaire (the score is computed)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--measure", required=True, metavar="ID", help="e.g. PHQ-9, GAD-7, EPDS (see list-catalogue)")
    q.add_argument("--when", required=True, metavar="POINT",
                   help="referral, pre, mid, post, follow-up or session-N")
    q.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD", help="default: today")
    q.add_argument("--intervention", type=int, metavar="ID")
    q.add_argument("--by", default="practitioner", metavar="WHO", help="parent or practitioner")
    how = q.add_mutually_exclusive_group(required=True)
    how.add_argument("--answers", metavar="A,B,...", help="each item's option position from 0; '-' missing")
    how.add_argument("--scores", metavar="K=V,...", help="licensed measures only: totals read from the manual")
    q.set_defaults(handler=cmd_add)

    q = sub.add_parser("show", help="a case's completions, scores, bands, risk flags and change")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("case", metavar="CASE")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(handler=cmd_show)

    q = sub.add_parser("delete", help="delete a completion (refused while it has an open risk flag)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_delete)

    q = sub.add_parser("act", help="record the action taken on a risk flag (closes it; audited)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("flag", type=int, metavar="FLAG_ID")
    q.add_argument("--action", required=True, metavar="TEXT", help="what was done; '-' reads it from stdin")
    q.add_argument("--by", default=DEFAULT_ACTOR, metavar="WHO", help="who did it (a role or initials)")
    q.set_defaults(handler=cmd_act)

    q = sub.add_parser("rescore", help="move a completion to today's catalogue version (audited)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_rescore)

    p = commands.add_parser("goal", help="the parent's goals for a VIG cycle, rated 0-10 at start and end")
    sub = p.add_subparsers(title="goal commands", metavar="ACTION", required=True)
    q = sub.add_parser("add", help="add the helping question or a goal to a cycle (prints its id)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--cycle", type=int, required=True, metavar="ID")
    q.add_argument("--text", required=True, metavar="TEXT", help="the goal's words; '-' reads them from stdin")
    q.set_defaults(handler=cmd_goal_add)
    q = sub.add_parser("rate", help="the parent's 0-10 rating at the start or the end")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("goal", type=int, metavar="GOAL_ID")
    q.add_argument("--when", required=True, choices=("start", "end"))
    q.add_argument("--score", type=int, required=True, metavar="N")
    q.set_defaults(handler=cmd_goal_rate)


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _text(value: str) -> str:
    """The argument, or standard input when it is '-' (keeps clinical words out of the process list)."""
    return sys.stdin.read().strip() if value == "-" else value


def cmd_list_catalogue(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import catalogue

    if args.library is not None:
        with _opened(args.library, audit_now=False) as service:
            cat = catalogue(service)
    else:
        cat = catalogue()
    print(f"{cat.name} (catalogue version {cat.version})")
    for m in cat.measures:
        if m.is_typed:
            shape = "totals typed from the manual: " + ", ".join(t.key for t in m.typed_scores)
        else:
            shape = f"{len(m.items)} items, options 0-{len(m.options) - 1}, total {m.score_range[0]}-{m.score_range[1]}"
        print(f"{m.id}\t{m.name}\t{shape}\t{m.licence}")
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import add_completion, parse_answers, parse_typed_scores

    answers = parse_answers(args.answers) if args.answers is not None else None
    typed = parse_typed_scores(args.scores) if args.scores is not None else None
    with _opened(args.library, audit_now=False) as service:
        recorded = add_completion(service, args.case, args.measure, args.when, answers=answers,
                                  typed_scores=typed, date=args.date, intervention_id=args.intervention,
                                  completed_by=args.by)
    print(recorded.completion.id)
    for flag in recorded.flags:
        print(f"RISK FLAG {flag.id}: {flag.measure} item {flag.item} ({flag.why}). Record the action taken: "
              f"vigstudio measure act LIBRARY {flag.id} --action ...", file=sys.stderr)
    return EXIT_OK


def show_json(service, case_code: str) -> dict:
    from vigstudio.app.outcomes import changes, completions, flags, joint

    scored = completions(service, case_code)
    case_flags = flags(service, case_code)
    out_completions = []
    for s in scored:
        c = s.completion
        out_completions.append({
            "id": c.id, "measure": c.measure, "when": c.when, "date": c.date.isoformat(),
            "by": c.completed_by.value, "intervention_id": c.intervention_id,
            "catalogue_version": c.catalogue_version, "total": s.score.total,
            "subscales": s.score.subscales, "band": s.score.band, "caseness": s.score.caseness,
            "missing": s.score.missing,
            "risk_flags": [{"id": f.id, "item": f.item, "why": f.why, "open": f.open, "action": f.action,
                            "action_by": f.action_by,
                            "action_at": f.action_at.isoformat() if f.action_at else None}
                           for f in case_flags if f.completion_id == c.id],
        })
    out_changes = [{"measure": ch.measure, "from": "pre", "to": point, "change": ch.change,
                    "reliable_improvement": ch.reliable_improvement,
                    "reliable_deterioration": ch.reliable_deterioration, "recovered": ch.recovered}
                   for point, ch in changes(scored)]
    j = joint(scored)
    from vigstudio.app.outcomes import goals_of_case

    goals = [{"id": g.id, "cycle_id": g.cycle_id, "start": g.start_score, "end": g.end_score}
             for g in goals_of_case(service, case_code)]  # the goal's words stay out of the JSON
    return {"case": case_code, "goals": goals, "completions": out_completions, "changes": out_changes,
            "joint_phq9_gad7": None if j is None else {
                "reliable_improvement": j.reliable_improvement,
                "reliable_deterioration": j.reliable_deterioration, "recovered": j.recovered}}


def _verdict(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "no")


def cmd_show(args: argparse.Namespace) -> int:
    with _opened(args.library, audit_now=False) as service:
        data = show_json(service, args.case)
    if args.json:
        print(json.dumps(data, indent=1))
        return EXIT_OK
    for c in data["completions"]:
        total = "not scorable" if c["total"] is None else f"{c['total']:g}"
        band = f" ({c['band']})" if c["band"] else ""
        flags = "".join(f"  RISK item {f['item']}{'' if not f['open'] else ' OPEN'}" for f in c["risk_flags"])
        print(f"{c['id']}\t{c['date']}\t{c['when']}\t{c['measure']}\t{total}{band}{flags}")
    for ch in data["changes"]:
        change = "n/a" if ch["change"] is None else f"{ch['change']:+g}"
        print(f"{ch['measure']} pre -> {ch['to']}: {change}; reliable improvement "
              f"{_verdict(ch['reliable_improvement'])}, deterioration {_verdict(ch['reliable_deterioration'])}, "
              f"recovered {_verdict(ch['recovered'])}")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import delete_completion

    with _opened(args.library, audit_now=False) as service:
        delete_completion(service, args.id)
    return EXIT_OK


def cmd_act(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import act_on_flag

    action = _text(args.action)
    with _opened(args.library, audit_now=False) as service:
        act_on_flag(service, args.flag, action, args.by)
    return EXIT_OK


def cmd_rescore(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import rescore

    with _opened(args.library, audit_now=False) as service:
        result = rescore(service, args.id)
    print("not scorable" if result.total is None else f"{result.total:g}")
    return EXIT_OK


def cmd_goal_add(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import add_goal

    text = _text(args.text)
    if not text:
        raise InvalidInput("a goal needs its words")
    with _opened(args.library, audit_now=False) as service:
        goal = add_goal(service, args.cycle, text)
    print(goal.id)
    return EXIT_OK


def cmd_goal_rate(args: argparse.Namespace) -> int:
    from vigstudio.app.outcomes import rate_goal

    with _opened(args.library, audit_now=False) as service:
        rate_goal(service, args.goal, args.when, args.score)
    return EXIT_OK
