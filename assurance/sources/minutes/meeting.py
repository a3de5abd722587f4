"""The meeting itself (date, kind, title, agenda) and :func:`read_minutes`, which puts the proposal together."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

from assurance.core.periods import Quarter
from assurance.sources.minutes.actions import _actions
from assurance.sources.minutes.claims import _claims, _pledges
from assurance.sources.minutes.model import AgendaItem, Meeting, MinutesError, Proposal, Recommendation, _check_text
from assurance.sources.minutes.people import _People
from assurance.sources.minutes.reader import _Reader
from assurance.sources.minutes.recommendations import _recommendations
from assurance.sources.minutes.text import _safe_date, _sentence_end, _slug
from assurance.sources.minutes.vocabulary import _ISO_DATE, _WEEKDAYS

# --------------------------------------------------------------------------- meeting


def _held_on(reader: _Reader, text: str) -> date | None:
    source_date = None
    if reader.source and (match := _ISO_DATE.search(Path(reader.source).name)):
        source_date = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if reader.meeting_date is not None:
        parts = reader.date_parts
        if parts and (parts[1], parts[2]) != (reader.meeting_date.month, reader.meeting_date.day):
            reader.warnings.append(
                f"The minutes say {parts[2]} {calendar.month_name[parts[1]]}; the date given, "
                f"{reader.meeting_date.isoformat()}, is used"
            )
        return reader.meeting_date
    parts = reader.date_parts
    if parts is None and reader.ref_date:
        parts = (*reader.ref_date, None)
    if parts is None:
        if source_date:
            return source_date
        reader.warnings.append("No meeting date found in the minutes: enter the meeting date")
        return None
    year, month, day, weekday = parts
    if year is not None:
        return _safe_date(year, month, day)
    if source_date and (source_date.month, source_date.day) == (month, day):
        return source_date
    if reader.ref_date and reader.ref_date[1:] == (month, day):
        return _safe_date(*reader.ref_date)
    said = f"{day} {calendar.month_name[month]}"
    years = sorted({int(y) for y in re.findall(r"(?<![\d/])(20\d{2})(?![\d/])", text)})
    if source_date:
        years = sorted({*years, source_date.year})
    if weekday:
        candidates = sorted({y + k for y in years for k in (-1, 0, 1)}) or list(
            range(date.today().year - 6, date.today().year + 2)
        )
        matching = [
            y for y in candidates if (d := _safe_date(y, month, day)) and d.weekday() == _WEEKDAYS[weekday.lower()]
        ]
        if matching:
            chosen = min(matching, key=lambda y: (abs(y - min(years)) if years else -y, y))
            reader.warnings.append(
                f"The minutes give no year: {chosen} was taken because {said} {chosen} was a {weekday.capitalize()}; "
                "check the meeting date"
            )
            return _safe_date(chosen, month, day)
    if years:
        reader.warnings.append(f"The minutes give no year: {years[0]} was assumed for {said}; check the meeting date")
        return _safe_date(years[0], month, day)
    reader.warnings.append(f"The minutes give {said} without a year: enter the meeting date")
    return None


def _kind_and_title(reader: _Reader, text: str, discussed: Quarter | None) -> tuple[str, str]:
    header = " ".join(reader.title_lines)
    name = Path(reader.source).name if reader.source else ""
    aa = re.compile(r"accountability\s*(?:&|and)\s*assurance|\bA\s*&\s*A\b", re.I)
    if aa.search(header) or re.search(r"(?:^|[-_])aa(?:[-_.]|$)", name, re.I) or (not header and aa.search(text)):
        performance = re.search(r"performance", f"{header} {name}", re.I) or (
            not header and re.search(r"quarterly performance|performance a&a|a&a\s+\w*\s*performance", text, re.I)
        )
        if performance:
            label = f"Q{discussed.number} performance" if discussed else "performance"
            return "A&A performance", f"Accountability & Assurance meeting: {label}"
        return "A&A", "Accountability & Assurance meeting"
    for line in reader.title_lines:
        if match := re.search(
            r"(?P<name>(?:[A-Z][\w&’'-]*\s+(?:(?:and|&|of|for)\s+)?){0,6}(?:Board|Committee|Panel|Group|Forum))", line
        ):
            name = match["name"].strip()
            return name, name
    for line in reader.title_lines:
        cleaned = re.sub(r"^minutes\s+of\s+(?:the\s+)?", "", line, flags=re.I).strip()
        if cleaned and not re.search(r"commissioner$|^west mercia", cleaned, re.I):
            return cleaned, cleaned
    return "meeting", "Meeting"


def read_minutes(text: str, *, source: str | None = None, meeting_date: date | None = None) -> Proposal:
    """Read minutes text and propose the meeting, attendees, agenda, actions, recommendations, pledges and claims.

    Raises MinutesError for empty, binary or oversized text. Nothing is written anywhere.
    """
    text = _check_text(text, source)
    reader = _Reader(text, source, meeting_date)
    start = reader.read_header()
    reader.read_body(start)
    if not (
        reader.attendees or reader.items or reader.found_actions or reader.recs or reader.date_parts or reader.chair
    ):
        raise MinutesError(
            "No meeting record found: the text has no date, attendees, agenda headings or actions. "
            "Minutes start with lines such as “Date: …”, “Chair: …” and “- Name – Role (ABBR)”"
        )

    held_on = _held_on(reader, text)
    discussed = Quarter.containing(held_on).previous() if held_on else None
    kind, title = _kind_and_title(reader, text, discussed)
    meeting = Meeting(
        id=f"{held_on.isoformat()}-{_slug(kind)}" if held_on else None,
        held_on=held_on,
        starts_at=reader.starts_at,
        title=title,
        kind=kind,
        quarter_discussed=discussed.label if discussed else None,
        chair=reader.chair,
        minute_taker=reader.minute_taker,
        source_document=source,
    )
    people = _People(reader.attendees)
    actions = _actions(reader, meeting, discussed, people)
    recommendations = _recommendations(reader, held_on)
    agenda = _agenda(reader, recommendations)
    pledges = _pledges(reader, people)
    claims = _claims(reader, people, discussed)
    if not reader.attendees:
        reader.warnings.append("No attendees found (expected lines like “- Name – Role (ABBR)” or “Present: …”)")
    if not reader.chair:
        reader.warnings.append("No chair found (expected a line “Chair: Name”)")
    return Proposal(meeting, reader.attendees, agenda, actions, recommendations, pledges, claims, reader.warnings)


def _agenda(reader: _Reader, recommendations: list[Recommendation]) -> list[AgendaItem]:
    out = []
    by_item: dict[int, Recommendation] = {}
    for block, rec in zip(reader.recs, recommendations, strict=True):
        if block.item and block.item not in by_item:
            by_item[block.item] = rec
    for position, item in enumerate(reader.items, start=1):
        notes: list[str] = []
        if item.ref:
            notes.append(item.ref)
        if item.notes:
            notes.append("; ".join(item.notes))
        elif (rec := by_item.get(position)) and rec.report:
            published = (
                f", published {rec.report_published.day} {rec.report_published:%B %Y}" if rec.report_published else ""
            )
            notes.append(f"{rec.report} (HMICFRS{published})")
        elif (
            not item.summary
            and len(item.paragraphs) == 1
            and len(item.paragraphs[0]) <= 200
            and not any(f.item == position for f in reader.found_actions)
        ):
            notes.append(item.paragraphs[0].rstrip("."))
        out.append(AgendaItem(item.title, _sentence_end(". ".join(notes)) if notes else None))
    return out
