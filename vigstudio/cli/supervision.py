"""Commands for supervision: keys, contacts, bundles, comments, consent, audit log, retention.

    vigstudio key show LIBRARY                     (the last line is the contact card)
    vigstudio contact add LIBRARY NAME CARD [--role supervisor|practitioner] | list | remove
    vigstudio bundle export LIBRARY --session ID (--to NAME … | --recipient age1… … | --passphrase --to NAME)
                                    [--with-review-recording] --out FILE
    vigstudio bundle open LIBRARY FILE [--identity FILE] [--accept-sender [--sender-name NAME]]
    vigstudio bundle feedback LIBRARY --case CODE (--to NAME | --recipient age1… | --passphrase) --out FILE
    vigstudio comment add LIBRARY --session ID [--clip ID] [--recording ID] [--frame F] [--principle P]
                          [--rates-guider] (TEXT|-)
    vigstudio consent add LIBRARY CODE --scope S [--scope S] [--by NAME] | withdraw | list | delete-media
    vigstudio audit LIBRARY [--csv] [--verify] [--out FILE]
    vigstudio retention set LIBRARY WEEKS|Ny|default | show LIBRARY | due LIBRARY | purge LIBRARY --yes
                        | close LIBRARY CODE

A bundle passphrase is asked without echo (or read from VIGSTUDIO_BUNDLE_PASSPHRASE), never taken
from the command line. Every bundle is signed by the library that made it; one from a sender who is
not a contact is refused with the sender's fingerprint (exit 2, nothing imported) until it is opened
again with --accept-sender, after checking the fingerprint with the sender. A comment's text given as
`-` is read from stdin or a prompt: arguments are visible to every user in the process list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import math
import sys
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened, _terminal_progress, clinical_text, read_passphrase
from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import ConsentScope

BUNDLE_PASSPHRASE_ENV = "VIGSTUDIO_BUNDLE_PASSPHRASE"
SCOPES = [s.value for s in ConsentScope]  # storage, supervision, training, keepsake (see app.consent)


def register(commands) -> None:
    _register_keys(commands)
    _register_bundles(commands)
    _register_consent(commands)
    _register_audit(commands)
    _register_retention(commands)


def _library(p: argparse.ArgumentParser) -> None:
    p.add_argument("library", type=Path, metavar="LIBRARY")


def _group(commands, name: str, help: str):
    p = commands.add_parser(name, help=help)
    return p.add_subparsers(title=f"{name} commands", metavar="ACTION", required=True)


# -- keys and contacts ------------------------------------------------------------------------------


def _register_keys(commands) -> None:
    group = _group(commands, "key", "this library's keys for bundles")
    p = group.add_parser("show", help="print the contact card (last line) to give to a supervisor or practitioner")
    _library(p)
    p.set_defaults(handler=cmd_key_show)

    group = _group(commands, "contact", "people you exchange bundles with")
    p = group.add_parser("add", help="add a contact with their contact card")
    _library(p)
    p.add_argument("name", metavar="NAME", help="display name")
    p.add_argument("key", metavar="CARD", help="their contact card (vigcard1:…, the last line of their `key show`); "
                   "a bare age1… key also works, and their signing key is then pinned on the first bundle "
                   "you accept from them")
    p.add_argument("--role", default="supervisor", choices=["supervisor", "practitioner"])
    p.set_defaults(handler=cmd_contact_add)
    p = group.add_parser("list", help="list contacts")
    _library(p)
    p.set_defaults(handler=cmd_contact_list)
    p = group.add_parser("remove", help="remove a contact")
    _library(p)
    p.add_argument("contact_id", type=int, metavar="ID")
    p.set_defaults(handler=cmd_contact_remove)


def cmd_key_show(args) -> int:
    from vigstudio.app import keys

    with _opened(args.library) as service:
        card, fingerprint = keys.contact_card(service), keys.own_fingerprint(service)
    print("Give this contact card to your supervisor or practitioner (it is not secret); they can check it "
          "by reading the fingerprint back to you.")
    print(f"fingerprint: {fingerprint}")
    print(card)
    return EXIT_OK


def cmd_contact_add(args) -> int:
    from vigstudio.app import keys

    with _opened(args.library) as service:
        contact = keys.add_contact(service, args.name, args.key, args.role)
    print(contact.id)
    return EXIT_OK


def cmd_contact_list(args) -> int:
    from vigstudio.app import keys

    with _opened(args.library) as service:
        for c in keys.list_contacts(service):
            fingerprint = keys.contact_fingerprint(c) or "signing key not known yet"
            print(f"{c.id}\t{c.role.value}\t{c.public_key}\t{fingerprint}\t{c.display_name}")
    return EXIT_OK


def cmd_contact_remove(args) -> int:
    from vigstudio.app import keys

    with _opened(args.library) as service:
        keys.remove_contact(service, args.contact_id)
    return EXIT_OK


# -- bundles and comments ---------------------------------------------------------------------------


def _register_bundles(commands) -> None:
    group = _group(commands, "bundle", "encrypted bundles for supervision")
    p = group.add_parser("export", help="make an encrypted bundle of a session for a supervisor")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    _protection(p)
    p.add_argument("--with-review-recording", action="store_true",
                   help="include the cycle's shared-review recording (its original bytes)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.set_defaults(handler=cmd_bundle_export)

    p = group.add_parser("open", help="open a session or feedback bundle into this library")
    _library(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--identity", type=Path, metavar="FILE",
                   help="an age identity file (default: this library's own key)")
    p.add_argument("--accept-sender", action="store_true",
                   help="open a bundle from a sender who is not a contact yet, and add them as a contact (check "
                        "the fingerprint the refusal showed with the sender first)")
    p.add_argument("--sender-name", metavar="NAME", help="the new contact's name (default: the name in the bundle)")
    p.set_defaults(handler=cmd_bundle_open)

    p = group.add_parser("feedback", help="send a supervision case's comments back to the practitioner")
    _library(p)
    p.add_argument("--case", required=True, metavar="CODE")
    _protection(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.set_defaults(handler=cmd_bundle_feedback)

    group = _group(commands, "comment", "supervisor comments")
    p = group.add_parser("add", help="comment on a session, a clip frame or a time of a recording")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.add_argument("--clip", type=int, metavar="ID")
    p.add_argument("--recording", type=int, metavar="ID")
    p.add_argument("--frame", type=int, metavar="F")
    p.add_argument("--principle", metavar="P", help="a principle code such as P2")
    p.add_argument("--rates-guider", action="store_true",
                   help="the comment rates the practitioner as guider (a frame of the shared-review recording)")
    p.add_argument("text", metavar="TEXT", help=clinical_text.help_for("the comment"))
    p.set_defaults(handler=cmd_comment_add)
    p = group.add_parser("list", help="list a session's comments")
    _library(p)
    p.add_argument("--session", type=int, required=True, metavar="ID")
    p.set_defaults(handler=cmd_comment_list)


def _protection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", action="append", default=[], metavar="NAME",
                   help="the contact (name or id) it is for: encrypted to their key, or with --passphrase "
                        "recorded as whom it was given to (repeatable)")
    p.add_argument("--recipient", action="append", default=[], metavar="AGE1KEY",
                   help="encrypt to this public key (repeatable)")
    p.add_argument("--passphrase", action="store_true",
                   help=f"encrypt to a passphrase instead (asked, or from {BUNDLE_PASSPHRASE_ENV})")


def _bundle_passphrase(args, *, confirm: bool) -> str | None:
    if not args.passphrase:
        return None
    return read_passphrase("Bundle passphrase: ", confirm=confirm, env=BUNDLE_PASSPHRASE_ENV)


def cmd_bundle_export(args) -> int:
    from vigstudio.app.bundles import export_session_bundle

    if args.recipient and args.passphrase:
        raise InvalidInput("use --recipient or --passphrase, not both (age allows a passphrase only on its own)")
    secret = _bundle_passphrase(args, confirm=True)
    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("bundle export") as progress:
            made = export_session_bundle(service, args.session, args.out, args.recipient, secret, to=args.to,
                                         with_review_recording=args.with_review_recording, progress=progress)
    print(f"bundle {made.uid}: {made.clips} clips, {made.stills} stills, "
          f"{made.review_recordings} review recordings → {made.path}")
    return EXIT_OK


def cmd_bundle_open(args) -> int:
    from vigstudio.app.bundles import needs_passphrase, open_bundle
    from vigstudio.app.senders import AcceptSender, UnknownSender

    if args.sender_name and not args.accept_sender:
        raise InvalidInput("--sender-name goes with --accept-sender")
    accept = AcceptSender(name=args.sender_name) if args.accept_sender else None
    if not args.file.is_file():
        raise InvalidInput(f"file not found: {args.file}")
    secret = None
    if needs_passphrase(args.file):
        secret = read_passphrase("Bundle passphrase: ", env=BUNDLE_PASSPHRASE_ENV)
    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("opening bundle") as progress:
            try:
                result = open_bundle(service, args.file, identity_file=args.identity, passphrase=secret,
                                     accept_sender=accept, progress=progress)
            except UnknownSender as err:
                raise SenderNotAContact(f"{err}; to accept them: vigstudio bundle open {args.library} {args.file} "
                                        f"--accept-sender [--sender-name NAME]") from None
    if result.kind == "feedback":
        print(f"feedback for case {result.case_code}: {result.comments_added} comments added"
              + (f", {result.comments_skipped} already here" if result.comments_skipped else "")
              + f" (from {result.sender})")
    else:
        print(f"case {result.case_code} session {result.session_id}: {result.clips} clips, "
              f"{result.stills} stills, {result.review_recordings} review recordings (from {result.sender})")
    return EXIT_OK


def cmd_bundle_feedback(args) -> int:
    from vigstudio.app.feedback import export_feedback_bundle

    if args.recipient and args.passphrase:
        raise InvalidInput("use --recipient or --passphrase, not both (age allows a passphrase only on its own)")
    secret = _bundle_passphrase(args, confirm=True)
    with _opened(args.library, audit_now=False) as service:
        made = export_feedback_bundle(service, args.case, args.out, args.recipient, secret, to=args.to)
    print(f"feedback bundle {made.uid}: {made.comments} comments → {made.path}")
    return EXIT_OK


def cmd_comment_add(args) -> int:
    from vigstudio.app.feedback import add_comment

    text = clinical_text.read(args.text, "comment")
    with _opened(args.library, audit_now=False) as service:
        comment = add_comment(service, args.session, text, clip_id=args.clip, recording_id=args.recording,
                              frame=args.frame, principle=args.principle, rates_guider=args.rates_guider)
    print(comment.id)
    return EXIT_OK


def cmd_comment_list(args) -> int:
    from vigstudio.app.feedback import comments

    with _opened(args.library) as service:
        for c in comments(service, args.session):
            where = f"clip {c.clip_id}" if c.clip_id else (f"recording {c.recording_id}" if c.recording_id else "session")
            frame = f" frame {c.frame}" if c.frame is not None else ""
            tag = f" [{c.principle}]" if c.principle else ""
            tag += " (rates the guider)" if c.rates_guider else ""
            print(f"{c.id}\t{where}{frame}{tag}\t{c.author}: {c.text}")
    return EXIT_OK


# -- consent ----------------------------------------------------------------------------------------


def _register_consent(commands) -> None:
    group = _group(commands, "consent", f"consent per case: {', '.join(SCOPES)}")
    p = group.add_parser("add", help="record consent for one or more scopes")
    _library(p)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--scope", action="append", required=True, choices=SCOPES)
    p.add_argument("--by", metavar="NAME", help="who recorded it (default: your user name)")
    p.set_defaults(handler=cmd_consent_add)
    p = group.add_parser("withdraw", help="record that consent for a scope was withdrawn")
    _library(p)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--scope", action="append", required=True, choices=SCOPES)
    p.set_defaults(handler=cmd_consent_withdraw)
    p = group.add_parser("list", help="show a case's consent records")
    _library(p)
    p.add_argument("code", metavar="CODE")
    p.set_defaults(handler=cmd_consent_list)
    p = group.add_parser("delete-media", help="delete every recording of a case (after consent was withdrawn)")
    _library(p)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--yes", action="store_true", help="confirm the deletion")
    p.set_defaults(handler=cmd_consent_delete_media)


def cmd_consent_add(args) -> int:
    from vigstudio.app import consent

    with _opened(args.library, audit_now=False) as service:
        added = consent.add(service, args.code, args.scope, args.by or getpass.getuser())
    print(f"case {args.code}: consent recorded for {', '.join(c.scope.value for c in added) or 'nothing new'}")
    return EXIT_OK


def cmd_consent_withdraw(args) -> int:
    from vigstudio.app import consent

    with _opened(args.library, audit_now=False) as service:
        for scope in args.scope:
            consent.withdraw(service, args.code, scope)
    print(f"case {args.code}: consent withdrawn for {', '.join(args.scope)}; its media can be deleted with "
          f"`vigstudio consent delete-media {args.library} {args.code} --yes`")
    return EXIT_OK


def cmd_consent_list(args) -> int:
    from vigstudio.app import consent

    with _opened(args.library) as service:
        for c in consent.consents(service, args.code):
            state = f"withdrawn {c.withdrawn_on}" if c.withdrawn_on else "active"
            print(f"{c.scope.value}\t{c.date}\t{state}\t{c.recorded_by}")
    return EXIT_OK


def cmd_consent_delete_media(args) -> int:
    from vigstudio.app import consent

    if not args.yes:
        raise InvalidInput("this deletes every recording of the case for good: add --yes to confirm")
    with _opened(args.library, audit_now=False) as service:
        count = consent.delete_case_media(service, args.code)
    print(f"case {args.code}: {count} recordings deleted")
    return EXIT_OK


# -- audit ------------------------------------------------------------------------------------------


def _register_audit(commands) -> None:
    p = commands.add_parser("audit", help="show the audit log (hash-chained)")
    _library(p)
    p.add_argument("--csv", action="store_true", help="print as CSV")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the CSV to FILE")
    p.add_argument("--verify", action="store_true", help="check the hash chain (exit 2 if altered)")
    p.set_defaults(handler=cmd_audit)


class AuditAltered(VigError):
    pass


class SenderNotAContact(VigError):
    """A bundle signed by someone who is not a contact: refused (exit 2) with the fingerprint."""


def cmd_audit(args) -> int:
    from vigstudio.app import audit

    with _opened(args.library) as service:
        if args.verify:
            report = audit.verify(service)
            if not report.ok:
                raise AuditAltered(report.message())
            print(report.message())
            return EXIT_OK
        if args.out:
            count = audit.export_csv(service, args.out)
            print(f"{count} events written to {args.out}")
            return EXIT_OK
        events = audit.list_events(service)
    if args.csv:
        sys.stdout.write(audit.to_csv(events))
    else:
        for e in events:
            print(f"{e.id}\t{e.at.isoformat(timespec='seconds')}\t{e.action}\t{e.object}")
    return EXIT_OK


# -- retention --------------------------------------------------------------------------------------


def _register_retention(commands) -> None:
    group = _group(commands, "retention", "delete recordings some weeks after a case is closed")
    p = group.add_parser("set", help="set the retention period: WEEKS, or years as 25y, or 'default'")
    _library(p)
    p.add_argument("weeks", type=_retention_weeks, metavar="WEEKS|Ny|default")
    p.set_defaults(handler=cmd_retention_set)
    p = group.add_parser("show", help="the retention period (and why the default is what it is)")
    _library(p)
    p.set_defaults(handler=cmd_retention_show)
    p = group.add_parser("due", help="list recordings due for deletion")
    _library(p)
    p.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_retention_due)
    p = group.add_parser("purge", help="delete every recording due")
    _library(p)
    p.add_argument("--yes", action="store_true", help="confirm the deletion")
    p.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_retention_purge)
    p = group.add_parser("close", help="mark a case closed (the retention period starts)")
    _library(p)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--on", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_retention_close)


def _retention_weeks(text: str) -> int | None:
    """WEEKS, years as `25y`, or `default` (None)."""
    value = text.strip().lower()
    if value == "default":
        return None
    try:
        return math.ceil(float(value[:-1]) * 365.25 / 7) if value.endswith("y") else int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of weeks, years (25y) or 'default'") from None


def cmd_retention_set(args) -> int:
    from vigstudio.app import retention

    with _opened(args.library, audit_now=False) as service:
        retention.set_weeks(service, args.weeks)
        period = retention.period(service)
    print(f"closed cases are kept {period.words()} before their retention review")
    return EXIT_OK


def cmd_retention_show(args) -> int:
    from vigstudio.app import retention

    with _opened(args.library, audit_now=False) as service:
        period = retention.period(service)
    print(f"closed cases are kept {period.words()} before their retention review")
    print(f"default: {retention.DEFAULT_REASON}")
    return EXIT_OK


def cmd_retention_due(args) -> int:
    from vigstudio.app import retention

    with _opened(args.library) as service:
        due = retention.due(service, args.today)
    for d in due:
        print(f"recording {d.recording_id}\tcase {d.case_code}\tsession {d.session_id}\tdue since {d.due_on}")
    if not due:
        print("nothing is due")
    return EXIT_OK


def cmd_retention_purge(args) -> int:
    from vigstudio.app import retention

    if not args.yes:
        raise InvalidInput("this deletes the recordings for good: add --yes to confirm")
    with _opened(args.library, audit_now=False) as service:
        due = retention.due(service, args.today)
        count = retention.purge(service, [d.recording_id for d in due], args.today)
    print(f"{count} recordings deleted")
    return EXIT_OK


def cmd_retention_close(args) -> int:
    from vigstudio.app import retention

    with _opened(args.library, audit_now=False) as service:
        retention.close_case(service, args.code, args.on)
    print(f"case {args.code} closed")
    return EXIT_OK
