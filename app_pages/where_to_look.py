"""Where to look: every metric by every area, with the SPC variation and assurance icons; each cell opens its chart."""

import streamlit as st

from ui import pages, selection, shared, style
from ui.views import common
from ui.views.where_to_look import where_to_look

sel = selection.selection()
version = shared.version()  # read once: everything below is of this data version, computed once for all sessions
view = where_to_look(version, sel.quarter)

st.title(f"Where to look, {sel.quarter}")
st.caption(
    "Each cell is the SPC reading of that area's XmR chart at this quarter: the variation icon (is the latest "
    "point special cause?) and, where there is a target, the assurance icon (will the process meet it?). "
    "Select a cell to open its chart."
)
style.show_banners(common.banners(version, sel.quarter))

for sentence in view.summary:
    st.markdown(f"- {sentence}")

# The metric column wraps its names; the cells get the room for "● Common cause · ✗" on a 1366 px screen.
WIDTHS = [1.7] + [1.3] * len(view.areas)
header = st.columns(WIDTHS)
header[0].markdown("**Metric**")
for column, code in zip(header[1:], view.areas, strict=True):
    column.markdown(f"**{view.names[code]}**" + (" ⭐" if code == sel.lpa else ""))

trend = pages.path("trend")
for row in view.rows:
    columns = st.columns(WIDTHS)
    columns[0].markdown(row.name)
    for column, code, cell in zip(columns[1:], view.areas, row.cells, strict=True):
        if cell is None:
            column.markdown("–")
            continue
        column.page_link(
            trend,
            label=cell.label,
            query_params={"metric": row.metric, "area": code, "quarter": sel.quarter, "lpa": sel.lpa},
            help=cell.help,
        )

st.caption(
    "Key: ▲/▼ special cause higher/lower, called Improvement (blue) or Concern (orange) by the metric's direction; "
    "● common cause (no signal); ○ too few quarters for limits. Assurance: ✓ consistently passing the target, "
    "✗ consistently failing it, ≈ hit and miss; no mark where there is no target. ⭐ the focus LPA."
)
