"""Targets: what a target asks of a metric, whether a value meets it, and how it is written. The one place.

A target is a threshold (``at_least`` / ``at_most`` a value: "≥ 14.0%") or relative to the same quarter a year
earlier (``reduce_on_last_year`` / ``increase_on_last_year``: "below a year ago"). Only a threshold can be drawn
as a line on a chart or set against SPC process limits (the assurance icon). Whether a target is met is said in
words and a symbol, never colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from assurance.core.metrics import Metric

THRESHOLDS = {"at_least": "≥", "at_most": "≤"}
RELATIVE = {"reduce_on_last_year": "below a year ago", "increase_on_last_year": "above a year ago"}

MET, NOT_MET, NO_TARGET, NO_DATA = "met", "not met", "no target", "no data"
STATUS_LABELS = {MET: "✓ Met", NOT_MET: "✗ Not met", NO_TARGET: "No target", NO_DATA: "No data"}


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class TargetStatus:
    status: str  # MET, NOT_MET, NO_TARGET or NO_DATA
    target_text: str  # '≥ 14.0%', 'below a year ago', '–' without a target
    illustrative: bool

    @property
    def label(self) -> str:
        """What a person reads: '✓ Met', '✗ Not met', 'No target', 'No data'."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Target:
    comparison: str  # a key of THRESHOLDS or RELATIVE
    value: float | None  # the threshold; None for a relative target
    name: str = ""  # e.g. 'Safer West Mercia Plan'
    illustrative: bool = False

    @classmethod
    def from_row(cls, row: Mapping | None) -> Target | None:
        """The target in a row of the targets table (None for no row)."""
        if row is None:
            return None
        return cls(row["comparison"], _number(row["value"]), str(row.get("name") or ""), bool(row["illustrative"]))

    @property
    def threshold(self) -> float | None:
        """The value to draw and to set against process limits: a threshold target's value, else None."""
        return self.value if self.comparison in THRESHOLDS else None

    @property
    def sign(self) -> str:
        return THRESHOLDS.get(self.comparison, "")

    def text(self, metric: Metric) -> str:
        """'≥ 14.0%', '≤ 30.0 days', 'below a year ago'."""
        if self.comparison in THRESHOLDS:
            return f"{self.sign} {metric.format_value(self.value)}"
        return RELATIVE[self.comparison]

    def line_label(self, metric: Metric) -> str | None:
        """The label of the target's line on an XmR chart: 'Target ≥ 14.0%' (and '(illustrative)')."""
        if self.threshold is None:
            return None
        return f"Target {self.text(metric)}" + ("<br>(illustrative)" if self.illustrative else "")

    def named_label(self, metric: Metric) -> str | None:
        """The label of the target's line on a trend chart: 'Safer West Mercia Plan: 14.0%'."""
        return None if self.threshold is None else f"{self.name}: {metric.format_value(self.threshold)}"

    def met(self, value: float | None, last_year: float | None) -> bool | None:
        """Whether the value meets the target (a relative one against last year's value); None without data."""
        if self.comparison in THRESHOLDS:
            if value is None or self.value is None:
                return None
            return value >= self.value if self.comparison == "at_least" else value <= self.value
        if value is None or last_year is None:
            return None
        return value < last_year if self.comparison == "reduce_on_last_year" else value > last_year

    def status(self, metric: Metric, value: float | None, last_year: float | None) -> TargetStatus:
        met = self.met(value, last_year)
        status = NO_DATA if met is None else MET if met else NOT_MET
        return TargetStatus(status, self.text(metric), self.illustrative)


def status(target: Target | None, metric: Metric, value: float | None, last_year: float | None) -> TargetStatus:
    """Whether a value meets its target, 'no target' when there is none."""
    if target is None:
        return TargetStatus(NO_TARGET, "–", False)
    return target.status(metric, value, last_year)


def threshold(target: Target | None) -> float | None:
    """The threshold of a target, if it has one (at least / at most a value)."""
    return None if target is None else target.threshold
