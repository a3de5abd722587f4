"""One LPA against the other four and the force, metric by metric, with SPC on the focus LPA."""

import streamlit as st

from assurance.core.downloads import to_csv_bytes
from assurance.domain.commitments.markers import load_commitments, markers_for
from assurance.domain.compare import comparison_table
from assurance.domain.performance import FORCE, series
from assurance.products.charts.markers import add_markers
from assurance.products.charts.trend import small_multiple_figure
from ui import selection, session, style
from ui.style import table_height

ds = session.dataset()
sel = selection.selection()

st.title(f"{sel.lpa_name} against the other LPAs, {sel.quarter}")
areas = ds.areas
st.caption(
    "Rank is among the five LPAs, 1 = best by the metric's direction. Counts are compared per 1,000 people "
    "(in brackets after each area's count); "
    "the gap to the force is in percentage points (pp) for rates, per cent per head for counts, and days or "
    "minutes for durations. SPC is the variation icon of the focus LPA's XmR chart at this quarter."
)
style.illustrative_banner(ds, sel.quarter)

table = comparison_table(ds, sel.quarter, sel.lpa)
shown = table.drop(columns=["metric"])
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=table_height(len(shown)),
    column_config={"Metric": st.column_config.TextColumn(pinned=True)},
)
st.download_button(
    "Download this table (CSV)",
    data=to_csv_bytes(shown),
    file_name=f"{sel.lpa}-against-other-lpas-{sel.quarter.replace('/', '-').replace(' ', '-')}.csv",
    mime="text/csv",
)

with st.expander("Populations used for the per 1,000 figures"):
    pop = areas[["name", "districts", "population", "population_source"]].rename(
        columns={"name": "Area", "districts": "Districts", "population": "Population", "population_source": "Source"}
    )
    st.table(pop, hide_index=True)

st.subheader("Every LPA over time")
st.caption(
    f"{sel.lpa_name} in bold blue, the other LPAs in grey, the force dashed black. Counts per 1,000 people. "
    f"Markers along the foot: ◆ actions, ★ pledges, ○ figures quoted about {sel.lpa_name} (hover for the words)."
)
lpa_codes = ds.lpas["code"].tolist()
metrics = [m for m in ds.metrics.values() if m.level == "lpa"]
commitments = load_commitments(session.connection())
columns = st.columns(2)
for i, metric in enumerate(metrics):
    per_1000 = metric.unit == "count"
    data = series(ds, metric.code, [*lpa_codes, FORCE], per_1000=per_1000, up_to=sel.quarter)
    with columns[i % 2]:
        st.markdown(f"**{metric.name}**" + (" per 1,000 people" if per_1000 else ""))
        figure = small_multiple_figure(data, metric, focus=sel.lpa, per_1000=per_1000, y_title="")
        add_markers(
            figure, markers_for(commitments, metric.code, sel.lpa, sel.quarter), sorted(data["quarter"].unique())
        )
        st.plotly_chart(figure, key=f"compare_{metric.code}", width="stretch")
