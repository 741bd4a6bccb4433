"""
95% intervals for comparing a window before a change with the window after it.

Three standard methods, each for one kind of measure (``docs/effectiveness.md`` works an
example of each by hand):

- `rate_ratio`: two event counts over their exposure times, compared as a ratio of rates
  (after over before), with the exact conditional interval: given the total, the count after
  is binomial, its exact (Clopper-Pearson) interval is mapped to the ratio of rates;
- `proportion_difference`: two shares (after minus before) with Newcombe's hybrid score
  interval (his method 10), built from the Wilson score interval of each share;
- `mean_difference`: two means (after minus before) with Welch's interval (unequal
  variances, Welch-Satterthwaite degrees of freedom).

The quantiles come from SciPy (the ``[analysis]`` extra), imported only when an interval is
computed; without it, `MissingExtraError` names the extra.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from statistics import fmean, variance
from typing import Any

from attrs import frozen

from trauma_incidents.errors import MissingExtraError

__all__ = [
    "CONFIDENCE",
    "Interval",
    "mean_difference",
    "proportion_difference",
    "rate_ratio",
]

#: The confidence level of every interval.
CONFIDENCE = 0.95


@frozen
class Interval:
    """
    An estimate with its 95% interval; an end is ``math.inf`` where the data set no bound.

    Attributes:
        estimate: The estimate (a ratio, or a difference after minus before).
        low: The interval's lower end.
        high: The interval's upper end.
    """

    estimate: float
    low: float
    high: float


def _stats() -> Any:
    """SciPy's ``stats`` module, or `MissingExtraError` naming the extra."""
    try:
        from scipy import stats  # noqa: PLC0415 (optional dependency, imported when used)
    except ImportError:
        msg = "comparing before and after needs SciPy: pip install 'trauma-incidents[analysis]'"
        raise MissingExtraError(msg) from None
    return stats


def rate_ratio(before: int, before_days: float, after: int, after_days: float) -> Interval:
    """
    The ratio of the rate after to the rate before, with its exact conditional interval.

    Given ``n = before + after`` events, the count after is binomial with probability
    ``p = R * after_days / (R * after_days + before_days)`` under a rate ratio ``R``; the
    Clopper-Pearson interval of ``p`` maps to ``R = p / (1 - p) * before_days / after_days``.

    >>> r = rate_ratio(10, 56, 2, 56)
    >>> round(r.estimate, 4), round(r.low, 4), round(r.high, 4)
    (0.2, 0.0213, 0.9385)

    Raises:
        ValueError: No events at all, or an exposure that is not positive.
        MissingExtraError: SciPy is not installed.
    """
    if before < 0 or after < 0 or before + after == 0:
        msg = f"expected counts of zero or more, not both zero (got {before} and {after})"
        raise ValueError(msg)
    if before_days <= 0 or after_days <= 0:
        msg = f"expected positive exposures (got {before_days} and {after_days})"
        raise ValueError(msg)
    stats = _stats()
    low, high = _exact_share(after, after + before, stats)
    scale = before_days / after_days

    def ratio(p: float) -> float:
        return math.inf if p >= 1 else float(p) / (1 - float(p)) * scale

    estimate = math.inf if before == 0 else (after / after_days) / (before / before_days)
    return Interval(estimate, ratio(low), ratio(high))


@lru_cache(maxsize=4096)  # many windows share their counts: each interval solved once
def _exact_share(k: int, n: int, stats: Any) -> tuple[float, float]:
    """The exact (Clopper-Pearson) 95% interval of the share *k* of *n*, from SciPy's *stats*."""
    ci = stats.binomtest(k, n).proportion_ci(CONFIDENCE, method="exact")
    return float(ci.low), float(ci.high)


def proportion_difference(before: int, before_n: int, after: int, after_n: int) -> Interval:
    """
    The share after minus the share before, with Newcombe's hybrid score interval.

    With Wilson intervals ``(l1, u1)`` for the share after ``p1`` and ``(l0, u0)`` for the
    share before ``p0``, the interval of ``d = p1 - p0`` is
    ``d - sqrt((p1 - l1)**2 + (u0 - p0)**2)`` to ``d + sqrt((u1 - p1)**2 + (p0 - l0)**2)``.
    Newcombe's (1998) first example, 56/70 against 48/80:

    >>> r = proportion_difference(48, 80, 56, 70)
    >>> round(r.estimate, 4), round(r.low, 4), round(r.high, 4)
    (0.2, 0.0524, 0.3339)

    Raises:
        ValueError: A window with no observations, or more successes than observations.
        MissingExtraError: SciPy is not installed.
    """
    for part, whole in ((before, before_n), (after, after_n)):
        if not 0 <= part <= whole or whole == 0:
            msg = f"expected 0 <= successes <= observations > 0 (got {part} of {whole})"
            raise ValueError(msg)
    stats = _stats()

    def wilson(part: int, whole: int) -> tuple[float, float, float]:
        ci = stats.binomtest(part, whole).proportion_ci(CONFIDENCE, method="wilson")
        return part / whole, float(ci.low), float(ci.high)

    p0, l0, u0 = wilson(before, before_n)
    p1, l1, u1 = wilson(after, after_n)
    d = p1 - p0
    low = d - math.hypot(p1 - l1, u0 - p0)
    high = d + math.hypot(u1 - p1, p0 - l0)
    return Interval(d, low, high)


def mean_difference(before: Sequence[float], after: Sequence[float]) -> Interval:
    """
    The mean after minus the mean before, with Welch's interval.

    ``d ± t * se``, where ``se = sqrt(v1/n1 + v0/n0)`` (sample variances) and ``t`` is the
    97.5% quantile of Student's t with the Welch-Satterthwaite degrees of freedom
    ``se**4 / ((v1/n1)**2/(n1-1) + (v0/n0)**2/(n0-1))``. The summary statistics are computed
    here (exactly, as ratings are whole numbers) and only the quantile taken from SciPy:
    its ``ttest_ind`` warns that a window of equal values "may be unreliable", and ratings
    often are equal. When every value in each window is the same, the interval is the
    difference itself.

    >>> r = mean_difference([5, 6, 7, 8, 9], [2, 3, 3, 4, 3])
    >>> round(r.estimate, 4), round(r.low, 4), round(r.high, 4)
    (-4.0, -5.9343, -2.0657)

    Raises:
        ValueError: A window with fewer than two observations.
        MissingExtraError: SciPy is not installed.
    """
    if len(before) < 2 or len(after) < 2:  # noqa: PLR2004 (a variance needs two)
        msg = f"expected two or more observations a window (got {len(before)}, {len(after)})"
        raise ValueError(msg)
    d = fmean(after) - fmean(before)
    v0, v1 = variance(before) / len(before), variance(after) / len(after)
    se2 = v0 + v1
    if se2 == 0:
        return Interval(d, d, d)
    df = se2**2 / (v1**2 / (len(after) - 1) + v0**2 / (len(before) - 1))
    half = float(_stats().t.ppf((1 + CONFIDENCE) / 2, df)) * math.sqrt(se2)
    return Interval(d, d - half, d + half)
