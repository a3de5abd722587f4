"""Assemble the briefing for one meeting from the database, through the same library calls as the dashboard.

``build_briefing(con, meeting, focus, today)`` returns a ``Briefing`` (see ``model.py``): every
figure comes from ``assurance.domain.performance``, ``assurance.domain.compare``, ``assurance.domain.commitments.actions``,
``assurance.domain.verdicts`` and ``assurance.domain.commitments.recommendations``, so the pack and the screen agree.
"""

from __future__ import annotations

from datetime import date

import duckdb

from assurance.core.deadlines import as_date
from assurance.core.periods import Quarter
from assurance.domain.commitments.markers import load_commitments
from assurance.domain.compare import (
    rebases_by_series,
    where_to_look_summary,
)
from assurance.domain.national.figures import unit_of_districts
from assurance.domain.performance import FORCE, Dataset, headline_table, load_dataset
from assurance.domain.verdicts import NO_DATA, NOT_MET
from assurance.products.briefing.commitments import (
    actions_blocks,
    claims_blocks,
    pledges_blocks,
    recommendations_blocks,
)
from assurance.products.briefing.common import (
    DEFAULT_FOCUS,
    ILLUSTRATIVE_NOTE,
    BriefingError,
    UnknownMeeting,
    as_text,
    meetings,
)
from assurance.products.briefing.facts import data_loaded_at, lpa_rankings, series_signals, shows_illustrative
from assurance.products.briefing.figures import about_section, exceptions_section, focus_section, headline_section
from assurance.products.briefing.model import (
    Block,
    Briefing,
    Cover,
    Paragraph,
    QuestionList,
    Section,
)
from assurance.products.briefing.national import national_section
from assurance.products.briefing.questions import (
    RULE_TITLES,
    RULES,
    Facts,
    suggested_questions,
)

# --- the meeting --------------------------------------------------------------------------------------------------


def _meeting_label(row: dict) -> str:
    held = as_date(row["held_on"])
    return f"{held:%Y-%m-%d} ({row['id']}): {row['title']} [{row['status']}]"


def find_meeting(con: duckdb.DuckDBPyConnection, wanted: str) -> dict:
    """The meeting with this id, or held (or scheduled) on this date (YYYY-MM-DD); UnknownMeeting otherwise."""
    rows = meetings(con)
    text = (wanted or "").strip()
    for row in rows:
        if row["id"] == text:
            return row
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    on_day = [row for row in rows if day is not None and as_date(row["held_on"]) == day]
    if len(on_day) > 1:  # two meetings that day: the A&A performance meeting is the one a briefing is for
        performance = [row for row in on_day if row["kind"] == "A&A performance"]
        on_day = performance if len(performance) == 1 else on_day
    if len(on_day) == 1:
        return on_day[0]
    if len(on_day) > 1:
        raise UnknownMeeting(
            f"{text} (more than one meeting that day; give its id)", [_meeting_label(r) for r in on_day]
        )
    raise UnknownMeeting(text, [_meeting_label(r) for r in rows])


def quarter_for(meeting: dict, ds: Dataset) -> str:
    """The data quarter of the meeting: the quarter it discusses, else the latest with data ended before it."""
    if isinstance(meeting.get("quarter_discussed"), str) and meeting["quarter_discussed"]:
        return Quarter.parse(meeting["quarter_discussed"]).label
    held = as_date(meeting["held_on"])
    ended = [q for q in ds.quarters if Quarter.parse(q).end < held]
    if not ended:
        raise BriefingError(f"meeting {meeting['id']} names no quarter, and no quarter of data ended before it")
    return ended[-1]


def _data_quarter(meeting: dict, ds: Dataset) -> tuple[str, str | None]:
    """The quarter the pack shows, and a note when it is not the one the meeting discusses (not loaded yet)."""
    wanted = quarter_for(meeting, ds)
    if wanted in ds.quarters:
        return wanted, None
    earlier = [q for q in ds.quarters if q < wanted]
    if not earlier:
        raise BriefingError(
            f"there are no figures for {wanted}, the quarter meeting {meeting['id']} discusses, or before it"
        )
    return earlier[-1], (
        f"The {wanted} figures this meeting discusses are not loaded yet: this pack shows {earlier[-1]}, the latest "
        "quarter loaded. Build it again once they are."
    )


def target_summary(headline, quarter: str) -> list[str]:
    """'Off target in 2024/25 Q2: positive outcome rate 13.3% (target ≥ 14.0%), ...; on target: ...'."""
    off = [
        f"{r['name'][:1].lower() + r['name'][1:] if r['name'][:2] != r['name'][:2].upper() else r['name']} "
        f"{r['value_text']} (target {r['target_text']})"
        for r in headline.to_dict("records")
        if r["status"] == "not met"
    ]
    met = [r["name"].lower() for r in headline.to_dict("records") if r["status"] == "met"]
    if not off and not met:
        return []
    text = (
        f"The force is off target in {quarter} on {', '.join(off)}."
        if off
        else f"The force meets every target in {quarter}."
    )
    if off and met:
        text += f" On target: {', '.join(met)}."
    return [text]


# --- the whole briefing ---------------------------------------------------------------------------------------


def build_briefing(
    con: duckdb.DuckDBPyConnection,
    meeting: str | dict,
    focus: str = DEFAULT_FOCUS,
    today: date | None = None,
    ds: Dataset | None = None,
) -> Briefing:
    """The briefing for a meeting (id, date text or row) and its data quarter, with the focus LPA, as at today."""
    today = today or date.today()
    ds = ds or load_dataset(con)
    row = find_meeting(con, meeting) if isinstance(meeting, str) else meeting
    if focus not in set(ds.lpas["code"]):
        raise BriefingError(f"there is no LPA {focus!r}; the LPAs are {', '.join(ds.lpas['code'])}")
    if ds.observations.empty:
        raise BriefingError("the database holds no figures yet; load some first")
    quarter, quarter_note = _data_quarter(row, ds)

    rebases = rebases_by_series(con)
    commitments = load_commitments(con)
    headline = headline_table(ds, quarter, FORCE)
    signals = series_signals(ds, quarter, rebases)
    loaded_at = data_loaded_at(ds)
    illustrative = shows_illustrative(ds, quarter, headline)

    headline_blocks = headline_section(ds, quarter, focus, headline, rebases)
    exception_blocks, concerns, fails = exceptions_section(ds, quarter, signals, rebases, commitments)
    focus_blocks = focus_section(ds, quarter, focus, signals, rebases, commitments)
    action_blocks, action_facts, action_counts = actions_blocks(con, row, today)
    pledge_blocks, pledge_facts = pledges_blocks(con, ds, row, today)
    rec_blocks, rec_counts = recommendations_blocks(con, today)
    claim_blocks, claim_facts = claims_blocks(con, ds, row)

    facts = Facts(
        quarter=quarter,
        today=today,
        signals=signals,
        pledges=pledge_facts,
        actions=action_facts,
        claims=claim_facts,
        rankings=lpa_rankings(ds, quarter, commitments.actions),
    )
    questions = tuple(suggested_questions(facts))
    fired = {q.rule for q in questions}
    not_fired = tuple(rule for rule in RULES if rule not in fired)
    question_blocks: list[Block] = [
        Paragraph(
            "Each question comes from a fixed rule applied to the figures in this pack (no text is generated by a "
            "model), and names the figures it rests on. Check them on the dashboard before the meeting."
        ),
        QuestionList(questions),
    ]
    if not questions:
        question_blocks.insert(1, Paragraph("No rule fired: nothing in this quarter's figures calls for a question."))
    if not_fired:
        question_blocks.append(
            Paragraph(
                "No question from these rules, because nothing met them: "
                + "; ".join(RULE_TITLES[r].lower() for r in not_fired)
                + ".",
                kind="note",
            )
        )

    focus_name = ds.area_name(focus)
    districts = ds.areas.set_index("code").loc[focus, "districts"]
    national_blocks = national_section(con, unit_of_districts(con, str(districts).split(";")), focus_name)
    sections = [
        Section("headline", 1, f"Headline metrics against targets, {quarter}", tuple(headline_blocks)),
        Section("exceptions", 2, "Exceptions: concerns and targets consistently failed", tuple(exception_blocks)),
        Section("focus", 3, f"{focus_name} against the other LPAs", tuple(focus_blocks)),
        Section("commitments", 4, "Commitments", tuple([*action_blocks, *pledge_blocks, *rec_blocks, *claim_blocks])),
        Section("questions", 5, "Suggested questions for the Chief Constable", tuple(question_blocks)),
    ]
    if national_blocks:  # only once police.uk's national archives are loaded
        sections.append(
            Section("national", 6, "West Mercia beside England and Wales (police.uk)", tuple(national_blocks))
        )
    about = about_section(ds, quarter, loaded_at, illustrative)
    sections.append(Section("about", len(sections) + 1, "About these figures", tuple(about)))
    sections = tuple(sections)

    in_brief = [
        f"{len(questions)} suggested question{'s' if len(questions) != 1 else ''} for the Chief Constable (section 5).",
        f"{concerns} special-cause concern{'s' if concerns != 1 else ''} and {fails} target"
        f"{'s' if fails != 1 else ''} consistently failed across the force and the LPAs (section 2).",
    ]
    in_brief += target_summary(headline, quarter)
    in_brief += where_to_look_summary(ds, quarter, rebases)[:1]
    in_brief.append(
        f"Actions: {action_counts['due here']} due at this meeting, {action_counts['overdue']} overdue, "
        f"{action_counts['other open']} other open. HMICFRS recommendations: {rec_counts['overdue']} overdue, "
        f"{rec_counts['due soon']} due within 90 days (section 4)."
    )
    pledges_open = [p for p in pledge_facts if p.status in (NOT_MET, NO_DATA)]
    if pledge_facts:
        in_brief.append(
            f"Pledges: {len(pledge_facts)} recorded, {len(pledges_open)} not met or due with no figures loaded."
        )
    if claim_facts:
        differ = sum(1 for c in claim_facts if c.verdict == "differs")
        in_brief.append(
            f"Figures quoted at the last meeting: {len(claim_facts)} checked, {differ} not supported by the data."
        )

    q = Quarter.parse(quarter)
    cover = Cover(
        meeting_id=row["id"],
        meeting_title=as_text(row["title"]),
        held_on=as_date(row["held_on"]),
        meeting_status=as_text(row["status"]) or "held",
        starts_at=as_text(row.get("starts_at")) or None,
        chair=as_text(row.get("chair")) or None,
        quarter=quarter,
        quarter_span=f"{q.start:%-d %b %Y} to {q.end:%-d %b %Y}",
        data_loaded_at=loaded_at,
        prepared_on=today,
        focus_name=focus_name,
        illustrative_notice=ILLUSTRATIVE_NOTE if illustrative else None,
        quarter_note=quarter_note,
        in_brief=tuple(in_brief),
    )
    return Briefing(cover=cover, sections=sections, questions=questions, rules_not_fired=not_fired)
