"""The Overview's view: the force's headline metrics for a quarter, its trend chart, and every LPA side by side."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from assurance.core.periods import Quarter
from assurance.core.targets import threshold
from assurance.domain.commitments.markers import markers_for
from assurance.domain.performance import FORCE, area_metric_table, headline_table, judged, series, target_for
from assurance.products.charts.markers import add_markers
from assurance.products.charts.trend import trend_figure
from ui import session
from ui.shared import Version, frozen_figure, shared
from ui.text import literal
from ui.views.common import commitments

# The colour comes from the judgement and the target status (data), never from the words shown: blue for better and
# met, orange for worse and not met (colour-blind safe). It goes with the word "(better)" / "(worse)" or the ✓ / ✗,
# never instead of it.
VERDICT_STYLE = {
    "better": "color: #005a8c; font-weight: 600",
    "met": "color: #005a8c; font-weight: 600",
    "worse": "color: #a63d00; font-weight: 600",
    "not met": "color: #a63d00; font-weight: 600",
}
JUDGED_BY = {
    "prev": "prev_judgement",
    "yoy": "yoy_judgement",
    "ytd_change_shown": "ytd_judgement",
    "status_text": "status",
}


@dataclass(frozen=True)
class Headlines:
    cards: tuple  # the headline table's rows (named tuples), one card each
    shown: pd.DataFrame  # every headline metric, cells escaped for st.table, under the page's headers
    colours: pd.DataFrame  # the CSS of each cell of `shown` (the page builds its Styler from the two)
    areas: pd.DataFrame  # every area's value of every metric for the quarter


@shared(max_entries=32)
def headlines(version: Version, quarter: str) -> Headlines:
    """The cards, the table of every headline metric and the table of every LPA, for the force and a quarter."""
    ds = session.dataset()
    q = Quarter.parse(quarter)
    table = headline_table(ds, quarter, FORCE)
    shown = table.assign(
        prev=judged(table, "prev_text", "prev_judgement"),
        yoy=judged(table, "yoy_text", "yoy_judgement"),
        ytd_change_shown=judged(table, "ytd_change_text", "ytd_judgement"),
        target=[
            t + (" (illustrative)" if i else "")
            for t, i in zip(table["target_text"], table["target_illustrative"], strict=True)
        ],
    )[["name", "value_text", "prev", "yoy", "ytd_text", "ytd_change_shown", "target", "status_text"]]
    headers = [
        "Metric",
        q.label,
        f"On {q.previous().label}",
        f"On {q.same_quarter_last_year().label}",
        "Year to date",
        "Year to date on same period last year",
        "Target (* illustrative)",
        "Status",
    ]
    colours = pd.DataFrame(
        {
            column: [VERDICT_STYLE.get(v, "") for v in table[JUDGED_BY[column]]] if column in JUDGED_BY else ""
            for column in shown
        }
    )
    colours.columns = headers
    return Headlines(
        cards=tuple(table.itertuples()),
        shown=literal(shown.set_axis(headers, axis=1)),
        colours=colours,
        areas=area_metric_table(ds, quarter),
    )


@shared(max_entries=128)
def trend(version: Version, quarter: str, lpa: str, code: str, per_1000: bool) -> go.Figure:
    """One metric over time for every area (the focus LPA and the force thicker), with the commitments' markers."""
    ds = session.dataset()
    metric = ds.metrics[code]
    areas = [FORCE] if metric.level == "force" else ds.areas["code"].tolist()
    data = series(ds, code, areas, per_1000=per_1000, up_to=quarter)  # nothing after the quarter looked at
    target = target_for(ds, code, FORCE, quarter)
    figure = trend_figure(
        data,
        metric,
        focus=lpa,
        target=threshold(target),
        target_label=target.named_label(metric) if target else None,
        per_1000=per_1000,
    )
    said = commitments(version)
    marks = markers_for(said, code, FORCE, quarter) + (
        markers_for(said, code, lpa, quarter) if metric.level == "lpa" else []
    )
    return frozen_figure(add_markers(figure, marks, sorted(data["quarter"].unique())))
