"""Export and review commands.

    vigstudio export clip LIBRARY CLIP --out FILE.mp4 [--speed 0.5] [--caption] [--blur-faces] [--training]
    vigstudio export still LIBRARY STILL --out FILE.png [--caption]
    vigstudio export review LIBRARY --session ID --out FILE.mp4
    vigstudio review pin LIBRARY [--clear]

Exports leave the encrypted library: each prints a one-line reminder on stderr and is recorded in
the audit log. A plain export needs the case's `keepsake` consent (the family may keep copies);
`--training` needs its `training` consent instead and blurs faces (the rule: app.consent.NEEDED).
Without it the command is refused (exit 2, one line) and nothing is written.
The review PIN comes from a no-echo prompt (asked twice) or from VIGSTUDIO_REVIEW_PIN.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import warnings
from pathlib import Path

from vigstudio.cli import EXIT_OK, _can_prompt, _opened, _terminal_progress
from vigstudio.domain.errors import InvalidInput

PIN_ENV = "VIGSTUDIO_REVIEW_PIN"
REMINDER = ("note: {path} is outside the encrypted library; keep it safe and delete it when it is no "
            "longer needed")


def register(commands) -> None:
    p = commands.add_parser("export", help="export a clip, a still or a whole review (leaves the encryption)")
    what = p.add_subparsers(title="what to export", metavar="WHAT", required=True)

    p = what.add_parser("clip", help="a clip to MP4, frame-exact")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("clip", type=int, metavar="CLIP", help="the clip's id (see `vigstudio list`)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.mp4")
    p.add_argument("--speed", type=float, default=1.0, help="e.g. 0.5 for slow motion (pitch kept)")
    p.add_argument("--caption", action="store_true", help="burn the clip's title into the picture")
    p.add_argument("--blur-faces", action="store_true", help="blur every face found in the picture")
    p.add_argument("--training", action="store_true",
                   help="for training use: needs the case's training consent; blurs faces")
    p.set_defaults(handler=cmd_export_clip)

    p = what.add_parser("still", help="a still to PNG")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("still", type=int, metavar="STILL", help="the still's id (see `vigstudio list`)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    p.add_argument("--caption", action="store_true", help="burn the still's caption into the picture")
    p.set_defaults(handler=cmd_export_still)

    p = what.add_parser("review", help="a session's whole review (clips, stills, title cards) to one MP4")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.mp4")
    p.set_defaults(handler=cmd_export_review)

    p = commands.add_parser("review", help="shared review settings")
    actions = p.add_subparsers(title="review commands", metavar="ACTION", required=True)
    p = actions.add_parser("pin", help="set the PIN that ends a shared review (4-8 digits)")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--clear", action="store_true", help="remove the PIN (ending a review then needs "
                   "the library passphrase)")
    p.set_defaults(handler=cmd_review_pin)


def _check_out(path: Path, suffix: str) -> None:
    """Refuse a wrong target before the library is unlocked (the export checks the rest)."""
    if path.suffix.lower() != suffix:
        raise InvalidInput(f"the output file must end in {suffix} (got {path.name})")


def _done(path: Path) -> int:
    print(path)
    print(REMINDER.format(path=path), file=sys.stderr)
    return EXIT_OK


def cmd_export_clip(args: argparse.Namespace) -> int:
    from vigstudio.app.exporting import export_clip

    _check_out(args.out, ".mp4")
    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("export") as progress:
            result = export_clip(service, args.clip, args.out, speed=args.speed, caption=args.caption,
                                 blur_faces=args.blur_faces, for_training=args.training, progress=progress)
    return _done(result.path or Path(args.out))  # written to args.out, a path


def cmd_export_still(args: argparse.Namespace) -> int:
    from vigstudio.app.exporting import export_still

    _check_out(args.out, ".png")
    with _opened(args.library, audit_now=False) as service:
        result = export_still(service, args.still, args.out, caption=args.caption)
    return _done(result.path or Path(args.out))  # written to args.out, a path


def cmd_export_review(args: argparse.Namespace) -> int:
    from vigstudio.app.exporting import export_review

    _check_out(args.out, ".mp4")
    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("export") as progress:
            result = export_review(service, args.session, args.out, progress=progress)
    return _done(result.path or Path(args.out))  # written to args.out, a path


def cmd_review_pin(args: argparse.Namespace) -> int:
    from vigstudio.app.review import PIN_PATTERN, clear_pin, set_pin

    if args.clear:
        with _opened(args.library) as service:
            clear_pin(service)
        print(f"review PIN removed for library {args.library}")
        return EXIT_OK
    pin = _read_pin()
    if not PIN_PATTERN.fullmatch(pin):  # refused before the library is unlocked
        raise InvalidInput("a review PIN is 4 to 8 digits")
    with _opened(args.library) as service:
        set_pin(service, pin)
    print(f"review PIN set for library {args.library}")
    return EXIT_OK


def _read_pin() -> str:
    """From VIGSTUDIO_REVIEW_PIN, else a no-echo prompt asked twice. (Not added to the log scrubber:
    a 4-digit PIN would blank out every id that happens to contain it, and it is never logged.)"""
    value = os.environ.get(PIN_ENV)
    if value:
        return value.strip()
    if not _can_prompt():
        raise InvalidInput(f"no PIN given: no terminal to ask on (scripts may set {PIN_ENV})")
    first = _ask("New review PIN (4-8 digits): ")
    if _ask("Repeat it: ") != first:
        raise InvalidInput("the two PINs do not match; nothing was changed")
    return first


def _ask(prompt: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt).strip()
        except EOFError:
            raise InvalidInput(f"no PIN given (type it at the prompt, or set {PIN_ENV})") from None
