"""The four special-cause rules, one small pure function each, and the one place where they are settled.

Each rule returns one flag per point of a part, for the high side, the low side or either; `resolve_side` decides,
in the order RULE_PRECEDENCE gives, which side a point flagged by several rules is on.
"""

from __future__ import annotations

import numbers
from collections.abc import Collection, Sequence
from itertools import pairwise
from typing import Literal

from assurance.core.spc.limits import Limits, Number

SHIFT_N = 7  # points in a row on one side of the mean
TREND_N = 7  # points in a row each higher (or each lower) than the one before

OUTSIDE_LIMITS = "outside_limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
# Which rule decides a point's side when rules disagree, first to last (the order NHSRplotthedots uses).
RULE_PRECEDENCE = (OUTSIDE_LIMITS, TREND, TWO_OF_THREE, SHIFT)
# The order rule names are listed in on a point.
RULES = (OUTSIDE_LIMITS, SHIFT, TREND, TWO_OF_THREE)

Side = Literal["high", "low"]


def check_run_length(name: str, value: int) -> None:
    """A run length (shift_n, trend_n) is a whole number of points, 2 or more."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 2:
        raise ValueError(f"{name} must be a whole number of points, 2 or more, not {value!r}")


def _pick(high: list[bool], low: list[bool], side: Side | None) -> list[bool]:
    """The high-side flags, the low-side flags, or either."""
    if side == "high":
        return high
    if side == "low":
        return low
    return [h or lo for h, lo in zip(high, low, strict=True)]


def _runs(flags: Sequence[bool], n: int) -> list[bool]:
    """Mark every flag in a run of n or more consecutive True flags."""
    marked = [False] * len(flags)
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= n:
                marked[start:i] = [True] * (i - start)
            start = None
    return marked


def rule_outside_limits(values: Sequence[Number], limits: Limits, side: Side | None = None) -> list[bool]:
    """Rule 1: a point above the upper or below the lower process limit (a point on a limit is inside)."""
    high = [value > limits.upper for value in values]
    low = [value < limits.lower for value in values]
    return _pick(high, low, side)


def rule_shift(values: Sequence[Number], mean: Number, n: int = SHIFT_N, side: Side | None = None) -> list[bool]:
    """Rule 2: n or more consecutive points on the same side of the mean; all points of the run.

    A point exactly on the mean is on neither side, so it breaks the run.
    """
    high = _runs([value > mean for value in values], n)
    low = _runs([value < mean for value in values], n)
    return _pick(high, low, side)


def _trend(values: Sequence[Number], n: int, rising: bool) -> list[bool]:
    """Points in runs of n or more, each strictly higher (rising) or lower than the one before."""
    steps = [(after > before) if rising else (after < before) for before, after in pairwise(values)]
    marked = [False] * len(values)
    for i, in_run in enumerate(_runs(steps, n - 1)):  # step i joins points i and i + 1
        if in_run:
            marked[i] = marked[i + 1] = True
    return marked


def rule_trend(values: Sequence[Number], n: int = TREND_N, side: Side | None = None) -> list[bool]:
    """Rule 3: n or more consecutive points each higher (or each lower) than the one before; all of them.

    Counted in points, as "Making Data Count" does: 7 points are 6 consecutive rises. Equal
    neighbours break a trend. The high side is a rising trend, the low side a falling one;
    a peak (or trough) can end one trend and start the other, so it can be flagged on both.
    """
    return _pick(_trend(values, n, rising=True), _trend(values, n, rising=False), side)


def _two_of_three(values: Sequence[Number], limits: Limits, high: bool) -> list[bool]:
    if high:
        beyond_line = [limits.upper_2sigma < value <= limits.upper for value in values]
        this_side = [value > limits.mean for value in values]
    else:
        beyond_line = [limits.lower <= value < limits.lower_2sigma for value in values]
        this_side = [value < limits.mean for value in values]
    marked = [False] * len(values)
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        if all(this_side[i] for i in window) and sum(beyond_line[i] for i in window) >= 2:
            for i in window:
                marked[i] = marked[i] or beyond_line[i]
    return marked


def rule_two_of_three(values: Sequence[Number], limits: Limits, side: Side | None = None) -> list[bool]:
    """Rule 4: two out of three consecutive points beyond the same 2-sigma line, all three on that side.

    Only points between the 2-sigma line and the process limit count towards the two (a point
    beyond the limit is rule 1's); the points flagged are those two (or three).
    """
    return _pick(_two_of_three(values, limits, high=True), _two_of_three(values, limits, high=False), side)


def rule_flags(
    values: Sequence[Number], limits: Limits, side: Side, shift_n: int = SHIFT_N, trend_n: int = TREND_N
) -> dict[str, list[bool]]:
    """Every rule's flags for one side of one part, keyed by rule name."""
    return {
        OUTSIDE_LIMITS: rule_outside_limits(values, limits, side),
        SHIFT: rule_shift(values, limits.mean, shift_n, side),
        TREND: rule_trend(values, trend_n, side),
        TWO_OF_THREE: rule_two_of_three(values, limits, side),
    }


# --- precedence and classification ----------------------------------------------------------------


def resolve_side(high_rules: Collection[str], low_rules: Collection[str], rises_next: bool) -> Side | None:
    """The side of a point's special cause: the one place where disagreeing rules are settled.

    The first rule in RULE_PRECEDENCE that flagged the point decides: outside the limits, then
    trend, then two of three, then shift (as NHSRplotthedots does). So every point of a rising
    trend is high, even those below the mean in a run of low points. Only a trend can flag one
    point on both sides: a peak ends a rising trend and starts a falling one. Such a point takes
    the side of the trend it starts, again as NHSRplotthedots does: a peak is low, a trough high
    (`rises_next`: the next point is higher than this one).
    """
    for rule in RULE_PRECEDENCE:
        if rule in high_rules and rule in low_rules:
            return "high" if rises_next else "low"
        if rule in high_rules:
            return "high"
        if rule in low_rules:
            return "low"
    return None
