"""
The three intervals checked against hand calculations, published values and simulation.

Hand calculations (also in docs/effectiveness.md):

- Rate ratio, 10 events in 56 days before and 2 in 56 days after: the estimate is
  (2/56)/(10/56) = 0.2. Of the 12 events, 2 fell after; the exact (Clopper-Pearson) interval
  of that share is the p where P(X >= 2 | 12, p) = 0.025 (0.0209) and where
  P(X <= 2 | 12, p) = 0.025 (0.4841): the tests check these tail sums with math.comb. As a
  ratio, p / (1 - p): 0.0213 to 0.9385. With no events after, 0 of 8: the upper end of p is
  1 - 0.025**(1/8) = 0.3694 in closed form, a ratio of 0.5858.
- Newcombe's interval: the eight examples of his 1998 paper (Statistics in Medicine 17,
  873-890, table II, method 10).
- Welch, before 5, 6, 7, 8, 9 (mean 7, variance 2.5) and after 2, 3, 3, 4, 3 (mean 3,
  variance 0.5): the difference is -4; se = sqrt(2.5/5 + 0.5/5) = sqrt(0.6) = 0.7746;
  df = 0.36 / (0.25/4 + 0.01/4) = 72/13 = 5.538; t(0.975, 5.538) = 2.497;
  -4 ± 1.934: -5.934 to -2.066.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from math import comb

import numpy as np
import pytest

from trauma_incidents.analysis._intervals import (
    Interval,
    mean_difference,
    proportion_difference,
    rate_ratio,
)
from trauma_incidents.errors import MissingExtraError


def upper_tail(k: int, n: int, p: float) -> float:
    return sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def rounded(interval: Interval, digits: int = 4) -> tuple[float, float, float]:
    return (
        round(interval.estimate, digits),
        round(interval.low, digits),
        round(interval.high, digits),
    )


class TestRateRatio:
    def test_hand_calculation(self) -> None:
        """10 in 56 days before, 2 in 56 after: 0.2 (0.0213 to 0.9385)."""
        r = rate_ratio(10, 56, 2, 56)
        assert rounded(r) == (0.2, 0.0213, 0.9385)
        p_low, p_high = r.low / (1 + r.low), r.high / (1 + r.high)
        assert upper_tail(2, 12, p_low) == pytest.approx(0.025, abs=1e-9)
        assert 1 - upper_tail(3, 12, p_high) == pytest.approx(0.025, abs=1e-9)

    def test_exposure_enters_the_ratio(self) -> None:
        """Unequal windows: 10 in 56 days, 3 in 28 days is (3/28)/(10/56) = 0.6."""
        r = rate_ratio(10, 56, 3, 28)
        assert r.estimate == pytest.approx(0.6)
        same_share = rate_ratio(10, 56, 3, 56)  # the same 3 of 13, at twice the exposure
        assert r.low == pytest.approx(2 * same_share.low)
        assert r.high == pytest.approx(2 * same_share.high)

    def test_a_fall_to_zero_has_a_closed_form_upper_end(self) -> None:
        """0 after, 8 before: 0 (0 to p/(1-p) with p = 1 - 0.025**(1/8))."""
        r = rate_ratio(8, 56, 0, 56)
        p = 1 - 0.025 ** (1 / 8)
        assert (r.estimate, r.low) == (0, 0)
        assert r.high == pytest.approx(p / (1 - p))
        assert round(r.high, 4) == 0.5858

    def test_a_rise_from_zero_is_unbounded_above(self) -> None:
        """0 before, 8 after: infinite estimate, lower end from p = 0.025**(1/8)."""
        r = rate_ratio(0, 56, 8, 56)
        p = 0.025 ** (1 / 8)
        assert (r.estimate, r.high) == (math.inf, math.inf)
        assert r.low == pytest.approx(p / (1 - p))

    @pytest.mark.parametrize(
        "args", [(0, 56, 0, 56), (-1, 56, 3, 56), (3, 0, 3, 56), (3, 56, 3, -1)]
    )
    def test_refuses_what_has_no_interval(self, args: tuple[int, float, int, float]) -> None:
        with pytest.raises(ValueError, match="expected"):
            rate_ratio(*args)


class TestProportionDifference:
    @pytest.mark.parametrize(
        ("after", "before", "expected"),
        [
            ((56, 70), (48, 80), (0.0524, 0.3339)),
            ((9, 10), (3, 10), (0.1705, 0.8090)),
            ((6, 7), (2, 7), (0.0582, 0.8062)),
            ((5, 56), (0, 29), (-0.0381, 0.1926)),
            ((0, 10), (0, 20), (-0.1611, 0.2775)),
            ((0, 10), (0, 10), (-0.2775, 0.2775)),
            ((10, 10), (0, 20), (0.6791, 1.0000)),
            ((10, 10), (0, 10), (0.6075, 1.0000)),
        ],
    )
    def test_newcombes_published_examples(
        self,
        after: tuple[int, int],
        before: tuple[int, int],
        expected: tuple[float, float],
    ) -> None:
        """Newcombe (1998), table II, method 10, to his four decimals."""
        r = proportion_difference(*before, *after)
        assert r.estimate == pytest.approx(after[0] / after[1] - before[0] / before[1])
        assert (round(r.low, 4), round(r.high, 4)) == expected

    @pytest.mark.parametrize("args", [(1, 0, 1, 5), (6, 5, 1, 5), (1, 5, -1, 5)])
    def test_refuses_impossible_counts(self, args: tuple[int, int, int, int]) -> None:
        with pytest.raises(ValueError, match="expected"):
            proportion_difference(*args)


class TestMeanDifference:
    def test_hand_calculation(self) -> None:
        """Means 7 and 3, variances 2.5 and 0.5: -4 (-5.934 to -2.066) on 5.538 df."""
        r = mean_difference([5, 6, 7, 8, 9], [2, 3, 3, 4, 3])
        assert rounded(r, 3) == (-4.0, -5.934, -2.066)
        half = (r.high - r.low) / 2
        assert half / math.sqrt(0.6) == pytest.approx(2.497, abs=1e-3)  # t(0.975, 72/13)

    def test_windows_of_equal_values(self) -> None:
        """No spread at all: the interval is the difference; one constant window is fine."""
        assert mean_difference([5] * 5, [2] * 5) == Interval(-3, -3, -3)
        r = mean_difference([5] * 5, [1, 2, 3, 4, 5])
        assert r.estimate == -2
        assert r.low < -2 < r.high

    def test_needs_two_a_window(self) -> None:
        with pytest.raises(ValueError, match="two or more"):
            mean_difference([1], [1, 2])


def test_without_scipy_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """The message says which extra to install."""
    monkeypatch.setitem(sys.modules, "scipy", None)
    with pytest.raises(MissingExtraError, match=r"trauma-incidents\[analysis\]"):
        rate_ratio(3, 56, 1, 56)


# -- coverage by simulation (seeded; the figures are in docs/effectiveness.md) ---------------


def rate_ratio_coverage(runs: int, seed: int = 16) -> float:
    """How often the interval holds the true ratio 0.5: 6 per 28 days over 56, 3 over 42."""
    rng = np.random.default_rng(seed)
    held = tried = 0
    for _ in range(runs):
        before, after = int(rng.poisson(12)), int(rng.poisson(4.5))
        if before + after:
            tried += 1
            r = rate_ratio(before, 56, after, 42)
            held += r.low <= 0.5 <= r.high
    return held / tried


def proportion_coverage(runs: int, seed: int = 16) -> float:
    """How often the interval holds 0.2: shares 0.6 of 25 before, 0.8 of 20 after."""
    rng = np.random.default_rng(seed)
    held = 0
    for _ in range(runs):
        r = proportion_difference(int(rng.binomial(25, 0.6)), 25, int(rng.binomial(20, 0.8)), 20)
        held += r.low <= 0.2 <= r.high
    return held / runs


def mean_coverage(runs: int, seed: int = 16) -> float:
    """How often the interval holds -2.5: ratings Binomial(10, 0.6) x 10, (10, 0.35) x 8."""
    rng = np.random.default_rng(seed)
    held = 0
    for _ in range(runs):
        before = [int(v) for v in rng.binomial(10, 0.6, 10)]
        after = [int(v) for v in rng.binomial(10, 0.35, 8)]
        r = mean_difference(before, after)
        held += r.low <= -2.5 <= r.high
    return held / runs


@pytest.mark.parametrize(
    ("coverage", "least", "most"),
    [
        pytest.param(rate_ratio_coverage, 0.94, 1.0, id="rate-ratio"),  # exact: at least 95%
        pytest.param(proportion_coverage, 0.93, 0.98, id="newcombe"),
        pytest.param(mean_coverage, 0.93, 0.97, id="welch"),
    ],
)
def test_coverage_by_simulation(
    coverage: Callable[[int], float], least: float, most: float
) -> None:
    """Each 95% interval holds the true value about 95% of the time (1000 seeded runs)."""
    assert least <= coverage(1000) <= most
