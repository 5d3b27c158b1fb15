"""The catalogue of principles and behaviours practitioners tag moments with.

Kept as versioned data (`data/principles.json`) so a service can add its own codes, e.g. Watch,
Wait and Wonder observations, by dropping an extension file beside the library instead of
changing code. An extension may add principles, or behaviours to existing principles; it may
not silently redefine an existing code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidInput

FORMAT = "vigstudio-principles"


@dataclass(frozen=True)
class Behaviour:
    code: str
    text: str


@dataclass(frozen=True)
class Principle:
    code: str
    name: str
    colour: str
    behaviours: tuple[Behaviour, ...] = field(default=())


@dataclass(frozen=True)
class Catalogue:
    name: str
    version: int
    principles: tuple[Principle, ...]

    def principle(self, code: str) -> Principle:
        for p in self.principles:
            if p.code == code:
                return p
        raise InvalidInput(f"unknown principle code {code!r} (known: {', '.join(self.codes())})")

    def behaviour(self, code: str) -> Behaviour:
        for p in self.principles:
            for b in p.behaviours:
                if b.code == code:
                    return b
        raise InvalidInput(f"unknown behaviour code {code!r}")

    def codes(self) -> list[str]:
        return [p.code for p in self.principles]

    def validate(self, principle: str, behaviour: str | None) -> None:
        """Refuse a tag whose behaviour does not belong to its principle."""
        p = self.principle(principle)
        if behaviour is not None and behaviour not in {b.code for b in p.behaviours}:
            raise InvalidInput(f"behaviour {behaviour!r} does not belong to principle {principle!r}")


def _parse(doc: dict[str, Any]) -> tuple[str, int, list[Principle]]:
    if doc.get("format") != FORMAT:
        raise InvalidInput(f"not a principles catalogue (format is {doc.get('format')!r})")
    principles = [
        Principle(
            code=p["code"],
            name=p["name"],
            colour=p.get("colour", "#888888"),
            behaviours=tuple(Behaviour(b["code"], b["text"]) for b in p.get("behaviours", [])),
        )
        for p in doc.get("principles", [])
    ]
    return doc.get("name", ""), int(doc.get("version", 1)), principles


def _merge(base: list[Principle], extra: list[Principle]) -> list[Principle]:
    merged = {p.code: p for p in base}
    known_behaviours = {b.code for p in base for b in p.behaviours}
    for p in extra:
        clash = [b.code for b in p.behaviours if b.code in known_behaviours]
        if clash:
            raise InvalidInput(f"extension redefines behaviour codes {clash}")
        if p.code in merged:
            old = merged[p.code]
            merged[p.code] = Principle(old.code, old.name, old.colour, old.behaviours + p.behaviours)
        else:
            merged[p.code] = p
        known_behaviours.update(b.code for b in p.behaviours)
    return list(merged.values())


def load_catalogue(extension: Path | None = None) -> Catalogue:
    """The built-in catalogue, extended by the service's own file when one is given."""
    text = resources.files(__package__).joinpath("data/principles.json").read_text("utf-8")
    name, version, principles = _parse(json.loads(text))
    if extension is not None and extension.exists():
        _, _, extra = _parse(json.loads(extension.read_text("utf-8")))
        principles = _merge(principles, extra)
    return Catalogue(name=name, version=version, principles=tuple(principles))
