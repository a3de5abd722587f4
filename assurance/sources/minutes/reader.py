"""The reader: one pass over the lines of the minutes, collecting the header, agenda items, action lines,
recommendation blocks, pledge lists and prose for the extraction modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from assurance.sources.minutes.model import Attendee
from assurance.sources.minutes.people import _looks_name, _owner_at_start, parse_attendee
from assurance.sources.minutes.text import (
    _bullet_text,
    _clean_lines,
    _date_in,
    _heading_like,
    _start_time,
    _strip_numbering,
)
from assurance.sources.minutes.vocabulary import (
    _ACTION_LINE,
    _ACTION_LIST_INTRO,
    _BULLET,
    _DATE_IN_TEXT,
    _ISO_DATE,
    _ITEM,
    _NUMBERED,
    _NUMERIC_DATE,
    _PLEDGE_INTRO,
    _RECOMMENDATION,
    _REF,
    _SUMMARY_HEADING,
)

# --------------------------------------------------------------------------- the reader


@dataclass
class _Item:
    title: str
    notes: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    summary: bool = False
    ref: str | None = None


@dataclass
class _RecBlock:
    number: int
    subject: str | None
    item: int | None
    paragraphs: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)


@dataclass
class _ActionFound:
    text: str
    item: int | None
    from_summary: bool
    owner_hint: str | None = None


_FIELD = re.compile(
    r"^\s*(?P<field>date(?:\s*(?:&|and|/)\s*time)?(?:\s+of\s+meeting)?|meeting\s+date|time|venue|location|place|"
    r"chair(?:ed\s+by|man|person)?|minutes(?:\s+taken\s+by|\s+by)?|minute[-\s]?taker|minuted\s+by|note[-\s]?taker|"
    r"notes(?:\s+taken)?\s+by|present|attendees|attendance|in\s+attendance|also\s+present|members\s+present|"
    r"apologies(?:\s+received)?|absent|not\s+present)\s*[:\-–]\s*(?P<value>.*)$",
    re.I,
)


def _field_kind(name: str) -> str:
    name = name.lower()
    if name.startswith(("date", "meeting date")):
        return "date"
    if name.startswith(("time",)):
        return "time"
    if name.startswith(("venue", "location", "place")):
        return "venue"
    if name.startswith("chair"):
        return "chair"
    if name.startswith(("minute", "note")):
        return "minutes"
    if name.startswith(("apolog", "absent", "not present")):
        return "apologies"
    return "present"


def _person_name(text: str) -> str | None:
    """The name in 'John Campion', 'John Campion (PCC)', 'John Campion – PCC'."""
    text = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip(" .,;")
    text = re.split(r"\s+[-–—]\s+|\s*[–—]\s*|,", text)[0].strip()
    return text if _looks_name(text) else None


def _split_inline_people(value: str) -> list[str]:
    parts = re.split(r"(?<=\))\s*[,;]\s*|\s*;\s*", value)
    if len(parts) == 1 and "(" not in value and "," in value and not re.search(r"[-–—]", value):
        parts = value.split(",")
    return [p.strip() for p in parts if p.strip()]


class _Reader:
    def __init__(self, text: str, source: str | None, meeting_date: date | None):
        self.source = source
        self.meeting_date = meeting_date
        self.lines = _clean_lines(text)
        self.warnings: list[str] = []
        self.attendees: list[Attendee] = []
        self.chair: str | None = None
        self.minute_taker: str | None = None
        self.title_lines: list[str] = []
        self.date_parts: tuple[int | None, int, int, str | None] | None = None
        self.starts_at: str | None = None
        self.items: list[_Item] = []
        self.found_actions: list[_ActionFound] = []
        self.recs: list[_RecBlock] = []
        self.pledge_lists: list[tuple[str, list[str], int | None]] = []
        self.prose: list[tuple[str, int | None]] = []  # paragraphs outside recommendation blocks
        self.ref_date: tuple[int, int, int] | None = None

    # ---- header
    def read_header(self) -> int:
        mode = None
        seen_field = False
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if match := _FIELD.match(line):
                kind, value = _field_kind(match["field"]), match["value"].strip()
                seen_field = True
                self._header_field(kind, value)
                mode = kind if kind in ("present", "apologies") else None
                i += 1
                continue
            if match := re.match(
                r"^\s*minutes\s+of\s+(?:the\s+)?(?P<what>.*?)(?:\s+held)?\s+on\s+(?P<when>.+)$", line, re.I
            ):
                self.title_lines.append(match["what"])
                self._date_line(match["when"])
                seen_field = True
                i += 1
                continue
            if _REF.match(line) or _ITEM.match(line) or _RECOMMENDATION.match(line) or _ACTION_LINE.match(line):
                break
            if mode in ("present", "apologies") or _BULLET.match(line):
                people = _split_inline_people(_bullet_text(line) or line)
                parsed = [parse_attendee(p) for p in people]
                if parsed and all(parsed):
                    if mode != "apologies":
                        for attendee, chair in parsed:
                            self._add_attendee(attendee, chair)
                    i += 1
                    continue
                if mode == "apologies" and len(people) == 1 and _person_name(people[0]):
                    i += 1
                    continue
                if _BULLET.match(line) and mode is None and not seen_field:
                    break
            if not seen_field and not self.attendees and len(self.title_lines) < 4 and _heading_like(line, ""):
                self.title_lines.append(line)
                if self.date_parts is None and _date_in(line):
                    self._date_line(line)
                i += 1
                continue
            break
        return i

    def _header_field(self, kind: str, value: str) -> None:
        if kind == "date":
            self._date_line(value)
        elif kind == "time":
            self.starts_at = self.starts_at or _start_time(value)
        elif kind == "chair":
            self.chair = self.chair or _person_name(value) or (value if _looks_name(value) else None)
            if parsed := parse_attendee(value):
                self._add_attendee(parsed[0], True)
        elif kind == "minutes":
            self.minute_taker = self.minute_taker or _person_name(value)
        elif kind == "present" and value:
            for person in _split_inline_people(value):
                if parsed := parse_attendee(person):
                    self._add_attendee(*parsed)

    def _date_line(self, value: str) -> None:
        if self.date_parts is None and (parts := _date_in(value)):
            self.date_parts = parts
        if self.starts_at is None:
            after = value
            if match := (_DATE_IN_TEXT.search(value) or _NUMERIC_DATE.search(value) or _ISO_DATE.search(value)):
                after = value[match.end() :]
            self.starts_at = _start_time(after)

    def _add_attendee(self, attendee: Attendee, chair: bool) -> None:
        if chair and not self.chair:
            self.chair = attendee.name
        if any(a.name.lower() == attendee.name.lower() for a in self.attendees):
            return
        self.attendees.append(attendee)

    # ---- body
    def read_body(self, start: int) -> None:
        lines = self.lines
        list_mode: str | None = None  # 'actions', 'pledges', 'summary'
        rec: _RecBlock | None = None
        pledge_intro: tuple[str, list[str], int | None] | None = None
        last_was_heading = False
        i = start
        while i < len(lines):
            line = lines[i]
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            current = len(self.items) or None
            if match := _FIELD.match(line):
                kind = _field_kind(match["field"])
                if kind in ("chair", "minutes", "date", "time") and len(match["value"]) < 60:
                    self._header_field(kind, match["value"].strip())
                    i += 1
                    continue
            if match := _REF.match(line):
                title = match["rest"].strip(" :–-")
                ref = f"Ref {match['ref']}"
                if not title and nxt and _heading_like(nxt, "") and not _ACTION_LINE.match(nxt):
                    title, i = nxt, i + 1
                self._new_item(title or ref, ref=ref)
                parts = [int(p) for p in match["ref"].split("/")]
                if self.ref_date is None and len(parts) == 4:
                    year = parts[3] + 2000 if parts[3] < 100 else parts[3]
                    self.ref_date = (year, parts[2], parts[1])
                list_mode, rec, pledge_intro, last_was_heading = None, None, None, True
                i += 1
                continue
            if match := _ACTION_LINE.match(line):
                text = match["text"].strip()
                if text and not re.fullmatch(r"(?:none|nil|n/?a|no actions?\.?)", text, re.I):
                    self.found_actions.append(
                        _ActionFound(text, current, list_mode == "summary", owner_hint=match["paren"])
                    )
                    list_mode = "summary" if list_mode == "summary" else None
                elif not text:
                    list_mode = "summary" if list_mode == "summary" else "actions"
                last_was_heading = False
                i += 1
                continue
            if match := _RECOMMENDATION.match(line):
                subject = match["rest"].strip(" :–-") or None
                rec = _RecBlock(int(match["n"]), subject, current, context=self._item_text(current))
                self.recs.append(rec)
                list_mode, pledge_intro, last_was_heading = None, None, False
                i += 1
                continue
            bullet = _bullet_text(line)
            if bullet is not None:
                if list_mode in ("actions", "summary"):
                    self.found_actions.append(_ActionFound(bullet, current, list_mode == "summary"))
                elif pledge_intro is not None:
                    pledge_intro[1].append(bullet)
                else:
                    self._prose(bullet, current, rec)
                last_was_heading = False
                i += 1
                continue
            if _ACTION_LIST_INTRO.match(line) and not _heading_like(line, nxt):
                list_mode = "summary" if list_mode == "summary" else "actions"
                i += 1
                continue
            heading = _strip_numbering(line) if (_NUMBERED.match(line) or _ITEM.match(line)) else line
            if _heading_like(heading, nxt) and not _owner_at_start(heading):
                if last_was_heading and self.items and not (_NUMBERED.match(line) or _ITEM.match(line)):
                    self.items[-1].notes.append(heading)
                else:
                    self._new_item(heading)
                    list_mode = "summary" if _SUMMARY_HEADING.search(heading) else None
                rec, pledge_intro, last_was_heading = None, None, True
                i += 1
                continue
            last_was_heading = False
            if list_mode == "summary" and (owner := _owner_at_start(line)) and owner:
                self.found_actions.append(_ActionFound(line, current, True))
                i += 1
                continue
            if line.endswith(":") and _PLEDGE_INTRO.search(line):
                pledge_intro = (line, [], current)
                self.pledge_lists.append(pledge_intro)
                list_mode = None
            else:
                pledge_intro = None
                if list_mode == "actions":
                    list_mode = None
            self._prose(line, current, rec)
            i += 1

    def _new_item(self, title: str, ref: str | None = None) -> None:
        self.items.append(_Item(title.strip(), ref=ref, summary=bool(_SUMMARY_HEADING.search(title))))

    def _item_text(self, item: int | None) -> list[str]:
        return list(self.items[item - 1].paragraphs) if item else [p for p, i in self.prose if i is None]

    def _prose(self, text: str, item: int | None, rec: _RecBlock | None) -> None:
        if item:
            self.items[item - 1].paragraphs.append(text)
        if rec is not None and rec.item == item:
            rec.paragraphs.append(text)
        else:
            self.prose.append((text, item))
