"""Default peer groups: the areas most like the focus area in size and in crime, said in words beside them.

The Home Office's "most similar groups" are not open data, so the default here is simple and stated: the N areas
nearest the focus area by population (on a log scale, as areas differ in size a hundredfold) and by recorded crimes
per 1,000 residents, each measured in standard deviations across the areas compared, equally weighted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_SIZE = 10


@dataclass(frozen=True)
class Candidate:
    code: str
    population: float
    rate: float  # recorded crimes per 1,000


def _spread(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if len(values) > 1 else 0.0
    return mean, sd or 1.0


def nearest(focus: str, candidates: Mapping[str, Candidate], size: int = DEFAULT_SIZE) -> list[str]:
    """The ``size`` candidates nearest ``focus`` (the focus itself excluded), nearest first; ties by code."""
    if focus not in candidates:
        return []
    logs = {c: math.log10(max(x.population, 1.0)) for c, x in candidates.items()}
    log_mean, log_sd = _spread(list(logs.values()))
    rate_mean, rate_sd = _spread([x.rate for x in candidates.values()])
    me = candidates[focus]

    def distance(code: str) -> float:
        dx = (logs[code] - logs[focus]) / log_sd
        dy = (candidates[code].rate - me.rate) / rate_sd
        return math.hypot(dx, dy)

    others = sorted((c for c in candidates if c != focus), key=lambda c: (distance(c), c))
    return others[:size]


def basis_text(level_words: str, size: int, quarter: str) -> str:
    """How the default was chosen, for the page beside the list."""
    return (
        f"The {size} {level_words} nearest in population (Census 2021, on a log scale) and in recorded crimes per "
        f"1,000 residents in {quarter}, each measured in standard deviations across the {level_words} compared and "
        "weighted equally. Not the Home Office's most similar groups, which are not published as open data."
    )
