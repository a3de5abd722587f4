"""One LPA against the other four and the force, metric by metric, with SPC on the focus LPA."""

import streamlit as st

from ui import selection, session, shared, style
from ui.style import table_height
from ui.views import common, lpas

ds = session.dataset()
sel = selection.selection()
version = shared.version()  # read once: everything below is of this data version, computed once for all sessions
view = lpas.comparison(version, sel.quarter, sel.lpa)

st.title(f"{sel.lpa_name} against the other LPAs, {sel.quarter}")
st.caption(
    "Rank is among the five LPAs, 1 = best by the metric's direction. Counts are compared per 1,000 people "
    "(in brackets after each area's count); "
    "the gap to the force is in percentage points (pp) for rates, per cent per head for counts, and days or "
    "minutes for durations. SPC is the variation icon of the focus LPA's XmR chart at this quarter."
)
style.show_banners(common.banners(version, sel.quarter))

st.dataframe(
    view.table,
    hide_index=True,
    width="stretch",
    height=table_height(len(view.table)),
    column_config={"Metric": st.column_config.TextColumn(pinned=True)},
)
st.download_button(
    "Download this table (CSV)",
    data=view.csv,
    file_name=f"{sel.lpa}-against-other-lpas-{sel.quarter.replace('/', '-').replace(' ', '-')}.csv",
    mime="text/csv",
)

with st.expander("Populations used for the per 1,000 figures"):
    st.table(view.populations, hide_index=True)

st.subheader("Every LPA over time")
st.caption(
    f"{sel.lpa_name} in bold blue, the other LPAs in grey, the force dashed black. Counts per 1,000 people. "
    f"Markers along the foot: ◆ actions, ★ pledges, ○ figures quoted about {sel.lpa_name} (hover for the words)."
)
columns = st.columns(2)
for i, chart in enumerate(view.charts):
    with columns[i % 2]:
        st.markdown(chart.title)
        st.plotly_chart(chart.figure, key=f"compare_{chart.code}", width="stretch")
