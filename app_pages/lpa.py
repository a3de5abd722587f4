"""One LPA against the force over time, metric by metric."""

import streamlit as st

from ui import selection, session, shared, style
from ui.style import table_height
from ui.views import common, lpas

ds = session.dataset()
sel = selection.selection()
version = shared.version()  # read once: everything below is of this data version, computed once for all sessions
view = lpas.against_force(version, sel.quarter, sel.lpa)

st.title(f"{sel.lpa_name} against the force")
population = ds.population(sel.lpa)
source = ds.population_source(sel.lpa)
st.caption(
    f"{sel.lpa_name} LPA, population about {population:,.0f} ({source}). "
    "Counts are shown per 1,000 people so the LPA and the force compare fairly."
)
style.show_banners(common.banners(version, sel.quarter))
st.dataframe(view.table, hide_index=True, width="stretch", height=table_height(len(view.table)))

st.subheader("Over time")
st.caption("Markers along the foot of a chart: ◆ actions, ★ pledges, ○ figures quoted (hover for the words).")
columns = st.columns(2)
for i, chart in enumerate(view.charts):
    with columns[i % 2]:
        st.markdown(chart.title)
        st.plotly_chart(chart.figure, key=f"lpa_trend_{chart.code}", width="stretch")
