"""The views of the two LPA pages: one LPA against the force (LPA page) and against the other LPAs (Compare)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from assurance.core.downloads import to_csv_bytes
from assurance.core.periods import Quarter
from assurance.domain.commitments.markers import markers_for
from assurance.domain.compare import comparison_table
from assurance.domain.performance import FORCE, headline_table, judged, series
from assurance.products.charts.markers import add_markers
from assurance.products.charts.trend import small_multiple_figure, trend_figure
from ui import session
from ui.shared import Version, frozen_figure, shared
from ui.views.common import commitments

_UNIT_TITLE = {
    "count": "per 1,000 people",
    "percent": "%",
    "days": "days",
    "minutes": "minutes",
    "seconds": "seconds",
    "days per officer": "days per officer",
}


@dataclass(frozen=True)
class Chart:
    code: str  # the metric's: the chart's key on the page
    title: str  # Markdown, from the catalogue
    figure: go.Figure


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame  # one row per metric: each LPA, the force, rank, gap, SPC
    csv: bytes  # the same table to download
    populations: pd.DataFrame
    charts: tuple[Chart, ...]  # every LPA metric over time, the focus LPA in bold


@dataclass(frozen=True)
class AgainstForce:
    table: pd.DataFrame  # one row per metric: the LPA, the force, changes, target status
    charts: tuple[Chart, ...]  # the LPA and the force over time, metric by metric


def _title(metric, per_1000: bool) -> str:
    return f"**{metric.name}**" + (" per 1,000 people" if per_1000 else "")


@shared(max_entries=32)
def comparison(version: Version, quarter: str, lpa: str) -> Comparison:
    """The Compare page for a quarter and focus LPA: its table and its ten small multiples with their markers."""
    ds = session.dataset()
    table = comparison_table(ds, quarter, lpa).drop(columns=["metric"])
    populations = ds.areas[["name", "districts", "population", "population_source"]].rename(
        columns={"name": "Area", "districts": "Districts", "population": "Population", "population_source": "Source"}
    )
    lpa_codes = ds.lpas["code"].tolist()
    said = commitments(version)
    charts = []
    for metric in [m for m in ds.metrics.values() if m.level == "lpa"]:
        per_1000 = metric.unit == "count"
        data = series(ds, metric.code, [*lpa_codes, FORCE], per_1000=per_1000, up_to=quarter)
        figure = small_multiple_figure(data, metric, focus=lpa, per_1000=per_1000, y_title="")
        add_markers(figure, markers_for(said, metric.code, lpa, quarter), sorted(data["quarter"].unique()))
        charts.append(Chart(metric.code, _title(metric, per_1000), frozen_figure(figure)))
    return Comparison(table, to_csv_bytes(table), populations, tuple(charts))


@shared(max_entries=32)
def against_force(version: Version, quarter: str, lpa: str) -> AgainstForce:
    """The LPA page for a quarter and LPA: the table beside the force and the ten trend charts with their markers."""
    ds = session.dataset()
    q = Quarter.parse(quarter)
    table = headline_table(ds, quarter, lpa)
    force = headline_table(ds, quarter, FORCE).set_index("metric")
    shown = table.assign(
        force=[force.loc[m, "value_text"] for m in table["metric"]],
        prev=judged(table, "prev_text", "prev_judgement"),
        yoy=judged(table, "yoy_text", "yoy_judgement"),
    )[["name", "value_text", "force", "prev", "yoy", "status_text"]]
    shown.columns = [
        "Metric",
        f"{ds.area_name(lpa)}, {q.label}",
        "West Mercia (force)",
        f"On {q.previous().label}",
        f"On {q.same_quarter_last_year().label}",
        "Target status",
    ]
    said = commitments(version)
    charts = []
    for metric in [m for m in ds.metrics.values() if m.level == "lpa"]:
        per_1000 = metric.unit == "count"
        data = series(ds, metric.code, [lpa, FORCE], per_1000=per_1000, up_to=quarter)
        figure = trend_figure(data, metric, focus=lpa, per_1000=per_1000, height=340, y_title=_UNIT_TITLE[metric.unit])
        marks = markers_for(said, metric.code, lpa, quarter) + markers_for(said, metric.code, FORCE, quarter)
        add_markers(figure, marks, sorted(data["quarter"].unique()))
        charts.append(Chart(metric.code, _title(metric, per_1000), frozen_figure(figure)))
    return AgainstForce(shown, tuple(charts))
