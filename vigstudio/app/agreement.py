"""Coding agreement between two coders who tagged the same clips with the principles.

By default the practitioner's tags (annotations) are one coder, the supervisor's principle comments on
the same clip the other; either may instead be a named second coder of the library (`app.coders`:
`coders=("practitioner", "Anna")`, or two named coders). For each principle, presence or absence per clip gives % agreement and Cohen's kappa
with its 95% confidence interval (Cohen's large-sample standard error); Krippendorff's alpha across all
principles (nominal, the `krippendorff` package) summarises them. Only clips both coders tagged count.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import krippendorff
import numpy as np

from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.guider import PRACTITIONER_CODER, SUPERVISOR_CODER
from vigstudio.domain.principles import load_catalogue

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.domain.model import Clip
    from vigstudio.store.repositories import Repos

DEFAULT_CODERS = (PRACTITIONER_CODER, SUPERVISOR_CODER)

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Kappa:
    n: int
    agreement: float  # observed proportion of agreement
    kappa: float | None  # None when chance agreement is 1 (both coders constant and equal)
    ci_low: float | None
    ci_high: float | None


def cohen_kappa(pairs: Sequence[tuple[bool, bool]]) -> Kappa:
    """Cohen's kappa for two coders' presence/absence judgements, with a 95% CI from the
    large-sample standard error sqrt(po (1 - po) / (n (1 - pe)^2)), bounded to [-1, 1]."""
    n = len(pairs)
    if n == 0:
        return Kappa(0, 0.0, None, None, None)
    a = sum(1 for x, y in pairs if x and y)
    d = sum(1 for x, y in pairs if not x and not y)
    first = sum(1 for x, _ in pairs if x) / n
    second = sum(1 for _, y in pairs if y) / n
    po = (a + d) / n
    pe = first * second + (1 - first) * (1 - second)
    if pe >= 1:
        return Kappa(n, po, None, None, None)
    kappa = (po - pe) / (1 - pe)
    se = math.sqrt(po * (1 - po) / (n * (1 - pe) ** 2))
    # kappa lies in [-1, 1]; with few clips the normal approximation reaches past it
    return Kappa(n, po, kappa, max(-1.0, kappa - Z95 * se), min(1.0, kappa + Z95 * se))


def alpha(first: Sequence[Sequence[int]], second: Sequence[Sequence[int]]) -> float | None:
    """Krippendorff's alpha (nominal) over every (clip, principle) unit of the two coders."""
    units_a = [v for row in first for v in row]
    units_b = [v for row in second for v in row]
    if not units_a or len(set(units_a) | set(units_b)) < 2:
        return None  # no variation at all: alpha is undefined
    data = np.array([units_a, units_b], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@dataclass(frozen=True)
class Agreement:
    clips: int  # clips both coders tagged
    principles: dict[str, Kappa]
    alpha: float | None
    coders: tuple[str, str] = DEFAULT_CODERS


def check_coders(coders: Sequence[str] | None) -> tuple[str, str]:
    """Two different coders: "practitioner", "supervisor" or a second coder's name."""
    if coders is None:
        return DEFAULT_CODERS
    names = tuple(c.strip() for c in coders)
    if len(names) != 2 or not all(names) or names[0].casefold() == names[1].casefold():
        raise InvalidInput("name two different coders (practitioner, supervisor or a second coder's name)")
    return (_canonical(names[0]), _canonical(names[1]))


def _canonical(name: str) -> str:
    return name.casefold() if name.casefold() in DEFAULT_CODERS else name


def _tags(repos: Repos, clip: Clip, coder: str) -> list[tuple[int | None, str]]:
    """(frame or None, principle) of the coder's tags on the clip."""
    if coder == PRACTITIONER_CODER:
        return [(a.frame, a.principle) for a in repos.annotations.of_clip(clip.saved_id)]
    if coder == SUPERVISOR_CODER:
        return [(c.frame, c.principle) for c in repos.comments.of_clip(clip.saved_id) if c.principle]
    return [(t.frame, t.principle) for t in repos.coder_tags.of_clip(clip.saved_id, coder)]


def _known(repos: Repos, coders: tuple[str, str]) -> tuple[str, str]:
    """The coders as the library spells them (a second coder's name matches whatever its case)."""
    named = {n.casefold(): n for n in repos.coder_tags.coders()}
    for coder in coders:
        if coder not in DEFAULT_CODERS and coder.casefold() not in named:
            raise InvalidInput(f"no tags of a coder named {coder!r} in this library (second coders: "
                               f"{', '.join(sorted(named.values())) or 'none yet'})")
    first, second = (c if c in DEFAULT_CODERS else named[c.casefold()] for c in coders)
    return first, second


def coded_clips(service: LibraryService, session_id: int,
                coders: Sequence[str] | None = None) -> list[tuple[set[str], set[str]]]:
    """(the first coder's principles, the second's) for each clip both tagged."""
    with service.read() as repos:
        first_coder, second_coder = _known(repos, check_coders(coders))
        out = []
        for clip in repos.clips.of_session(session_id):
            mine = {p for _f, p in _tags(repos, clip, first_coder)}
            theirs = {p for _f, p in _tags(repos, clip, second_coder)}
            if mine and theirs:
                out.append((mine, theirs))
    return out


def session_agreement(service: LibraryService, session_id: int, coders: Sequence[str] | None = None) -> Agreement:
    with service.read() as repos:
        names = _known(repos, check_coders(coders))
    codes = load_catalogue().codes()
    clips = coded_clips(service, session_id, names)
    per = {code: cohen_kappa([(code in a, code in b) for a, b in clips]) for code in codes}
    first = [[int(code in a) for code in codes] for a, _ in clips]
    second = [[int(code in b) for code in codes] for _, b in clips]
    return Agreement(len(clips), per, alpha(first, second), names)


def _num(value: float | None, digits: int = 3) -> Any:
    return None if value is None else round(value, digits)


def agreement_json(result: Agreement) -> dict[str, Any]:
    return {"coders": list(result.coders), "clips": result.clips, "alpha": _num(result.alpha), "principles": {
        code: {"n": k.n, "agreement": _num(k.agreement), "kappa": _num(k.kappa),
               "ci95": None if k.ci_low is None else [_num(k.ci_low), _num(k.ci_high)]}
        for code, k in result.principles.items()}}


def agreement_csv(result: Agreement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("principle", "n", "percent_agreement", "kappa", "ci95_low", "ci95_high"))
    for code, k in result.principles.items():
        writer.writerow((code, k.n, f"{100 * k.agreement:.1f}", *(("n/a" if v is None else f"{v:.3f}")
                                                                 for v in (k.kappa, k.ci_low, k.ci_high))))
    writer.writerow(("all (Krippendorff's alpha)", result.clips, "", "n/a" if result.alpha is None
                     else f"{result.alpha:.3f}", "", ""))
    return out.getvalue()


# -- agreement on moments in time (as BORIS matches events) -------------------------------------------


@dataclass(frozen=True)
class MomentAgreement:
    tolerance: int  # frames
    matched: int  # moments of the two coders within `tolerance` frames of each other
    only_first: int
    only_second: int
    agreement: float | None  # same code among matched moments
    kappa: Kappa | None  # Cohen's kappa of the codes over the matched moments
    coders: tuple[str, str] = DEFAULT_CODERS


def match_moments(first: Sequence[tuple[int, str]], second: Sequence[tuple[int, str]],
                  tolerance: int) -> tuple[list[tuple[str, str]], int, int]:
    """Pair each of the first coder's (frame, code) moments with the nearest unpaired moment of the
    second within `tolerance` frames, in time order; returns (code pairs, unpaired first, unpaired second)."""
    if tolerance < 0:
        raise InvalidInput("the tolerance is a number of frames, 0 or more")
    remaining = sorted(second)
    pairs = []
    unpaired = 0
    for frame, code in sorted(first):
        near = [(abs(f - frame), n) for n, (f, _c) in enumerate(remaining) if abs(f - frame) <= tolerance]
        if not near:
            unpaired += 1
            continue
        _, n = min(near)
        pairs.append((code, remaining.pop(n)[1]))
    return pairs, unpaired, len(remaining)


def category_kappa(pairs: Sequence[tuple[str, str]]) -> Kappa:
    """Cohen's kappa for two coders' codes (any number of categories), with the same CI as above."""
    n = len(pairs)
    if n == 0:
        return Kappa(0, 0.0, None, None, None)
    po = sum(1 for a, b in pairs if a == b) / n
    codes = {c for pair in pairs for c in pair}
    pe = sum((sum(1 for a, _ in pairs if a == c) / n) * (sum(1 for _, b in pairs if b == c) / n) for c in codes)
    if pe >= 1:
        return Kappa(n, po, None, None, None)
    kappa = (po - pe) / (1 - pe)
    se = math.sqrt(po * (1 - po) / (n * (1 - pe) ** 2))
    return Kappa(n, po, kappa, max(-1.0, kappa - Z95 * se), min(1.0, kappa + Z95 * se))


def session_moments(service: LibraryService, session_id: int, coders: Sequence[str] | None = None
                    ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(frame, principle) moments of the two coders: the practitioner's tags (at the tag's frame, or the
    clip's start), the supervisor's principle comments (at their frame, or their clip's start; also those
    on a recording of the session outside any clip), a second coder's tags (as the practitioner's)."""
    with service.read() as repos:
        names = _known(repos, check_coders(coders))
        clips = {c.saved_id: c for c in repos.clips.of_session(session_id)}
        found: list[list[tuple[int, str]]] = []
        for coder in names:
            if coder == SUPERVISOR_CODER:
                found.append(_supervisor_moments(repos, session_id, clips))
            else:
                found.append([(f if f is not None else clip.start_frame, p)
                              for clip in clips.values() for f, p in _tags(repos, clip, coder)])
    return found[0], found[1]


def _supervisor_moments(repos: Repos, session_id: int, clips: dict[int, Clip]) -> list[tuple[int, str]]:
    moments = []
    for comment in repos.comments.of_session(session_id):
        if not comment.principle or comment.rates_guider:  # a rating of the guider is not a clip code
            continue
        if comment.frame is not None:
            moments.append((comment.frame, comment.principle))
        elif comment.clip_id in clips:
            moments.append((clips[comment.clip_id].start_frame, comment.principle))
    return moments


def moment_agreement(service: LibraryService, session_id: int, tolerance: int,
                     coders: Sequence[str] | None = None) -> MomentAgreement:
    with service.read() as repos:
        names = _known(repos, check_coders(coders))
    first, second = session_moments(service, session_id, names)
    pairs, only_first, only_second = match_moments(first, second, tolerance)
    kappa = category_kappa(pairs) if pairs else None
    return MomentAgreement(tolerance, len(pairs), only_first, only_second,
                           kappa.agreement if kappa else None, kappa, names)


def moment_json(result: MomentAgreement) -> dict[str, Any]:
    k = result.kappa
    return {"coders": list(result.coders), "tolerance_frames": result.tolerance, "matched": result.matched, "only_practitioner": result.only_first,
            "only_supervisor": result.only_second, "agreement": _num(result.agreement),
            "kappa": None if k is None else _num(k.kappa),
            "ci95": None if k is None or k.ci_low is None else [_num(k.ci_low), _num(k.ci_high)]}
