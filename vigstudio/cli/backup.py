"""Backups: one encrypted file holding a whole library, and bringing it back.

    vigstudio backup LIBRARY --out FILE          a consistent snapshot, taken while the library is open
    vigstudio restore FILE --to DIR [--force]    unpack it into DIR (asks the backup's passphrase)

A backup holds only what the library already keeps encrypted (its key file, library.db, the media
containers): it opens with the library's passphrase, and with nothing else. A restore over a library
that is newer than the backup is refused unless `--force`; a library that is replaced is moved aside
to DIR.before-restore-<time>, never deleted. The restore is recorded in the audit log.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened, _terminal_progress, read_passphrase


def register(commands) -> None:
    p = commands.add_parser("backup", help="write an encrypted backup of a whole library (while it is in use)")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the backup file to write")
    p.set_defaults(handler=cmd_backup)

    p = commands.add_parser("restore", help="restore a library from a backup file")
    p.add_argument("backup", type=Path, metavar="FILE")
    p.add_argument("--to", type=Path, required=True, metavar="DIR", help="the library folder to restore into")
    p.add_argument("--force", action="store_true",
                   help="replace a library in DIR even if it is newer than the backup (it is moved aside)")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from vigstudio.app.backup import backup

    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("backup") as progress:
            info = backup(service, args.out, progress)
    print(f"backed up {args.library} to {args.out} ({info.containers} recordings, "
          f"audit event {info.audit_counter})")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from vigstudio.app.backup import backup_info, restore

    backup_info(args.backup)  # a file that is not a backup is refused before the prompt
    passphrase = read_passphrase(f"Passphrase of the backed-up library {args.backup}: ")
    with _terminal_progress("restore") as progress:
        result = restore(args.backup, args.to, passphrase, force=args.force, progress=progress)
    if result.replaced_to is not None:
        print(f"the library that was in {args.to} was moved to {result.replaced_to}")
    print(f"restored {args.to} from the backup made {result.backup.created:%Y-%m-%d %H:%M} UTC")
    return EXIT_OK
