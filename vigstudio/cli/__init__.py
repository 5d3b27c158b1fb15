"""Command line: the same app use cases the GUI calls.

    vigstudio [LIBRARY]                          start the GUI
    vigstudio init LIBRARY [--demo]              create a library (or a demo library)
    vigstudio info LIBRARY [--check]             counts, versions; --check verifies every page
    vigstudio passwd LIBRARY [--rekey]           change the passphrase (re-wraps one key), or
                                                 with --rekey rotate the data key itself
    vigstudio case add LIBRARY CODE [--ask-name] [--referral SOURCE]
    vigstudio import LIBRARY --case CODE [--session ID] FILE...
    vigstudio list LIBRARY [--json]

More commands live in the modules of this package (`editing`, `exporting`, `supervision`, ...):
each defines `register(commands)`, called by `build_parser`, so a feature's commands sit beside it.

Passphrases come from a no-echo prompt, or (less safe: other programs of the same user may read a
process's environment) from VIGSTUDIO_PASSPHRASE, and for `passwd` the new one from
VIGSTUDIO_NEW_PASSPHRASE. Never from the command line. Expected failures print one line
`vigstudio: <message>` on stderr and exit 2; anything unexpected prints a log reference and exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import importlib
import json
import logging
import os
import signal
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio import __version__
from vigstudio.app.cases import add_case, find_case, find_session
from vigstudio.app.logging_setup import SECRETS, configure_logging, log_unexpected
from vigstudio.app.progress import Progress
from vigstudio.app.terminal_progress import TerminalBar
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import ReferralSource

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

PASSPHRASE_ENV = "VIGSTUDIO_PASSPHRASE"
NEW_PASSPHRASE_ENV = "VIGSTUDIO_NEW_PASSPHRASE"
EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BROKEN_PIPE = 128 + 13  # as a command killed by SIGPIPE, so `set -o pipefail` scripts see it

log = logging.getLogger("vigstudio.cli")

# Commands that decode no media (or only a frame): SQLCipher wipes what it frees while they run.
_NO_MEDIA_COMMANDS = frozenset({"init", "info", "passwd", "case", "list", "backup", "restore", "clip", "still",
                                "key", "contact", "comment", "consent", "audit", "retention"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    log_path = configure_logging()
    parser = build_parser()
    commands = command_names(parser)
    command = argv[0] if argv and argv[0] in commands else "gui"
    try:
        if command == "gui" and not (argv and argv[0].startswith("-")):
            # `vigstudio [LIBRARY]`: handled apart so a library folder may have any name but a command's.
            if len(argv) > 1:
                raise InvalidInput(f"unknown command {argv[0]!r} (commands: {', '.join(commands)})")
            return run_gui(argv[0] if argv else None)
        args = parser.parse_args(argv)
        if args.handler is None:
            return run_gui(None)
        if command in _NO_MEDIA_COMMANDS and not getattr(args, "check", False):
            from vigstudio.app.library import wipe_freed_memory

            wipe_freed_memory()  # cheap where no media is decoded (bench/memory_security.py)
        status = args.handler(args)
        sys.stdout.flush()  # here, so a reader that left early (`| head`) is met below, not at exit
        return status
    except BrokenPipeError:
        # The reader of our output stopped reading: nothing is wrong with the command. Point stdout at
        # devnull so the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except VigError as err:
        log.info("%s refused: %s", command, type(err).__name__)
        print("vigstudio: " + " ".join(str(err).split()), file=sys.stderr)  # always one line
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("\nvigstudio: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: one line for the user, the traceback to the log
        reference = log_unexpected(exc, f"command {command}")
        where = f"; details in {log_path}" if log_path else ""
        print(f"vigstudio: unexpected error (reference {reference}{where})", file=sys.stderr)
        return EXIT_UNEXPECTED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vigstudio",
        description="VIG Studio: encrypted, frame-exact micro-analysis for Video Interaction Guidance. "
        "Run without a command (optionally with a LIBRARY folder) to start the app.",
        epilog=f"Passphrases are asked without echo. For scripts, {PASSPHRASE_ENV} (and "
        f"{NEW_PASSPHRASE_ENV} for passwd) may hold them instead; this is less safe, since other "
        "programs run by the same user can read a process's environment.",
    )
    parser.add_argument("--version", action="version", version=f"vigstudio {__version__}")
    parser.set_defaults(handler=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = commands.add_parser("init", help="create a new encrypted library folder")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--demo", action="store_true",
                   help="also add the demo case DEMO-001 with a generated sample recording (no real family)")
    p.set_defaults(handler=cmd_init)

    p = commands.add_parser("info", help="show what a library holds")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--check", action="store_true",
                   help="verify every encrypted page of library.db and of every media container")
    p.set_defaults(handler=cmd_info)

    p = commands.add_parser("passwd", help="change a library's passphrase, or rotate its data key")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--rekey", action="store_true",
                   help="re-encrypt library.db under a new data key (keeping the passphrase), so an old copy "
                        "of library.key with an old passphrase no longer opens it; close the library elsewhere first")
    p.set_defaults(handler=cmd_passwd)

    p = commands.add_parser("case", help="manage cases")
    case_commands = p.add_subparsers(title="case commands", metavar="ACTION", required=True)
    p = case_commands.add_parser("add", help="add a case with a pseudonymous code such as F-014")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("code", metavar="CODE")
    # A name never goes on the command line: other users of the computer can see command lines.
    p.add_argument("--ask-name", action="store_true",
                   help="ask for the family's name at a prompt (it is kept encrypted; the code is enough)")
    referrals = ", ".join(r.value for r in ReferralSource)
    p.add_argument("--referral", type=_referral_argument, default=None, metavar="SOURCE",
                   help=f"who referred the family: {referrals}; records the case's first referral, "
                   "received today (without it: source other, no referral)")
    p.set_defaults(handler=cmd_case_add)

    p = commands.add_parser("import", help="import recordings into a case (encrypted copies)")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--case", required=True, metavar="CODE", help="the case's code")
    p.add_argument("--session", type=int, metavar="ID",
                   help="add to this session (default: a new filming session in the case's current cycle)")
    p.add_argument("--track", type=int, metavar="N",
                   help="the video track to keep, for files with more than one camera track (numbered "
                        "from 0 as the import lists them; default: the main one)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_import)

    p = commands.add_parser("list", help="list cases, sessions, recordings, clips and stills")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_list)

    modules = _command_modules()
    for module in modules:
        module.register(commands)
    for module in modules:  # then sub-commands that join another module's group (`retention review`)
        if hasattr(module, "extend"):
            module.extend(commands)
    return parser


def _command_modules() -> list:
    """The feature modules of this package that add sub-commands (each has `register(commands)`)."""
    import pkgutil

    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            found.append(module)
    return found


def command_names(parser: argparse.ArgumentParser) -> list[str]:
    """The sub-command names, read from the parser so a newly added command is dispatched too."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


# -- commands ---------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from vigstudio.app.library import LibraryService

    passphrase = read_passphrase(f"New passphrase for {args.library}: ", confirm=True)
    service = LibraryService()
    if args.demo:
        from vigstudio.app.demo import create_demo_library

        with _terminal_progress("demo library") as progress:
            create_demo_library(service, args.library, passphrase, progress=progress)
    else:
        service.create(args.library, passphrase)
    service.close()
    print(f"created library {args.library}")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    with _opened(args.library) as service:
        info = service.info()
        for key, value in info.as_lines():
            print(f"{key}: {value}")
        if not args.check:
            return EXIT_OK
        with _terminal_progress("integrity check") as progress:
            report = service.check(progress)
        if report.ok:
            print(f"integrity check: ok ({report.checked} files)")
            return EXIT_OK
        for problem in report.problems:
            print(f"integrity problem: {problem}")
        raise _CheckFailed(len(report.problems))


def cmd_passwd(args: argparse.Namespace) -> int:
    old = read_passphrase(f"Current passphrase for {args.library}: ")
    if args.rekey:
        with _opened(args.library, passphrase=old, audit_now=False) as service:
            service.rotate_data_key(old)
        print(f"data key rotated for library {args.library}")
        return EXIT_OK
    with _opened(args.library, passphrase=old) as service:
        new = read_passphrase(f"New passphrase for {args.library}: ", confirm=True, env=NEW_PASSPHRASE_ENV)
        service.change_passphrase(old, new)
    print(f"passphrase changed for library {args.library}")
    return EXIT_OK


def cmd_case_add(args: argparse.Namespace) -> int:
    with _opened(args.library) as service:
        name = _ask_name() if args.ask_name else None
        case = add_case(service, args.code, name=name or None, referral=args.referral or ReferralSource.OTHER)
        if args.referral is not None:
            from vigstudio.app.pathway import add_referral

            add_referral(service, case.code, dt.date.today(), args.referral.value)
    print(case.code)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from vigstudio.app.importing import camera_tracks, check_importable, import_recording

    # Refuse every bad file before unlocking, so a typo in the third file writes nothing at all.
    for path in args.files:
        check_importable(path, probe=True, track=args.track)
        tracks = camera_tracks(path)
        if tracks and args.track is None:
            listed = "; ".join(t.describe() for t in tracks)
            print(f"{path.name} has {len(tracks)} camera tracks ({listed}): importing track {tracks[0].number}"
                  " (choose another with --track N)", file=sys.stderr)
    # The unlock is audited together with the first import: a refused command leaves no trace.
    with _opened(args.library, audit_now=False) as service:
        find_case(service, args.case)
        if args.session is not None:
            find_session(service, args.session, case_code=args.case)
        session_id = args.session  # the first import makes the filming session, the rest join it
        for number, path in enumerate(args.files, 1):
            prefix = f"{number}/{len(args.files)} " if len(args.files) > 1 else ""
            with _terminal_progress("import", prefix=prefix) as progress:
                recording = import_recording(service, args.case, path, session_id=session_id,
                                             progress=progress, track=args.track)
            session_id = recording.session_id
            print(recording.id, flush=True)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _opened(args.library) as service:
        tree = library_tree(service)
    if args.json:
        json.dump({"cases": [case.to_json() for case in tree]}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    if not tree:
        print("no cases yet: add one with `vigstudio case add LIBRARY CODE`")
    for case in tree:
        for line in case.outline():
            print(line)
    return EXIT_OK


# -- GUI --------------------------------------------------------------------------------------------


def run_gui(library: str | None) -> int:
    # Imported by name at run time: the CLI and the GUI are sibling layers, and the command line must
    # work on a machine without Qt's system libraries.
    try:
        gui = importlib.import_module("vigstudio.ui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("vigstudio"):
            raise _GuiUnavailable("the graphical app is not part of this installation") from exc
        raise _GuiUnavailable(f"cannot start the graphical app: missing module {exc.name}") from exc
    except ImportError as exc:  # typically a missing system library for Qt
        raise _GuiUnavailable("cannot start the graphical app: Qt could not load "
                              "(are its system libraries installed? see the README)") from exc
    run = getattr(gui, "run_gui", None)
    if run is None:
        raise _GuiUnavailable("the graphical app is not part of this installation")
    result = run(str(Path(library).absolute()) if library else None)
    return int(result or 0)


# -- passphrases and helpers ------------------------------------------------------------------------


def _referral_argument(text: str) -> ReferralSource:
    from vigstudio.app.library import parse_referral

    try:
        return parse_referral(text)
    except InvalidInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def read_passphrase(prompt: str, *, confirm: bool = False, env: str = PASSPHRASE_ENV) -> str:
    """From `env` if set (scripts), else a no-echo prompt (asked twice when `confirm`)."""
    value = os.environ.get(env)
    if value:
        SECRETS.add_secret(value)
        return value
    first = _prompt(prompt, env)
    if confirm and _prompt("Repeat it: ", env) != first:
        raise InvalidInput("the two passphrases do not match; nothing was changed")
    SECRETS.add_secret(first)
    return first


def _prompt(prompt: str, env: str) -> str:
    if not _can_prompt():
        raise InvalidInput(f"no passphrase given: no terminal to ask on (scripts may set {env})")
    with warnings.catch_warnings():
        # Without a terminal getpass falls back to stdin; that is a pipe, so nothing is echoed anyway.
        warnings.simplefilter("ignore", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except EOFError:
            raise InvalidInput(f"no passphrase given (type it at the prompt, or set {env})") from None


def _ask_name() -> str | None:
    try:
        return input("Family name (optional, kept encrypted): ").strip() or None
    except EOFError:
        return None


def _can_prompt() -> bool:
    """Whether getpass can ask without echo: a controlling terminal, or stdin being one."""
    if os.name == "nt" or sys.stdin.isatty():
        return True
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


@contextlib.contextmanager
def _opened(library: Path, passphrase: str | None = None, *, audit_now: bool = True) -> Iterator[LibraryService]:
    if passphrase is None:
        passphrase = read_passphrase(f"Passphrase for {library}: ")
    from vigstudio.app.library import LibraryService  # imported late: `--help` stays instant

    service = LibraryService()
    service.open(library, passphrase, audit_now=audit_now)
    try:
        yield service
    finally:
        service.close()


@contextlib.contextmanager
def _terminal_progress(what: str, prefix: str = "") -> Iterator[Progress]:
    """A `Progress` drawn on stderr when it is a terminal; Ctrl-C cancels it cleanly (twice: abort)."""
    bar = TerminalBar(prefix=prefix)
    progress = Progress(bar, what)
    previous = None

    def on_interrupt(_signum, _frame):
        if progress.cancelled:
            raise KeyboardInterrupt
        progress.cancel()

    with contextlib.suppress(ValueError):  # not the main thread: leave Ctrl-C alone
        previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield progress
    finally:
        bar.finish()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


class _CheckFailed(VigError):
    def __init__(self, count: int):
        super().__init__(f"integrity check found {count} problem{'s' if count != 1 else ''} (listed above)")


class _GuiUnavailable(VigError):
    pass
