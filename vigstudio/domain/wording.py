"""Counts in words for people: "1 still", "3 stills" (never "1 stills")."""

from __future__ import annotations

IRREGULAR: dict[str, str] = {}  # nouns whose plural is not noun + "s", when one is needed


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, the noun in the plural unless the count is exactly one ("0 clips")."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {plural or IRREGULAR.get(noun) or noun + 's'}"
