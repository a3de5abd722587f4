"""The metric catalogue and its arithmetic.

Each metric knows its unit, which direction is better, and how LPAs combine into the
force: counts add up, rates are the ratio of summed numerators and denominators (never
the mean of LPA rates), and medians cannot be combined at all. A change in a count is a
per cent change; a change in a rate is a percentage-point change; a change in a duration
is in its own unit.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assurance.core.errors import AssuranceError
from assurance.core.paths import DATA_DIR

CATALOGUE_CSV = DATA_DIR / "metric_catalogue.csv"

UNITS = ("count", "percent", "days", "minutes", "seconds", "days per officer")
DIRECTIONS = ("higher", "lower", "neutral")
COMBINE_RULES = ("sum", "ratio", "none")
LEVELS = ("lpa", "force")
MAX_SHORT_NAME = 22  # what fits a metric card's label at 1366 px wide (tests/e2e/test_screens_browser.py)

_UNIT_SUFFIX = {"days": " days", "minutes": " min", "seconds": " s", "days per officer": " days"}


class NotCombinable(AssuranceError, ValueError):
    """The metric's values cannot be combined (e.g. medians)."""


@dataclass(frozen=True)
class Metric:
    """One row of the metric catalogue."""

    code: str
    name: str
    unit: str
    direction: str
    combine: str
    combine_over_time: str
    level: str
    scale: float
    decimals: int
    headline: bool
    sort_order: int
    numerator_label: str
    denominator_label: str
    definition: str
    source: str
    # A deliberate shorter name for tight places (the Overview's cards), always shown with the full name in its
    # help; the catalogue leaves it empty where the name itself is short enough, and then it is the name.
    short_name: str = ""

    def __post_init__(self) -> None:
        if not self.short_name:
            object.__setattr__(self, "short_name", self.name)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], where: str = "the metric catalogue") -> Metric:
        """The one way to make a Metric: from a catalogue row, as the CSV or the database's metrics table gives it.

        Checked here, once: the unit, direction, combining rules and level must be known words, and a short name
        must fit a metric card. ``where`` names the file or table in the message.
        """
        short_name = _text(row.get("short_name"))
        if short_name == row["name"]:  # a query may give the name where there is no shorter one
            short_name = ""
        if len(short_name) > MAX_SHORT_NAME:
            raise ValueError(
                f"{where}: metric {row['code']}: short_name {short_name!r} is {len(short_name)} characters; at most "
                f"{MAX_SHORT_NAME} fit a metric card (leave it empty where the name itself fits)"
            )
        metric = cls(
            code=row["code"],
            name=row["name"],
            unit=row["unit"],
            direction=row["direction"],
            combine=row["combine"],
            combine_over_time=row["combine_over_time"],
            level=row["level"],
            scale=float(row["scale"]),
            decimals=int(row["decimals"]),
            headline=_bool(row["headline"]),
            sort_order=int(row["sort_order"]),
            numerator_label=_text(row.get("numerator_label")),
            denominator_label=_text(row.get("denominator_label")),
            definition=row["definition"],
            source=row["source"],
            short_name=short_name,
        )
        for field, allowed in (
            ("unit", UNITS),
            ("direction", DIRECTIONS),
            ("combine", COMBINE_RULES),
            ("combine_over_time", COMBINE_RULES),
            ("level", LEVELS),
        ):
            if getattr(metric, field) not in allowed:
                raise ValueError(
                    f"{where}: metric {metric.code}: {field} {getattr(metric, field)!r} not one of {allowed}"
                )
        return metric

    def as_row(self) -> dict[str, Any]:
        """The metric as a row of the database's metrics table (empty labels and short name as NULL)."""
        row = dataclasses.asdict(self)
        row["short_name"] = None if self.short_name == self.name else self.short_name
        for key in ("numerator_label", "denominator_label"):
            row[key] = row[key] or None
        return row

    @property
    def is_rate(self) -> bool:
        return self.unit == "percent"

    @property
    def change_unit(self) -> str:
        """How a change is expressed: 'per cent' for counts, 'pp' for rates, else the unit."""
        if self.unit == "count":
            return "per cent"
        if self.unit == "percent":
            return "pp"
        return self.unit

    def format_value(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if self.unit == "count":
            return f"{value:,.0f}"
        if self.unit == "percent":
            return f"{value:.{self.decimals}f}%"
        return f"{value:,.{self.decimals}f}{_UNIT_SUFFIX[self.unit]}"

    def change(self, new: float | None, old: float | None) -> float | None:
        """The change from old to new in the metric's own terms (see change_unit)."""
        if new is None or old is None or _isnan(new) or _isnan(old):
            return None
        if self.unit == "count":
            return None if old == 0 else (new - old) / old * 100.0
        return new - old

    @property
    def change_decimals(self) -> int:
        """Decimals a change is shown with: one for per cent and pp, the metric's own for units."""
        return 1 if self.unit in ("count", "percent") else self.decimals

    def shown_change(self, delta: float | None) -> float | None:
        """The change as shown (rounded), so the sign and the better/worse word agree with the digits."""
        if delta is None or _isnan(delta):
            return None
        return round(delta, self.change_decimals) + 0.0  # + 0.0 turns -0.0 into 0.0

    def format_change(self, delta: float | None) -> str:
        delta = self.shown_change(delta)
        if delta is None:
            return "–"
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        size = abs(delta)
        if self.unit == "count":
            return f"{sign}{size:.1f}%"
        if self.unit == "percent":
            return f"{sign}{size:.1f} pp"
        return f"{sign}{size:,.{self.decimals}f}{_UNIT_SUFFIX[self.unit]}"

    def judge(self, delta: float | None) -> str:
        """'better', 'worse' or 'same' for a change, by the metric's direction; 'neutral' if none."""
        delta = self.shown_change(delta)
        if delta is None or self.direction == "neutral":
            return "neutral"
        if delta == 0:
            return "same"
        up = delta > 0
        return "better" if up == (self.direction == "higher") else "worse"


def _isnan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _bool(value: object) -> bool:
    """A flag as the CSV writes it (true/yes/1) or as the database gives it (a bool)."""
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "y")


def _text(value: object) -> str:
    """Text, with NULL, NaN and blanks as ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def load_catalogue(path: Path = CATALOGUE_CSV) -> list[Metric]:
    """Read the shipped metric catalogue, in display order."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted((Metric.from_row(row, where=str(path)) for row in rows), key=lambda m: m.sort_order)


def catalogue_rows(path: Path = CATALOGUE_CSV) -> list[dict]:
    """The catalogue as rows of the database's metrics table (empty labels as NULL)."""
    return [metric.as_row() for metric in load_catalogue(path)]


def catalogue_by_code(path: Path = CATALOGUE_CSV) -> dict[str, Metric]:
    return {m.code: m for m in load_catalogue(path)}


@dataclass(frozen=True)
class Combined:
    value: float
    numerator: float | None = None
    denominator: float | None = None


def combine(
    rule: str,
    parts: Iterable[tuple[float | None, float | None, float | None]],
    scale: float = 1.0,
) -> Combined:
    """Combine (value, numerator, denominator) parts by a rule: 'sum', 'ratio' or 'none'.

    Used both across LPAs (LPAs into the force) and across quarters (year to date).
    A ratio is the sum of numerators over the sum of denominators, times scale.
    """
    parts = list(parts)
    if not parts:
        raise ValueError("nothing to combine")
    if rule == "sum":
        if any(v is None or _isnan(v) for v, _, _ in parts):
            raise ValueError("cannot add up a missing value")
        return Combined(float(sum(v for v, _, _ in parts)))
    if rule == "ratio":
        if any(n is None or d is None or _isnan(n) or _isnan(d) for _, n, d in parts):
            raise ValueError("a rate combines only from numerators and denominators; one is missing")
        num = float(sum(n for _, n, _ in parts))
        den = float(sum(d for _, _, d in parts))
        if den == 0:
            raise ValueError("denominators add up to zero")
        return Combined(num / den * scale, num, den)
    raise NotCombinable(f"values combined by rule {rule!r} cannot be added or pooled")


def combine_lpas(metric: Metric, parts: Iterable[tuple[float | None, float | None, float | None]]) -> Combined:
    """The force figure from the five LPAs' figures."""
    return combine(metric.combine, parts, metric.scale)


def combine_quarters(metric: Metric, parts: Iterable[tuple[float | None, float | None, float | None]]) -> Combined:
    """A figure over several quarters (year to date, rolling 12 months)."""
    return combine(metric.combine_over_time, parts, metric.scale)
