"""Statistical process control: XmR charts, special-cause rules and "Making Data Count" icons.

Is a quarter-on-quarter change real, or noise? An XmR chart answers that (NHS England's "Making
Data Count", used by many police analysts):

- each part of the series (the whole series, or the pieces between rebase points) has its own
  mean and mean moving range (mR-bar); process limits are mean ± 2.66 × mR-bar and the "2 sigma"
  lines mean ± (2/3) × 2.66 × mR-bar;
- four rules mark special causes: a point beyond a limit, a shift, a trend, two out of three
  points beyond a 2-sigma line; each special cause is an improvement or a concern by the
  metric's direction;
- the latest point gives the variation icon; a target against the last part's limits gives the
  assurance icon;
- a part with fewer than 13 points shows its values only: no limits, no special causes, no icons.

The engine is a pipeline of small pure functions, one per rule, with precedence decided in one
place (`resolve_side`), ending in a tidy `XmrResult`. Drawing is somebody else's job.

Arithmetic is exact: every value is read as the decimal it prints as (0.1 is one tenth, not the
nearest binary fraction) and means, limits and comparisons are done in rational numbers. A point
exactly on the mean, a limit or a 2-sigma line is therefore on it, never pushed across by
rounding, and adding a constant to, or scaling, a series never changes which points are flagged.
Results are returned as floats.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

LIMIT_FACTOR = 2.66  # process limits: mean ± 2.66 × mR-bar (3 sigma, as 2.66 = 3 / 1.128)
MR_UPPER_FACTOR = 3.267  # upper range limit: moving ranges above 3.267 × mR-bar are outliers
TWO_SIGMA_SHARE = Fraction(2, 3)  # the 2-sigma lines sit two thirds of the way to the limits
ONE_SIGMA_SHARE = Fraction(1, 3)
MIN_POINTS = 13  # fewer points in a part and its limits would not be reliable
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

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEITHER = "neither"
COMMON_CAUSE = "common cause"

PASS = "pass"  # nosec B105 # the SPC assurance verdict 'pass', not a password
FAIL = "fail"
HIT_AND_MISS = "hit_and_miss"

DIRECTION_ALIASES = {
    "increase": "increase",
    "higher": "increase",
    "decrease": "decrease",
    "lower": "decrease",
    "neutral": "neutral",
}

Side = Literal["high", "low"]
Number = float | Fraction

_LIMIT = Fraction(str(LIMIT_FACTOR))
_MR_UPPER = Fraction(str(MR_UPPER_FACTOR))
_SIDE_WORD = {"high": "higher", "low": "lower"}


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


@dataclass(frozen=True)
class XmrPoint:
    """One point of the chart, with its part's lines and what the rules made of it."""

    index: int
    label: str | None
    value: float
    part: int
    mean: float | None
    lower: float | None
    upper: float | None
    lower_2sigma: float | None
    upper_2sigma: float | None
    moving_range: float | None  # None for the first point of a part
    rules: tuple[str, ...]  # every rule that flagged the point, in the order of RULES
    side: Side | None  # which side the special cause is on (see resolve_side)
    classification: str  # "improvement", "concern", "neither" or "common cause"

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class XmrPart:
    """One part of the series (between rebase points), with its own mean and limits."""

    start: int
    end: int  # inclusive
    n: int
    mean: float | None
    mr_bar: float | None
    lower: float | None
    upper: float | None
    lower_2sigma: float | None
    upper_2sigma: float | None
    lower_1sigma: float | None
    upper_1sigma: float | None
    excluded_moving_ranges: int  # moving ranges left out of mR-bar by outlier screening
    reason: str | None  # why the part has no limits, or None


@dataclass(frozen=True)
class XmrResult:
    """Everything an XmR chart shows, point by point and part by part, and the two icons."""

    points: list[XmrPoint]
    parts: list[XmrPart]
    direction: str  # "increase", "decrease" or "neutral"
    target: float | None
    variation_icon: str | None
    variation_text: str | None
    assurance_icon: str | None
    assurance_text: str | None
    reason: str | None  # why there are no icons (the last part has no limits), or None

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per point, ready for `pandas.DataFrame(result.to_records())`."""
        return [asdict(point) for point in self.points]


# --- validation -------------------------------------------------------------------------------


def normalise_direction(direction: str) -> str:
    """The direction in this module's words ("increase", "decrease", "neutral"), also from the catalogue's."""
    try:
        return DIRECTION_ALIASES[direction]
    except (KeyError, TypeError):
        raise ValueError(
            f"direction must be one of {', '.join(map(repr, DIRECTION_ALIASES))}, not {direction!r}"
        ) from None


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


def _check_run_length(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 2:
        raise ValueError(f"{name} must be a whole number of points, 2 or more, not {value!r}")


# --- limits -----------------------------------------------------------------------------------


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


# --- rules: each returns one flag per point of a part ------------------------------------------


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


def classify(side: Side | None, direction: str) -> str:
    """ "improvement" or "concern" by the metric's direction, "neither" if neutral, else "common cause"."""
    if side is None:
        return COMMON_CAUSE
    direction = normalise_direction(direction)
    if direction == "neutral":
        return NEITHER
    better = "high" if direction == "increase" else "low"
    return IMPROVEMENT if side == better else CONCERN


def variation(classification: str, side: Side | None) -> tuple[str, str]:
    """The NHS "Making Data Count" variation icon and its words, for the latest point."""
    if classification == COMMON_CAUSE or side is None:
        return "common_cause", "Common cause variation: no significant change"
    word = _SIDE_WORD[side]
    if classification == NEITHER:
        return f"neutral_{side}", f"Special cause neither improvement nor concern: {word}"
    return f"{classification}_{side}", f"Special cause {classification}: {word}"


def assurance(target: Number | None, limits: Limits | None, direction: str) -> tuple[str | None, str]:
    """The assurance icon ("pass", "fail", "hit_and_miss" or None) and its words.

    A target beyond the process limits will consistently be met (pass) or missed (fail); a target
    within them, or exactly on one, will be hit and missed. A neutral metric has no better side,
    so it gets no assurance icon even with a target.
    """
    if target is None:
        return None, "No target: no assurance icon"
    if limits is None:
        return None, "No process limits: no assurance icon"
    direction = normalise_direction(direction)
    if direction == "neutral":
        return None, "Neutral metric: a target can be neither passed nor failed"
    if limits.lower <= target <= limits.upper:
        return HIT_AND_MISS, "Hit and miss: the target is within the process limits, so it will sometimes be met"
    passes = target < limits.lower if direction == "increase" else target > limits.upper
    if passes:
        return PASS, "Consistently passing: the target is outside the process limits, on their worse side"
    return FAIL, "Consistently failing: the target is outside the process limits, on their better side"


# --- the pipeline -----------------------------------------------------------------------------


def _short_reason(n: int) -> str:
    return f"Fewer than {MIN_POINTS} points in this part (n={n}): limits would not be reliable"


def _as_float(number: Number | None) -> float | None:
    return None if number is None else float(number)


@dataclass(frozen=True)
class _PartFit:
    """One part's limits in exact numbers (None if too short), and its moving ranges."""

    part: XmrPart
    limits: Limits | None
    ranges: list[Fraction]


def _describe_part(start: int, end: int, limits: Limits | None, mr_bar: Number | None, excluded: int = 0) -> XmrPart:
    """The part as floats; a part without limits says why."""

    def line(name: str) -> float | None:
        return None if limits is None else float(getattr(limits, name))

    n = end - start + 1
    return XmrPart(
        start=start,
        end=end,
        n=n,
        mean=line("mean"),
        mr_bar=_as_float(mr_bar),
        lower=line("lower"),
        upper=line("upper"),
        lower_2sigma=line("lower_2sigma"),
        upper_2sigma=line("upper_2sigma"),
        lower_1sigma=line("lower_1sigma"),
        upper_1sigma=line("upper_1sigma"),
        excluded_moving_ranges=excluded,
        reason=None if limits is not None else _short_reason(n),
    )


def _fit_part(values: list[Fraction], start: int, end: int, screen_outliers: bool) -> _PartFit:
    """Mean, mR-bar and limits from the part's own points, unless there are too few of them."""
    ranges = moving_ranges(values)
    if len(values) < MIN_POINTS:
        return _PartFit(_describe_part(start, end, None, None), None, ranges)
    mr_bar, excluded = mean_moving_range(ranges, screen_outliers)
    limits = process_limits(sum(values) / len(values), mr_bar)
    return _PartFit(_describe_part(start, end, limits, mr_bar, excluded), limits, ranges)


def _judge_part(
    values: list[Fraction], limits: Limits | None, shift_n: int, trend_n: int
) -> list[tuple[tuple[str, ...], Side | None]]:
    """Each point's rules and side; no rules at all for a part without limits."""
    if limits is None:
        return [((), None)] * len(values)
    high = rule_flags(values, limits, "high", shift_n, trend_n)
    low = rule_flags(values, limits, "low", shift_n, trend_n)
    judged = []
    for i, value in enumerate(values):
        high_rules = {rule for rule, flags in high.items() if flags[i]}
        low_rules = {rule for rule, flags in low.items() if flags[i]}
        rules = tuple(rule for rule in RULES if rule in high_rules | low_rules)
        rises_next = i + 1 < len(values) and values[i + 1] > value
        judged.append((rules, resolve_side(high_rules, low_rules, rises_next)))
    return judged


def xmr(
    values: Sequence[float],
    direction: str = "increase",
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    shift_n: int = SHIFT_N,
    trend_n: int = TREND_N,
    screen_outliers: bool = False,
    *,
    labels: Sequence[str] | None = None,
) -> XmrResult:
    """An XmR chart of the values: limits per part, special causes per point, and the two icons.

    `direction` is "increase" (higher is better, also "higher"), "decrease" (lower is better,
    also "lower") or "neutral". `rebase_at` holds the 0-based indexes where a new part starts;
    each part's mean and limits come from its own points only, and the moving range across a
    rebase point is not used. Run rules never cross a rebase point either.
    """
    direction = normalise_direction(direction)
    exact_values = [to_fraction(value, f"values[{i}]") for i, value in enumerate(values)]
    exact_target = None if target is None else to_fraction(target, "target")
    _check_run_length("shift_n", shift_n)
    _check_run_length("trend_n", trend_n)
    if labels is not None and len(labels) != len(exact_values):
        raise ValueError(f"labels has {len(labels)} entries but there are {len(exact_values)} values")
    spans = split_parts(len(exact_values), rebase_at)
    if not spans:
        assurance_icon, assurance_text = assurance(exact_target, None, direction)
        return XmrResult(
            [],
            [],
            direction,
            _as_float(exact_target),
            None,
            None,
            assurance_icon,
            assurance_text,
            "No values: nothing to chart",
        )

    points: list[XmrPoint] = []
    parts: list[XmrPart] = []
    fit = None
    for part_number, (start, end) in enumerate(spans):
        part_values = exact_values[start : end + 1]
        fit = _fit_part(part_values, start, end, screen_outliers)
        parts.append(fit.part)
        judged = _judge_part(part_values, fit.limits, shift_n, trend_n)
        for offset, (value, (rules, side)) in enumerate(zip(part_values, judged, strict=True)):
            index = start + offset
            points.append(
                XmrPoint(
                    index=index,
                    label=None if labels is None else labels[index],
                    value=float(value),
                    part=part_number,
                    mean=fit.part.mean,
                    lower=fit.part.lower,
                    upper=fit.part.upper,
                    lower_2sigma=fit.part.lower_2sigma,
                    upper_2sigma=fit.part.upper_2sigma,
                    moving_range=_as_float(fit.ranges[offset - 1]) if offset else None,
                    rules=rules,
                    side=side,
                    classification=classify(side, direction),
                )
            )

    if fit.limits is None:
        variation_icon = variation_text = None
    else:
        variation_icon, variation_text = variation(points[-1].classification, points[-1].side)
    assurance_icon, assurance_text = assurance(exact_target, fit.limits, direction)
    return XmrResult(
        points=points,
        parts=parts,
        direction=direction,
        target=_as_float(exact_target),
        variation_icon=variation_icon,
        variation_text=variation_text,
        assurance_icon=assurance_icon,
        assurance_text=assurance_text,
        reason=fit.part.reason,
    )
