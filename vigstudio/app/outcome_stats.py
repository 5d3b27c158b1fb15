"""The statistics of the service's outcome evaluation, with scipy (never hand-written).

For one measure and a group of completers (pairs of first `pre` and last `post` totals): n, mean (SD)
before and after, the mean change with its 95% confidence interval (t distribution), the paired
t-test and the Wilcoxon signed-rank test, Cohen's d_z (mean change / SD of the changes), and the
shares with reliable improvement, reliable deterioration and recovery where the measure has a
published criterion ("n/a" otherwise).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from vigstudio.domain.measures import Measure, change

MIN_GROUP = 5  # fewer completers than this in a group: not broken out (they could be recognised)


@dataclass(frozen=True)
class PairedSummary:
    measure: str
    n: int
    mean_before: float
    sd_before: float
    mean_after: float
    sd_after: float
    mean_change: float
    ci_low: float
    ci_high: float
    t_p: float | None
    wilcoxon_p: float | None
    d_z: float | None
    reliable_improvement: float | None  # shares 0..1, None where the measure has no criterion
    reliable_deterioration: float | None
    recovered: float | None  # of those who were a case at the start
    n_case_at_start: int


def summarise(measure: Measure, pairs: Sequence[tuple[float, float]]) -> PairedSummary | None:
    """The paired statistics for `pairs` of (before, after) totals; None with fewer than two pairs."""
    if len(pairs) < 2:
        return None
    before = np.array([p[0] for p in pairs], dtype=float)
    after = np.array([p[1] for p in pairs], dtype=float)
    diff = after - before
    n = len(diff)
    mean_change = float(diff.mean())
    sd_change = float(diff.std(ddof=1))
    if sd_change > 0:
        sem = sd_change / math.sqrt(n)
        ci_low, ci_high = (float(v) for v in stats.t.interval(0.95, n - 1, loc=mean_change, scale=sem))
        t_p = float(stats.ttest_rel(after, before).pvalue)
        d_z: float | None = mean_change / sd_change
    else:  # every change the same: no spread to test against
        ci_low = ci_high = mean_change
        t_p, d_z = None, None
    wilcoxon_p = float(stats.wilcoxon(after, before).pvalue) if np.any(diff != 0) else None
    verdicts = [change(measure, float(b), float(a)) for b, a in zip(before, after, strict=True)]
    improved = _share([v.reliable_improvement for v in verdicts])
    deteriorated = _share([v.reliable_deterioration for v in verdicts])
    recovered_of_cases = [v.recovered for v in verdicts if v.recovered is not None]
    return PairedSummary(
        measure=measure.id, n=n,
        mean_before=float(before.mean()), sd_before=float(before.std(ddof=1)),
        mean_after=float(after.mean()), sd_after=float(after.std(ddof=1)),
        mean_change=mean_change, ci_low=ci_low, ci_high=ci_high,
        t_p=t_p, wilcoxon_p=wilcoxon_p, d_z=d_z,
        reliable_improvement=improved, reliable_deterioration=deteriorated,
        recovered=_share(recovered_of_cases) if measure.caseness is not None else None,
        n_case_at_start=len(recovered_of_cases),
    )


def _share(flags: Sequence[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    if not known:
        return None
    return sum(1 for f in known if f) / len(known)


def one_decimal(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def three_decimals(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def p_value(value: float | None) -> str:
    """Three decimals, as the report promises; a p that would print as 0.000 is written "<0.001"
    (it is small, not zero)."""
    if value is None:
        return "n/a"
    return "<0.001" if value < 0.0005 else f"{value:.3f}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"
