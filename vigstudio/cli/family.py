"""What the family keeps: the keepsake of a shared review and the closing letter.

    vigstudio keepsake LIBRARY --session ID --out FILE.pdf [--clips DIR] [--ask-title]
    vigstudio letter LIBRARY --case CODE [--intervention ID] --draft-out FILE.md
    vigstudio letter LIBRARY --case CODE [--intervention ID] --out FILE.pdf [--text FILE.md]

Both need the case's `keepsake` consent (the family may keep copies); without it the command is
refused (exit 2, one line) and nothing is written. Both leave the encrypted library, so each
prints the usual reminder on stderr and is recorded in the audit log.

The keepsake's cover title is the family's choice, which may hold their names: it is typed at a
prompt (`--ask-title`, read from standard input), never given on the command line, where every user
of the computer could read it. Without it the cover says "Our time together".

The letter is written in two steps: `--draft-out` writes a draft to edit in any text editor, then
`--out letter.pdf --text the-edited-draft.md` makes the PDF from the edited words.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vigstudio.cli import EXIT_OK, _opened, _terminal_progress
from vigstudio.cli.exporting import REMINDER
from vigstudio.domain.errors import InvalidInput

TITLE_PROMPT = "Title for the keepsake's cover, as the family chose it (Enter for “Our time together”): "


def register(commands) -> None:
    p = commands.add_parser("keepsake", help="a printable keepsake of a review for the family (needs keepsake consent)")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--session", type=int, required=True, metavar="ID", help="the reviewed session")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument("--clips", type=Path, metavar="DIR",
                   help="also put the clips, captioned, as MP4 files in this (new or empty) folder")
    p.add_argument("--ask-title", action="store_true",
                   help="ask for the cover's title at a prompt (it may name the family, so never an argument)")
    p.set_defaults(handler=cmd_keepsake)

    p = commands.add_parser("letter", help="the closing letter to the parent: a draft to edit, then the PDF")
    p.add_argument("library", type=Path, metavar="LIBRARY")
    p.add_argument("--case", required=True, metavar="CODE")
    p.add_argument("--intervention", type=int, metavar="ID", help="default: the case's latest")
    p.add_argument("--draft-out", type=Path, metavar="FILE.md", help="write the draft to edit (.md or .txt)")
    p.add_argument("--text", type=Path, metavar="FILE.md", help="the edited draft to make the PDF from")
    p.add_argument("--out", type=Path, metavar="FILE.pdf", help="write the letter as PDF")
    p.set_defaults(handler=cmd_letter)


def cmd_keepsake(args: argparse.Namespace) -> int:
    from vigstudio.app.keepsake import keepsake_title, make_keepsake

    if args.out.suffix.lower() != ".pdf":  # refused before the library is unlocked
        raise InvalidInput(f"the output file must end in .pdf (got {args.out.name})")
    title = keepsake_title(_ask_title() if args.ask_title else None)
    with _opened(args.library, audit_now=False) as service:
        with _terminal_progress("keepsake") as progress:
            result = make_keepsake(service, args.session, args.out, title=title, clips_dir=args.clips,
                                   progress=progress)
    for path in (result.pdf, *result.clips):
        print(path)
    where = f"{result.pdf} and {args.clips}" if result.clips else str(result.pdf)
    print(REMINDER.format(path=where), file=sys.stderr)
    return EXIT_OK


def cmd_letter(args: argparse.Namespace) -> int:
    from vigstudio.app.letter import make_letter, write_draft

    if args.out is None and args.draft_out is None:
        raise InvalidInput("say what to write: --draft-out FILE.md (a draft to edit) or --out FILE.pdf")
    if args.text is not None and args.draft_out is not None:
        raise InvalidInput("give either --text (the edited draft) or --draft-out (a new draft), not both")
    if args.out is not None and args.out.suffix.lower() != ".pdf":
        raise InvalidInput(f"the output file must end in .pdf (got {args.out.name})")
    text = _read_text(args.text) if args.text is not None else None
    written = []
    with _opened(args.library, audit_now=False) as service:
        if args.draft_out is not None:
            written.append(write_draft(service, args.case, args.draft_out, args.intervention))
            if args.out is not None:
                text = written[-1].read_text(encoding="utf-8")
        if args.out is not None:
            written.append(make_letter(service, args.case, args.out, text=text,
                                       intervention_id=args.intervention).path)
    for path in written:
        print(path)
    print(REMINDER.format(path=" and ".join(map(str, written))), file=sys.stderr)
    return EXIT_OK


def _ask_title() -> str:
    """One line from standard input (the terminal, or a pipe for scripts); the prompt on stderr."""
    print(TITLE_PROMPT, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
