"""Funnel plots: is an area's rate unusual for its size? Control limits from the Poisson distribution.

An area with population ``n`` and the national rate ``p`` (per 1,000) expects ``E = p * n / 1000`` crimes; its
count varies by chance around E as a Poisson variable. The limits are that variable's 2.5 and 97.5 percentiles
(95%) and 0.1 and 99.9 percentiles (99.8%), as rates, with Spiegelhalter's interpolation between whole counts so
the funnel is a smooth curve (Spiegelhalter, "Funnel plots for comparing institutional performance", Statistics in
Medicine 24, 2005; the method of Public Health England's funnel plot guide). An area is unusual only outside them:
a small area's rate jumps about by chance, so ranking rates alone misleads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LIMITS = {"95%": (0.025, 0.975), "99.8%": (0.001, 0.999)}
PER = 1000.0


def _poisson_cdf_window(mean: float) -> tuple[int, np.ndarray]:
    """(first k, P(X <= k) for k from it) over mean +- 12 standard deviations (what lies beyond is below 1e-30)."""
    spread = 12.0 * math.sqrt(mean) + 12.0
    lo, hi = max(0, int(mean - spread)), int(mean + spread) + 1
    k = np.arange(lo, hi + 1, dtype=np.float64)
    # log p(k) by the recursion log p(k) = log p(k-1) + log(mean) - log(k), anchored at lo with lgamma.
    start = lo * math.log(mean) - mean - math.lgamma(lo + 1)
    log_pmf = np.concatenate([[start], start + np.cumsum(math.log(mean) - np.log(k[1:]))])
    return lo, np.cumsum(np.exp(log_pmf))


def poisson_limits(mean: float, ps: tuple[float, ...]) -> list[float]:
    """The p-quantiles of Poisson(mean), interpolated between whole counts (Spiegelhalter 2005)."""
    if mean <= 0:
        return [0.0 for _ in ps]
    lo, cdf = _poisson_cdf_window(mean)
    out = []
    for p in ps:
        index = int(np.searchsorted(cdf, p, side="left"))  # the smallest k with P(X <= k) >= p
        at_r = float(cdf[index])
        before = float(cdf[index - 1]) if index > 0 else 0.0
        out.append(lo + index - ((at_r - p) / (at_r - before) if at_r > before else 0.0))
    return out


def poisson_limit(mean: float, p: float) -> float:
    """The p-quantile of Poisson(mean), interpolated between whole counts."""
    return poisson_limits(mean, (p,))[0]


@dataclass(frozen=True)
class FunnelPoint:
    """Where an area lies against the funnel: 'within', or 'above'/'below' the 95% or 99.8% limits."""

    code: str
    rate: float
    population: float
    expected: float
    position: str  # 'within', 'above 95%', 'above 99.8%', 'below 95%', 'below 99.8%'


def rate_limits(national_rate: float, population: float) -> dict[str, tuple[float, float]]:
    """The (lower, upper) rate per 1,000 at each limit for an area of this population."""
    expected = national_rate * population / PER
    ps = tuple(p for pair in LIMITS.values() for p in pair)
    counts = iter(poisson_limits(expected, ps))
    return {name: (next(counts) / population * PER, next(counts) / population * PER) for name in LIMITS}


def _where(value: float, limits: dict[str, tuple[float, float]]) -> str:
    """'within', or above/below the widest limit the value falls outside (99.8% before 95%)."""
    for name in ("99.8%", "95%"):
        low, high = limits[name]
        if value > high:
            return f"above {name}"
        if value < low:
            return f"below {name}"
    return "within"


def _curves(sizes: list, limits_at) -> dict[str, list]:
    """Each limit's lower and upper curve over the sizes (the x axis), for the chart."""
    out: dict[str, list] = {"population": list(sizes)}
    for name in LIMITS:
        pairs = [limits_at(n)[name] for n in sizes]
        out[f"lower {name}"] = [low for low, _ in pairs]
        out[f"upper {name}"] = [high for _, high in pairs]
    return out


def position(count: float, population: float, national_rate: float) -> str:
    """Within the funnel, or above/below its 95% or 99.8% limits."""
    return _where(count / population * PER, rate_limits(national_rate, population))


def funnel_curves(national_rate: float, smallest: float, largest: float, points: int = 120) -> dict[str, list]:
    """The limits drawn as curves over populations from smallest to largest (log-spaced): for the chart."""
    populations = np.geomspace(max(smallest * 0.8, 1.0), largest * 1.2, points).tolist()
    return _curves(populations, lambda n: rate_limits(national_rate, float(n)))


# ----------------------------------------------------------------------------- proportions (the outcome proxy)


def binomial_limits(trials: int, share: float, ps: tuple[float, ...]) -> list[float]:
    """The p-quantiles of Binomial(trials, share), interpolated between whole counts as the Poisson ones are."""
    if trials <= 0 or share <= 0.0:
        return [0.0 for _ in ps]
    if share >= 1.0:
        return [float(trials) for _ in ps]
    mean, sd = trials * share, math.sqrt(trials * share * (1.0 - share))
    lo, hi = max(0, int(mean - 12.0 * sd - 12.0)), min(trials, int(mean + 12.0 * sd + 12.0) + 1)
    k = np.arange(lo, hi + 1, dtype=np.float64)
    log_ratio = math.log(share) - math.log1p(-share)
    start = (
        math.lgamma(trials + 1) - math.lgamma(lo + 1) - math.lgamma(trials - lo + 1)
        + lo * math.log(share) + (trials - lo) * math.log1p(-share)
    )  # fmt: skip
    steps = np.log(trials - k[:-1]) - np.log(k[1:]) + log_ratio
    cdf = np.cumsum(np.exp(np.concatenate([[start], start + np.cumsum(steps)])))
    out = []
    for p in ps:
        index = min(int(np.searchsorted(cdf, p, side="left")), len(cdf) - 1)
        at_r = float(cdf[index])
        before = float(cdf[index - 1]) if index > 0 else 0.0
        out.append(lo + index - ((at_r - p) / (at_r - before) if at_r > before else 0.0))
    return out


def share_limits(national_share: float, trials: int) -> dict[str, tuple[float, float]]:
    """The (lower, upper) percentage at each limit for an area with this many recorded crimes."""
    ps = tuple(p for pair in LIMITS.values() for p in pair)
    counts = iter(binomial_limits(trials, national_share / 100.0, ps))
    return {name: (next(counts) / trials * 100.0, next(counts) / trials * 100.0) for name in LIMITS}


def share_position(successes: int, trials: int, national_share: float) -> str:
    """Within the funnel for a percentage, or above/below its 95% or 99.8% limits."""
    return _where(successes / trials * 100.0, share_limits(national_share, trials))


def share_curves(national_share: float, smallest: int, largest: int, points: int = 120) -> dict[str, list]:
    """The percentage limits as curves over numbers of crimes from smallest to largest (log-spaced)."""
    sizes = np.unique(np.geomspace(max(smallest * 0.8, 1.0), largest * 1.2, points).astype(int)).tolist()
    return _curves(sizes, lambda n: share_limits(national_share, int(n)))
