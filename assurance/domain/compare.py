"""One LPA against the others and the force, and whether a movement is real (SPC).

Ranks, gaps to the force in the metric's own terms, XmR results per series, and the
plain-English reading of a series, all computed here so every page says the same.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from assurance.core.metrics import Metric
from assurance.core.periods import Quarter
from assurance.core.spc import (
    COMMON_CAUSE,
    CONCERN,
    IMPROVEMENT,
    OUTSIDE_LIMITS,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    XmrResult,
    xmr,
)
from assurance.core.targets import threshold
from assurance.domain.performance import FORCE, Dataset, headline_table, observation, target_for

# Words and a symbol for each icon: never colour alone.
VARIATION_LABELS = {
    "improvement_high": "▲ Improvement (higher)",
    "improvement_low": "▼ Improvement (lower)",
    "concern_high": "▲ Concern (higher)",
    "concern_low": "▼ Concern (lower)",
    "neutral_high": "▲ Special cause (higher)",
    "neutral_low": "▼ Special cause (lower)",
    "common_cause": "● Common cause",
    None: "○ Too few points",
}
ASSURANCE_LABELS = {
    "pass": "✓ Consistently passing",  # nosec B105 # an SPC assurance label, not a password
    "fail": "✗ Consistently failing",
    "hit_and_miss": "≈ Hit and miss",
    None: "– No assurance icon (no target, or too few quarters)",
}
ORDINALS = {1: "highest", 2: "second highest", 3: "third highest", 4: "fourth highest", 5: "fifth highest"}


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def comparable_value(ds: Dataset, metric: Metric, area: str, quarter: str) -> float | None:
    """The value used to compare areas: per 1,000 people for counts, the value itself otherwise."""
    obs = observation(ds, area, metric.code, quarter)
    value = _num(obs["value"]) if obs else None
    if value is None:
        return None
    if metric.unit == "count":
        population = ds.population(area)
        return value / population * 1000.0 if population else None
    return value


def rank_among_lpas(ds: Dataset, metric: Metric, area: str, quarter: str) -> tuple[int, int] | None:
    """(rank, of how many) among the LPAs, 1 = best by the metric's direction; None if not rankable."""
    if metric.direction == "neutral" or metric.level != "lpa":
        return None
    values = {code: comparable_value(ds, metric, code, quarter) for code in ds.lpas["code"]}
    values = {k: v for k, v in values.items() if v is not None}
    if area not in values:
        return None
    better_first = sorted(values.values(), reverse=metric.direction == "higher")
    return better_first.index(values[area]) + 1, len(values)


def position_words(ds: Dataset, metric: Metric, area: str, quarter: str) -> str | None:
    """'the lowest of the five LPAs', 'the second highest of the five LPAs' (by value, not by better)."""
    values = [comparable_value(ds, metric, code, quarter) for code in ds.lpas["code"]]
    values = [v for v in values if v is not None]
    mine = comparable_value(ds, metric, area, quarter)
    if mine is None or len(values) < 2 or metric.level != "lpa":
        return None
    n = len(values)
    count = {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))
    higher = sum(1 for v in values if v > mine) + 1
    if higher == n:
        where = "the lowest"
    else:
        where = f"the {ORDINALS.get(higher, f'{higher}th highest')}"
    per = " per head" if metric.unit == "count" else ""
    return f"{where}{per} of the {count} LPAs"


def gap_to_force(ds: Dataset, metric: Metric, area: str, quarter: str) -> float | None:
    """The area minus the force, in the metric's change unit (per cent per head for counts, pp for rates)."""
    if metric.level != "lpa" or area == FORCE:
        return None
    mine = comparable_value(ds, metric, area, quarter)
    force = comparable_value(ds, metric, FORCE, quarter)
    if mine is None or force is None:
        return None
    if metric.unit == "count":
        return None if force == 0 else (mine - force) / force * 100.0
    return mine - force


def format_gap(metric: Metric, gap: float | None) -> str:
    """'2.9 pp below the force', '12.0% above the force per head', '4.9 days above the force'."""
    if gap is None:
        return "–"
    side = "above" if gap > 0 else "below" if gap < 0 else "level with"
    if side == "level with":
        return "level with the force"
    # A gap is written as the metric writes a change (per cent for counts, pp for rates), without its sign.
    per_head = " per head" if metric.unit == "count" else ""
    return f"{metric.format_change(abs(gap)).lstrip('+')} {side} the force{per_head}"


def spc_series(
    ds: Dataset,
    metric: Metric,
    area: str,
    quarter: str,
    rebase_quarters: tuple[str, ...] | list[str] = (),
) -> tuple[pd.DataFrame, XmrResult]:
    """The XmR result for an area's series up to and including the quarter (with the series itself)."""
    key = ("spc_series", metric.code, area, quarter, tuple(sorted(rebase_quarters)))
    if key not in ds.memo:
        ds.memo[key] = _spc_series(ds, metric, area, quarter, rebase_quarters)
    return ds.memo[key]


def _spc_series(
    ds: Dataset, metric: Metric, area: str, quarter: str, rebase_quarters: tuple[str, ...] | list[str]
) -> tuple[pd.DataFrame, XmrResult]:
    rows = [
        r
        for r in ds.series_index.get((area, metric.code), [])
        if r["quarter"] <= quarter and _num(r["value"]) is not None
    ]
    series = pd.DataFrame(rows, columns=list(ds.observations.columns))
    labels = [r["quarter"] for r in rows]
    rebase_at = sorted({labels.index(q) for q in rebase_quarters if q in labels and labels.index(q) > 0})
    result = xmr(
        [float(r["value"]) for r in rows],
        direction=metric.direction,
        target=threshold(target_for(ds, metric.code, area, quarter)),
        rebase_at=rebase_at,
        labels=labels,
    )
    return series, result


def rebases_by_series(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    """Stored rebase quarters keyed by (area, metric)."""
    from assurance.store import queries

    frame = queries.frame(con, "spc_rebases")
    out: dict[tuple[str, str], list[str]] = {}
    for row in frame.itertuples():
        out.setdefault((row.area, row.metric), []).append(row.quarter)
    return out


def _run_length(result: XmrResult, side: str) -> int:
    """How many of the latest points in a row sit on one side of their mean."""
    count = 0
    for point in reversed(result.points):
        if point.mean is None:
            break
        if (side == "high" and point.value > point.mean) or (side == "low" and point.value < point.mean):
            count += 1
        else:
            break
    return count


def _trend_length(result: XmrResult, rising: bool) -> int:
    count = 1
    points = result.points
    for i in range(len(points) - 1, 0, -1):
        if (points[i].value > points[i - 1].value) if rising else (points[i].value < points[i - 1].value):
            count += 1
        else:
            break
    return count


def spc_words(result: XmrResult) -> str:
    """What the XmR chart says about the latest point, in a clause."""
    if not result.points:
        return "there is no data to chart"
    if result.reason:
        return f"there are too few quarters for SPC limits ({result.reason.split(':')[0].lower()})"
    latest = result.points[-1]
    if not latest.special_cause:
        return "the latest quarter is within the normal range of variation (common cause)"
    quality = {
        IMPROVEMENT: ("an improving", "improvement"),
        CONCERN: ("a worsening", "concern"),
    }.get(latest.classification, ("an unusual", "special cause"))
    high = latest.side == "high"
    if OUTSIDE_LIMITS in latest.rules:
        limit = "above the upper" if high else "below the lower"
        return f"the latest quarter is {limit} process limit, special cause {quality[1]}"
    if TREND in latest.rules:
        n = _trend_length(result, rising=high)
        verb = "risen" if high else "fallen"
        return f"it has {verb} for {n} quarters in a row, {quality[0]} trend"
    if SHIFT in latest.rules:
        n = _run_length(result, "high" if high else "low")
        where = "above" if high else "below"
        return f"the last {n} quarters have all been {where} the mean, {quality[0]} shift"
    if TWO_OF_THREE in latest.rules:
        where = "upper" if high else "lower"
        return f"two of the last three quarters are close to the {where} limit, special cause {quality[1]}"
    return "the latest quarter shows special cause variation"


def reading(ds: Dataset, metric: Metric, area: str, quarter: str, result: XmrResult) -> str:
    """One plain-English sentence: the value, where it stands, and what SPC says about the movement."""
    obs = observation(ds, area, metric.code, quarter)
    name = "West Mercia" if area == FORCE else ds.area_name(area)
    value = metric.format_value(_num(obs["value"]) if obs else None)
    head = f"{name}'s {metric.name[0].lower() + metric.name[1:]} was {value} in {quarter}"
    if obs is None:
        return f"{name} has no {metric.name.lower()} figure for {quarter}."
    parts = []
    if area != FORCE:
        gap = format_gap(metric, gap_to_force(ds, metric, area, quarter))
        if gap != "–":
            parts.append(gap.replace(" pp ", " points "))
        position = position_words(ds, metric, area, quarter)
        if position:
            parts.append(position)
    detail = f", {' and '.join(parts)}" if parts else ""
    return f"{head}{detail}; {spc_words(result)}."


def comparison_table(ds: Dataset, quarter: str, focus: str) -> pd.DataFrame:
    """Every LPA-level metric for the focus LPA against the other LPAs and the force."""
    q = Quarter.parse(quarter)
    mine = headline_table(ds, quarter, focus).set_index("metric")
    others = [code for code in ds.lpas["code"] if code != focus]
    rows = []
    for metric in ds.metrics.values():
        if metric.level != "lpa":
            continue
        _, result = spc_series(ds, metric, focus, quarter)
        rank = rank_among_lpas(ds, metric, focus, quarter)
        focus_obs = observation(ds, focus, metric.code, quarter)
        row = {
            "metric": metric.code,
            "Metric": metric.name,
            ds.area_name(focus): metric.format_value(_num(focus_obs["value"]) if focus_obs else None),
        }
        if metric.unit == "count":
            per = comparable_value(ds, metric, focus, quarter)
            row["Per 1,000 people"] = "–" if per is None else f"{per:,.2f}"
        else:
            row["Per 1,000 people"] = ""
        # What the officer reads first sits next to the focus LPA; the other areas follow.
        row["Rank of 5"] = (
            "–"
            if rank is None
            else f"{rank[0]} of {rank[1]}" + (" (best)" if rank[0] == 1 else " (worst)" if rank[0] == rank[1] else "")
        )
        row["Gap to force"] = format_gap(metric, gap_to_force(ds, metric, focus, quarter))
        row["SPC"] = VARIATION_LABELS[result.variation_icon]
        row[f"On {q.previous().label}"] = mine.loc[metric.code, "prev_text"]
        row[f"On {q.same_quarter_last_year().label}"] = mine.loc[metric.code, "yoy_text"]
        for code in others + [FORCE]:
            obs = observation(ds, code, metric.code, quarter)
            label = "West Mercia (force)" if code == FORCE else ds.area_name(code)
            value = metric.format_value(_num(obs["value"]) if obs else None)
            if metric.unit == "count" and obs:
                per_other = comparable_value(ds, metric, code, quarter)
                value += "" if per_other is None else f" ({per_other:,.2f})"
            row[label] = value
        rows.append(row)
    return pd.DataFrame(rows)


def where_to_look(ds: Dataset, quarter: str, rebases: dict[tuple[str, str], list[str]] | None = None) -> pd.DataFrame:
    """Every metric by every area: the variation and assurance icons for the quarter, long format."""
    rebases = rebases or {}
    rows = []
    for metric in ds.metrics.values():
        areas = [FORCE] if metric.level == "force" else [*ds.lpas["code"], FORCE]
        for area in areas:
            _, result = spc_series(ds, metric, area, quarter, rebases.get((area, metric.code), ()))
            rows.append(
                {
                    "metric": metric.code,
                    "metric_name": metric.name,
                    "area": area,
                    "area_name": "West Mercia" if area == FORCE else ds.area_name(area),
                    "variation_icon": result.variation_icon,
                    "variation": VARIATION_LABELS[result.variation_icon],
                    "assurance_icon": result.assurance_icon,
                    "assurance": ASSURANCE_LABELS[result.assurance_icon],
                    "special_cause": bool(result.points and result.points[-1].special_cause),
                    "classification": result.points[-1].classification if result.points else COMMON_CAUSE,
                }
            )
    return pd.DataFrame(rows)


def where_to_look_cells(
    ds: Dataset, quarter: str, rebases: dict[tuple[str, str], list[str]] | None = None
) -> dict[tuple[str, str], dict]:
    """The same readings keyed by (metric, area): one cell of the Where-to-look grid each."""
    return {(row["metric"], row["area"]): row for row in where_to_look(ds, quarter, rebases).to_dict("records")}


def worst_ranked_counts(ds: Dataset, quarter: str) -> dict[str, int]:
    """For each LPA, on how many metrics it ranks worst of the LPAs."""
    counts = {code: 0 for code in ds.lpas["code"]}
    for metric in ds.metrics.values():
        if metric.level != "lpa" or metric.direction == "neutral":
            continue
        for code in counts:
            rank = rank_among_lpas(ds, metric, code, quarter)
            if rank and rank[0] == rank[1]:
                counts[code] += 1
    return counts


def levelled_off(result: XmrResult, last_n: int = 3) -> bool:
    """True when the last few points moved less, end to end, than the typical quarter-to-quarter movement."""
    if result.reason or len(result.points) < last_n or not result.parts:
        return False
    recent = [p.value for p in result.points[-last_n:]]
    mr_bar = result.parts[-1].mr_bar
    return mr_bar is not None and max(recent) - min(recent) < mr_bar


def where_to_look_summary(
    ds: Dataset, quarter: str, rebases: dict[tuple[str, str], list[str]] | None = None
) -> list[str]:
    """Plain sentences on what stands out in the matrix: the LPA ranked worst most often, and force movements."""
    rebases = rebases or {}
    sentences = []
    counts = worst_ranked_counts(ds, quarter)
    rankable = sum(1 for m in ds.metrics.values() if m.level == "lpa" and m.direction != "neutral")
    if counts:
        worst = max(counts, key=counts.get)
        if counts[worst] > 0:
            sentences.append(
                f"{ds.area_name(worst)} ranks worst of the five LPAs on {counts[worst]} of {rankable} metrics in "
                f"{quarter}; no other LPA ranks worst on more than "
                f"{max([v for k, v in counts.items() if k != worst] or [0])}."
            )
    for metric in ds.metrics.values():
        _, result = spc_series(ds, metric, FORCE, quarter, rebases.get((FORCE, metric.code), ()))
        if not result.points or not result.points[-1].special_cause:
            continue
        latest = result.points[-1]
        kind = {IMPROVEMENT: "improvement", CONCERN: "concern"}.get(latest.classification, "special cause")
        sentence = f"Force {metric.name[0].lower() + metric.name[1:]}: special cause {kind}"
        if levelled_off(result):
            recent = [p.value for p in result.points[-3:]]
            spread = metric.format_change(max(recent) - min(recent)).lstrip("+±")
            sentence += (
                f", but it has moved by only {spread} over the last three quarters, less than a typical "
                f"quarter-to-quarter movement: the {'improvement' if kind == 'improvement' else 'change'} has "
                "levelled off"
            )
        sentences.append(sentence + ".")
    return sentences
