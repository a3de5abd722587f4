"""Trend (SPC): one metric for one area as an XmR chart, with the icons, the reading and rebase points.

The metric and the area live in the URL (``?metric=positive_outcome_rate&area=shropshire``)
beside the sidebar's quarter and focus LPA, so a copied link reopens the same chart.
"""

import streamlit as st

from assurance.domain.compare import ASSURANCE_LABELS, VARIATION_LABELS
from assurance.domain.performance import FORCE
from assurance.domain.rebases import add_rebase, remove_rebase
from assurance.products.charts.xmr import RULES_CAPTION
from ui import auth, errors, selection, session, shared, style
from ui.style import table_height
from ui.text import plain
from ui.views import common
from ui.views.trend import trend

DEFAULT_METRIC = "positive_outcome_rate"
METRIC_KEY, AREA_KEY = "trend_metric", "trend_area"
REASON_KEY, QUARTER_KEY = "trend_rebase_reason", "trend_rebase_quarter"
MESSAGE_KEY = "_trend_rebase_message"

ds = session.dataset()
sel = selection.selection()
# Read once: everything below is of this data version, computed once for all sessions. A rebase point added or
# removed with the buttons below is already in it: Streamlit runs their callbacks before this script.
version = shared.version()
params = st.query_params

metric_codes = list(ds.metrics)
area_codes = [*ds.lpas["code"], FORCE]


def area_label(code: str) -> str:
    return "West Mercia (force)" if code == FORCE else ds.area_name(code)


def _metric_from_url(text: str) -> str | None:
    return selection.code_from_url(text, {m.code: m.name for m in ds.metrics.values()})


def _area_from_url(text: str) -> str | None:
    """An LPA or the force, by code or by name ("West Mercia" or "West Mercia (force)" for the force)."""
    named = selection.code_from_url(text, {code: ds.area_name(code) for code in area_codes})
    return named or selection.code_from_url(text, {FORCE: area_label(FORCE)})


# First run of this page in the session: the URL decides, unknown values fall back with a plain note.
notices = []
if METRIC_KEY not in st.session_state:
    wanted = params.get("metric")
    code = _metric_from_url(wanted) if wanted else st.session_state.get("_trend_metric_memory", DEFAULT_METRIC)
    if code is None:
        notices.append(
            f"There is no metric “{plain(wanted)}”; showing {ds.metrics[DEFAULT_METRIC].name}. "
            "Metrics are named by their catalogue code, like positive\\_outcome\\_rate."
        )
        code = DEFAULT_METRIC
    st.session_state[METRIC_KEY] = code
if AREA_KEY not in st.session_state:
    wanted = params.get("area")
    code = _area_from_url(wanted) if wanted else st.session_state.get("_trend_area_memory", sel.lpa)
    if code is None:
        notices.append(
            f"There is no area “{plain(wanted)}”; showing {sel.lpa_name}. "
            f"The areas are {', '.join(area_label(c) for c in area_codes)}."
        )
        code = sel.lpa
    st.session_state[AREA_KEY] = code
# A new focus LPA chosen in the sidebar moves this chart to it too.
if st.session_state.get("_trend_focus", sel.lpa) != sel.lpa:
    st.session_state[AREA_KEY] = sel.lpa
st.session_state["_trend_focus"] = sel.lpa

left, right = st.columns(2)
with left:
    metric_code = st.selectbox(
        "Metric", metric_codes, key=METRIC_KEY, format_func=lambda c: ds.metrics[c].name, help="What to chart"
    )
metric = ds.metrics[metric_code]
force_only = metric.level == "force"
if force_only and st.session_state[AREA_KEY] != FORCE:
    st.session_state["_trend_area_wanted"] = st.session_state[AREA_KEY]
    st.session_state[AREA_KEY] = FORCE
elif not force_only and "_trend_area_wanted" in st.session_state:
    st.session_state[AREA_KEY] = st.session_state.pop("_trend_area_wanted")
with right:
    area = st.selectbox(
        "Area",
        [FORCE] if force_only else area_codes,
        key=AREA_KEY,
        format_func=area_label,
        help="An LPA, or the force as a whole",
    )

st.session_state["_trend_metric_memory"] = metric_code
st.session_state["_trend_area_memory"] = area
params["metric"] = metric_code
params["area"] = area

for notice in notices:
    st.warning(notice, icon="ℹ️")
if force_only:
    st.caption(f"{metric.name} is reported for the force as a whole only, so the chart shows West Mercia.")

quarter = sel.quarter
name = area_label(area)
st.title(f"{metric.name}: {name}", help=metric.definition)
st.caption(
    f"Quarterly figures up to {quarter}, the quarter chosen in the sidebar. "
    "Hover over a point for its value and the rules it meets."
)
style.show_banners(common.banners(version, quarter))


# --- rebase points: callbacks run before the page, so the chart below already shows the change ---


def _add_rebase(area: str, metric_code: str) -> None:
    try:
        with session.writer() as writable:
            label = add_rebase(
                writable,
                area,
                metric_code,
                st.session_state.get(QUARTER_KEY) or "",
                st.session_state.get(REASON_KEY) or "",
                by=auth.acting_user(),
            )
    except ValueError as exc:
        errors.keep(MESSAGE_KEY, exc)
        return
    errors.keep(MESSAGE_KEY, errors.Message("success", f"Rebase at {label} stored."))
    st.session_state[REASON_KEY] = ""


def _remove_rebase(area: str, metric_code: str, quarter: str) -> None:
    try:
        with session.writer() as writable:
            remove_rebase(writable, area, metric_code, quarter, by=auth.acting_user())
    except ValueError as exc:
        errors.keep(MESSAGE_KEY, exc)
        return
    errors.keep(MESSAGE_KEY, errors.Message("success", f"Rebase at {quarter} removed."))


view = trend(version, metric_code, area, quarter)
result = view.result
st.info(view.reading, icon="💬")

variation_col, assurance_col = st.columns(2)
with variation_col.container(border=True, height="stretch"):
    st.markdown(f"**Variation: {VARIATION_LABELS[result.variation_icon]}**")
    st.caption(result.variation_text or result.reason or "No variation icon")
with assurance_col.container(border=True, height="stretch"):
    # ASSURANCE_LABELS[None] reads "No target"; with a target but no icon (no limits, neutral metric) say so.
    no_icon = result.assurance_icon is None and result.target is not None
    st.markdown(f"**Assurance: {'– No assurance icon' if no_icon else ASSURANCE_LABELS[result.assurance_icon]}**")
    st.caption(result.assurance_text or "No assurance icon")

st.plotly_chart(view.figure, key="trend_xmr", width="stretch")
st.caption(RULES_CAPTION + " Markers along the foot: ◆ actions, ★ pledges, ○ figures quoted (hover for the words).")

st.subheader("Special-cause points")
if not view.special.empty:
    st.dataframe(view.special, hide_index=True, width="stretch", height=min(table_height(len(view.special)), 390))
    st.caption("Latest first. A point can meet several rules at once.")
else:
    st.caption(result.reason or "No special-cause points: every quarter is within common-cause variation.")

st.subheader("Rebase points")
st.caption(
    "Rebase after a known change in the process (a new recording standard, a new system): the chart starts a new "
    "part there with its own mean and limits. Each part needs 13 quarters for limits. Rebase points are stored "
    "for this area and metric and every page uses them."
)
errors.show_kept(MESSAGE_KEY)
editing = auth.can_edit()
if view.rebases:
    for rebase in view.rebases:
        text_col, button_col = st.columns([5, 1], vertical_alignment="center")
        with text_col:
            when = f"{rebase['created_at']:%-d %b %Y}" if rebase["created_at"] is not None else "unknown date"
            later = f"; after {quarter}, so not on this chart" if rebase["quarter"] > quarter else ""
            st.markdown(f"**{rebase['quarter']}**: {plain(rebase['reason'], limit=500)} (added {when}{later})")
        with button_col:
            if editing:
                st.button(
                    "Remove",
                    key=f"trend_remove_{rebase['quarter']}",
                    on_click=_remove_rebase,
                    args=(area, metric_code, rebase["quarter"]),
                    help=f"Remove the rebase at {rebase['quarter']}",
                )
else:
    st.caption("No rebase points stored for this area and metric.")

choices = list(view.quarters[1:])
if not editing:
    st.caption(f"Rebase points are added and removed by editors; you are signed in with the {auth.role()} role.")
elif choices:
    with st.form("trend_rebase_form", border=True):
        st.markdown("**Add a rebase point**")
        quarter_col, reason_col = st.columns([1, 3])
        with quarter_col:
            st.selectbox("Quarter", choices, index=len(choices) - 1, key=QUARTER_KEY)
        with reason_col:
            st.text_input("Reason", key=REASON_KEY, max_chars=500, placeholder="What changed at this quarter")
        st.form_submit_button("Add rebase point", on_click=_add_rebase, args=(area, metric_code))
