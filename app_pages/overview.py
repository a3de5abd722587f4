"""Overview: the force's headline metrics for a quarter, a trend chart, and every LPA side by side."""

import pandas as pd
import streamlit as st

from assurance.core.periods import Quarter
from assurance.core.targets import threshold
from assurance.domain.commitments.markers import load_commitments, markers_for
from assurance.domain.performance import (
    FORCE,
    POLICE_UK_SOURCE,
    area_metric_table,
    headline_table,
    series,
    target_for,
    with_judgement,
)
from assurance.products.charts.markers import add_markers
from assurance.products.charts.trend import trend_figure
from ui import selection, session, style
from ui.style import table_height
from ui.text import literal

ds = session.dataset()
sel = selection.selection()
quarter = Quarter.parse(sel.quarter)

st.title(f"Force performance, {quarter.label}")
st.caption(
    f"West Mercia Police, financial quarter {quarter.label} ({quarter.start:%-d %b %Y} to {quarter.end:%-d %b %Y}). "
    f"Changes compare with {quarter.previous().label} and with {quarter.same_quarter_last_year().label}; "
    "counts change in per cent, rates in percentage points (pp), durations in their own units."
)
style.illustrative_banner(ds, sel.quarter)

table = headline_table(ds, sel.quarter, FORCE)
_DELTA_COLOUR = {"better": "blue", "worse": "orange", "same": "gray", "neutral": "gray"}


def _ascii(text: str) -> str:
    return text.replace("−", "-").replace("±", "")


rows = list(table.itertuples())
for i, row in enumerate(rows):
    if i % 4 == 0:
        columns = st.columns(4)
    with columns[i % 4].container(border=True, height="stretch"):
        metric = ds.metrics[row.metric]
        st.metric(
            metric.short_name,  # the catalogue's deliberate short name where the full one does not fit a card
            row.value_text,
            delta=_ascii(row.yoy_text) if row.yoy_change is not None else None,
            delta_color=_DELTA_COLOUR[row.yoy_judgement],
            delta_description=f"{row.yoy_judgement} than {quarter.same_quarter_last_year().label}"
            if row.yoy_judgement in ("better", "worse")
            else f"on {quarter.same_quarter_last_year().label}",
            help=f"**{metric.name}**. {metric.definition}",
        )
        if row.source.startswith(POLICE_UK_SOURCE):
            st.caption("🔎 Real: police.uk street-level crimes")
        st.caption(f"On {quarter.previous().label}: {row.prev_text} ({row.prev_judgement})")
        if pd.notna(row.ytd_change) and quarter.number > 1:
            st.caption(f"Year to date: {row.ytd_change_text} on the same period last year ({row.ytd_judgement})")
        if row.status == "no target":
            st.caption("No target set")
        else:
            target_note = " (illustrative)" if row.target_illustrative else ""
            st.caption(f"Target {row.target_text}{target_note}: **{row.status_text}**")

st.subheader("All headline metrics")


shown = table.assign(
    prev=[with_judgement(t, j) for t, j in zip(table["prev_text"], table["prev_judgement"], strict=True)],
    yoy=[with_judgement(t, j) for t, j in zip(table["yoy_text"], table["yoy_judgement"], strict=True)],
    ytd_change_shown=[
        with_judgement(t, j) for t, j in zip(table["ytd_change_text"], table["ytd_judgement"], strict=True)
    ],
    target=[
        t + (" (illustrative)" if i else "")
        for t, i in zip(table["target_text"], table["target_illustrative"], strict=True)
    ],
)[["name", "value_text", "prev", "yoy", "ytd_text", "ytd_change_shown", "target", "status_text"]]
HEADERS = [
    "Metric",
    quarter.label,
    f"On {quarter.previous().label}",
    f"On {quarter.same_quarter_last_year().label}",
    "Year to date",
    "Year to date on same period last year",
    "Target (* illustrative)",
    "Status",
]


# The colour comes from the judgement and the target status (data), never from the words shown: blue for better and
# met, orange for worse and not met (colour-blind safe). It goes with the word "(better)" / "(worse)" or the ✓ / ✗,
# never instead of it. Eight columns of twelve short rows: st.table wraps its headers and cells, so every column shows
# on a laptop screen with the sidebar open, where a data grid scrolled half of them out of sight.
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
colours = pd.DataFrame(
    {
        column: [VERDICT_STYLE.get(v, "") for v in table[JUDGED_BY[column]]] if column in JUDGED_BY else ""
        for column in shown
    }
)
colours.columns = HEADERS
st.table(literal(shown.set_axis(HEADERS, axis=1)).style.apply(lambda _: colours, axis=None), hide_index=True)

st.subheader("Trend")
lpa_metrics = {m.code: m for m in ds.metrics.values()}
left, right = st.columns([2, 1], vertical_alignment="bottom")
with left:
    code = st.selectbox(
        "Metric",
        list(lpa_metrics),
        index=list(lpa_metrics).index("positive_outcome_rate"),
        format_func=lambda c: lpa_metrics[c].name,
        key="overview_trend_metric",
    )
metric = lpa_metrics[code]
with right:
    per_1000 = metric.unit == "count" and st.toggle(
        "Per 1,000 people", value=True, help="Counts divided by population, so areas of different size compare fairly"
    )
areas = [FORCE] if metric.level == "force" else ds.areas["code"].tolist()
data = series(ds, code, areas, per_1000=per_1000, up_to=sel.quarter)  # nothing after the quarter looked at
target = target_for(ds, code, FORCE, sel.quarter)
figure = trend_figure(
    data,
    metric,
    focus=sel.lpa,
    target=threshold(target),
    target_label=target.named_label(metric) if target else None,
    per_1000=per_1000,
)
commitments = load_commitments(session.connection())
marks = markers_for(commitments, code, FORCE, sel.quarter) + (
    markers_for(commitments, code, sel.lpa, sel.quarter) if metric.level == "lpa" else []
)
add_markers(figure, marks, sorted(data["quarter"].unique()))
st.plotly_chart(figure, key="overview_trend", width="stretch")
st.caption(
    f"{sel.lpa_name} (the focus LPA) and the force are drawn thicker; each area has its own colour, marker and dash. "
    f"Markers along the foot show actions, pledges and figures quoted about this metric for the force and {sel.lpa_name}."
)

st.subheader(f"Every LPA, {quarter.label}")
areas_table = area_metric_table(ds, sel.quarter)
st.dataframe(areas_table, hide_index=True, width="stretch", height=table_height(len(areas_table)))
st.caption(
    "Force figures for rates are the sum of the LPAs' numerators over the sum of their denominators, never the mean "
    "of LPA rates. Medians are supplied for the force on their own. 999 call handling is force-wide (one contact centre)."
)
