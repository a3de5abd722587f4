"""XmR limits: each part's mean, mean moving range (mR-bar) and the lines either side, in exact numbers.

Every value is read as the decimal it prints as (0.1 is one tenth, not the nearest binary fraction), so a point
exactly on the mean or a limit is on it, never pushed across by rounding.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

LIMIT_FACTOR = 2.66  # process limits: mean ± 2.66 × mR-bar (3 sigma, as 2.66 = 3 / 1.128)
MR_UPPER_FACTOR = 3.267  # upper range limit: moving ranges above 3.267 × mR-bar are outliers
TWO_SIGMA_SHARE = Fraction(2, 3)  # the 2-sigma lines sit two thirds of the way to the limits
ONE_SIGMA_SHARE = Fraction(1, 3)

Number = float | Fraction

_LIMIT = Fraction(str(LIMIT_FACTOR))
_MR_UPPER = Fraction(str(MR_UPPER_FACTOR))


@dataclass(frozen=True)
class Limits:
    """The centre line and the lines either side of it, for one part."""

    mean: Number
    lower: Number
    upper: Number
    lower_2sigma: Number
    upper_2sigma: Number
    lower_1sigma: Number
    upper_1sigma: Number


def to_fraction(value: Any, what: str = "value") -> Fraction:
    """The number as printed, as an exact fraction; a clear ValueError for anything else."""
    if value is None:
        raise ValueError(f"{what} is missing (None): every point needs a number; drop or fill the gap first")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} is {value}: every point needs a finite number")
        return Fraction(value)
    if not isinstance(value, numbers.Real):
        raise ValueError(f"{what} is {value!r}, not a number")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    as_float = float(value)
    if not math.isfinite(as_float):
        raise ValueError(f"{what} is {as_float}: every point needs a finite number (NaN is a missing value)")
    return Fraction(repr(as_float))


def split_parts(n: int, rebase_at: Sequence[int] = ()) -> list[tuple[int, int]]:
    """(start, end) index pairs, end inclusive, for a series of n points rebased at the given indexes."""
    previous = 0
    for position, index in enumerate(rebase_at):
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise ValueError(f"rebase_at[{position}] is {index!r}: rebase points are 0-based point indexes")
        if not 0 < index < n:
            raise ValueError(
                f"rebase_at[{position}] is {index}: a rebase point must be after the first point and within "
                f"the series (1 to {n - 1} for {n} points)"
            )
        if index <= previous:
            raise ValueError(
                f"rebase_at[{position}] is {index}, not after {previous}: rebase points must be increasing and distinct"
            )
        previous = int(index)
    starts = [0, *(int(index) for index in rebase_at)]
    ends = [start - 1 for start in starts[1:]] + [n - 1]
    return list(zip(starts, ends, strict=True)) if n else []


def moving_ranges(values: Sequence[Number]) -> list[Number]:
    """|x_i − x_(i−1)| for each point after the first."""
    return [abs(after - before) for before, after in pairwise(values)]


def mean_moving_range(ranges: Sequence[Number], screen_outliers: bool = False) -> tuple[Number, int]:
    """mR-bar, and how many moving ranges screening left out.

    With screening (as the NHS "Making Data Count" tools offer), moving ranges above
    3.267 × mR-bar are left out and mR-bar is recomputed once from the rest.
    """
    if not ranges:
        raise ValueError("mR-bar needs at least one moving range, so at least two points")
    mr_bar = sum(ranges) / len(ranges)
    if not screen_outliers:
        return mr_bar, 0
    kept = [mr for mr in ranges if mr <= _MR_UPPER * mr_bar]
    return sum(kept) / len(kept), len(ranges) - len(kept)


def process_limits(mean: Number, mr_bar: Number) -> Limits:
    """Mean ± 2.66 × mR-bar, and the 2-sigma and 1-sigma lines two thirds and one third of the way."""
    width = _LIMIT * mr_bar
    return Limits(
        mean=mean,
        lower=mean - width,
        upper=mean + width,
        lower_2sigma=mean - width * TWO_SIGMA_SHARE,
        upper_2sigma=mean + width * TWO_SIGMA_SHARE,
        lower_1sigma=mean - width * ONE_SIGMA_SHARE,
        upper_1sigma=mean + width * ONE_SIGMA_SHARE,
    )
