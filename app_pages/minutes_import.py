"""Import minutes: paste or upload the minutes of a meeting, review what they propose, save only what is accepted.

Nothing is written until "Save accepted items", which runs the same validation as
`python -m assurance minutes FILE --apply`. Every piece of text from the minutes is shown in tables or
escaped: minutes may contain anything, and none of it is ever rendered as markup.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assurance.core.deadlines import deadline_date_text, read_deadline
from assurance.domain.commitments.meeting_file import ACTION_FIELDS, PLEDGE_FIELDS
from assurance.domain.commitments.minutes import apply, known_codes, saved_counts, validate
from assurance.sources.minutes import (
    COMPARISONS,
    DIRECTIONS,
    LOOSE_DEADLINE_NOTE,
    MAX_MINUTES_BYTES,
    PERIODS,
    MinutesError,
    ProposalInvalid,
    decode_minutes,
    read_minutes,
)
from ui import auth, errors, live, session, style
from ui.text import plain

PROPOSAL = "minutes_proposal"
WARNINGS = "minutes_warnings"
SAVED = "minutes_saved"
SECTIONS = ("meeting", "attendees", "agenda", "actions", "recommendations", "pledges", "claims")
MEETING_FIELDS = {
    "id": "Meeting id",
    "held_on": "Held on (YYYY-MM-DD)",
    "starts_at": "Starts at",
    "title": "Title",
    "kind": "Kind",
    "quarter_discussed": "Performance discussed (quarter)",
    "chair": "Chair",
    "minute_taker": "Minutes taken by",
    "source_document": "Source document",
}


def editor_key(section: str) -> str:
    return f"minutes_edit_{section}"


def _read(pasted: str, uploaded, meeting_date) -> None:
    """Read the uploaded file (else the pasted text) and keep the proposal in the session; nothing is saved."""
    try:
        if uploaded is not None:
            data = uploaded.getvalue()
            text, source = decode_minutes(data, source=uploaded.name), uploaded.name
        else:
            text, source = pasted, None
        proposal = read_minutes(text, source=source, meeting_date=meeting_date)
    except MinutesError as exc:
        st.session_state.pop(PROPOSAL, None)
        errors.show(exc, text=lambda words: plain(words, limit=400))
        return
    for section in SECTIONS:  # edits made to an earlier reading do not carry over
        st.session_state.pop(editor_key(section), None)
    st.session_state[PROPOSAL] = proposal.to_meeting_json()
    st.session_state[WARNINGS] = list(proposal.warnings)
    st.session_state.pop(SAVED, None)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    frame.insert(0, "Accept", True)
    return frame


def _accepted(edited: pd.DataFrame) -> list[dict]:
    """The accepted rows as plain dicts (NaN and empty text -> None)."""
    rows = edited[edited["Accept"].fillna(False).astype(bool)].drop(columns=["Accept"])
    return [
        {k: (None if (v is None or (not isinstance(v, str) and pd.isna(v))) else v) for k, v in row.items()}
        for row in rows.astype(object).to_dict("records")
    ]


def _text_columns(names: list[str]) -> dict:
    return {name: st.column_config.TextColumn(name.replace("_", " ").capitalize()) for name in names}


def _editor(section: str, frame: pd.DataFrame, config: dict, height: int | None = None) -> pd.DataFrame:
    return st.data_editor(
        frame,
        key=editor_key(section),
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        column_config={"Accept": st.column_config.CheckboxColumn("Accept", default=True)} | config,
        height=height or style.table_height(len(frame)),
    )


st.title("Import minutes")
st.caption(
    "Paste or upload the minutes of a meeting. The reader proposes the meeting, attendees, agenda, actions, "
    "HMICFRS recommendations, pledges and quoted figures. Review each item — untick Accept to leave it out, "
    "edit any cell — then save. Nothing is written to the database before you press “Save accepted items”."
)

if auth.read_only("import minutes (actions, recommendations, pledges and figures quoted)"):
    live.stop()
if SAVED in st.session_state:
    st.success(st.session_state[SAVED], icon="✅")

pasted = st.text_area(
    "Minutes text",
    key="minutes_text",
    height=220,
    placeholder="Date: Wednesday 27th November – 10:00hrs\nChair: …\nMinutes: …\n- Name – Role (ABBR)\n…",
)
uploaded = st.file_uploader(
    f"…or upload the minutes as a text file (.txt, at most {MAX_MINUTES_BYTES // 1_000_000} MB)",
    type=["txt"],
    max_upload_size=max(1, MAX_MINUTES_BYTES // 1_000_000),  # MB: refused in the browser before it is sent
    key="minutes_file",
)
meeting_date = st.date_input(
    "Meeting date — only needed when the minutes do not give the year",
    value=None,
    key="minutes_date",
    format="DD/MM/YYYY",
)
if st.button("Read the minutes", type="primary"):
    _read(pasted, uploaded, meeting_date)

proposal = st.session_state.get(PROPOSAL)
if not proposal:
    live.stop()

warnings = st.session_state.get(WARNINGS) or []
if warnings:
    st.warning(f"{len(warnings)} thing{'s' if len(warnings) != 1 else ''} to check before saving:", icon="🔎")
    st.dataframe(pd.DataFrame({"To check": warnings}), hide_index=True, width="stretch")

con = session.connection()
areas, metrics = known_codes(con)
# The tables keep the codes the database stores but show the names people use.
ds = session.dataset()
area_names = dict(zip(ds.areas["code"], ds.areas["name"], strict=True))
metric_names = {m.code: m.name for m in ds.metrics.values()}
WORDS = {
    "increase": "an increase", "decrease": "a decrease", "quarter": "the quarter", "year_to_date": "year to date",
    "rolling_12_months": "rolling 12 months", "none": "no comparison", "previous_quarter": "on the previous quarter",
    "same_period_last_year": "on the same period last year", "previous_12_months": "on the previous 12 months",
}  # fmt: skip


def _named(names: dict):
    return lambda code: names.get(code, WORDS.get(code, str(code).replace("_", " ")))


area_column = st.column_config.SelectboxColumn("Area", options=areas, format_func=_named(area_names))
metric_column = st.column_config.SelectboxColumn("Metric", options=metrics, format_func=_named(metric_names))

st.subheader("Meeting")
if not proposal.get("held_on"):
    st.info(
        "The meeting date could not be worked out. Pick it in “Meeting date” above and read the minutes again, "
        "or fill in the date and the id below.",
        icon="📅",
    )
meeting_frame = pd.DataFrame(
    {"Field": list(MEETING_FIELDS.values()), "Value": [proposal.get(k) for k in MEETING_FIELDS]}
).astype(object)
meeting_edited = st.data_editor(
    meeting_frame,
    key=editor_key("meeting"),
    hide_index=True,
    num_rows="fixed",
    width="stretch",
    disabled=["Field"],
    column_config={"Value": st.column_config.TextColumn("Value")},
    height=style.table_height(len(meeting_frame)),
)

st.subheader("Attendees")
attendees = _editor(
    "attendees",
    _frame(proposal["attendees"], ["name", "role", "abbreviation", "organisation"]),
    _text_columns(["name", "role", "abbreviation", "organisation"]),
)

st.subheader("Agenda")
agenda = _editor("agenda", _frame(proposal["agenda"], ["title", "notes"]), _text_columns(["title", "notes"]))

st.subheader("Actions")
st.caption("Each action is counted once, even when the closing summary repeats it. The owner is as written.")
actions = _editor(
    "actions",
    _frame(proposal["actions"], list(ACTION_FIELDS)),
    _text_columns(["text", "owner", "due_text", "due_meeting_kind", "due_meeting_quarter"])
    | {
        "agenda_item": st.column_config.NumberColumn("Agenda item", min_value=1, step=1),
        "metric": metric_column,
        "area": area_column,
    },
)

st.subheader("HMICFRS recommendations")
rec_columns = ["report", "report_published", "number", "subject", "force_response", "deadline_text", "status"]
recommendations = _editor(
    "recommendations",
    _frame(proposal["recommendations"], rec_columns),
    _text_columns(["report", "subject", "force_response", "deadline_text"])
    | {
        "report_published": st.column_config.TextColumn("Published (YYYY-MM-DD)"),
        "number": st.column_config.NumberColumn("No.", min_value=1, step=1),
        "status": st.column_config.SelectboxColumn("Status", options=["open", "in progress", "complete", "closed"]),
    },
)
st.caption(LOOSE_DEADLINE_NOTE)
held_on = None
try:
    held_on = pd.Timestamp(meeting_edited.set_index("Field")["Value"][MEETING_FIELDS["held_on"]]).date()
except (TypeError, ValueError):
    pass
if held_on is not None and len(recommendations):
    resolved = [
        {
            "No.": row.get("number"),
            "Deadline as written": row.get("deadline_text"),
            "Resolves to": deadline_date_text(
                found.day if (found := read_deadline(row.get("deadline_text"), held_on)) else None,
                found.approximate if found else False,
                row.get("deadline_text"),
            ),
        }
        for row in recommendations.astype(object).where(recommendations.notna(), None).to_dict("records")
    ]
    st.dataframe(pd.DataFrame(resolved), hide_index=True)

st.subheader("Pledges")
pledges = _editor(
    "pledges",
    _frame(proposal["pledges"], list(PLEDGE_FIELDS)),
    _text_columns(["owner", "text"])
    | {
        "area": area_column,
        "metric": metric_column,
        "direction": st.column_config.SelectboxColumn("Direction", options=list(DIRECTIONS), format_func=_named({})),
        "horizon_months": st.column_config.NumberColumn("Over (months)", min_value=1, step=1),
    },
)

st.subheader("Figures quoted (claims)")
claim_columns = ["speaker", "text", "metric", "area", "quarter", "period", "comparison", "stated_value", "tolerance"]
claims = _editor(
    "claims",
    _frame(proposal["claims"], claim_columns),
    _text_columns(["speaker", "text", "quarter"])
    | {
        "metric": metric_column,
        "area": area_column,
        "period": st.column_config.SelectboxColumn("Period", options=list(PERIODS), format_func=_named({})),
        "comparison": st.column_config.SelectboxColumn("Comparison", options=list(COMPARISONS), format_func=_named({})),
        "stated_value": st.column_config.NumberColumn("Stated value", format="%.2f"),
        "tolerance": st.column_config.NumberColumn("Tolerance", min_value=0.0, format="%.2f"),
    },
)
st.caption(
    "A change in a count is in per cent; a change in a rate is in percentage points. "
    "The tolerance is how far the data may differ from the stated figure and still agree."
)


def _meeting_record() -> dict:
    """The reviewed meeting in the data/meetings JSON format: accepted rows only, agenda numbers re-counted."""
    values = dict(zip(MEETING_FIELDS, meeting_edited["Value"], strict=True))
    meeting = {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in values.items()}
    kept_agenda = [i + 1 for i, keep in enumerate(agenda["Accept"].fillna(False).astype(bool)) if keep]
    renumber = {old: new for new, old in enumerate(kept_agenda, start=1)}
    actions_kept = _accepted(actions)
    for action in actions_kept:
        item = action.get("agenda_item")
        action["agenda_item"] = renumber.get(int(item)) if item is not None else None
    return meeting | {
        "attendees": _accepted(attendees),
        "agenda": _accepted(agenda),
        "actions": actions_kept,
        "recommendations": _accepted(recommendations),
        "pledges": _accepted(pledges),
        "claims": _accepted(claims),
    }


def _not_saved(problems: list[str]) -> None:
    st.error("Nothing was saved. Fix these and press Save again:", icon="⚠️")
    st.dataframe(pd.DataFrame({"Problem": problems}), hide_index=True, width="stretch")


st.divider()
who = auth.editor_name()
if st.button("Save accepted items", type="primary"):
    record = _meeting_record()
    problems = validate(record, con)
    if not who:
        problems.insert(0, "Enter your name: the audit trail records who imported the minutes")
    if problems:
        _not_saved(problems)
    else:
        try:
            with session.writer() as writable:
                mid = apply(writable, record, changed_by=who)
        except ProposalInvalid as exc:
            _not_saved(exc.details())
        except Exception as exc:  # a person gets a sentence, never a traceback
            errors.show(exc, "Nothing was saved: ", text=lambda words: plain(words, limit=300))
        else:
            counts = ", ".join(f"{n} {what}" for what, n in saved_counts(record).items())
            st.session_state[SAVED] = f"Saved meeting {plain(mid, limit=80)}: {counts}."
            for key in (PROPOSAL, WARNINGS, *(editor_key(s) for s in SECTIONS)):
                st.session_state.pop(key, None)
            st.rerun()
