"""The shapes the ILLUSTRATIVE demo series are drawn with: the quarters, the areas, seeded noise, paths, splits.

Nothing here is a figure: the calendar (2018/19 Q1 to 2024/25 Q2, quarter positions), the five LPAs and their
populations, the calibration targets taken from the minutes of 27 November 2024, and the helpers that make a
designed trend reproducible (each series draws from its own ``random.Random`` seeded with a fixed string).
``demo_series`` draws the series; ``demo`` assembles the rows and writes the CSV.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence

from assurance.core.periods import Quarter, quarter_range

FIRST_QUARTER = "2018/19 Q1"
LAST_QUARTER = "2024/25 Q2"
SEED = 20241127
FORCE = "force"

HEREFORDSHIRE = "herefordshire"
NORTH_WORCS = "north_worcestershire"
SHROPSHIRE = "shropshire"
SOUTH_WORCS = "south_worcestershire"
TELFORD = "telford_and_wrekin"
LPAS = (HEREFORDSHIRE, NORTH_WORCS, SHROPSHIRE, SOUTH_WORCS, TELFORD)

# Population in thousands (data/areas.csv).
POPULATION_K = {HEREFORDSHIRE: 188, NORTH_WORCS: 290, SHROPSHIRE: 327, SOUTH_WORCS: 318, TELFORD: 188}

QUARTERS = quarter_range(FIRST_QUARTER, LAST_QUARTER)
N = len(QUARTERS)  # 26
_T = {q: i for i, q in enumerate(QUARTERS)}


def index(label: str) -> int:
    """The position of a quarter in QUARTERS (0 for 2018/19 Q1)."""
    return _T[Quarter.parse(label)]


LOCKDOWN = index("2020/21 Q1")
YTD_NOW = [index("2024/25 Q1"), index("2024/25 Q2")]
YTD_LAST_YEAR = [index("2023/24 Q1"), index("2023/24 Q2")]
LAST_12M = [index(q) for q in ("2023/24 Q3", "2023/24 Q4", "2024/25 Q1", "2024/25 Q2")]
PREVIOUS_12M = [index(q) for q in ("2022/23 Q3", "2022/23 Q4", "2023/24 Q1", "2023/24 Q2")]

# Targets taken from the minutes of 27 November 2024.
CRIME_YTD_CHANGE = -0.09  # "a 9% reduction so far this year"
VIOLENCE_YTD_CHANGE = -0.035  # falls less than total crime: "further work needed on violent crime"
POR_NOW = 13.3  # "13.3% at the end of Q2"
POR_LAST_YEAR = 12.3  # "an improvement of 1 percentage point on the same period last year"
VICTIM_SATISFACTION_12M_CHANGE = -0.8  # "minor reduction" over the last 12 months, in pp


def rng(*key: str) -> random.Random:
    """An independent, reproducible stream per series (string seeds hash with SHA-512, not hash())."""
    return random.Random(":".join((str(SEED), *key)))  # nosec B311 # reproducible illustrative demo figures, no security use


def noise(key: Sequence[str], sd: float) -> list[float]:
    stream = rng(*key)
    return [stream.gauss(0.0, sd) for _ in range(N)]


def interp(points: dict[str, float]) -> list[float]:
    """Piecewise-linear path through {quarter label: value}, flat beyond the ends."""
    known = sorted((index(q), v) for q, v in points.items())
    out = []
    for t in range(N):
        if t <= known[0][0]:
            out.append(known[0][1])
        elif t >= known[-1][0]:
            out.append(known[-1][1])
        else:
            for (t0, v0), (t1, v1) in itertools.pairwise(known):
                if t0 <= t <= t1:
                    out.append(v0 + (v1 - v0) * (t - t0) / (t1 - t0))
                    break
    return out


def seasonal(factors: tuple[float, float, float, float]) -> list[float]:
    return [factors[q.number - 1] for q in QUARTERS]


def split(total: int, weights: Sequence[float]) -> list[int]:
    """Split an integer total in proportion to weights (largest remainder; ties by position)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def lpa_table(fn) -> dict[str, list[float]]:
    return {lpa: [fn(lpa, t) for t in range(N)] for lpa in LPAS}
