"""The one normalisation of text that people type or bundles carry: case codes, titles, free text.

Every source (the CLI, the GUI, a bundle from another library) goes through these, so a code with an
ANSI escape, a title with a line break or a 10,000-character code is refused the same way wherever it
comes from. Control and format characters (escape sequences, bidi overrides, zero-width characters)
are refused rather than silently dropped, so what is stored is exactly what was shown.
"""

from __future__ import annotations

from .errors import InvalidInput

MAX_CODE_LENGTH = 64
MAX_TITLE_LENGTH = 200
MAX_NAME_LENGTH = 120
MAX_FREE_TEXT_LENGTH = 20_000


def _require_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    return value


def case_code(value: object) -> str:
    """A case's pseudonymous code: one short line of printable characters, e.g. F-014."""
    cleaned = _require_text(value if value is not None else "", "a case code").strip()
    if not cleaned:
        raise InvalidInput("a case needs a code, e.g. F-014")
    if len(cleaned) > MAX_CODE_LENGTH:
        raise InvalidInput(f"a case code has at most {MAX_CODE_LENGTH} characters")
    if not cleaned.isprintable():
        raise InvalidInput("a case code cannot contain tabs, line breaks or control characters")
    return cleaned


def single_line(value: object, what: str, max_length: int = MAX_TITLE_LENGTH) -> str:
    """A title, caption-like label or name: stripped, one line, printable, at most `max_length`."""
    cleaned = _require_text(value, what).strip()
    if "\n" in cleaned or "\r" in cleaned:
        raise InvalidInput(f"{what} is a single line")
    if not cleaned.isprintable():
        raise InvalidInput(f"{what} cannot contain tabs or control characters")
    if len(cleaned) > max_length:
        raise InvalidInput(f"{what} has at most {max_length} characters")
    return cleaned


def free_text(value: object, what: str, max_length: int = MAX_FREE_TEXT_LENGTH) -> str:
    """Notes, captions, comments: line breaks and tabs allowed (CRLF becomes LF), other control
    characters refused, at most `max_length` characters."""
    text = _require_text(value, what).replace("\r\n", "\n")
    if not all(ch.isprintable() or ch in "\n\t" for ch in text):
        raise InvalidInput(f"{what} cannot contain control characters")
    if len(text) > max_length:
        raise InvalidInput(f"{what} has at most {max_length} characters")
    return text
