"""The meeting room display, and the page where policy officers prepare it.

With ``?mode=meeting`` (dashboard.py routes it here with no sidebar) this page is the display
itself: ``ui.meeting.display()``, which only reads. Without it, this is the preparation page:
choose a meeting, see its slides, edit its agenda, and open the display. The agenda's write
functions are imported inside the editor only, never on the meeting-mode path.
"""

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from ui import meeting as display

MESSAGE_KEY = "_agenda_message"


def _editor() -> None:
    from assurance.domain.commitments import agenda as agenda_lib
    from assurance.domain.commitments import record
    from assurance.products.meeting.slides import build_slides
    from ui import auth, errors, selection, session

    con = session.connection()
    today = date.today()
    frame = agenda_lib.meetings(con)
    st.title("Meeting room display")
    st.caption(
        "Prepare the slides for the room's screen: they follow the meeting's agenda. The display is read-only, "
        "moves with the arrow keys or a presentation clicker (Page Up / Page Down), and shows new actions "
        "within seconds of the minute-taker adding them on the Action tracker page. Slides are laid out for a "
        "1920 × 1080 screen and scaled as a whole to the room's: smaller, such as a 1366 × 768 projector, or larger."
    )
    if frame.empty:
        st.warning("No meetings are recorded yet. Load the seeded meeting with `python -m assurance init --demo`.")
        return
    labels = {row["id"]: agenda_lib.meeting_label(row) for row in frame.to_dict("records")}
    ids = list(labels)
    default = agenda_lib.default_meeting(frame, today)
    meeting_id = st.selectbox(
        "Meeting", ids, index=ids.index(default) if default in ids else 0, format_func=labels.get, key="meeting_choice"
    )
    meeting = record.meeting(con, meeting_id)

    chosen = selection.selection()
    params = {"mode": "meeting", "meeting": meeting_id, "slide": 1}
    if chosen.lpa != selection.DEFAULT_LPA:
        params["lpa"] = chosen.lpa
    st.link_button(
        "🖥️ Open the meeting room display",
        f"?{urlencode(params)}",
        type="primary",
        help="Opens in a new tab: move it to the room's screen and press F11 for full screen.",
    )
    st.caption(
        f"The LPA focus slides show {chosen.lpa_name} (the focus LPA in the sidebar). On the display: → or Page Down "
        "for the next slide, ← or Page Up for the previous one. The slide number is in the address, so a refresh "
        "or a second screen opens the same slide."
    )

    errors.show_kept(MESSAGE_KEY)

    items = agenda_lib.agenda(con, meeting_id)
    ds = session.dataset()
    quarter = meeting.get("quarter_discussed") if meeting.get("quarter_discussed") in ds.quarters else ds.latest_quarter
    shown = items if not items.empty else agenda_lib.default_agenda_frame()
    slides = build_slides(meeting, shown, quarter, chosen.lpa_name)
    st.subheader(f"The slides ({len(slides)})")
    if items.empty:
        st.info("No agenda is stored for this meeting: the display shows the default A&A agenda.")
    st.table(
        [
            {"Slide": s.number, "Agenda item": "Title slide" if s.item is None else f"{s.item}. {s.heading}",
             "Shows": s.subheading if s.kind != "text" else "The item's title and notes"}
            for s in slides
        ],
        hide_index=True,
    )  # fmt: skip

    st.subheader("Edit the agenda")
    if auth.read_only("edit the agenda"):
        return
    who = auth.editor_name()

    def save(fn, *args, **kwargs) -> None:
        try:
            with session.writer() as writable:
                fn(writable, meeting_id, *args, by=who, **kwargs)
        except ValueError as exc:
            errors.keep(MESSAGE_KEY, exc, "Not saved: ")
        else:
            errors.keep(
                MESSAGE_KEY, errors.Message("success", "Saved. The display picks the change up within seconds.")
            )

    kinds = list(agenda_lib.SLIDE_KINDS)
    if items.empty:
        st.button("Use the default A&A agenda for this meeting", on_click=save, args=(agenda_lib.use_default_agenda,))
    for item in items.to_dict("records"):
        position = int(item["position"])
        stored = item["slides"] if isinstance(item["slides"], str) else None
        inferred = "" if stored else " (from the title)"
        with st.expander(f"{position}. {item['title']} · slides: {item['kinds'].replace(',', ', ')}{inferred}"):
            with st.form(f"agenda_{meeting_id}_{position}"):
                title = st.text_input("Title", value=item["title"], max_chars=agenda_lib.MAX_TITLE)
                notes = st.text_area("Notes (shown on a text slide)", value=item["notes"] or "")
                chosen = st.multiselect(
                    "Slides for this item (leave empty to infer them from the title)",
                    kinds,
                    default=stored.split(",") if stored else [],
                    format_func=agenda_lib.KIND_NAMES.get,
                )
                if st.form_submit_button("Save item"):
                    save(agenda_lib.edit_agenda_item, position, title=title, notes=notes, slides=chosen)
                    st.rerun()
            up, down, remove = st.columns(3)
            up.button(
                "Move up", key=f"up_{meeting_id}_{position}", disabled=position == 1,
                on_click=save, args=(agenda_lib.move_agenda_item, position, position - 1),
            )  # fmt: skip
            down.button(
                "Move down", key=f"down_{meeting_id}_{position}", disabled=position == len(items),
                on_click=save, args=(agenda_lib.move_agenda_item, position, position + 1),
            )  # fmt: skip
            remove.button(
                "Remove from the agenda", key=f"remove_{meeting_id}_{position}",
                on_click=save, args=(agenda_lib.remove_agenda_item, position),
            )  # fmt: skip

    with st.form(f"agenda_add_{meeting_id}", clear_on_submit=True):
        st.markdown("**Add an agenda item**")
        title = st.text_input("Title", max_chars=agenda_lib.MAX_TITLE, key="agenda_add_title")
        notes = st.text_area("Notes", key="agenda_add_notes")
        chosen = st.multiselect(
            "Slides (leave empty to infer them from the title)",
            kinds,
            format_func=agenda_lib.KIND_NAMES.get,
            key="agenda_add_slides",
        )
        if st.form_submit_button("Add item"):
            save(agenda_lib.add_agenda_item, title=title, notes=notes, slides=chosen)
            st.rerun()


if st.query_params.get("mode") == "meeting":
    display.display()
else:
    _editor()
