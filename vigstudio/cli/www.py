"""Watch, Wait and Wonder commands: the same use cases as the GUI (`vigstudio.app.www`).

    vigstudio intervention add LIBRARY CASE --kind www|vig [--planned N] [--start DATE]
    vigstudio intervention edit LIBRARY ID [--status S] [--planned N] [--start DATE] [--end DATE]
    vigstudio intervention list LIBRARY CASE [--json] | delete LIBRARY ID | overview LIBRARY ID
    vigstudio intervention summary LIBRARY ID --out FILE.pdf     (anonymous course summary, audited)
    vigstudio session add LIBRARY CASE --intervention ID [--kind www] --date DATE
                          [--attendance planned|attended|cancelled|dna] [--cancelled-by family|service]
                          [--reason T] [--attended-by mother,father,other_carer]
    vigstudio session edit LIBRARY ID [same options] | delete LIBRARY ID
    vigstudio observation add LIBRARY --recording ID --frame N [--end M] --code CODE [--text T]
                              [--coder NAME] [--responds-to ID]
    vigstudio observation codes [LIBRARY] | list LIBRARY --session ID [--json]
    vigstudio observation edit LIBRARY ID [...] | delete LIBRARY ID
    vigstudio wonder add LIBRARY --session ID --kind KIND [--text T] [--theme CODE] [--observation ID]
                         [--recording ID --frame N]
    vigstudio wonder list LIBRARY --session ID [--json] | edit LIBRARY ID --text T | delete LIBRARY ID

Commands that create something print the new id alone. Frames are 0-based; `--end` is exclusive, as
for clips. A refused command (unknown code, frame outside the recording, ...) writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Attendance, CancelledBy, InterventionStatus
from vigstudio.domain.www import WonderKind


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _roles(text: str) -> list[str]:
    return [r for r in text.split(",") if r.strip()]


def _group(commands, name: str, help: str):
    p = commands.add_parser(name, help=help)
    return p.add_subparsers(title=f"{name} commands", metavar="ACTION", required=True)


def _library(p) -> None:
    p.add_argument("library", type=Path, metavar="LIBRARY")


def register(commands) -> None:
    _register_interventions(commands)
    _register_sessions(commands)
    _register_observations(commands)
    _register_wonder(commands)


# -- interventions ----------------------------------------------------------------------------------


def _register_interventions(commands) -> None:
    group = _group(commands, "intervention", "VIG interventions and WWW courses of a case")
    p = group.add_parser("add", help="add an intervention to a case; prints its id")
    _library(p)
    p.add_argument("case", metavar="CASE", help="the case's code")
    p.add_argument("--kind", required=True, choices=["www", "vig"])
    p.add_argument("--planned", type=int, metavar="N", help="planned sessions (WWW default 15)")
    p.add_argument("--start", type=_date, metavar="DATE", help="start date (YYYY-MM-DD)")
    p.set_defaults(handler=cmd_intervention_add)
    p = group.add_parser("edit", help="change an intervention's status, dates or planned sessions")
    _library(p)
    p.add_argument("intervention", type=int, metavar="ID")
    p.add_argument("--status", choices=[s.value for s in InterventionStatus])
    p.add_argument("--planned", type=int, metavar="N")
    p.add_argument("--start", type=_date, metavar="DATE")
    p.add_argument("--end", type=_date, metavar="DATE")
    p.set_defaults(handler=cmd_intervention_edit)
    p = group.add_parser("list", help="a case's interventions with their progress")
    _library(p)
    p.add_argument("case", metavar="CASE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_intervention_list)
    p = group.add_parser("delete", help="delete an intervention that has no sessions")
    _library(p)
    p.add_argument("intervention", type=int, metavar="ID")
    p.set_defaults(handler=cmd_intervention_delete)
    p = group.add_parser("overview", help="a WWW course session by session: attendance, followed/redirected, themes")
    _library(p)
    p.add_argument("intervention", type=int, metavar="ID")
    p.set_defaults(handler=cmd_intervention_overview)
    p = group.add_parser("summary", help="the anonymous course summary of a WWW course as a PDF (audited)")
    _library(p)
    p.add_argument("intervention", type=int, metavar="ID")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_intervention_summary)


def cmd_intervention_add(args) -> int:
    from vigstudio.app.www import Courses

    with _opened(args.library, audit_now=False) as service:
        intervention = Courses(service).add_intervention(args.case, args.kind, planned=args.planned,
                                                         started_on=args.start)
    print(intervention.id)
    return EXIT_OK


def cmd_intervention_edit(args) -> int:
    from vigstudio.app.www import Courses

    changes: dict[str, object] = {}
    if args.planned is not None:
        changes["planned"] = args.planned
    if args.start is not None:
        changes["started_on"] = args.start
    if args.end is not None:
        changes["ended_on"] = args.end
    if args.status is None and not changes:
        raise InvalidInput("nothing to change: give --status, --planned, --start or --end")
    with _opened(args.library, audit_now=False) as service:
        _, after = Courses(service).update_intervention(args.intervention, status=args.status, **changes)  # type: ignore[arg-type]
    print(f"intervention {after.id}: {after.kind.value} {after.status.value}")
    return EXIT_OK


def cmd_intervention_list(args) -> int:
    from vigstudio.app.www import Courses

    with _opened(args.library) as service:
        courses = Courses(service)
        progress = courses.case_progress(service.find_case(args.case).id)
    if args.json:
        json.dump({"interventions": [
            {"id": p.intervention.id, "kind": p.intervention.kind.value,
             "planned_sessions": p.intervention.planned_sessions, "status": p.intervention.status.value,
             "attended": p.attended, "cancelled_by_family": p.cancelled(CancelledBy.FAMILY),
             "cancelled_by_service": p.cancelled(CancelledBy.SERVICE), "not_attended": p.not_attended,
             "next_planned": (n.date.isoformat() if (n := p.next_planned()) else None)}
            for p in progress]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for p in progress:
        print(f"intervention {p.intervention.id}: {p.headline()} ({p.intervention.status.value}); "
              f"{p.attendance_line()}")
    return EXIT_OK


def cmd_intervention_delete(args) -> int:
    from vigstudio.app.www import Courses

    with _opened(args.library, audit_now=False) as service:
        Courses(service).delete_intervention(args.intervention)
    print(f"intervention {args.intervention} deleted")
    return EXIT_OK


def cmd_intervention_overview(args) -> int:
    from vigstudio.app.www.overview import course_overview

    with _opened(args.library) as service:
        overview = course_overview(service, args.intervention)
    print(f"{overview.progress.headline()}; {overview.progress.attendance_line()}")
    print(f"initiatives answered: followed {overview.followed}, redirected {overview.redirected}")
    for s in overview.sessions:
        number = f"session {s.number}" if s.number else s.session.attendance.value
        themes = f"; themes: {', '.join(s.themes + s.own_themes)}" if s.themes or s.own_themes else ""
        print(f"{s.session.date}  {s.session.id}  {number}: {len(s.observations)} observations, "
              f"followed {s.followed}, redirected {s.redirected}{themes}")
    return EXIT_OK


def cmd_intervention_summary(args) -> int:
    from vigstudio.app.www.summary import make_course_summary

    with _opened(args.library, audit_now=False) as service:
        path = make_course_summary(service, args.intervention, args.out)
    print(path)
    return EXIT_OK


# -- sessions ---------------------------------------------------------------------------------------


def _attendance_options(p, *, editing: bool) -> None:
    p.add_argument("--date", type=_date, required=not editing, metavar="DATE", help="YYYY-MM-DD")
    p.add_argument("--attendance", choices=[a.value for a in Attendance],
                   help="default for a new session: planned if the date is ahead, else attended")
    p.add_argument("--cancelled-by", choices=[c.value for c in CancelledBy],
                   help="who cancelled (default family)")
    p.add_argument("--reason", metavar="TEXT", help="why cancelled or not attended")
    p.add_argument("--attended-by", type=_roles, metavar="ROLES",
                   help="who came, as roles: mother, father, other_carer (comma-separated)")


def _register_sessions(commands) -> None:
    group = _group(commands, "session", "sessions of an intervention, with attendance")
    p = group.add_parser("add", help="add a session to an intervention of the case; prints its id")
    _library(p)
    p.add_argument("case", metavar="CASE")
    p.add_argument("--intervention", type=int, required=True, metavar="ID")
    p.add_argument("--kind", help="www for a WWW course (default), filming or shared_review for VIG")
    _attendance_options(p, editing=False)
    p.set_defaults(handler=cmd_session_add)
    p = group.add_parser("edit", help="change a session's date or attendance")
    _library(p)
    p.add_argument("session", type=int, metavar="ID")
    _attendance_options(p, editing=True)
    p.set_defaults(handler=cmd_session_edit)
    p = group.add_parser("delete", help="delete a session that holds nothing yet")
    _library(p)
    p.add_argument("session", type=int, metavar="ID")
    p.set_defaults(handler=cmd_session_delete)


def cmd_session_add(args) -> int:
    from vigstudio.app.www import Courses

    with _opened(args.library, audit_now=False) as service:
        session = Courses(service).add_session(
            args.intervention, args.date, kind=args.kind, attendance=args.attendance,
            cancelled_by=args.cancelled_by, reason=args.reason or "", attendees=args.attended_by or (),
            case_code=args.case)
    print(session.id)
    return EXIT_OK


def cmd_session_edit(args) -> int:
    from vigstudio.app.www import Courses

    with _opened(args.library, audit_now=False) as service:
        _, s = Courses(service).update_session(
            args.session, date=args.date, attendance=args.attendance, cancelled_by=args.cancelled_by,
            reason=args.reason, attendees=args.attended_by)
    print(f"session {s.id}: {s.date} {s.attendance.value}")
    return EXIT_OK


def cmd_session_delete(args) -> int:
    from vigstudio.app.www import Courses

    with _opened(args.library, audit_now=False) as service:
        Courses(service).delete_session(args.session)
    print(f"session {args.session} deleted")
    return EXIT_OK


# -- observations -----------------------------------------------------------------------------------


def _register_observations(commands) -> None:
    group = _group(commands, "observation", "Watch, Wait and Wonder observations on a recording")
    p = group.add_parser("add", help="code a frame (or frames N to M-1) of a recording; prints its id")
    _library(p)
    p.add_argument("--recording", type=int, required=True, metavar="ID")
    p.add_argument("--frame", type=int, required=True, metavar="N", help="the frame (from 0)")
    p.add_argument("--end", type=int, metavar="M", help="the frame just after a range (exclusive)")
    p.add_argument("--code", required=True, metavar="CODE", help="see `vigstudio observation codes`")
    p.add_argument("--text", default="", metavar="TEXT")
    p.add_argument("--coder", default="", metavar="NAME", help="a second coder (default: you)")
    p.add_argument("--responds-to", type=int, metavar="ID", help="the infant initiative a response answers")
    p.set_defaults(handler=cmd_observation_add)
    p = group.add_parser("codes", help="the observation catalogue: one code and its label a line")
    p.add_argument("library", type=Path, metavar="LIBRARY", nargs="?",
                   help="include this library's own codes (else the built-in catalogue)")
    p.add_argument("--themes", action="store_true", help="list the Wonder themes instead")
    p.set_defaults(handler=cmd_observation_codes)
    p = group.add_parser("list", help="a session's observations")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_observation_list)
    p = group.add_parser("edit", help="change an observation")
    _library(p)
    p.add_argument("observation", type=int, metavar="ID")
    p.add_argument("--frame", type=int, metavar="N")
    p.add_argument("--end", type=int, metavar="M", help="exclusive; 'none' is not needed: use --moment")
    p.add_argument("--moment", action="store_true", help="make it a single moment (no end)")
    p.add_argument("--code", metavar="CODE")
    p.add_argument("--text", metavar="TEXT")
    p.add_argument("--coder", metavar="NAME")
    p.add_argument("--responds-to", type=int, metavar="ID")
    p.set_defaults(handler=cmd_observation_edit)
    p = group.add_parser("delete", help="delete an observation")
    _library(p)
    p.add_argument("observation", type=int, metavar="ID")
    p.set_defaults(handler=cmd_observation_delete)


def cmd_observation_add(args) -> int:
    from vigstudio.app.www import Observations

    with _opened(args.library, audit_now=False) as service:
        obs = Observations(service).add(args.recording, args.frame, args.code, end_frame=args.end, text=args.text,
                                        coder=args.coder, responds_to=args.responds_to)
    print(obs.id)
    return EXIT_OK


def cmd_observation_codes(args) -> int:
    if args.library is None:
        from vigstudio.domain.observations import default_catalogue

        catalogue = default_catalogue()
    else:
        from vigstudio.app.www import library_catalogue

        with _opened(args.library) as service:
            catalogue = library_catalogue(service)
    entries = catalogue.themes if args.themes else catalogue.codes
    width = max((len(e.code) for e in entries), default=0)
    for entry in entries:
        print(f"{entry.code:<{width}}  {entry.label}")
    return EXIT_OK


def cmd_observation_list(args) -> int:
    from vigstudio.app.www import Observations
    from vigstudio.app.www.observations import observation_to_json

    with _opened(args.library) as service:
        observations = Observations(service).of_session(args.session)
    if args.json:
        json.dump({"observations": [observation_to_json(o) for o in observations]}, sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    if not observations:
        print(f"no observations in session {args.session}")
    for o in observations:
        frames = f"frame {o.frame}" if o.end_frame is None else f"frames {o.frame}-{o.end_frame}"
        answer = f" (answers {o.responds_to})" if o.responds_to else ""
        print(f"{o.id}\trecording {o.recording_id} {frames}\t{o.code}{answer}\t{o.text}")
    return EXIT_OK


def cmd_observation_edit(args) -> int:
    from vigstudio.app.www import Observations

    changes: dict[str, object] = {}
    if args.end is not None and args.moment:
        raise InvalidInput("give --end or --moment, not both")
    if args.end is not None:
        changes["end_frame"] = args.end
    if args.moment:
        changes["end_frame"] = None
    if args.responds_to is not None:
        changes["responds_to"] = args.responds_to
    with _opened(args.library, audit_now=False) as service:
        _, o = Observations(service).update(args.observation, frame=args.frame, code=args.code, text=args.text,
                                            coder=args.coder, **changes)  # type: ignore[arg-type]
    print(f"observation {o.id}: {o.code} frame {o.frame}" + (f"-{o.end_frame}" if o.end_frame is not None else ""))
    return EXIT_OK


def cmd_observation_delete(args) -> int:
    from vigstudio.app.www import Observations

    with _opened(args.library, audit_now=False) as service:
        Observations(service).delete(args.observation)
    print(f"observation {args.observation} deleted")
    return EXIT_OK


# -- Wonder notes -----------------------------------------------------------------------------------


def _register_wonder(commands) -> None:
    kinds = [k.value for k in WonderKind]
    group = _group(commands, "wonder", "notes of a WWW session's Wonder half")
    p = group.add_parser("add", help="add a note to a session; prints its id")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--kind", required=True, choices=kinds)
    p.add_argument("--text", default="", metavar="TEXT", help="the words (a theme may have a code instead)")
    p.add_argument("--theme", metavar="CODE", help="a theme code (see `observation codes --themes`)")
    p.add_argument("--observation", type=int, metavar="ID", help="the observation it is about")
    p.add_argument("--recording", type=int, metavar="ID")
    p.add_argument("--frame", type=int, metavar="N", help="a moment of the recording")
    p.set_defaults(handler=cmd_wonder_add)
    p = group.add_parser("list", help="a session's Wonder notes")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_wonder_list)
    p = group.add_parser("edit", help="change a note's words")
    _library(p)
    p.add_argument("note", type=int, metavar="ID")
    p.add_argument("--text", required=True, metavar="TEXT")
    p.set_defaults(handler=cmd_wonder_edit)
    p = group.add_parser("delete", help="delete a note")
    _library(p)
    p.add_argument("note", type=int, metavar="ID")
    p.set_defaults(handler=cmd_wonder_delete)


def cmd_wonder_add(args) -> int:
    from vigstudio.app.www import WonderNotes

    with _opened(args.library, audit_now=False) as service:
        note = WonderNotes(service).add(args.session, args.kind, args.text, theme=args.theme,
                                        observation_id=args.observation, recording_id=args.recording,
                                        frame=args.frame)
    print(note.id)
    return EXIT_OK


def cmd_wonder_list(args) -> int:
    from vigstudio.app.www import WonderNotes
    from vigstudio.app.www.wonder import note_to_json

    with _opened(args.library) as service:
        notes = WonderNotes(service).of_session(args.session)
    if args.json:
        json.dump({"notes": [note_to_json(n) for n in notes]}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    for n in notes:
        about = f" (observation {n.observation_id})" if n.observation_id else ""
        print(f"{n.id}\t{n.kind.value}{about}\t{n.theme or ''}{' ' if n.theme and n.text else ''}{n.text}")
    return EXIT_OK


def cmd_wonder_edit(args) -> int:
    from vigstudio.app.www import WonderNotes

    with _opened(args.library, audit_now=False) as service:
        WonderNotes(service).update(args.note, text=args.text)
    print(f"note {args.note} changed")
    return EXIT_OK


def cmd_wonder_delete(args) -> int:
    from vigstudio.app.www import WonderNotes

    with _opened(args.library, audit_now=False) as service:
        WonderNotes(service).delete(args.note)
    print(f"note {args.note} deleted")
    return EXIT_OK
