"""HMICFRS recommendations: each report's recommendations, the force's response, deadlines as written and as dates.

The page does not depend on the sidebar's quarter or LPA. Edits go through the library, which
writes every change to the audit trail; the form callbacks run before the page draws, so the
timeline and the table below already show the change.
"""

from datetime import date

import pandas as pd
import streamlit as st

from assurance.core.deadlines import DEADLINE_CONVENTION, date_text, deadline_date_text, resolve_deadline
from assurance.domain.commitments.recommendations import (
    LOOSE_DEADLINES_NOTE,
    STATUSES,
    add_recommendation,
    edit_recommendation,
    history,
    recommendations_table,
    status_label,
)
from assurance.products.charts.timeline import deadline_timeline
from ui import auth, errors, session, style
from ui.text import plain

NAME_KEY = "editor_name"  # shared with the action tracker: say who you are once per session
MESSAGE_KEY = "_recommendation_message"
ADD_KEYS = {
    "report": "rec_add_report",
    "report_published": "rec_add_published",
    "number": "rec_add_number",
    "subject": "rec_add_subject",
    "text": "rec_add_text",
    "force_response": "rec_add_response",
    "deadline_text": "rec_add_deadline",
    "status": "rec_add_status",
}
NOT_RECORDED = "not recorded in the minutes"

# A widget's value is forgotten when a page without it runs; re-storing it keeps the name across pages.
if NAME_KEY in st.session_state:
    st.session_state[NAME_KEY] = st.session_state[NAME_KEY]

today = date.today()


def _edit_key(rec_id: int, field: str) -> str:
    return f"rec_{rec_id}_{field}"


def _save_edit(rec_id: int, label: str) -> None:
    try:
        with session.writer() as writable:
            changed = edit_recommendation(
                writable,
                rec_id,
                by=auth.actor() or "",
                said_on=today,
                status=st.session_state[_edit_key(rec_id, "status")],
                evidence=st.session_state[_edit_key(rec_id, "evidence")],
                deadline_text=st.session_state[_edit_key(rec_id, "deadline_text")],
            )
    except ValueError as exc:
        st.session_state[MESSAGE_KEY] = (rec_id, errors.message(exc))
        return
    if changed:
        words = ", ".join(f.replace("_", " ") for f in changed)
        text = f"{label}: saved ({words})."
        written = (st.session_state[_edit_key(rec_id, "deadline_text")] or "").strip()
        if "deadline_text" in changed and written and resolve_deadline(written, today) is None:
            text += f" “{written}” could not be read as a date, so the deadline has no date until it is reworded."
        st.session_state[MESSAGE_KEY] = (rec_id, errors.Message("success", text))
    else:
        said = f"{label}: nothing had changed, so nothing was saved."
        st.session_state[MESSAGE_KEY] = (rec_id, errors.Message("info", said))


def _add() -> None:
    values = {field: st.session_state.get(key) for field, key in ADD_KEYS.items()}
    try:
        with session.writer() as writable:
            add_recommendation(
                writable,
                **{**values, "number": values["number"] if values["number"] is not None else 0},
                by=auth.actor() or "",
                said_on=today,
            )
    except ValueError as exc:
        st.session_state[MESSAGE_KEY] = ("add", errors.message(exc))
        return
    added = f"Recommendation {values['number']} of “{values['report'].strip()}” added."
    st.session_state[MESSAGE_KEY] = ("add", errors.Message("success", added))
    for field, key in ADD_KEYS.items():
        if field not in ("report", "report_published", "status"):
            st.session_state[key] = None if field == "number" else ""


def _message(where) -> None:
    """The outcome of the last save, shown beside the form it came from."""
    message = st.session_state.get(MESSAGE_KEY)
    if not message or message[0] != where:
        return
    st.session_state.pop(MESSAGE_KEY)
    errors.show(message[1])


def _written(value) -> str:
    return value if isinstance(value, str) and value.strip() else "–"


st.title("HMICFRS recommendations")
st.caption(
    "Recommendations from His Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) "
    "reports, the force's response as given at A&A meetings, and how each deadline stands today "
    f"({date_text(today)})."
)

con = session.connection()
table = recommendations_table(con, today)
if table.empty:
    st.info("No HMICFRS recommendations are recorded yet. Add one with the form at the bottom of this page.")
else:
    counts = table["deadline_status"].value_counts()
    summary = ", ".join(
        f"{counts[s]} {s}" for s in ("overdue", "due within 90 days", "later", "complete", "no date") if s in counts
    )
    st.markdown(f"**{len(table)} recommendation{'s' if len(table) != 1 else ''}:** {summary}.")
    st.plotly_chart(deadline_timeline(table, today), key="recommendations_timeline", width="stretch")
    st.caption(
        "Each row runs from the report's publication (|) to the date its deadline resolves to. "
        "Markers differ in colour and shape: "
        "✕ overdue, ◆ due within 90 days, ● later, ○ complete. The dashed line is today; the shaded band, "
        "the next 90 days."
    )

    for report, part in table.groupby("report", sort=False):
        published = part["report_published"].iloc[0]
        st.subheader(plain(report, limit=200))
        st.caption(
            f"HMICFRS inspection report, published {date_text(published)}"
            if pd.notna(published)
            else "HMICFRS inspection report; publication date not recorded"
        )
        shown = pd.DataFrame(
            {
                "No.": part["number"].astype(str),
                "Subject": part["subject"],
                "Recommendation (report's wording)": [
                    t if isinstance(t, str) and t.strip() else NOT_RECORDED for t in part["text"]
                ],
                "Force's response": [_written(t) for t in part["force_response"]],
                "Deadline (as written)": [_written(t) for t in part["deadline_text"]],
                "Resolves to": [
                    deadline_date_text(d, a, t)
                    for d, a, t in zip(
                        part["deadline_date"], part["deadline_approximate"], part["deadline_text"], strict=True
                    )
                ],
                "Deadline status": [
                    status_label(s, d) for s, d in zip(part["deadline_status"], part["days_left"], strict=True)
                ],
                "Status": part["status"],
                "Evidence": [_written(t) for t in part["evidence"]],
            }
        )
        st.table(shown, hide_index=True)
    st.caption(LOOSE_DEADLINES_NOTE)

editing = not auth.read_only("update or add recommendations")
st.subheader("Update a recommendation" if editing else "History of each recommendation")
if editing:
    auth.editor_name()  # every change is recorded with this name, the time, and the old and new values
for row in table.itertuples():
    label = f"Rec {row.number}: {row.subject}"
    message = st.session_state.get(MESSAGE_KEY)
    with st.expander(f"{plain(label, limit=80)} ({row.status})", expanded=bool(message and message[0] == row.id)):
        _message(row.id)
        if editing:
            with st.form(key=f"rec_edit_{row.id}"):
                st.selectbox("Status", STATUSES, index=STATUSES.index(row.status), key=_edit_key(row.id, "status"))
                st.text_input(
                    "Deadline (as written)",
                    value=row.deadline_text if isinstance(row.deadline_text, str) else "",
                    key=_edit_key(row.id, "deadline_text"),
                    help="Type it as said, e.g. “spring 2025”, “end of Jan 2025”, “31st of Mar 25”. "
                    "It is resolved to a date again, as said today. " + DEADLINE_CONVENTION,
                )
                st.text_area(
                    "Evidence",
                    value=row.evidence if isinstance(row.evidence, str) else "",
                    key=_edit_key(row.id, "evidence"),
                    help="What shows the recommendation is met: an audit, a report, a date.",
                )
                st.form_submit_button("Save changes", on_click=_save_edit, args=(row.id, label))
        changes = history(con, row.id)
        if changes.empty:
            st.caption("No changes recorded since it was loaded from the minutes.")
        else:
            st.markdown("**History** (from the audit trail, oldest first)")
            st.dataframe(
                pd.DataFrame(
                    {
                        "When": [f"{t:%-d %b %Y %H:%M}" for t in changes["changed_at"]],
                        "Who": changes["changed_by"],
                        "Field": [str(f).replace("_", " ") for f in changes["field"]],
                        "Change": [
                            f"{_written(o)} → {_written(n)}"
                            for o, n in zip(changes["old_value"], changes["new_value"], strict=True)
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
                height=style.table_height(len(changes)) if len(changes) < 10 else 390,
            )

if editing:
    st.subheader("Add a recommendation")
    _message("add")
    with st.form(key="rec_add"):
        left, right = st.columns([3, 1])
        reports = list(dict.fromkeys(table["report"]))
        left.text_input(
            "Report",
            key=ADD_KEYS["report"],
            placeholder=reports[0] if reports else "e.g. Police Response to Anti-Social Behaviour",
            help="The HMICFRS report's name as published.",
        )
        right.date_input("Publication date", value=None, key=ADD_KEYS["report_published"], format="DD/MM/YYYY")
        left, right = st.columns([1, 3])
        left.number_input("Number", min_value=1, step=1, value=None, key=ADD_KEYS["number"])
        right.text_input("Subject", key=ADD_KEYS["subject"], help="What it is about, in the meeting's words.")
        st.text_area("Recommendation (report's wording, if known)", key=ADD_KEYS["text"])
        st.text_area("Force's response", key=ADD_KEYS["force_response"])
        left, right = st.columns([3, 1])
        left.text_input(
            "Deadline (as written)",
            key=ADD_KEYS["deadline_text"],
            help="Kept as written and resolved to a date, as said today. " + DEADLINE_CONVENTION,
        )
        right.selectbox("Status", STATUSES, key=ADD_KEYS["status"])
        st.form_submit_button("Add recommendation", on_click=_add)
