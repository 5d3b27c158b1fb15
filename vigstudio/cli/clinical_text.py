"""Clinical text (titles, captions, tag text, comments) read from stdin or a prompt, not from argv.

Every user of the computer can read a program's arguments in the process list (`ps`), so text about a
family should not be passed as an argument: give `-` instead and the text is read from a pipe
(`echo … | vigstudio clip add … --title -`) or asked at the terminal.
"""

from __future__ import annotations

import sys

from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.text import MAX_FREE_TEXT_LENGTH

FROM_STDIN = "-"
WHY = ("give - to type it at a prompt or pipe it on stdin: an argument is visible to every user of this "
       "computer in the process list")


def help_for(what: str) -> str:
    return f"{what} ({WHY})"


def read(value: str | None, what: str) -> str:
    """`value` itself, or for `-` the text piped on stdin (all of it) or typed at a prompt (one line)."""
    if value != FROM_STDIN:
        return value or ""
    if sys.stdin is None:
        raise InvalidInput(f"no {what} given: nothing to read it from")
    if sys.stdin.isatty():
        try:
            return input(f"{what[:1].upper()}{what[1:]}: ")
        except EOFError:
            raise InvalidInput(f"no {what} given") from None
    text = sys.stdin.read(MAX_FREE_TEXT_LENGTH + 2)
    if len(text) > MAX_FREE_TEXT_LENGTH + 1:
        raise InvalidInput(f"the {what} on stdin is longer than {MAX_FREE_TEXT_LENGTH} characters")
    return text[:-1] if text.endswith("\n") else text
