"""Meetings and the commitments made in them: attendees, agenda, actions, HMICFRS recommendations, pledges, claims."""

import streamlit as st

from assurance.core.deadlines import DEADLINE_CONVENTION, as_date, deadline_date_text, deadline_label
from assurance.domain.commitments.record import meeting_record, meetings
from ui import live, pages, session
from ui.tables import headed

con = session.connection()
listed = meetings(con)
st.title("Meetings and commitments")
if listed.empty:
    st.info("No meetings recorded yet.")
    live.stop()

labels = {row.id: f"{row.held_on:%-d %b %Y}: {row.title}" for row in listed.itertuples()}
meeting_id = st.selectbox("Meeting", list(labels), format_func=labels.get)
record = meeting_record(con, meeting_id)
meeting = record.meeting
st.caption(
    f"{meeting['held_on']:%A %-d %B %Y}, {meeting['starts_at'] or ''} · Chair: {meeting['chair']} · "
    f"Minutes: {meeting['minute_taker']} · Performance discussed: {meeting['quarter_discussed']} · "
    f"Source: {meeting['source_document']}"
)

left, right = st.columns(2)
with left:
    st.subheader("Attendees")
    attendees = record.attendees
    attendees.columns = ["Name", "Role", "Abbreviation", "Organisation"]
    st.table(attendees, hide_index=True)
with right:
    st.subheader("Agenda")
    agenda = record.agenda
    agenda.columns = ["#", "Item", "Notes"]
    st.table(agenda, hide_index=True)

st.subheader("Actions")
actions = record.actions
st.table(
    headed(
        actions.assign(
            due=[t if isinstance(t, str) else "No due date stated" for t in actions["due_text"]],
            due_on=[
                "when that meeting is scheduled"
                if isinstance(q, str) and as_date(d) is None
                else deadline_date_text(d, a, t)
                for d, a, t, q in zip(
                    actions["due_date"],
                    actions["due_date_approximate"],
                    actions["due_text"],
                    actions["due_meeting_quarter"],
                    strict=True,
                )
            ],
        ),
        {
            "position": "#",
            "text": "Action",
            "owner": "Owner",
            "due": "Due (as agreed)",
            "due_on": "Due date",
            "status": "Status",
        },
    ),
    hide_index=True,
)

st.subheader("HMICFRS recommendations discussed")
recs = record.recommendations
st.table(
    headed(
        recs.assign(
            resolves=[
                deadline_date_text(d, a, t)
                for d, a, t in zip(
                    recs["deadline_date"], recs["deadline_approximate"], recs["deadline_text"], strict=True
                )
            ]
        ),
        {
            "report": "Report",
            "number": "No.",
            "subject": "Subject",
            "deadline_text": "Deadline (as written)",
            "resolves": "Resolves to",
        },
    ),
    hide_index=True,
)
st.caption(DEADLINE_CONVENTION)
st.page_link(pages.path("recommendations"), label="Deadlines, status and evidence: HMICFRS recommendations", icon="🏛️")

st.subheader("Pledges with a metric")
pledges = record.pledges
pledges = pledges.assign(
    due=[
        deadline_label(d, a, t)
        for d, a, t in zip(
            pledges["deadline_date"], pledges["deadline_approximate"], pledges["deadline_text"], strict=True
        )
    ]
)
st.table(
    headed(
        pledges,
        {
            "owner": "By",
            "text": "Pledge (as said)",
            "area_name": "Area",
            "metric_name": "Metric",
            "direction": "Should",
            "due": "Due",
            "baseline_quarter": "Baseline quarter",
            "due_quarter": "Shows by",
        },
    ),
    hide_index=True,
)

st.subheader("Figures quoted in the meeting")
claims = record.claims.assign(
    period=lambda f: f["period"].map(
        {"quarter": "the quarter", "year_to_date": "year to date", "rolling_12_months": "rolling 12 months"}
    ),
    comparison=lambda f: f["comparison"].map(
        {
            "none": "–",
            "previous_quarter": "previous quarter",
            "same_period_last_year": "same period last year",
            "previous_12_months": "previous 12 months",
        }
    ),
)
st.table(
    headed(
        claims,
        {
            "speaker": "By",
            "text": "As stated",
            "area_name": "Area",
            "metric_name": "Metric",
            "quarter": "Quarter",
            "period": "Period",
            "comparison": "Compared with",
        },
    ),
    hide_index=True,
)
