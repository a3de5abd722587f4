"""One LPA against the force over time, metric by metric."""

import streamlit as st

from assurance.core.periods import Quarter
from assurance.domain.commitments.markers import load_commitments, markers_for
from assurance.domain.performance import FORCE, headline_table, series, with_judgement
from assurance.products.charts.markers import add_markers
from assurance.products.charts.trend import trend_figure
from ui import selection, session, style
from ui.style import table_height

ds = session.dataset()
sel = selection.selection()
quarter = Quarter.parse(sel.quarter)

st.title(f"{sel.lpa_name} against the force")
population = ds.population(sel.lpa)
source = ds.population_source(sel.lpa)
st.caption(
    f"{sel.lpa_name} LPA, population about {population:,.0f} ({source}). "
    "Counts are shown per 1,000 people so the LPA and the force compare fairly."
)
style.illustrative_banner(ds, sel.quarter)

table = headline_table(ds, sel.quarter, sel.lpa)
force = headline_table(ds, sel.quarter, FORCE).set_index("metric")
shown = table.assign(
    force=[force.loc[m, "value_text"] for m in table["metric"]],
    prev=[with_judgement(t, j) for t, j in zip(table["prev_text"], table["prev_judgement"], strict=True)],
    yoy=[with_judgement(t, j) for t, j in zip(table["yoy_text"], table["yoy_judgement"], strict=True)],
)[["name", "value_text", "force", "prev", "yoy", "status_text"]]
shown.columns = [
    "Metric",
    f"{sel.lpa_name}, {quarter.label}",
    "West Mercia (force)",
    f"On {quarter.previous().label}",
    f"On {quarter.same_quarter_last_year().label}",
    "Target status",
]
st.dataframe(shown, hide_index=True, width="stretch", height=table_height(len(shown)))

st.subheader("Over time")
_UNIT_TITLE = {
    "count": "per 1,000 people",
    "percent": "%",
    "days": "days",
    "minutes": "minutes",
    "seconds": "seconds",
    "days per officer": "days per officer",
}
metrics = [m for m in ds.metrics.values() if m.level == "lpa"]
commitments = load_commitments(session.connection())
st.caption("Markers along the foot of a chart: ◆ actions, ★ pledges, ○ figures quoted (hover for the words).")
columns = st.columns(2)
for i, metric in enumerate(metrics):
    per_1000 = metric.unit == "count"
    data = series(ds, metric.code, [sel.lpa, FORCE], per_1000=per_1000, up_to=sel.quarter)
    with columns[i % 2]:
        st.markdown(f"**{metric.name}**" + (" per 1,000 people" if per_1000 else ""))
        figure = trend_figure(
            data, metric, focus=sel.lpa, per_1000=per_1000, height=340, y_title=_UNIT_TITLE[metric.unit]
        )
        marks = markers_for(commitments, metric.code, sel.lpa, sel.quarter) + markers_for(
            commitments, metric.code, FORCE, sel.quarter
        )
        add_markers(figure, marks, sorted(data["quarter"].unique()))
        st.plotly_chart(figure, key=f"lpa_trend_{metric.code}", width="stretch")
