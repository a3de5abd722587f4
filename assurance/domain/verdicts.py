"""Were the promises kept, and do the figures quoted in the room stand up? Answers from the data.

A pledge is judged on the quarter its horizon ends in, against the baseline quarter: met when
the metric moved the pledged way, not met otherwise; before that quarter has ended it is not
yet due; after, without that quarter's figure, there is no data yet. A claim is recomputed from
the observations for its area, period and comparison, and agrees when within its tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assurance.core.periods import Quarter
from assurance.domain.performance import Dataset, observation, period_value

MET, NOT_MET, NOT_YET_DUE, NO_DATA = "met", "not met", "not yet due", "no data yet"
AGREES, DIFFERS, CANNOT_CHECK = "agrees", "differs", "cannot be checked"
STATUS_LABELS = {
    MET: "✓ Met",
    NOT_MET: "✗ Not met",
    NOT_YET_DUE: "… Not yet due",
    NO_DATA: "? No data yet",
    AGREES: "✓ Agrees",
    DIFFERS: "✗ Differs",
    CANNOT_CHECK: "? Cannot be checked",
}


def _value(ds: Dataset, area: str, metric: str, quarter: str) -> float | None:
    obs = observation(ds, area, metric, quarter)
    if obs is None or obs["value"] is None or obs["value"] != obs["value"]:
        return None
    return float(obs["value"])


@dataclass(frozen=True)
class PledgeStatus:
    status: str
    label: str
    baseline_value: float | None
    due_value: float | None
    latest_quarter: str | None  # the latest quarter with data after the baseline
    latest_value: float | None
    explanation: str


def pledge_status(ds: Dataset, pledge: dict, today: date) -> PledgeStatus:
    """The status of a pledge with a metric, with the figures it rests on."""
    metric = ds.metrics[pledge["metric"]]
    area, baseline_q, due_q = pledge["area"], pledge["baseline_quarter"], pledge["due_quarter"]
    name = ds.area_name(area)
    baseline = _value(ds, area, metric.code, baseline_q)
    due_value = _value(ds, area, metric.code, due_q)
    later = [r for r in ds.series_index.get((area, metric.code), []) if baseline_q < r["quarter"] <= due_q]
    latest_q = later[-1]["quarter"] if later else None
    latest = float(later[-1]["value"]) if later else None
    fmt = metric.format_value
    if baseline is None:
        status = NO_DATA
        text = f"No {metric.name.lower()} figure for {name} in the baseline quarter {baseline_q}."
    elif due_value is not None:
        change = metric.change(due_value, baseline)
        moved_up = due_value > baseline
        kept = moved_up if pledge["direction"] == "increase" else due_value < baseline
        status = MET if kept else NOT_MET
        text = (
            f"{metric.name} in {name}: {fmt(baseline)} in {baseline_q}, {fmt(due_value)} in {due_q} "
            f"({metric.format_change(change)}); the pledge was to {pledge['direction']} it."
        )
    elif today <= Quarter.parse(due_q).end:
        status = NOT_YET_DUE
        so_far = f"; latest {fmt(latest)} in {latest_q}" if latest_q else ""
        text = f"Due with the {due_q} figures (quarter ends {Quarter.parse(due_q).end:%-d %b %Y}). Baseline {fmt(baseline)} in {baseline_q}{so_far}."
    else:
        status = NO_DATA
        so_far = f" Latest: {fmt(latest)} in {latest_q}." if latest_q else ""
        text = f"The {due_q} figures that show it are not loaded yet. Baseline {fmt(baseline)} in {baseline_q}.{so_far}"
    return PledgeStatus(status, STATUS_LABELS[status], baseline, due_value, latest_q, latest, text)


@dataclass(frozen=True)
class ClaimCheck:
    verdict: str
    label: str
    data_value: float | None
    stated_text: str
    data_text: str
    difference: float | None
    explanation: str


def _periods(claim: dict) -> tuple[list[Quarter], list[Quarter] | None]:
    q = Quarter.parse(claim["quarter"])
    now = {"quarter": [q], "year_to_date": q.year_to_date(), "rolling_12_months": q.rolling_12_months()}[
        claim["period"]
    ]
    comparison = claim["comparison"]
    if comparison == "none":
        return now, None
    if comparison == "previous_quarter":
        return now, [p.previous() for p in now] if claim["period"] == "quarter" else [p.shift(-len(now)) for p in now]
    if comparison == "previous_12_months":
        return now, [p.shift(-4) for p in q.rolling_12_months()]
    return now, [p.same_quarter_last_year() for p in now]  # same_period_last_year


def _tolerance_text(metric, tolerance: float, is_change: bool) -> str:
    if metric.unit == "count":
        # Two per cent changes differ by percentage points: -9% against -12% is 3 points apart.
        return f"±{tolerance:g} percentage points" if is_change else f"±{tolerance:g}"
    if metric.unit == "percent":
        return f"±{tolerance:g} pp"
    return f"±{tolerance:g} {metric.unit}"


def check_claim(ds: Dataset, claim: dict) -> ClaimCheck:
    """Recompute a quoted figure from the data and say whether it stands up."""
    metric = ds.metrics[claim["metric"]]
    now, then = _periods(claim)
    value_now = period_value(ds, claim["area"], metric.code, now)
    stated = float(claim["stated_value"])
    tolerance = float(claim["tolerance"])
    if then is None:
        data_value = value_now
        fmt = metric.format_value
        stated_text = fmt(stated)
    else:
        value_then = period_value(ds, claim["area"], metric.code, then)
        data_value = metric.change(value_now, value_then)
        fmt = metric.format_change
        stated_text = fmt(stated)
    if data_value is None:
        return ClaimCheck(
            CANNOT_CHECK,
            STATUS_LABELS[CANNOT_CHECK],
            None,
            stated_text,
            "–",
            None,
            "The data for that area and period are not loaded, or the metric cannot be combined over it.",
        )
    difference = data_value - stated
    verdict = AGREES if abs(difference) <= tolerance + 1e-9 else DIFFERS
    tol_text = _tolerance_text(metric, tolerance, is_change=then is not None)
    if verdict == AGREES:
        text = f"The data give {fmt(data_value)}; within {tol_text} of the {stated_text} stated."
    else:
        if metric.unit == "count" and then is not None:
            gap = f"{abs(difference):.1f} percentage points"
        else:
            gap = fmt(abs(difference)).lstrip("+±")
        text = f"The data give {fmt(data_value)}: {gap} away from the {stated_text} stated (tolerance {tol_text})."
    return ClaimCheck(verdict, STATUS_LABELS[verdict], data_value, stated_text, fmt(data_value), difference, text)
