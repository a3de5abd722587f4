"""Where to look: every metric by every area, with the SPC variation and assurance icons; each cell opens its chart."""

import streamlit as st

from assurance.domain.compare import rebases_by_series, where_to_look_cells, where_to_look_summary
from assurance.domain.performance import FORCE
from ui import pages, selection, session, style

ds = session.dataset()
sel = selection.selection()
con = session.connection()

st.title(f"Where to look, {sel.quarter}")
st.caption(
    "Each cell is the SPC reading of that area's XmR chart at this quarter: the variation icon (is the latest "
    "point special cause?) and, where there is a target, the assurance icon (will the process meet it?). "
    "Select a cell to open its chart."
)
style.illustrative_banner(ds, sel.quarter)

rebases = rebases_by_series(con)
for sentence in where_to_look_summary(ds, sel.quarter, rebases):
    st.markdown(f"- {sentence}")

cells = where_to_look_cells(ds, sel.quarter, rebases)
areas = [*ds.lpas["code"], FORCE]
names = {code: ("West Mercia (force)" if code == FORCE else ds.area_name(code)) for code in areas}
_SHORT_ASSURANCE = {"pass": " · ✓", "fail": " · ✗", "hit_and_miss": " · ≈", None: ""}  # nosec B105 # an SPC assurance label, not a password

_COLOURS = {"improvement": "blue", "concern": "orange", "neutral": "violet"}

# The metric column wraps its names; the cells get the room for "● Common cause · ✗" on a 1366 px screen.
WIDTHS = [1.7] + [1.3] * len(areas)
header = st.columns(WIDTHS)
header[0].markdown("**Metric**")
for column, code in zip(header[1:], areas, strict=True):
    column.markdown(f"**{names[code]}**" + (" ⭐" if code == sel.lpa else ""))

for metric in ds.metrics.values():
    row = st.columns(WIDTHS)
    row[0].markdown(metric.name)
    for column, code in zip(row[1:], areas, strict=True):
        cell = cells.get((metric.code, code))
        if cell is None:
            column.markdown("–")
            continue
        label = cell["variation"].replace(" (higher)", "").replace(" (lower)", "")
        label += _SHORT_ASSURANCE.get(cell["assurance_icon"] if isinstance(cell["assurance_icon"], str) else None, "")
        # Colour beside the shape and the word (never instead of them): the NHS "Making data count" blue for
        # improvement and orange for concern, safe for colour-blind readers; purple for a signal with no
        # good direction; grey for no signal.
        icon = cell["variation_icon"] if isinstance(cell["variation_icon"], str) else ""
        colour = _COLOURS.get(icon.split("_")[0], "gray")
        column.page_link(
            pages.path("trend"),
            label=f":{colour}[{label}]",
            query_params={"metric": metric.code, "area": code, "quarter": sel.quarter, "lpa": sel.lpa},
            help=f"{metric.name}, {names[code]}: {cell['variation']}; {cell['assurance']}",
        )

st.caption(
    "Key: ▲/▼ special cause higher/lower, called Improvement (blue) or Concern (orange) by the metric's direction; "
    "● common cause (no signal); ○ too few quarters for limits. Assurance: ✓ consistently passing the target, "
    "✗ consistently failing it, ≈ hit and miss; no mark where there is no target. ⭐ the focus LPA."
)
