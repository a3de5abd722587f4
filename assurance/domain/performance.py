"""Quarterly performance: values, changes, year to date, targets, by area and metric.

Everything a page shows about a metric is computed here from one small DataFrame of
observations, so the Overview, the LPA page and later the briefing agree to the digit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import duckdb
import pandas as pd

from assurance.core import targets
from assurance.core.metrics import Metric, NotCombinable, combine_quarters
from assurance.core.periods import Quarter
from assurance.core.targets import Target
from assurance.store import queries

FORCE = "force"
# Shown wherever an illustrative figure is: on every page, on the meeting display and in the briefing pack.
ILLUSTRATIVE_NOTE = (
    "Illustrative demo figures: generated for demonstration, not official West Mercia Police statistics. "
    "Targets marked (illustrative) are not adopted targets; the 999 standard (90% within 10 seconds) is real."
)


@dataclass(frozen=True)
class Dataset:
    """Everything the pages read, loaded once per data change."""

    observations: pd.DataFrame
    metrics: dict[str, Metric]
    areas: pd.DataFrame
    targets: pd.DataFrame

    @cached_property
    def index(self) -> dict[tuple[str, str, str], dict]:
        """Observations keyed by (area, metric, quarter), built once: pages look up hundreds of cells."""
        frame = self.observations
        columns = list(frame.columns)
        # Column by column (Python values, as to_dict("records") gives), several times faster than to_dict's
        # per-cell boxing on a server's first run.
        rows = zip(*(frame[column].tolist() for column in columns), strict=True)
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return {(r["area"], r["metric"], r["quarter"]): r for r in records}

    @cached_property
    def series_index(self) -> dict[tuple[str, str], list[dict]]:
        """Observations grouped by (area, metric), oldest quarter first."""
        out: dict[tuple[str, str], list[dict]] = {}
        for key in sorted(self.index, key=lambda k: k[2]):
            out.setdefault((key[0], key[1]), []).append(self.index[key])
        return out

    @cached_property
    def memo(self) -> dict:
        """Results computed from this dataset (e.g. SPC per series), kept while the data are unchanged."""
        return {}

    @cached_property
    def target_records(self) -> list[dict]:
        return self.targets.to_dict("records")

    @property
    def quarters(self) -> list[str]:
        """Quarters holding data, oldest first."""
        return sorted(self.observations["quarter"].unique().tolist())

    @property
    def latest_quarter(self) -> str | None:
        quarters = self.quarters
        return quarters[-1] if quarters else None

    @property
    def lpas(self) -> pd.DataFrame:
        return self.areas[self.areas["kind"] == "lpa"]

    def area_name(self, code: str) -> str:
        match = self.areas.loc[self.areas["code"] == code, "name"]
        return str(match.iloc[0]) if len(match) else code

    def population_source(self, code: str) -> str | None:
        match = self.areas.loc[self.areas["code"] == code, "population_source"]
        return str(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None

    def population(self, code: str) -> float | None:
        match = self.areas.loc[self.areas["code"] == code, "population"]
        return float(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None


def load_dataset(con: duckdb.DuckDBPyConnection) -> Dataset:
    """The headline metrics and their observations. Supplementary metrics (police.uk counts, headline = false)
    stay in the database and the quarterly_metrics view; the Data and About pages show them."""
    catalogue = queries.frame(con, "metric_catalogue")
    metrics = {
        row["code"]: Metric.from_row(row, "the metrics table")
        for row in catalogue.to_dict("records")
        if row["headline"]
    }
    observations = queries.frame(con, "observations")
    return Dataset(
        observations=observations[observations["metric"].isin(list(metrics))].reset_index(drop=True),
        metrics=metrics,
        areas=queries.frame(con, "areas"),
        targets=queries.frame(con, "targets"),
    )


def _nan_to_none(x) -> float | None:
    if x is None:
        return None
    try:
        return None if math.isnan(float(x)) else float(x)
    except (TypeError, ValueError):
        return None


def observation(ds: Dataset, area: str, metric: str, quarter: str) -> dict | None:
    return ds.index.get((area, metric, quarter))


def period_value(ds: Dataset, area: str, metric: str, quarters: list[Quarter]) -> float | None:
    """The metric over several quarters (year to date, rolling 12 months); None if any is missing or it cannot combine."""
    rows = [observation(ds, area, metric, q.label) for q in quarters]
    if not rows or any(r is None for r in rows):
        return None
    if len(rows) == 1:
        return _nan_to_none(rows[0]["value"])
    try:
        return combine_quarters(
            ds.metrics[metric],
            [(_nan_to_none(r["value"]), _nan_to_none(r["numerator"]), _nan_to_none(r["denominator"])) for r in rows],
        ).value
    except (NotCombinable, ValueError):
        return None


def target_for(ds: Dataset, metric: str, area: str, quarter: str) -> Target | None:
    """The target for an area and quarter: one set for that area, else one set for every area."""
    live = [
        t
        for t in ds.target_records
        if t["metric"] == metric
        and t["from_quarter"] <= quarter
        and (not isinstance(t["to_quarter"], str) or t["to_quarter"] >= quarter)
    ]
    own = [t for t in live if t["area"] == area]
    general = [t for t in live if not isinstance(t["area"], str)]
    chosen = own or general
    return Target.from_row(chosen[0]) if chosen else None


def with_judgement(text: str, judgement: str) -> str:
    """A change with its judgement in words, '+1.0 pp (better)'; as it is with no change or a neutral metric."""
    return text if text == "–" or judgement == "neutral" else f"{text} ({judgement})"


def judged(table: pd.DataFrame, text: str, judgement: str) -> list[str]:
    """A headline table's column of changes (``text``), each with its judgement from the ``judgement`` column."""
    return [with_judgement(t, j) for t, j in zip(table[text], table[judgement], strict=True)]


def metrics_for_area(ds: Dataset, area: str) -> list[Metric]:
    """The catalogue's metrics that exist for an area (force-only metrics only for the force)."""
    return [m for m in ds.metrics.values() if area == FORCE or m.level == "lpa"]


def headline_table(ds: Dataset, quarter: str, area: str = FORCE) -> pd.DataFrame:
    """One row per metric for an area and quarter: value, changes, year to date, target status."""
    q = Quarter.parse(quarter)
    rows = []
    for metric in metrics_for_area(ds, area):
        now = observation(ds, area, metric.code, quarter)
        value = _nan_to_none(now["value"]) if now else None
        prev = period_value(ds, area, metric.code, [q.previous()])
        last_year = period_value(ds, area, metric.code, [q.same_quarter_last_year()])
        ytd = period_value(ds, area, metric.code, q.year_to_date())
        ytd_last = period_value(ds, area, metric.code, q.same_period_last_year())
        prev_change = metric.change(value, prev)
        yoy_change = metric.change(value, last_year)
        ytd_change = metric.change(ytd, ytd_last)
        status = targets.status(target_for(ds, metric.code, area, quarter), metric, value, last_year)
        rows.append(
            {
                "metric": metric.code,
                "name": metric.name,
                "unit": metric.unit,
                "direction": metric.direction,
                "value": value,
                "value_text": metric.format_value(value),
                "prev_change": prev_change,
                "prev_text": metric.format_change(prev_change),
                "prev_judgement": metric.judge(prev_change),
                "yoy_change": yoy_change,
                "yoy_text": metric.format_change(yoy_change),
                "yoy_judgement": metric.judge(yoy_change),
                "ytd_value": ytd,
                "ytd_text": metric.format_value(ytd) if len(q.year_to_date()) > 1 or ytd is None else "(Q1)",
                "ytd_change": ytd_change,
                "ytd_change_text": metric.format_change(ytd_change),
                "ytd_judgement": metric.judge(ytd_change),
                "target_text": status.target_text,
                "status": status.status,
                "status_text": status.label,
                "target_illustrative": status.illustrative,
                "illustrative": bool(now["illustrative"]) if now else False,
                "source": now["source"] if now else "",
            }
        )
    return pd.DataFrame(rows)


def area_metric_table(ds: Dataset, quarter: str) -> pd.DataFrame:
    """Metrics down, areas across: each cell the formatted value for the quarter."""
    rows = []
    for metric in ds.metrics.values():
        row = {"Metric": metric.name}
        for area in ds.areas.itertuples():
            obs = observation(ds, area.code, metric.code, quarter)
            row[area.name] = metric.format_value(_nan_to_none(obs["value"]) if obs else None)
        rows.append(row)
    return pd.DataFrame(rows)


def series(
    ds: Dataset, metric: str, areas: list[str], per_1000: bool = False, up_to: str | None = None
) -> pd.DataFrame:
    """A metric over time for some areas: area, area_name, quarter, value (per 1,000 people if asked); with up_to,
    only the quarters up to and including that one (looking back at a quarter shows nothing after it)."""
    obs = ds.observations
    wanted = (obs["metric"] == metric) & (obs["area"].isin(areas))
    if up_to is not None:
        wanted &= obs["quarter"] <= up_to
    out = obs[wanted][["area", "area_name", "quarter", "value", "illustrative", "population"]].copy()
    if per_1000:
        out["value"] = out["value"] / out["population"] * 1000.0
    order = {code: i for i, code in enumerate(areas)}
    out["_order"] = out["area"].map(order)
    return out.sort_values(["_order", "quarter"]).drop(columns=["_order", "population"]).reset_index(drop=True)


POLICE_UK_SOURCE = "police.uk"
POLICE_UK_NOTE = (
    "Recorded crime for {quarters} is real: police.uk's street-level crimes for West Mercia (the national "
    "comparison's files, Open Government Licence v3.0), by LPA and for the force's whole file. It is police.uk's "
    "count, not the force's own recorded crime return."
)


def police_uk_quarters(ds: Dataset, quarter: str | None = None) -> list[str]:
    """Quarters (of those asked) whose figures on screen include police.uk's rather than illustrative ones."""
    obs = ds.observations
    if quarter is not None:
        obs = obs[obs["quarter"] == quarter]
    return sorted(obs.loc[obs["source"].str.startswith(POLICE_UK_SOURCE, na=False), "quarter"].unique().tolist())


def police_uk_note(ds: Dataset, quarter: str | None = None) -> str | None:
    """The sentence a page shows where police.uk figures stand among the others; None where there are none."""
    quarters = police_uk_quarters(ds, quarter)
    return POLICE_UK_NOTE.format(quarters=", ".join(quarters)) if quarters else None


def any_illustrative(ds: Dataset, quarter: str | None = None) -> bool:
    obs = ds.observations
    if quarter is not None:
        obs = obs[obs["quarter"] == quarter]
    return bool(obs["illustrative"].any())
