"""Briefing pack: the PCC's briefing for a meeting as an A4 PDF and an HTML file, with its content previewed here.

The preview, the PDF and the HTML file are drawn from one content object (assurance.products.briefing), built from
the same data and calculations as every other page. The page chooses its own meeting and focus LPA, so it
does not depend on the sidebar. User text is shown as plain text, never as HTML.
"""

from datetime import date

import streamlit as st

from assurance.core.deadlines import as_date
from assurance.products.briefing.content import DEFAULT_FOCUS, BriefingError
from assurance.products.briefing.model import Bullets, Chart, Paragraph, QuestionList, Subheading, Table
from assurance.products.briefing.render import render
from ui import errors, live, session, shared
from ui.text import safe
from ui.views.briefing import meeting_rows, preview

FILES_KEY = "_briefing_files"

ds = session.dataset()
today = date.today()
version = shared.version()  # read once: everything below is of this data version, computed once for all sessions

st.title("Briefing pack")
st.caption(
    "The PCC's briefing for an A&A meeting: headline metrics against targets, exceptions, the focus LPA against the "
    "others, commitments, and suggested questions for the Chief Constable from fixed rules. Build it as an A4 PDF "
    "and a standalone HTML file; the preview below is the same content."
)

rows = meeting_rows(version)
if not rows:
    st.info("No meetings are recorded yet. Import minutes or schedule a meeting on the Action tracker page first.")
    live.stop()
by_id = {row["id"]: row for row in rows}


def _meeting_label(meeting_id: str) -> str:
    row = by_id[meeting_id]
    quarter = row["quarter_discussed"] if isinstance(row["quarter_discussed"], str) else "quarter not named"
    return f"{as_date(row['held_on']):%-d %b %Y}: {row['title']} ({quarter}, {row['status']})"


lpa_names = dict(zip(ds.lpas["code"], ds.lpas["name"], strict=True))
codes = list(lpa_names)
left, right = st.columns([3, 1])
meeting_id = left.selectbox("Meeting", list(by_id), format_func=_meeting_label, key="briefing_meeting")
focus = right.selectbox(
    "Focus LPA",
    codes,
    index=codes.index(DEFAULT_FOCUS) if DEFAULT_FOCUS in codes else 0,
    format_func=lpa_names.get,
    key="briefing_lpa",
)


try:
    # Shared by every session until the data or a commitment changes (the version) or the day does. The built
    # files belong to exactly this content (its fingerprint): any change of meeting, LPA, data or commitments
    # invalidates them.
    view = preview(version, meeting_id, focus, today)
except BriefingError as exc:
    errors.show(exc, "The briefing cannot be built: ")
    live.stop()
briefing, fingerprint = view.briefing, view.fingerprint
stem = f"briefing-{briefing.cover.meeting_id}-{focus}"

if st.button("Build the briefing pack", type="primary", icon="📄"):
    with st.spinner("Drawing the charts and laying out the PDF…"):
        result = render(briefing)
    st.session_state[FILES_KEY] = {
        "fingerprint": fingerprint,
        "pdf": result.pdf,
        "html": result.html.encode("utf-8"),
        "pages": result.pages,
        "seconds": sum(result.seconds.values()),
        "problems": sorted(set(result.chart_problems.values())),
    }

files = st.session_state.get(FILES_KEY)
if files and files["fingerprint"] == fingerprint:
    st.success(f"Built: {files['pages']} A4 pages in {files['seconds']:.1f} s.", icon="✅")
    for column, (kind, mime) in zip(st.columns(2), [("pdf", "application/pdf"), ("html", "text/html")], strict=True):
        column.download_button(
            f"Download the {kind.upper()}",
            data=files[kind],
            file_name=f"{stem}.{kind}",
            mime=mime,
            icon="⬇️",
            key=f"briefing_download_{kind}",
        )
    if files["problems"]:
        st.warning("Some charts were not drawn, and a note stands in for each: " + safe("; ".join(files["problems"])))
elif files:
    st.caption("The meeting, the focus LPA or the data have changed since the last build: build the pack again.")

st.divider()
st.header("Preview")
cover = briefing.cover
st.subheader(safe(f"{briefing.TITLE}: {cover.meeting_title}"))
st.table(view.cover, hide_index=True)
if cover.quarter_note:
    st.warning(safe(cover.quarter_note), icon="⚠️")
if cover.illustrative_notice:
    st.info(safe(cover.illustrative_notice), icon="🧪")
st.markdown("**In brief**\n\n" + "\n".join(f"- {safe(item)}" for item in cover.in_brief))

for i, section in enumerate(briefing.sections):
    st.header(safe(section.heading), anchor=section.key)
    for j, block in enumerate(section.blocks):
        if isinstance(block, Paragraph):
            if block.kind == "notice":
                st.info(safe(block.text), icon="🧪")
            elif block.kind == "note":
                st.caption(safe(block.text))
            else:
                st.markdown(safe(block.text))
        elif isinstance(block, Subheading):
            st.subheader(safe(block.text))
        elif isinstance(block, Bullets):
            st.markdown("\n".join(f"- {safe(item)}" for item in block.items))
        elif isinstance(block, Table):
            st.caption(safe(block.caption))
            # As in the PDF and HTML it previews: every column on screen, long cells wrapped (st.table), text escaped.
            st.table(view.tables[i, j], hide_index=True)
        elif isinstance(block, Chart):
            st.plotly_chart(block.figure, key=f"briefing_{block.key}", width="stretch")
            st.caption(safe(block.caption or block.title))
        elif isinstance(block, QuestionList):
            for number, question in enumerate(block.items, start=1):
                with st.container(border=True):
                    st.markdown(f"**{number}.** {safe(question.text)}")
                    basis = f"Rule: {question.rule_title} ({question.rule}). Figures: {'; '.join(question.figures)}"
                    st.caption(safe(basis))
