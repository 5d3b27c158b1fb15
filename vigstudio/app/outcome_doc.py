"""`outcomes.json`, the one document of an anonymous outcomes bundle: written from a practitioner's
library, read back into checked values in the lead's.

It holds, per case, only a random token (the same for the case in every export), the intervention
kind, and each completion's scores as the practitioner's catalogue computed them (total, subscales,
band, caseness) with its measure, time point and month; and the goals' two ratings. No case code,
name, date of birth, day of a date, answer, free text or row id: nothing that links back to a family.

Reading checks every value's type and range (the bundle comes from another library): anything
wrong refuses the whole bundle with one line, before anything is stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from vigstudio.bundle import BundleRefused, OpenedBundle
from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.outcomes import GOAL_MAX, GOAL_MIN, time_point
from vigstudio.domain.service_outcomes import KINDS, TOKEN, ImportedCompletion, ImportedGoal, month_start

DOC_NAME = "outcomes.json"
DOC_FORMAT = "vigstudio-outcomes"
DOC_VERSION = 1
MAX_CASES = 100_000
MAX_COMPLETIONS = 2_000  # of one case
MAX_GOALS = 400  # of one case (four a cycle)
MAX_SUBSCALES = 64
MAX_SCORE = 1_000_000.0  # far beyond any questionnaire's range


@dataclass(frozen=True)
class CaseDoc:
    token: str
    kind: str | None
    completions: list[ImportedCompletion]
    goals: list[ImportedGoal]


@dataclass(frozen=True)
class OutcomesDoc:
    catalogue: str
    catalogue_version: int
    cases: list[CaseDoc]

    @property
    def completions(self) -> int:
        return sum(len(c.completions) for c in self.cases)

    @property
    def goals(self) -> int:
        return sum(len(c.goals) for c in self.cases)


def completion_entry(measure: str, measure_version: str, when: str, month: str, total: float | None,
                     subscales: dict[str, float | None], band: str | None, caseness: bool | None) -> dict[str, Any]:
    """One completion as the bundle carries it (the only fields it ever has)."""
    return {"measure": measure, "measure_version": measure_version, "when": when, "month": month,
            "total": total, "subscales": dict(subscales), "band": band, "caseness": caseness}


def document(catalogue: str, catalogue_version: int, cases: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": DOC_FORMAT, "version": DOC_VERSION,
            "catalogue": {"name": catalogue, "version": catalogue_version}, "cases": cases}


class _Invalid(Exception):
    """One value of the document is wrong; the whole bundle is refused."""


def read_outcomes_doc(opened: OpenedBundle) -> OutcomesDoc:
    doc = opened.json(DOC_NAME)
    if doc.get("format") != DOC_FORMAT:
        raise BundleRefused(f"the bundle's {DOC_NAME} is not an outcomes document")
    if doc.get("version") != DOC_VERSION:
        raise BundleRefused(f"the bundle's outcomes are in version {str(doc.get('version'))[:12]}, which this "
                            f"version of VIG Studio does not read (it reads version {DOC_VERSION}); please update")
    try:
        return _outcomes_doc(doc)
    except (_Invalid, InvalidInput, KeyError, TypeError, ValueError, OverflowError, RecursionError) as exc:
        why = f": {exc}" if isinstance(exc, InvalidInput) else ""
        raise BundleRefused(f"the bundle's {DOC_NAME} is not valid{why}; nothing was imported") from None


def _outcomes_doc(doc: dict[str, Any]) -> OutcomesDoc:
    catalogue = _dict(doc["catalogue"])
    cases = [_case(_dict(c)) for c in _list(doc["cases"], MAX_CASES)]
    if len({c.token for c in cases}) != len(cases):
        raise _Invalid  # one entry per case
    return OutcomesDoc(_line(catalogue.get("name"), "a catalogue's name", 200),
                       _int(catalogue.get("version"), 0, 10**9), cases)


def _case(c: dict[str, Any]) -> CaseDoc:
    token = c["token"]
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise _Invalid
    kind = c.get("kind")
    if kind is not None and kind not in KINDS:
        raise _Invalid
    completions = [_completion(token, kind, n, _dict(e))
                   for n, e in enumerate(_list(c.get("completions", []), MAX_COMPLETIONS))]
    goals = [ImportedGoal(0, token, kind, _rating(g.get("start")), _rating(g.get("end")))
             for g in map(_dict, _list(c.get("goals", []), MAX_GOALS))]
    return CaseDoc(token, kind, completions, goals)


def _completion(token: str, kind: str | None, position: int, e: dict[str, Any]) -> ImportedCompletion:
    measure = _line(e["measure"], "a measure's id", 32)
    if not measure:
        raise _Invalid
    if not isinstance(e["month"], str) or not isinstance(e["when"], str):
        raise _Invalid
    month_start(e["month"])  # refuses anything but YYYY-MM
    subscales = _dict(e.get("subscales") or {})
    if len(subscales) > MAX_SUBSCALES:
        raise _Invalid
    caseness = e.get("caseness")
    if caseness is not None and not isinstance(caseness, bool):
        raise _Invalid
    band = e.get("band")
    return ImportedCompletion(
        source_id=0, token=token, measure=measure,
        measure_version=_line(e.get("measure_version"), "a measure's version", 16),
        when=time_point(e["when"]), month=e["month"], position=position, kind=kind,
        total=_score(e.get("total")),
        subscales={_line(k, "a subscale's name", 32): _score(v) for k, v in subscales.items()},
        band=None if band is None else _line(band, "a band", 120), caseness=caseness)


def _dict(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid
    return value


def _list(value: object, limit: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > limit:
        raise _Invalid
    return value


def _int(value: object, lo: int, hi: int) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise _Invalid
    return value


def _rating(value: object) -> int | None:
    return None if value is None else _int(value, GOAL_MIN, GOAL_MAX)


def _score(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid
    number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_SCORE:
        raise _Invalid
    return number


def _line(value: object, what: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid
    return text_rules.single_line(value, what, max_length)
