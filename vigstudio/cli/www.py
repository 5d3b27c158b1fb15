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
    vigstudio observation edit LIBRARY ID [the add options] [--moment] [--no-response] | delete LIBRARY ID
    vigstudio wonder add LIBRARY --session ID --kind KIND [--text T] [--theme CODE] [--observation ID]
                         [--recording ID --frame N]
    vigstudio wonder edit LIBRARY ID [the add options] [--about-session] | delete LIBRARY ID
    vigstudio wonder list LIBRARY --session ID [--json]

Edits change only what they are given.

Commands that create something print the new id alone. Frames are 0-based; `--end` is exclusive, as
for clips. A refused command (unknown code, frame outside the recording, ...) writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TypeVar

from vigstudio.app.editing_rules import UNCHANGED, Unchanged
from vigstudio.cli import EXIT_OK, _opened
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Attendance, CancelledBy, InterventionStatus
from vigstudio.domain.www import Observation, WonderKind

T = TypeVar("T")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _roles(text: str) -> list[str]:
    return [r for r in text.split(",") if r.strip()]


def _given(value: T | None) -> T | Unchanged:
    """An option left out leaves its field as it is."""
    return UNCHANGED if value is None else value


def _group(commands, name: str, help: str):
    p = commands.add_parser(name, help=help)
    return p.add_subparsers(title=f"{name} commands", metavar="ACTION", required=True)


def _library(p) -> None:
    p.add_argument("library", type=Path, metavar="LIBRARY")


def _delete_parser(group, what: str, help: str) -> None:
    p = group.add_parser("delete", help=help)
    _library(p)
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(handler=lambda args: cmd_delete(args, what))


def cmd_delete(args, what: str) -> int:
    """`intervention|session|observation|wonder delete LIBRARY ID`: one use case's delete."""
    from vigstudio.app.www import Courses, Observations, WonderNotes

    with _opened(args.library, audit_now=False) as service:
        delete = {"intervention": Courses(service).delete_intervention, "session": Courses(service).delete_session,
                  "observation": Observations(service).delete, "note": WonderNotes(service).delete}[what]
        delete(args.id)
    print(f"{what} {args.id} deleted")
    return EXIT_OK


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
    _delete_parser(group, "intervention", "delete an intervention that has no sessions")
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

    if args.status is None and args.planned is None and args.start is None and args.end is None:
        raise InvalidInput("nothing to change: give --status, --planned, --start or --end")
    with _opened(args.library, audit_now=False) as service:
        _, after = Courses(service).update_intervention(
            args.intervention, status=args.status, started_on=_given(args.start), ended_on=_given(args.end),
            planned=_given(args.planned))
    print(f"intervention {after.id}: {after.kind.value} {after.status.value}")
    return EXIT_OK


def cmd_intervention_list(args) -> int:
    from vigstudio.app.cases import find_case
    from vigstudio.app.www import Courses

    with _opened(args.library) as service:
        courses = Courses(service)
        progress = courses.case_progress(find_case(service, args.case).saved_id)
    if args.json:
        return _print_json({"interventions": [
            {"id": p.intervention.id, "kind": p.intervention.kind.value,
             "planned_sessions": p.intervention.planned_sessions, "status": p.intervention.status.value,
             "attended": p.attended, "cancelled_by_family": p.cancelled(CancelledBy.FAMILY),
             "cancelled_by_service": p.cancelled(CancelledBy.SERVICE), "not_attended": p.not_attended,
             "next_planned": (n.date.isoformat() if (n := p.next_planned()) else None)}
            for p in progress]})
    for p in progress:
        print(f"intervention {p.intervention.id}: {p.headline()} ({p.intervention.status.value}); "
              f"{p.attendance_line()}")
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
    _delete_parser(group, "session", "delete a session that holds nothing yet")


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


# -- observations -----------------------------------------------------------------------------------


def _observation_options(p, *, editing: bool) -> None:
    """The options of `observation add` and `observation edit` (when adding, --frame and --code are needed)."""
    p.add_argument("--frame", type=int, required=not editing, metavar="N", help="the frame (from 0)")
    p.add_argument("--end", type=int, metavar="M", help="the frame just after a range (exclusive)")
    if editing:
        p.add_argument("--moment", action="store_true", help="make it a single moment (no end)")
    p.add_argument("--code", required=not editing, metavar="CODE", help="see `vigstudio observation codes`")
    p.add_argument("--text", metavar="TEXT")
    p.add_argument("--coder", metavar="NAME", help="a second coder (default: you)")
    p.add_argument("--responds-to", type=int, metavar="ID", help="the infant initiative a response answers")
    if editing:
        p.add_argument("--no-response", action="store_true", help="no longer name the initiative it answers")


def _register_observations(commands) -> None:
    group = _group(commands, "observation", "Watch, Wait and Wonder observations on a recording")
    p = group.add_parser("add", help="code a frame (or frames N to M-1) of a recording; prints its id")
    _library(p)
    p.add_argument("--recording", type=int, required=True, metavar="ID")
    _observation_options(p, editing=False)
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
    p = group.add_parser("edit", help="change an observation (what is not given stays as it is)")
    _library(p)
    p.add_argument("observation", type=int, metavar="ID")
    _observation_options(p, editing=True)
    p.set_defaults(handler=cmd_observation_edit)
    _delete_parser(group, "observation", "delete an observation (undo in the editor brings it back)")


def _frames(obs: Observation) -> str:
    return f"frame {obs.frame}" if obs.end_frame is None else f"frames {obs.frame}-{obs.end_frame}"


def cmd_observation_add(args) -> int:
    from vigstudio.app.www import Observations

    with _opened(args.library, audit_now=False) as service:
        obs = Observations(service).add(args.recording, args.frame, args.code, end_frame=args.end,
                                        text=args.text or "", coder=args.coder or "", responds_to=args.responds_to)
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
        return _print_json({"observations": [observation_to_json(o) for o in observations]})
    if not observations:
        print(f"no observations in session {args.session}")
    for o in observations:
        answer = f" (answers {o.responds_to})" if o.responds_to else ""
        print(f"{o.id}\trecording {o.recording_id} {_frames(o)}\t{o.code}{answer}\t{o.text}")
    return EXIT_OK


def _either(args, one: str, other: str) -> None:
    if getattr(args, one.replace("-", "_")) is not None and getattr(args, other.replace("-", "_")):
        raise InvalidInput(f"give --{one} or --{other}, not both")


def cmd_observation_edit(args) -> int:
    from vigstudio.app.www import Observations

    _either(args, "end", "moment")
    _either(args, "responds-to", "no-response")
    given = (args.frame, args.end, args.code, args.text, args.coder, args.responds_to)
    if all(v is None for v in given) and not args.moment and not args.no_response:
        raise InvalidInput("nothing to change: give --frame, --end, --moment, --code, --text, --coder, "
                           "--responds-to or --no-response")
    with _opened(args.library, audit_now=False) as service:
        _, o = Observations(service).update(
            args.observation, frame=args.frame, code=args.code, text=args.text, coder=args.coder,
            end_frame=None if args.moment else _given(args.end),
            responds_to=None if args.no_response else _given(args.responds_to))
    print(f"observation {o.id}: {o.code} {_frames(o)}")
    return EXIT_OK


# -- Wonder notes -----------------------------------------------------------------------------------


def _wonder_options(p, *, editing: bool) -> None:
    """The options of `wonder add` and `wonder edit` (when adding, --kind is needed)."""
    p.add_argument("--kind", required=not editing, choices=[k.value for k in WonderKind])
    p.add_argument("--text", metavar="TEXT", help="the words (a theme may have a code instead)")
    p.add_argument("--theme", metavar="CODE", help="a theme code (see `observation codes --themes`)")
    p.add_argument("--observation", type=int, metavar="ID", help="the observation it is about")
    p.add_argument("--recording", type=int, metavar="ID")
    p.add_argument("--frame", type=int, metavar="N", help="a moment of the recording")
    if editing:
        p.add_argument("--about-session", action="store_true",
                       help="about the session as a whole (no observation or moment)")


def _register_wonder(commands) -> None:
    group = _group(commands, "wonder", "notes of a WWW session's Wonder half")
    p = group.add_parser("add", help="add a note to a session; prints its id")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    _wonder_options(p, editing=False)
    p.set_defaults(handler=cmd_wonder_add)
    p = group.add_parser("list", help="a session's Wonder notes")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_wonder_list)
    p = group.add_parser("edit", help="change a note (what is not given stays as it is)")
    _library(p)
    p.add_argument("note", type=int, metavar="ID")
    _wonder_options(p, editing=True)
    p.set_defaults(handler=cmd_wonder_edit)
    _delete_parser(group, "note", "delete a note")


def cmd_wonder_add(args) -> int:
    from vigstudio.app.www import WonderNotes

    with _opened(args.library, audit_now=False) as service:
        note = WonderNotes(service).add(args.session, args.kind, args.text or "", theme=args.theme,
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
        return _print_json({"notes": [note_to_json(n) for n in notes]})
    for n in notes:
        about = f" (observation {n.observation_id})" if n.observation_id else ""
        print(f"{n.id}\t{n.kind.value}{about}\t{n.theme or ''}{' ' if n.theme and n.text else ''}{n.text}")
    return EXIT_OK


def cmd_wonder_edit(args) -> int:
    from vigstudio.app.www import WonderNotes

    links = (args.observation, args.recording, args.frame)
    if args.about_session and any(v is not None for v in links):
        raise InvalidInput("give --about-session or what the note is about, not both")
    if all(v is None for v in (args.kind, args.text, args.theme, *links)) and not args.about_session:
        raise InvalidInput("nothing to change: give --kind, --text, --theme, --observation, --recording, "
                           "--frame or --about-session")
    # A note that stops being a theme drops its theme code.
    theme = None if args.kind not in (None, WonderKind.THEME.value) and args.theme is None else _given(args.theme)
    with _opened(args.library, audit_now=False) as service:
        WonderNotes(service).update(
            args.note, kind=args.kind, text=args.text, theme=theme,
            observation_id=None if args.about_session else _given(args.observation),
            recording_id=None if args.about_session else _given(args.recording),
            frame=None if args.about_session else _given(args.frame))
    print(f"note {args.note} changed")
    return EXIT_OK


def _print_json(doc: dict[str, object]) -> int:
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK
