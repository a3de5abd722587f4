"""Overview: the force's headline metrics for a quarter, a trend chart, and every LPA side by side."""

import pandas as pd
import streamlit as st

from assurance.core.periods import Quarter
from assurance.domain.performance import POLICE_UK_SOURCE
from ui import selection, session, shared, style
from ui.style import table_height
from ui.views import common, overview

ds = session.dataset()
sel = selection.selection()
version = shared.version()  # read once: everything below is of this data version, computed once for all sessions
quarter = Quarter.parse(sel.quarter)

st.title(f"Force performance, {quarter.label}")
st.caption(
    f"West Mercia Police, financial quarter {quarter.label} ({quarter.start:%-d %b %Y} to {quarter.end:%-d %b %Y}). "
    f"Changes compare with {quarter.previous().label} and with {quarter.same_quarter_last_year().label}; "
    "counts change in per cent, rates in percentage points (pp), durations in their own units."
)
style.show_banners(common.banners(version, sel.quarter))

view = overview.headlines(version, sel.quarter)
_DELTA_COLOUR = {"better": "blue", "worse": "orange", "same": "gray", "neutral": "gray"}


def _ascii(text: str) -> str:
    return text.replace("−", "-").replace("±", "")


for i, row in enumerate(view.cards):
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
# Eight columns of twelve short rows: st.table wraps its headers and cells, so every column shows on a laptop screen
# with the sidebar open, where a data grid scrolled half of them out of sight. The colours are the judgements' (see
# ui/views/overview.py), beside the words, never instead of them.
colours = view.colours
st.table(view.shown.style.apply(lambda _: colours, axis=None), hide_index=True)

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
st.plotly_chart(
    overview.trend(version, sel.quarter, sel.lpa, code, bool(per_1000)), key="overview_trend", width="stretch"
)
st.caption(
    f"{sel.lpa_name} (the focus LPA) and the force are drawn thicker; each area has its own colour, marker and dash. "
    f"Markers along the foot show actions, pledges and figures quoted about this metric for the force and {sel.lpa_name}."
)

st.subheader(f"Every LPA, {quarter.label}")
st.dataframe(view.areas, hide_index=True, width="stretch", height=table_height(len(view.areas)))
st.caption(
    "Force figures for rates are the sum of the LPAs' numerators over the sum of their denominators, never the mean "
    "of LPA rates. Medians are supplied for the force on their own. 999 call handling is force-wide (one contact centre)."
)
