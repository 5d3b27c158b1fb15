"""Outcome measures as data, and their scoring: the score is always computed from the items.

The catalogue (`data/measures.json`) holds each measure's items, response options in the printed
order with their scores, reverse-scored items, subscales, missing-item rule, bands, caseness,
reliable-change criterion and risk items, and the licence note that says what wording may be
shown. A service extends it with its own file, as for the principles; an extension may add
measures but not silently redefine one that exists.

Answers are option positions as printed on the form (0 = the first option), so for reverse-scored
items it is the catalogue, not the caller, that turns a position into a score.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidInput

FORMAT = "vigstudio-measures"
NOT_APPLICABLE = "na"  # an answer "not applicable" (WSAS); counted as missing by the missing-item rule

Answer = int | None | str  # an option position, None for a missing item, or NOT_APPLICABLE


@dataclass(frozen=True)
class Option:
    label: str
    score: int


@dataclass(frozen=True)
class Item:
    number: int
    label: str


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class RiskItem:
    item: int
    above: int  # the item's score must exceed this to raise the flag
    why: str


@dataclass(frozen=True)
class TypedScore:
    """A score typed from a licensed manual (the PSI short form): the one exception to computing."""

    key: str
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    version: str
    licence: str
    show_item_text: bool
    entered_by: tuple[str, ...]
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    reverse_items: frozenset[int]
    subscales: Mapping[str, tuple[int, ...]]
    score_range: tuple[int, int]
    missing_rule: str  # "none", "prorate" or "mean_substitute"
    max_missing: int
    bands: tuple[Band, ...]
    caseness: int | None  # a total at or above this is a case
    reliable_change: int | None  # a change of at least this many points is reliable
    risk_items: tuple[RiskItem, ...]
    not_applicable: bool = False
    typed_scores: tuple[TypedScore, ...] = ()
    total_key: str | None = None

    @property
    def is_typed(self) -> bool:
        return bool(self.typed_scores)

    def item_label(self, number: int) -> str:
        """The text shown for an item: its short label only where the licence allows it."""
        if self.show_item_text:
            return f"{number}. {self.items[number - 1].label}"
        return f"Item {number}"

    def item_score(self, number: int, position: int) -> int:
        """The score of option `position` (as printed, from 0) on item `number`."""
        if not 0 <= position < len(self.options):
            raise InvalidInput(
                f"{self.id} item {number}: option {position} is out of range 0-{len(self.options) - 1}")
        scores = [o.score for o in self.options]
        if number in self.reverse_items:
            scores.reverse()
        return scores[position]

    def band(self, total: float | None) -> str | None:
        if total is None:
            return None
        rounded = round_half_up(total)
        for band in self.bands:
            if band.low <= rounded <= band.high:
                return band.label
        return None

    def is_case(self, total: float | None) -> bool | None:
        if total is None or self.caseness is None:
            return None
        return round_half_up(total) >= self.caseness


@dataclass(frozen=True)
class Score:
    """What a completion scores: `total` is None when the missing-item rule says not scorable."""

    total: float | None
    subscales: dict[str, float | None] = field(default_factory=dict)
    band: str | None = None
    caseness: bool | None = None
    risk_items: tuple[int, ...] = ()  # item numbers whose answer raised a risk flag
    missing: int = 0


def round_half_up(value: float) -> int:
    """Bands use the total rounded half up (12.5 → 13), never Python's round-half-even."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def score(measure: Measure, answers: Sequence[Answer]) -> Score:
    """Score one completion from its answers (one per item, in item order)."""
    if measure.is_typed:
        raise InvalidInput(f"{measure.id} is recorded as typed totals, not item answers")
    if len(answers) != len(measure.items):
        raise InvalidInput(f"{measure.id} has {len(measure.items)} items, got {len(answers)} answers")
    item_scores: dict[int, int | None] = {}
    for item, answer in zip(measure.items, answers, strict=True):
        if answer is None:
            item_scores[item.number] = None
        elif answer == NOT_APPLICABLE:
            if not measure.not_applicable:
                raise InvalidInput(f"{measure.id} item {item.number} has no 'not applicable' answer")
            item_scores[item.number] = None
        elif isinstance(answer, int) and not isinstance(answer, bool):
            item_scores[item.number] = measure.item_score(item.number, answer)
        else:
            raise InvalidInput(f"{measure.id} item {item.number}: {answer!r} is not an option position")
    total = _total(measure, list(item_scores.values()))
    subscales = {
        name: _total(measure, [item_scores[n] for n in numbers], allow_rule=False)
        for name, numbers in measure.subscales.items()
    }
    risks = tuple(
        r.item for r in measure.risk_items
        if (s := item_scores.get(r.item)) is not None and s > r.above
    )
    return Score(
        total=total,
        subscales=subscales,
        band=measure.band(total),
        caseness=measure.is_case(total),
        risk_items=risks,
        missing=sum(1 for s in item_scores.values() if s is None),
    )


def _total(measure: Measure, scores: list[int | None], allow_rule: bool = True) -> float | None:
    answered = [s for s in scores if s is not None]
    missing = len(scores) - len(answered)
    if missing == 0:
        return float(sum(answered))
    if not allow_rule or measure.missing_rule == "none" or missing > measure.max_missing or not answered:
        return None
    if measure.missing_rule == "prorate":
        return len(scores) * sum(answered) / len(answered)
    if measure.missing_rule == "mean_substitute":
        return sum(answered) + missing * (sum(answered) / len(answered))
    raise InvalidInput(f"{measure.id}: unknown missing-item rule {measure.missing_rule!r}")


def typed_score(measure: Measure, values: Mapping[str, int]) -> Score:
    """A licensed measure's totals as read from its manual, range-checked."""
    if not measure.is_typed:
        raise InvalidInput(f"{measure.id} is scored from its items; give the answers, not totals")
    known = {t.key: t for t in measure.typed_scores}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidInput(f"{measure.id}: unknown score {unknown[0]!r} (known: {', '.join(known)})")
    for key, spec in known.items():
        if key not in values:
            raise InvalidInput(f"{measure.id}: {key} is missing")
        if not spec.low <= values[key] <= spec.high:
            raise InvalidInput(f"{measure.id}: {key} must be {spec.low}-{spec.high}, got {values[key]}")
    total = float(values[measure.total_key]) if measure.total_key else None
    subscales: dict[str, float | None] = {k: float(v) for k, v in values.items() if k != measure.total_key}
    return Score(total=total, subscales=subscales, band=measure.band(total), caseness=measure.is_case(total))


@dataclass(frozen=True)
class ScoreChange:
    """The change between two completions of one measure (`after` minus `before`).

    The verdicts are None ("n/a") when the measure has no published criterion or the totals are
    not scorable; recovery is judged only for those who were a case at the start.
    """

    measure: str
    before: float | None
    after: float | None
    change: float | None
    reliable_improvement: bool | None
    reliable_deterioration: bool | None
    recovered: bool | None


def change(measure: Measure, before: float | None, after: float | None) -> ScoreChange:
    if before is None or after is None:
        return ScoreChange(measure.id, before, after, None, None, None, None)
    delta = after - before
    improved = deteriorated = None
    if measure.reliable_change is not None:
        # Higher is worse on every shipped measure with a criterion, so a fall is an improvement.
        improved = -delta >= measure.reliable_change
        deteriorated = delta >= measure.reliable_change
    recovered = None
    if measure.caseness is not None and measure.is_case(before):
        recovered = not measure.is_case(after)
    return ScoreChange(measure.id, before, after, delta, improved, deteriorated, recovered)


@dataclass(frozen=True)
class JointChange:
    """NHS Talking Therapies judge PHQ-9 and GAD-7 together (both measures' pairs needed)."""

    reliable_improvement: bool
    reliable_deterioration: bool
    recovered: bool | None  # None: a case on neither at the start


def joint_change(a: Measure, a_before: float, a_after: float,
                 b: Measure, b_before: float, b_after: float) -> JointChange:
    ca, cb = change(a, a_before, a_after), change(b, b_before, b_after)
    improved = bool((ca.reliable_improvement and not cb.reliable_deterioration)
                    or (cb.reliable_improvement and not ca.reliable_deterioration))
    deteriorated = bool((ca.reliable_deterioration and not cb.reliable_improvement)
                        or (cb.reliable_deterioration and not ca.reliable_improvement))
    case_at_start = bool(a.is_case(a_before) or b.is_case(b_before))
    recovered = None
    if case_at_start:
        recovered = not a.is_case(a_after) and not b.is_case(b_after)
    return JointChange(improved, deteriorated, recovered)


@dataclass(frozen=True)
class MeasureCatalogue:
    name: str
    version: int
    measures: tuple[Measure, ...]

    def measure(self, measure_id: str) -> Measure:
        wanted = measure_id.strip().upper()
        for m in self.measures:
            if m.id.upper() == wanted:
                return m
        raise InvalidInput(f"unknown measure {measure_id!r} (known: {', '.join(self.ids())})")

    def ids(self) -> list[str]:
        return [m.id for m in self.measures]


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"measures catalogue: {what} must be a whole number")
    return value


def _parse_measure(doc: Mapping[str, Any]) -> Measure:
    try:
        mid = str(doc["id"])
        options = tuple(Option(str(o["label"]), _int(o["score"], f"{mid} option score"))
                        for o in doc.get("options", []))
        items = tuple(Item(_int(i["number"], f"{mid} item number"), str(i.get("label", "")))
                      for i in doc.get("items", []))
        if [i.number for i in items] != list(range(1, len(items) + 1)):
            raise InvalidInput(f"measures catalogue: {mid} items must be numbered 1..n in order")
        low, high = doc["range"]
        missing = doc.get("missing", {})
        return Measure(
            id=mid,
            name=str(doc["name"]),
            version=str(doc.get("version", "1")),
            licence=str(doc.get("licence", "")),
            show_item_text=bool(doc.get("show_item_text", False)),
            entered_by=tuple(doc.get("entered_by", ["practitioner"])),
            options=options,
            items=items,
            reverse_items=frozenset(_int(n, f"{mid} reverse item") for n in doc.get("reverse_items", [])),
            subscales={str(k): tuple(_int(n, f"{mid} subscale item") for n in v)
                       for k, v in doc.get("subscales", {}).items()},
            score_range=(_int(low, f"{mid} range"), _int(high, f"{mid} range")),
            missing_rule=str(missing.get("rule", "none")),
            max_missing=_int(missing.get("max_missing", 0), f"{mid} max_missing"),
            bands=tuple(Band(_int(b["min"], "band"), _int(b["max"], "band"), str(b["label"]))
                        for b in doc.get("bands", [])),
            caseness=None if doc.get("caseness") is None else _int(doc["caseness"], f"{mid} caseness"),
            reliable_change=(None if doc.get("reliable_change") is None
                             else _int(doc["reliable_change"], f"{mid} reliable change")),
            risk_items=tuple(RiskItem(_int(r["item"], "risk item"), _int(r.get("above", 0), "risk"),
                                      str(r.get("why", ""))) for r in doc.get("risk_items", [])),
            not_applicable=bool(doc.get("not_applicable", False)),
            typed_scores=tuple(TypedScore(str(t["key"]), str(t["label"]), _int(t["min"], "min"),
                                          _int(t["max"], "max")) for t in doc.get("typed_scores", [])),
            total_key=doc.get("total_key"),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidInput(f"measures catalogue: a measure is malformed ({type(err).__name__}: {err})") from None


def _parse(doc: Any) -> tuple[str, int, list[Measure]]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput("not a measures catalogue (its format is not vigstudio-measures)")
    measures = [_parse_measure(m) for m in doc.get("measures", [])]
    return str(doc.get("name", "")), int(doc.get("version", 1)), measures


def load_measures(extension: Path | None = None) -> MeasureCatalogue:
    """The built-in measures, extended by the service's own file when one is given."""
    text = resources.files(__package__).joinpath("data/measures.json").read_text("utf-8")
    name, version, measures = _parse(json.loads(text))
    if extension is not None and extension.exists():
        _, _, extra = _parse(json.loads(extension.read_text("utf-8")))
        known = {m.id.upper() for m in measures}
        clash = [m.id for m in extra if m.id.upper() in known]
        if clash:
            raise InvalidInput(f"measures extension redefines {', '.join(clash)}; give it a new id")
        measures += extra
    return MeasureCatalogue(name=name, version=version, measures=tuple(measures))
