"""The catalogue of Watch, Wait and Wonder observation codes and Wonder themes.

Versioned data like the principles (`data/observations.json`), extended by the service with an
`observations.json` of its own in the library folder, the same place as the principles' extension.
An extension may add codes and themes; it may not redefine a code (a bundle may carry definitions
of codes the receiving library lacks: they are added the same way).

Each code has a role: an infant `initiative`, a `response` to one (which says whether the mother
`followed` the lead or `redirected`), or a plain observation of the `mother` or of both (`shared`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidInput

FORMAT = "vigstudio-observations"
ROLES = ("initiative", "response", "mother", "shared", "other")
RESPONSES = ("followed", "redirected")


@dataclass(frozen=True)
class ObservationCode:
    code: str
    label: str
    role: str = "other"
    response: str | None = None  # "followed" or "redirected", for role "response"
    colour: str = "#888888"

    @property
    def is_initiative(self) -> bool:
        return self.role == "initiative"

    @property
    def is_response(self) -> bool:
        return self.role == "response"

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Theme:
    code: str
    label: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ObservationCatalogue:
    name: str
    version: int
    codes: tuple[ObservationCode, ...]
    themes: tuple[Theme, ...] = ()
    default_codes: frozenset[str] = frozenset()  # the codes shipped with VIG Studio

    def code(self, code: str) -> ObservationCode:
        for c in self.codes:
            if c.code == code:
                return c
        raise InvalidInput(f"unknown observation code {code!r} (see `vigstudio observation codes`)")

    def has(self, code: str) -> bool:
        return any(c.code == code for c in self.codes)

    def theme(self, code: str) -> Theme:
        for t in self.themes:
            if t.code == code:
                return t
        raise InvalidInput(f"unknown theme code {code!r}")

    def is_default(self, code: str) -> bool:
        return code in self.default_codes

    def extended(self, codes: list[ObservationCode], themes: list[Theme] | None = None) -> ObservationCatalogue:
        """This catalogue with more codes and themes; a code already known must be defined alike."""
        merged = list(self.codes)
        known = {c.code: c for c in self.codes}
        for c in codes:
            if c.code in known:
                if known[c.code] != c:
                    raise InvalidInput(f"observation code {c.code!r} is already defined differently")
                continue
            merged.append(c)
            known[c.code] = c
        merged_themes = list(self.themes)
        known_themes = {t.code for t in self.themes}
        for t in themes or ():
            if t.code not in known_themes:
                merged_themes.append(t)
                known_themes.add(t.code)
        return ObservationCatalogue(self.name, self.version, tuple(merged), tuple(merged_themes),
                                    self.default_codes)


def parse_code(doc: Any) -> ObservationCode:
    """One code definition from JSON (a catalogue file or a bundle), checked."""
    if not isinstance(doc, dict) or not isinstance(doc.get("code"), str) or not isinstance(doc.get("label"), str):
        raise InvalidInput("an observation code needs a code and a label")
    code = doc["code"].strip()
    if not code or len(code) > 32 or any(ch.isspace() for ch in code):
        raise InvalidInput(f"observation code {code!r} must be 1-32 characters without spaces")
    role = doc.get("role", "other")
    if role not in ROLES:
        raise InvalidInput(f"observation code {code!r}: role must be one of {', '.join(ROLES)}")
    response = doc.get("response")
    if (role == "response") != (response is not None) or (response is not None and response not in RESPONSES):
        raise InvalidInput(f"observation code {code!r}: a response code says 'followed' or 'redirected'")
    colour = doc.get("colour", "#888888")
    if not (isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")):
        raise InvalidInput(f"observation code {code!r}: colour must look like #RRGGBB")
    return ObservationCode(code, doc["label"].strip(), role, response, colour)


def parse_theme(doc: Any) -> Theme:
    if not isinstance(doc, dict) or not isinstance(doc.get("code"), str) or not isinstance(doc.get("label"), str):
        raise InvalidInput("a theme needs a code and a label")
    return Theme(doc["code"].strip(), doc["label"].strip())


def _parse(doc: Any) -> tuple[str, int, list[ObservationCode], list[Theme]]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else None
        raise InvalidInput(f"not an observation catalogue (format is {found!r})")
    codes = [parse_code(c) for c in doc.get("codes", [])]
    themes = [parse_theme(t) for t in doc.get("themes", [])]
    return str(doc.get("name", "")), int(doc.get("version", 1)), codes, themes


def default_catalogue() -> ObservationCatalogue:
    text = resources.files(__package__).joinpath("data/observations.json").read_text("utf-8")
    name, version, codes, themes = _parse(json.loads(text))
    return ObservationCatalogue(name, version, tuple(codes), tuple(themes), frozenset(c.code for c in codes))


def load_observation_catalogue(extension: Path | None = None) -> ObservationCatalogue:
    """The built-in catalogue, extended by the service's own file when one is given."""
    catalogue = default_catalogue()
    if extension is not None and extension.exists():
        try:
            doc = json.loads(extension.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"cannot read the observation catalogue extension {extension.name}") from exc
        _, _, codes, themes = _parse(doc)
        clash = [c.code for c in codes if catalogue.has(c.code)]
        if clash:
            raise InvalidInput(f"the extension redefines observation codes {clash}")
        catalogue = catalogue.extended(codes, themes)
    return catalogue
