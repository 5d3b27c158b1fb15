"""Anonymous outcomes bundles: each practitioner's scores into the lead's library, for the service report.

    vigstudio outcomes export LIBRARY --to CONTACT --out FILE
    vigstudio outcomes import LIBRARY FILE [--accept-sender [--sender-name NAME]]
    vigstudio outcomes sources LIBRARY [--json]
    vigstudio outcomes forget LIBRARY SOURCE_ID

The bundle holds only scores, time points, months, intervention kinds, goal ratings and a random
token per case (the same in every export): no case code, name, date of birth, day or free text. It is
encrypted to the lead's key (a contact) and signed by this library; it still leaves the library, so
the export is audited and the command says so. An import replaces that practitioner's earlier data;
an older bundle than the one held is refused. A bundle from someone who is not a contact is refused
with their fingerprint (exit 2, nothing imported) until it is imported again with --accept-sender.
Only the library's passphrase is needed (asked, or VIGSTUDIO_PASSPHRASE), never on the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened, _terminal_progress
from vigstudio.domain.errors import InvalidInput, VigError

LEAVES = ("{path} leaves the encrypted library: it is encrypted to {to} alone and holds no case code, name or "
          "date, but keep it only as long as it takes to give it to them.")


class SenderNotAContact(VigError):
    """An outcomes bundle signed by someone who is not a contact: refused (exit 2) with the fingerprint."""


def register(commands) -> None:
    p = commands.add_parser("outcomes", help="anonymous outcomes bundles: practitioners' scores for the service report")
    sub = p.add_subparsers(title="outcomes commands", metavar="ACTION", required=True)

    q = sub.add_parser("export", help="write this library's anonymous outcomes, encrypted to the lead (a contact)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--to", required=True, metavar="CONTACT", help="the lead's contact name or id")
    q.add_argument("--out", type=Path, required=True, metavar="FILE")
    q.set_defaults(handler=cmd_export)

    q = sub.add_parser("import", help="import a practitioner's outcomes bundle (replaces their earlier one)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("file", type=Path, metavar="FILE")
    q.add_argument("--accept-sender", action="store_true",
                   help="import from a sender who is not a contact yet, and add them as a contact (check the "
                        "fingerprint the refusal showed with them first)")
    q.add_argument("--sender-name", metavar="NAME", help="the new contact's name (default: the name in the bundle)")
    q.set_defaults(handler=cmd_import)

    q = sub.add_parser("sources", help="the practitioners whose outcomes this library holds")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(handler=cmd_sources)

    q = sub.add_parser("forget", help="remove a practitioner's imported outcomes (audited)")
    q.add_argument("library", type=Path, metavar="LIBRARY")
    q.add_argument("source", type=int, metavar="SOURCE_ID")
    q.set_defaults(handler=cmd_forget)


def cmd_export(args: argparse.Namespace) -> int:
    from vigstudio.app.outcome_bundles import export_outcomes_bundle

    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("outcomes export") as progress:
            made = export_outcomes_bundle(service, args.to, args.out, progress=progress)
    print(f"outcomes bundle {made.uid}: {made.cases} cases, {made.completions} questionnaires, "
          f"{made.goals} goals → {made.path}")
    print(LEAVES.format(path=made.path, to=made.to), file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from vigstudio.app.outcome_bundles import import_outcomes_bundle
    from vigstudio.app.senders import AcceptSender, UnknownSender

    if args.sender_name and not args.accept_sender:
        raise InvalidInput("--sender-name goes with --accept-sender")
    if not args.file.is_file():
        raise InvalidInput(f"file not found: {args.file}")
    accept = AcceptSender(name=args.sender_name) if args.accept_sender else None
    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("outcomes import") as progress:
            try:
                result = import_outcomes_bundle(service, args.file, accept_sender=accept, progress=progress)
            except UnknownSender as err:
                raise SenderNotAContact(f"{err}; to accept them: vigstudio outcomes import {args.library} "
                                        f"{args.file} --accept-sender [--sender-name NAME]") from None
    print(f"outcomes of {result.sender} (made {result.exported_at:%Y-%m-%d %H:%M} UTC): {result.cases} cases, "
          f"{result.completions} questionnaires, {result.goals} goals"
          + (" (replacing their earlier bundle)" if result.replaced else "") + f"; source {result.source_id}")
    if result.not_reported:
        print(f"not in this library's measures catalogue, so not reported: {', '.join(result.not_reported)}",
              file=sys.stderr)
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from vigstudio.app.outcome_bundles import sources

    with _opened(args.library, audit_now=False) as service:
        held = sources(service)
    if args.json:
        print(json.dumps({"sources": [s.to_json() for s in held]}, indent=1))
        return EXIT_OK
    if not held:
        print("no practitioner's outcomes imported yet")
    for s in held:
        print(f"{s.id}\t{s.name}\texported {s.exported_at:%Y-%m-%d %H:%M} UTC\t{s.cases} cases\t"
              f"{s.completions} questionnaires\t{s.fingerprint}")
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from vigstudio.app.outcome_bundles import forget_source

    with _opened(args.library) as service:
        forget_source(service, args.source)
    print(f"source {args.source} forgotten: its outcomes are no longer in the report")
    return EXIT_OK
