"""The XmR pipeline: values in; per part its limits, per point the rules it meets, its side and its class; the two
icons for the latest point and the target. A tidy result, point by point and part by part; drawing is elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from assurance.core.spc.icons import assurance, classify, normalise_direction, variation
from assurance.core.spc.limits import (
    Limits,
    Number,
    mean_moving_range,
    moving_ranges,
    process_limits,
    split_parts,
    to_fraction,
)
from assurance.core.spc.rules import RULES, SHIFT_N, TREND_N, Side, check_run_length, resolve_side, rule_flags

MIN_POINTS = 13  # fewer points in a part and its limits would not be reliable


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
    check_run_length("shift_n", shift_n)
    check_run_length("trend_n", trend_n)
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
