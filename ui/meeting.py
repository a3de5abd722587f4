"""The meeting room display: one slide at a time, readable from the back of the room, live, read-only.

``display()`` is all that meeting mode runs. It reads (the meetings, the agenda, the action
tracker, the dataset, the recommendations) and draws; it calls no function that writes, and
shows no input widget except the two navigation buttons (and two hidden ones for a presenter's
clicker, which sends Page Up / Page Down). The display reruns as soon as the data version moves
(ui/live.py), so an action the minute-taker records elsewhere appears without anyone touching
the display; if a re-read fails, the last good slide stays up with a small note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from assurance.core.deadlines import APPROXIMATE_NOTE
from assurance.domain.commitments import record
from assurance.domain.commitments.actions import tracker
from assurance.domain.commitments.agenda import agenda, default_agenda_frame, default_meeting, meeting_label, meetings
from assurance.domain.performance import ILLUSTRATIVE_NOTE, Dataset, any_illustrative
from assurance.products.meeting.content import (
    arising_actions,
    assessment_table,
    fit_rows,
    focus_chart_data,
    focus_table,
    hmicfrs_table,
    report_names,
    review_actions,
)
from assurance.products.meeting.slides import TITLE_KIND, Slide, build_slides, meeting_when, quarter_words, slide_number
from ui import selection, session
from ui.meeting_chart import focus_chart
from ui.shared import Version, frozen_figure, shared
from ui.shared import version as shared_version
from ui.style import MEETING_CSS, SLIDE_SCALE_CSS
from ui.text import plain

LAST_GOOD = "_meeting_last_good"
LAST_ERROR = "_meeting_last_error"  # kept for whoever debugs the display; never shown on it
CURRENT = "_meeting_slide"
COUNT = "_meeting_slide_count"
# How much table fits a slide at 28 px (1920 x 1080), in lines of wrapped table text (38 px each): from below the
# subheading (about 240 px down, after the table's header row) to the room kept clear of the navigation bar (about
# 990 px), less the lines of text around the table. Each row also takes its padding and border, about 0.45 of a
# line. Characters
# per line are for each column's usual width at 28 px, rounded down so a row is never taller than counted.
# tests/e2e/test_meeting_browser.py fills a slide with actions and checks it still fits.
TABLE_LINES = 19
ROW_LINES = 0.45
REVIEW_WRAPS = {"Action": 62, "Due": 16, "Status": 24}  # four columns: the action has about half the width
ARISING_WRAPS = {"Action": 105, "Due": 16}  # the action has most of the width
HMICFRS_WRAPS = {"Recommendation": 36, "Deadline as said": 16, "Date": 20, "Today": 22}


@dataclass
class View:
    """Everything one slide shows, read and computed before any of it is drawn; shared by every display showing
    the same slide (``ui.shared``), so never changed once built."""

    meeting_id: str | None = None
    meeting_text: str = ""
    slides: list[Slide] = field(default_factory=list)
    number: int = 1
    notices: list[str] = field(default_factory=list)
    message: str | None = None  # shown instead of a slide (no meetings, no database)
    lines: list[str] = field(default_factory=list)  # plain lines of text (title and text slides)
    agenda_lines: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    shown_table: pd.DataFrame | None = None  # the table as drawn: every cell escaped, once per view (_literal)
    empty: str | None = None  # what to say when the table has no rows
    more: str | None = None
    chart: go.Figure | None = None
    footnotes: list[str] = field(default_factory=list)
    illustrative_banner: bool = False

    @property
    def slide(self) -> Slide | None:
        return self.slides[self.number - 1] if self.slides else None


def _md(text: object, limit: int = 200) -> str:
    return plain(text, limit)


def _focus(ds: Dataset, wanted: str | None, notices: list[str]) -> str:
    if not wanted:
        return selection.DEFAULT_LPA
    code = selection.lpa_code(ds, wanted)
    if code is None:
        notices.append(f"There is no LPA called “{_md(wanted, 40)}”; the LPA focus shows Shropshire.")
        return selection.DEFAULT_LPA
    return code


def _content(
    view: View, slide: Slide, con, ds: Dataset, meeting: dict, quarter: str | None, focus: str, today: date
) -> None:
    """Fill the view with what this slide shows (reads here; drawing happens later)."""
    no_figures = ds.observations.empty or quarter is None
    if slide.kind == TITLE_KIND:
        view.lines = [
            meeting_when(meeting),
            f"Chair: {_md(meeting.get('chair') or 'not recorded', 80)}",
            f"Performance discussed: {quarter_words(meeting.get('quarter_discussed'))}",
        ]
        view.agenda_lines = [
            f"{i}. {_md(s.heading, 120)}" for i, s in enumerate(_first_of_each_item(view.slides), start=1)
        ]
        view.illustrative_banner = not no_figures and any_illustrative(ds, quarter)
        return
    if slide.kind in ("cc_assessment", "lpa_focus") and no_figures:
        view.empty = "No quarterly figures are loaded yet."
        return
    if slide.kind == "actions_review":
        frame = review_actions(tracker(con, today), meeting, today)
        # Less the agenda's notes (up to three lines) and the "… and N more" line.
        view.table, hidden = _fit(frame, REVIEW_WRAPS, TABLE_LINES - 4)
        view.empty = "✓ No outstanding actions: none is due at this meeting and none is overdue."
        if slide.notes:
            view.lines = [f"From the agenda: {_md(slide.notes, 300)}"]
        if hidden:
            view.more = f"… and {hidden} more open action{'s' if hidden != 1 else ''}: see the action tracker."
    elif slide.kind == "actions_arising":
        frame = arising_actions(tracker(con, today), meeting["id"])
        view.table, hidden = _fit(frame, ARISING_WRAPS, TABLE_LINES - 1, keep="last")  # less the "N earlier" line
        view.empty = "No actions recorded yet. New actions appear here as they are added to the action tracker."
        if hidden:
            view.more = f"{hidden} earlier action{'s' if hidden != 1 else ''} not shown: see the action tracker."
    elif slide.kind == "cc_assessment":
        view.table, illustrative = assessment_table(ds, quarter, slide.part)
        view.footnotes = (
            ["\\* Illustrative target, not an adopted one."] if view.table["Target"].str.endswith("*").any() else []
        )
        if illustrative:
            view.footnotes.append("🧪 Illustrative demo figures, not official West Mercia Police statistics.")
    elif slide.kind == "lpa_focus" and slide.part == 1:
        view.table, illustrative = focus_table(ds, quarter, focus)
        view.footnotes = ["Counts are compared per head of population; ranks: 1 = best of the five LPAs."]
        if illustrative:
            view.footnotes.append("🧪 Illustrative demo figures, not official West Mercia Police statistics.")
    elif slide.kind == "lpa_focus":
        view.chart = frozen_figure(focus_chart(focus_chart_data(ds, quarter, focus), ds, quarter))
        view.footnotes = ["Dark bar and ▶: the focus LPA. Dashed line: the force figure. Higher is better."]
        if any_illustrative(ds, quarter):
            view.footnotes.append("🧪 Illustrative demo figures, not official West Mercia Police statistics.")
    elif slide.kind == "hmicfrs":
        from assurance.domain.commitments.recommendations import recommendations_table, status_label

        recs = recommendations_table(con, today)
        view.table = hmicfrs_table(recs, status_label)
        # Less the report line, two footnotes and the "… and N more" line.
        view.table, hidden = _fit(view.table, HMICFRS_WRAPS, TABLE_LINES - 5)
        view.empty = "No HMICFRS recommendations are recorded."
        view.lines = [f"Report: {_md(name, 160)}" for name in report_names(recs)]
        view.footnotes = [
            f"Deadlines as said in the meeting, the date each resolves to, and how it stands on {today:%-d %B %Y}.",
            APPROXIMATE_NOTE,
        ]
        if hidden:
            view.more = f"… and {hidden} more: see the HMICFRS recommendations page."
    else:  # text
        view.lines = [_md(slide.notes, 600)] if slide.notes else []


def _fit(frame: pd.DataFrame, wraps: dict[str, int], lines: float, keep: str = "first") -> tuple[pd.DataFrame, int]:
    first, *rest = wraps
    return fit_rows(
        frame, first, lines=lines, chars_per_line=wraps[first], keep=keep, wraps={k: wraps[k] for k in rest},
        row_lines=ROW_LINES,
    )  # fmt: skip


def _first_of_each_item(slides: list[Slide]) -> list[Slide]:
    seen, out = set(), []
    for s in slides:
        if s.item is not None and s.item not in seen:
            seen.add(s.item)
            out.append(s)
    return out


def load_view() -> View:
    """Read everything the current slide needs; raises if the data cannot be read. Every display showing the same
    slide of the same data version shares one view, computed once; the address is completed here, per display."""
    params = st.query_params
    wanted = params.get("meeting")
    view = _shared_view(shared_version(), date.today(), wanted, params.get("lpa"), params.get("slide"))
    if view.meeting_id is not None:
        if not wanted:
            params["meeting"] = view.meeting_id
        if "slide" not in params:
            params["slide"] = str(view.number)
    return view


@shared(max_entries=64)
def _shared_view(
    version: Version, today: date, wanted: str | None, wanted_lpa: str | None, wanted_slide: str | None
) -> View:
    """The view of one slide, for the meeting, LPA and slide asked for in the address (each may be missing)."""
    view = View()
    con = session.connection()
    frame = meetings(con)
    if frame.empty:
        view.message = "No meetings are recorded yet. Load the seeded meeting with `python -m assurance init --demo`."
        return view
    ids = frame["id"].tolist()
    meeting_id = wanted if wanted in ids else default_meeting(frame, today)
    meeting = record.meeting(con, meeting_id)
    if wanted and wanted not in ids:
        view.notices.append(f"There is no meeting “{_md(wanted, 60)}”; showing {_md(meeting_label(meeting), 100)}.")
    items = agenda(con, meeting_id)
    if items.empty:
        items = default_agenda_frame()
        view.notices.append("No agenda is stored for this meeting: showing the default A&A agenda.")
    ds = session.dataset()
    quarter = meeting.get("quarter_discussed")
    if ds.observations.empty:
        quarter = None
    elif quarter not in ds.quarters:
        view.notices.append(
            f"The figures for {_md(quarter or 'the quarter discussed', 20)} are not loaded; "
            f"showing {ds.latest_quarter}."
        )
        quarter = ds.latest_quarter
    focus = _focus(ds, wanted_lpa, view.notices) if not ds.observations.empty else selection.DEFAULT_LPA
    focus_name = ds.area_name(focus) if not ds.areas.empty else "Shropshire"
    view.meeting_text = meeting_label(meeting)
    view.slides = build_slides(meeting, items, quarter, focus_name)
    view.number, problem = slide_number(wanted_slide, len(view.slides))
    if problem:
        view.notices.append(problem)
    _content(view, view.slide, con, ds, meeting, quarter, focus, today)
    if view.table is not None and not view.table.empty:
        view.shown_table = _literal(view.table)
    view.meeting_id = meeting_id
    return view


def _literal(frame: pd.DataFrame) -> pd.DataFrame:
    """Table cells render Markdown: escape every text cell so recorded words show exactly as written."""
    return frame.astype(str).map(lambda v: plain(v, 2000))


def render(view: View, stale: bool = False) -> None:
    """Draw one slide from a view (no reads, no writes)."""
    slide = view.slide
    left, right = st.columns([5, 1])
    left.caption(_md(view.meeting_text, 120))
    with right.container(key="meeting_position"):
        st.caption(f"{view.number} / {len(view.slides)}" + (" · updating…" if stale else ""))
    for notice in view.notices:
        st.warning(notice, icon="ℹ️")
    if view.message or slide is None:
        st.markdown(view.message or "Nothing to show yet.")
        return
    if slide.kind == TITLE_KIND:
        st.title(_md(slide.heading, 160))
        for line in view.lines:
            st.markdown(line)
        if view.agenda_lines:
            st.subheader("Agenda")
            st.markdown("  \n".join(view.agenda_lines))
        if view.illustrative_banner:
            st.info(ILLUSTRATIVE_NOTE, icon="🧪")
        return
    st.title(_md(slide.heading, 160))
    if slide.subheading and slide.kind != "text":
        st.subheader(slide.subheading)  # built from the catalogue and the quarter, not from user text
    for line in view.lines:
        st.markdown(line)
    if view.chart is not None:
        with st.container(key="meeting_chart"), st.container(key="meeting_plot"):  # scaled: ui.style.SLIDE_SCALE_CSS
            st.plotly_chart(
                view.chart, config={"displayModeBar": False, "staticPlot": True}, width="stretch", theme=None
            )
    elif view.table is not None:
        if view.table.empty:
            st.markdown(view.empty or "Nothing to show.")
        else:
            st.table(view.shown_table, hide_index=True)
    elif view.empty:
        st.markdown(view.empty)
    if view.more:
        st.markdown(view.more)
    for note in view.footnotes:
        st.caption(note)


def live_slide() -> None:
    """Read and draw the slide; on a failed read keep the last good slide. The page reruns when the data change
    (ui/live.py), so a recorded action appears without anyone touching the display."""
    stale = False
    try:
        view = load_view()
    except Exception as exc:  # a read racing a change, a locked file: keep what the room is reading
        st.session_state[LAST_ERROR] = repr(exc)
        view = st.session_state.get(LAST_GOOD)
        stale = True
        if view is None:
            st.markdown("The display is waiting for the data… it will appear in a moment.")
            return
    else:
        st.session_state[LAST_GOOD] = view
    st.session_state[CURRENT] = view.number
    st.session_state[COUNT] = max(1, len(view.slides))
    render(view, stale)


def _go(step: int) -> None:
    count = int(st.session_state.get(COUNT, 1))
    current = int(st.session_state.get(CURRENT, 1))
    st.query_params["slide"] = str(min(max(current + step, 1), count))


def navigation() -> None:
    """◀ Previous and Next ▶ (arrow keys), and hidden twins for a clicker's Page Up / Page Down."""
    with st.container(key="meeting_nav"):
        left, _, right = st.columns([1, 3, 1])
        left.button("◀ Previous", key="meeting_previous", shortcut="Left", on_click=_go, args=(-1,))
        with right.container(horizontal=True, horizontal_alignment="right"):
            st.button("Next ▶", key="meeting_next", shortcut="Right", on_click=_go, args=(1,))
    with st.container(key="meeting_clicker"):
        st.button("Page up", key="meeting_page_up", shortcut="PageUp", on_click=_go, args=(-1,))
        st.button("Page down", key="meeting_page_down", shortcut="PageDown", on_click=_go, args=(1,))


def display() -> None:
    """Meeting mode: the styles, the live slide and the navigation. Nothing here writes."""
    st.html(MEETING_CSS + SLIDE_SCALE_CSS)
    live_slide()
    navigation()
