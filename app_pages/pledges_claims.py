"""Pledges with a metric, and figures quoted in meetings, each checked against the data."""

from datetime import date

import streamlit as st

from assurance.core.deadlines import APPROXIMATE_NOTE, deadline_label
from assurance.domain.commitments import record
from assurance.domain.verdicts import check_claim, pledge_status
from ui import session, style
from ui.text import plain

ds = session.dataset()
st.title("Pledges and figures quoted")
st.caption(
    "Each pledge is judged on the quarter its horizon ends in, against the quarter discussed when it was made; each "
    "figure quoted in a meeting is recomputed from the data for its area, period and comparison. A pledge's due "
    "date is the end of its time frame, counted from the meeting; " + APPROXIMATE_NOTE
)
style.illustrative_banner(ds)
today = date.today()

st.subheader("Pledges with a metric")
pledges = record.pledges(session.connection())
if pledges.empty:
    st.info("No pledges recorded.")
for pledge in pledges.to_dict("records"):
    result = pledge_status(ds, pledge, today)
    with st.container(border=True):
        st.markdown(f"**{result.label}** · {plain(pledge['owner'], 40)}, {plain(pledge['area_name'])}")
        st.text(pledge["text"])
        metric = ds.metrics[pledge["metric"]]
        due = deadline_label(pledge["deadline_date"], pledge["deadline_approximate"], pledge["deadline_text"])
        st.caption(
            f"{metric.name}: should {pledge['direction']} within {pledge['horizon_months']} months · "
            f"due: {plain(due, 200)} · baseline {pledge['baseline_quarter']} · shows by {pledge['due_quarter']}"
        )
        st.markdown(plain(result.explanation, 400))

st.subheader("Figures quoted in meetings")
claims = record.claims(session.connection())
if claims.empty:
    st.info("No figures recorded.")
rows = []
for claim in claims.to_dict("records"):
    check = check_claim(ds, claim)
    rows.append(
        {
            "Verdict": check.label,
            "As stated": claim["text"],
            "By": claim["speaker"],
            "Area": claim["area_name"],
            "Metric": claim["metric_name"],
            "Quarter": claim["quarter"],
            "Stated": check.stated_text,
            "The data give": check.data_text,
            "Explanation": check.explanation,
        }
    )
if rows:
    import pandas as pd

    st.table(pd.DataFrame(rows), hide_index=True)
