"""The Trend (SPC) view: one metric for one area as an XmR chart, its reading, special causes and rebase points."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from assurance.core.spc.xmr import XmrResult
from assurance.core.targets import threshold
from assurance.domain.commitments.markers import markers_for
from assurance.domain.compare import reading, spc_series
from assurance.domain.performance import FORCE, target_for
from assurance.domain.rebases import list_rebases
from assurance.products.charts.markers import add_markers
from assurance.products.charts.xmr import CLASS_STYLE, rules_text, xmr_figure
from ui import session
from ui.shared import Version, frozen_figure, shared
from ui.views.common import commitments


@dataclass(frozen=True)
class Trend:
    rebases: tuple[dict, ...]  # the stored rebase points of the series, oldest first (read-only)
    result: XmrResult
    reading: str  # the chart in words
    figure: go.Figure
    special: pd.DataFrame  # the special-cause points, latest first (empty when there are none)
    quarters: tuple[str, ...]  # the series' quarters: where a rebase point may go (all but the first)


@shared(max_entries=128)
def trend(version: Version, metric_code: str, area: str, quarter: str) -> Trend:
    """The XmR chart of a metric for an area (the force or an LPA) up to the quarter, with the commitments' markers."""
    ds = session.dataset()
    metric = ds.metrics[metric_code]
    rebases = list_rebases(session.connection(), area, metric_code)
    series, result = spc_series(ds, metric, area, quarter, [r["quarter"] for r in rebases])
    target = target_for(ds, metric_code, area, quarter)
    name = "West Mercia (force)" if area == FORCE else ds.area_name(area)
    figure = xmr_figure(
        result, metric, name, target=threshold(target), target_label=target.line_label(metric) if target else None
    )
    add_markers(figure, markers_for(commitments(version), metric_code, area, quarter), [p.label for p in result.points])
    special = [p for p in result.points if p.special_cause]
    table = pd.DataFrame(
        {
            "Quarter": [p.label for p in special],
            "Value": [metric.format_value(p.value) for p in special],
            "Rules": [rules_text(p.rules) for p in special],
            "Reading": [CLASS_STYLE[p.classification][0] for p in special],
        }
    )[::-1]
    return Trend(
        rebases=tuple(rebases),
        result=result,
        reading=reading(ds, metric, area, quarter, result),
        figure=frozen_figure(figure),
        special=table,
        quarters=tuple(series["quarter"]),
    )
