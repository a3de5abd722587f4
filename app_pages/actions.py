"""The action tracker, laid out as the A&A meeting reviews it: open actions by the meeting they are due at."""

from datetime import date

import streamlit as st

from assurance.core.deadlines import DEADLINE_CONVENTION, date_text
from assurance.core.periods import Quarter
from assurance.domain.commitments import actions as tracker_lib
from assurance.domain.commitments import record
from ui import auth, errors, session
from ui.tables import HISTORY_HEADERS, data_table
from ui.text import plain

con = session.connection()
ds = session.dataset()
today = date.today()

st.title("Action tracker")
st.caption(
    f"As the A&A meeting reviews it: open actions grouped by the meeting they are due at, then the rest. "
    f"Overdue is judged against today, {today:%-d %B %Y}. Nothing is deleted: closing and withdrawing are statuses, "
    "and every change is kept in the action's history."
)
editing = not auth.read_only("add, update, close or withdraw actions, or schedule meetings")
who = auth.editor_name() if editing else None

frame = tracker_lib.tracker(con, today)
meetings = record.meetings(con)
updates = record.updates_by_action(con)
meeting_labels = {row.id: f"{date_text(row.held_on)}: {row.title}" for row in meetings.itertuples()}
metric_names = {m.code: m.name for m in ds.metrics.values()}
area_names = dict(zip(ds.areas["code"], ds.areas["name"], strict=True))

open_count = int(frame["status"].isin(tracker_lib.OPEN_STATUSES).sum())
overdue_count = int(frame["overdue"].sum())
c1, c2, c3 = st.columns(3)
c1.metric("Open actions", open_count)
c2.metric("Overdue", overdue_count)
c3.metric("Closed or withdrawn", len(frame) - open_count)

STATUS_MARK = {"open": "○ Open", "update given": "◐ Update given", "closed": "● Closed", "withdrawn": "⊘ Withdrawn"}


def _save(fn, *args, form_counter: str | None = None, **kwargs) -> None:
    """Run a library write (given the connection to write through); on a refusal show why and keep what was typed;
    on success start a fresh form."""
    try:
        with session.writer() as writable:
            fn(writable, *args, **kwargs)
    except ValueError as exc:
        errors.show(exc, text=errors.sentence)
    else:
        st.session_state["_tracker_flash"] = "Saved."
        if form_counter:
            st.session_state[form_counter] = st.session_state.get(form_counter, 0) + 1
        st.rerun()


if flash := st.session_state.pop("_tracker_flash", None):
    st.success(flash)


groups = list(dict.fromkeys(frame["group"]))  # the library has put them in review order
for group in groups:
    st.subheader(group)
    part = frame[frame["group"] == group]
    for row in part.itertuples():
        due = tracker_lib.due_label(row)
        flag = " · ⚠ OVERDUE" if row.overdue else ""
        with st.container(border=True):
            st.markdown(f"**Action {row.id}** · {STATUS_MARK[row.status]}{flag}")
            st.text(row.text)
            st.caption(
                f"Owner: {plain(row.owner, 40)} · Raised: {date_text(row.raised_on)}, "
                f"{plain(row.raised_at, 80)} · Due: {plain(due, 200)}"
                + (f" · About: {metric_names.get(row.metric, row.metric)}" if isinstance(row.metric, str) else "")
                + (f" · Area: {area_names.get(row.area, row.area)}" if isinstance(row.area, str) else "")
            )
            for update in updates.get(int(row.id), []):
                st.text(f"Update {date_text(update['given_on'])}: {update['text']}")
            with st.expander("Update, edit, close or see the history" if editing else "See the history"):
                if editing:
                    with st.form(f"update_{row.id}", clear_on_submit=True):
                        text = st.text_area("Update given", key=f"update_text_{row.id}")
                        given_on = st.date_input(
                            "Given on", value=today, key=f"update_date_{row.id}", format="DD/MM/YYYY"
                        )
                        if st.form_submit_button("Add update"):
                            _save(tracker_lib.add_update, int(row.id), text=text, given_on=given_on, by=who)
                    with st.form(f"edit_{row.id}"):
                        new_text = st.text_area("Action", value=row.text, key=f"edit_text_{row.id}")
                        new_owner = st.text_input(
                            "Owner (role as written)", value=row.owner, key=f"edit_owner_{row.id}"
                        )
                        new_due = st.text_input(
                            "Due (as agreed)",
                            value=row.due_text if isinstance(row.due_text, str) else "",
                            key=f"edit_due_{row.id}",
                            help="Kept as written and read as a date again from today. " + DEADLINE_CONVENTION,
                        )
                        if st.form_submit_button("Save changes"):
                            _save(
                                tracker_lib.edit_action,
                                int(row.id),
                                by=who,
                                text=new_text,
                                owner=new_owner,
                                due_text=new_due,
                            )
                    with st.form(f"status_{row.id}"):
                        choices = [s for s in tracker_lib.STATUSES if s != row.status]
                        status = st.selectbox("Change status to", choices, key=f"status_choice_{row.id}")
                        reason = st.text_input("Reason (required to withdraw)", key=f"status_reason_{row.id}")
                        if st.form_submit_button("Change status"):
                            _save(tracker_lib.set_status, int(row.id), status, by=who, reason=reason)
                history = tracker_lib.history(con, int(row.id))
                if len(history):
                    st.markdown("**History**")
                    data_table(
                        history,
                        HISTORY_HEADERS | {"field": "Field", "old_value": "Old value", "new_value": "New value"},
                    )
                else:
                    st.caption("No changes since it was recorded from the minutes.")

if editing:
    st.divider()
    left, right = st.columns(2)
    with left:
        st.subheader("Add an action")
        with st.form(f"add_action_{st.session_state.get('_add_action_form', 0)}"):
            meeting_id = st.selectbox("Raised at", list(meeting_labels), format_func=meeting_labels.get)
            text = st.text_area("Action")
            owner = st.text_input("Owner (role as written, e.g. T/CC)")
            due_text = st.text_input(
                "Due (as agreed, e.g. 'Q3 A&A performance meeting' or '31 March 2025')",
                help="Kept as written and read as a date from the meeting that raised it. " + DEADLINE_CONVENTION,
            )
            quarters = [q.label for q in (Quarter.containing(today).shift(k) for k in range(-4, 5))]
            due_quarter = st.selectbox(
                "Due at the A&A performance meeting for",
                ["(none)", *quarters],
                help="Resolves once that meeting is scheduled. Left at (none), a due text that names the meeting (“Q3 A&A performance meeting”, “the next A&A meeting”) is read for you.",
            )
            due_date = st.date_input("Or due by date", value=None, format="DD/MM/YYYY")
            metric = st.selectbox(
                "About metric", ["(none)", *metric_names], format_func=lambda c: metric_names.get(c, c)
            )
            area = st.selectbox("About area", ["(none)", *area_names], format_func=lambda c: area_names.get(c, c))
            if st.form_submit_button("Add action"):
                _save(
                    tracker_lib.add_action,
                    meeting_id=meeting_id,
                    text=text,
                    owner=owner,
                    by=who,
                    due_text=due_text,
                    due_meeting_quarter=None if due_quarter == "(none)" else due_quarter,
                    due_date=due_date,
                    metric=None if metric == "(none)" else metric,
                    area=None if area == "(none)" else area,
                    form_counter="_add_action_form",
                )
    with right:
        st.subheader("Schedule a meeting")
        st.caption(
            "Actions due 'at the Q3 A&A performance meeting' take the date of that meeting once it is scheduled."
        )
        with st.form("schedule_meeting", clear_on_submit=True):
            held_on = st.date_input("Date", value=None, format="DD/MM/YYYY")
            quarter = st.selectbox(
                "Performance quarter discussed",
                [q.label for q in (Quarter.containing(today).shift(k) for k in range(-8, 5))],
            )
            if st.form_submit_button("Schedule"):
                _save(tracker_lib.schedule_meeting, held_on=held_on, quarter_discussed=quarter, by=who)
