"""Minutes text -> a proposed meeting record: attendees, agenda, actions, recommendations, pledges, claims.

Rule-based and deliberately forgiving: minutes are written by different people in different
styles (``ACTION:`` or ``Action:`` lines, ``Ref 03/21/06/2023`` item headings, owners by role or
by initials, dates with or without a year). Everything found is a *proposal*: a person reviews it
(page "Import minutes", or ``python -m assurance minutes FILE``) before :func:`apply` writes it,
after :func:`validate`, in one transaction. What the reader could not place is listed in
``Proposal.warnings`` rather than guessed silently.

The output of :meth:`Proposal.to_meeting_json` is exactly the format of ``data/meetings/*.json``.
"""

from __future__ import annotations

import calendar
import csv
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from assurance.commitments import load_meeting_file, resolve_deadline
from assurance.paths import DATA_DIR
from assurance.periods import PeriodError, Quarter

MAX_MINUTES_BYTES = 1_000_000
IMPORTED_BY = "minutes import"
PERIODS = ("quarter", "year_to_date", "rolling_12_months")
COMPARISONS = ("none", "previous_quarter", "same_period_last_year", "previous_12_months")
DIRECTIONS = ("increase", "decrease")
RECOMMENDATION_STATUSES = ("open", "in progress", "complete", "closed")
LOOSE_DEADLINE_NOTE = (
    "Deadlines are kept exactly as written. A loose deadline resolves to the end of the period it names: "
    "spring → 31 May, summer → 31 Aug, autumn → 30 Nov, winter → end of February; “end of Jan 2025” or "
    "“January 2025” → 31 Jan 2025; a day without a year → the next such day after the meeting."
)


class MinutesError(ValueError):
    """Minutes that cannot be read, or a proposal that cannot be saved, with a message for a person."""


class ProposalInvalid(MinutesError):
    """A proposal that failed validation; ``problems`` lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# --------------------------------------------------------------------------- the proposal


@dataclass
class Meeting:
    id: str | None
    held_on: date | None
    starts_at: str | None
    title: str
    kind: str
    quarter_discussed: str | None
    chair: str | None
    minute_taker: str | None
    source_document: str | None


@dataclass
class Attendee:
    name: str
    role: str
    abbreviation: str | None
    organisation: str | None


@dataclass
class AgendaItem:
    title: str
    notes: str | None = None


@dataclass
class Action:
    text: str
    owner: str | None
    agenda_item: int | None
    due_text: str | None = None
    due_meeting_kind: str | None = None
    due_meeting_quarter: str | None = None
    metric: str | None = None
    area: str | None = None


@dataclass
class Recommendation:
    report: str | None
    report_published: date | None
    number: int
    subject: str
    force_response: str | None
    deadline_text: str | None
    status: str = "in progress"


@dataclass
class Pledge:
    owner: str | None
    text: str
    area: str
    metric: str
    direction: str
    horizon_months: int | None


@dataclass
class Claim:
    speaker: str | None
    text: str
    metric: str
    area: str
    quarter: str | None
    period: str
    comparison: str
    stated_value: float
    tolerance: float


@dataclass
class Proposal:
    meeting: Meeting
    attendees: list[Attendee] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_meeting_json(self) -> dict:
        """The proposal as a dict in exactly the format of data/meetings/*.json (dates as ISO text)."""
        meeting = asdict(self.meeting)
        meeting["held_on"] = _iso(self.meeting.held_on)
        recommendations = []
        for rec in self.recommendations:
            row = asdict(rec)
            row["report_published"] = _iso(rec.report_published)
            recommendations.append(row)
        return meeting | {
            "attendees": [asdict(a) for a in self.attendees],
            "agenda": [asdict(a) for a in self.agenda],
            "actions": [asdict(a) for a in self.actions],
            "recommendations": recommendations,
            "pledges": [asdict(p) for p in self.pledges],
            "claims": [asdict(c) for c in self.claims],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --------------------------------------------------------------------------- bad input


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def _check_size(size: int, source: str | None) -> None:
    if size > MAX_MINUTES_BYTES:
        name = source or "The text"
        raise MinutesError(
            f"{name} is {_size_text(size)}; minutes over {MAX_MINUTES_BYTES // 1_000_000} MB are refused"
        )


def decode_minutes(data: bytes, source: str | None = None) -> str:
    """Bytes of an uploaded or read file as text: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252."""
    _check_size(len(data), source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise MinutesError("This looks like a binary file, not minutes text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MinutesError(
        f"{source or 'The file'} could not be read as text (tried UTF-8 and Windows-1252); save it as plain text "
        "(.txt, UTF-8) and try again"
    )


def _check_text(text: object, source: str | None) -> str:
    if not isinstance(text, str):
        raise MinutesError("The minutes must be text")
    _check_size(len(text.encode("utf-8", errors="replace")), source)
    if not text.strip():
        raise MinutesError("The minutes are empty")
    if "\x00" in text:
        raise MinutesError("This looks like a binary file, not minutes text")
    odd = sum(1 for c in text if not (c.isprintable() or c in "\n\r\t\f\v"))
    if odd / len(text) > 0.05:
        raise MinutesError("This looks like a binary file, not minutes text")
    return text


# --------------------------------------------------------------------------- vocabulary

_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
} | {"sept": 9}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_YEAR = r"(?:\d{4}|\d{2})(?![\d:.]\d)"
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_DATE_IN_TEXT = re.compile(
    rf"(?:\b(?P<weekday>{'|'.join(calendar.day_name)})\s*,?\s+)?(?:the\s+)?\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?(?P<month>{_MONTH})\b\.?,?(?:\s+(?P<year>\d{{4}})(?![\d:]))?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b")
_ISO_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_TIME = re.compile(r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<suffix>hrs|hours|h\b|am|pm|a\.m\.|p\.m\.)?", re.I)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "a": 1,
}  # fmt: skip
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

# Keyword -> metric code: the catalogue names plus the words used in meetings. Longest match wins.
_METRIC_SYNONYMS = {
    "recorded crime": "total_recorded_crime",
    "crime": "total_recorded_crime",
    "crimes": "total_recorded_crime",
    "violent crime": "violence_against_the_person",
    "violence": "violence_against_the_person",
    "positive outcomes": "positive_outcome_rate",
    "positive outcome": "positive_outcome_rate",
    "outcome rate": "positive_outcome_rate",
    "detection rate": "positive_outcome_rate",
    "detection rates": "positive_outcome_rate",
    "detections": "positive_outcome_rate",
    "case closure": "median_days_to_close",
    "closure times": "median_days_to_close",
    "days to close": "median_days_to_close",
    "time to close": "median_days_to_close",
    "open investigations": "open_investigations",
    "open cases": "open_investigations",
    "investigations": "open_investigations",
    "outstanding suspects": "outstanding_suspects",
    "wanted suspects": "outstanding_suspects",
    "suspects": "outstanding_suspects",
    "emergencies responded to within target": "emergency_within_target",
    "emergencies attended within target": "emergency_within_target",
    "attended within target": "emergency_within_target",
    "within target": "emergency_within_target",
    "response times": "emergency_response_median_minutes",
    "response time": "emergency_response_median_minutes",
    "emergency response": "emergency_response_median_minutes",
    "999 calls": "calls_999_within_10s",
    "999 call handling": "calls_999_within_10s",
    "999 call": "calls_999_within_10s",
    "999": "calls_999_within_10s",
    "answered within 10 seconds": "calls_999_within_10s",
    "answer time": "calls_999_average_answer_seconds",
    "victim satisfaction": "victim_satisfaction",
    "satisfaction": "victim_satisfaction",
    "sickness": "sickness_days_per_officer",
    "sickness absence": "sickness_days_per_officer",
    "days lost": "sickness_days_per_officer",
}
_AREA_SYNONYMS = {
    "telford": "telford_and_wrekin",
    "telford and wrekin": "telford_and_wrekin",
    "north worcs": "north_worcestershire",
    "south worcs": "south_worcestershire",
    "west mercia": "force",
    "force-wide": "force",
    "forcewide": "force",
}

_OPCC_ROLE = re.compile(
    r"commissioner|\bopcc\b|\bd?pcc\b|policy|business support|chief executive|treasurer|\bmonitoring officer", re.I
)
_POLICE_ROLE = re.compile(
    r"constable|superintendent|\bsupt\b|inspector|sergeant|detective|\bt/|\ba/|\bd?cc\b|\bacc\b|police staff|"
    r"\bforce\b|\bch\.? ?insp\b|west mercia police|\bwmp\b",
    re.I,
)
_ROLE_ABBR = {
    "police and crime commissioner": "PCC",
    "deputy police and crime commissioner": "DPCC",
    "chief constable": "CC",
    "deputy chief constable": "DCC",
    "assistant chief constable": "ACC",
}
_ROLE_NAMES = {abbr: role.title().replace(" And ", " and ") for role, abbr in _ROLE_ABBR.items()}
_ROLE_NAMES |= {f"T/{abbr}": f"Temporary {role}" for abbr, role in list(_ROLE_NAMES.items())}
_ROLE_NAMES |= {f"A/{abbr}": f"Acting {role}" for abbr, role in list(_ROLE_NAMES.items()) if "/" not in abbr}
_ROLE_WORDS = re.compile(
    r"\b(?:officer|commissioner|constable|superintendent|supt|inspector|chief|head|director|manager|lead|member|"
    r"chair|treasurer|executive|secretary|councillor|cllr|analyst|advis[oe]r|sergeant|detective|support|policy|"
    r"opcc|police|finance|assistant|co-?ordinator|administrator|clerk|representative|partner|deputy|registrar|"
    r"temporary|acting|governance|auditor|controller|solicitor|counsel|pcc|dpcc|cc|dcc|acc)\b|^[AT]/",
    re.I,
)
_ROLE_START = re.compile(
    r"(?:T\s*/|A\s*/|(?:Temporary|Acting|Deputy|Assistant|Chief|Senior|Policy|Business|Head|Director|Police|Superintendent|"
    r"Supt|Ch\.?\s*Supt|Inspector|Detective|Sergeant|Treasurer|Finance|Officer|Manager|Lead|Analyst|Executive|"
    r"Interim|Commissioner|Councillor|Member|Independent|Secretary|Governance|Estates|Communications|Strategic|"
    r"Programme|Project|Performance|Legal|Solicitor|OPCC|PCC|DPCC|CC|DCC|ACC)\b)",
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zA-Z'’.-]*|de|van|von|der|la|le|da|di)$")
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "cllr", "prof", "sir", "dame"}
_NOT_NAMES = re.compile(
    r"\b(?:review|update|report|minutes|action|actions|agenda|item|summary|apologies|present|meeting|business|"
    r"performance|tracker|any|other|matters|arising|plan|budget|date|chair)\b",
    re.I,
)

_SPEECH_VERBS = (
    r"highlighted|stated|said|noted|confirmed|reported|explained|outlined|advised|added|informed|indicated|remarked|"
    r"assured|described|provided|presented|commented|clarified|emphasi[sz]ed|stressed|acknowledged|asked|updated|"
    r"shared|welcomed|agreed|believes|believed|deferred|discussed|spoke|sought|questioned|reaffirmed|committed|"
    r"pledged|promised|undertook|gave|expressed|thanked|summarised|summarized|queried|felt|hoped|expects|expected"
)
_SPEAKER = re.compile(
    rf"^(?:The\s+)?(?P<who>(?:[A-Z][\w/&.'’-]*\s+){{0,3}}?[A-Z][\w/&.'’-]*)\s+(?:also\s+|then\s+|further\s+)?"
    rf"(?:{_SPEECH_VERBS})\b"
)
_PRONOUNS = {"he", "she", "they", "it", "there", "this", "we", "members", "discussions", "all", "whilst", "while"}

_BULLET = re.compile(r"^\s*(?:[-–—•*·▪●◦‣o]|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+(?=\S)|^\s*[-–—•*·▪●◦‣](?=\S)")
_NUMBERED = re.compile(r"^\s*(?:(?:agenda\s+)?item\s+)?(?P<n>\d{1,2})(?:\.\d{1,2})?\s*[.):]\s*(?P<rest>\S.*)$", re.I)
_ITEM = re.compile(r"^\s*(?:agenda\s+)?item\s+(?P<n>\d{1,2})\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I)
_REF = re.compile(
    r"^\s*Ref(?:erence)?\.?\s*(?:no\.?\s*)?[:\-–]?\s*(?P<ref>\d{1,3}/\d{1,2}/\d{1,2}/\d{2,4})\s*[:\-–—]?\s*(?P<rest>.*)$",
    re.I,
)
_ACTION_LINE = re.compile(
    r"^\s*(?:[-–—•*]\s*)?(?:new\s+)?action(?:\s+point)?s?\s*(?:\d{1,3}|[A-Z]?\d{1,3}[./]\d{1,3})?\s*"
    r"(?:\((?P<paren>[^)]{1,40})\))?\s*(?::|[-–—](?=\s))\s*(?P<text>.*)$",
    re.I,
)
_ACTION_LIST_INTRO = re.compile(r"^\s*(?:new\s+)?actions?(?:\s+(?:agreed|arising|points?))?\s*:?\s*$", re.I)
_SUMMARY_HEADING = re.compile(r"summary of actions|actions? arising|action summary|new actions|actions agreed", re.I)
_RECOMMENDATION = re.compile(
    r"^\s*(?:HMICFRS\s+)?Recommendation\s+(?:no\.?\s*)?(?P<n>\d{1,2})\b\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I
)
_PLEDGE_INTRO = re.compile(
    r"\b(?:improvements?|commitments?|pledges?|priorities|aims?|ambitions?|focus|undertakings?|targets?)\b.*"
    r"\b(?:hoped?|would|will|committed|pledged|promised|aims?|intends?|expects?|plans?|wants?)\b.*:\s*$",
    re.I,
)
_PLEDGE_SENTENCE = re.compile(
    r"\b(?:committed|pledged|promised|undertook|gave (?:a|an) (?:commitment|undertaking))\s+(?:to\s+)?"
    r"(?P<what>[a-z]+ing\b[^.;]*)",
    re.I,
)
_HORIZON = re.compile(
    r"\b(?:over|within|in|during)\s+the\s+(?:next|coming|following)\s+(?P<n>[\w-]+)\s+(?P<unit>months?|quarters?|years?)"
    r"|\b(?:over|within|in|during)\s+the\s+(?:next|coming|following)\s+(?P<single>month|quarter|year)\b"
    r"|\bwithin\s+(?P<n2>[\w-]+)\s+(?P<unit2>months?|quarters?|years?)\b",
    re.I,
)
_FIGURE = re.compile(
    r"(?<![\w.])(?P<sign>[-+−])?(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|per\s*cent\b|percent\b|percentage[-\s]points?\b|pp\b|ppts?\b|points?\b)",
    re.I,
)
_DOWN = re.compile(r"\b(?:reduc\w*|decreas\w*|fall|fell|fallen|falling|drop\w*|down|lower|fewer|declin\w*|cut)\b", re.I)
_UP = re.compile(r"\b(?:increas\w*|rise|rose|risen|rising|up|higher|more|grow\w*|gain\w*)\b", re.I)
_BETTER = re.compile(r"\b(?:improv\w*|better)\b", re.I)
_WORSE = re.compile(r"\b(?:deteriorat\w*|worse|worsen\w*)\b", re.I)
_SIGN_WORDS = re.compile(
    r"\b(?:reduc\w*|decreas\w*|fall|fell|fallen|falling|drop\w*|down|lower|fewer|declin\w*|increas\w*|rise|rose|"
    r"risen|rising|up|higher|grow\w*|improv\w*|better|deteriorat\w*|worse|worsen\w*|change)\b",
    re.I,
)


def _load_names(path: Path, synonyms: dict[str, str]) -> dict[str, str]:
    """Lower-case name -> code from a shipped CSV (code,name,...), plus the synonyms."""
    names = dict(synonyms)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                names.setdefault(row["name"].lower(), row["code"])
                names.setdefault(row["name"].lower().replace("&", "and"), row["code"])
    except OSError:
        pass
    return names


_METRIC_WORDS = _load_names(DATA_DIR / "metric_catalogue.csv", _METRIC_SYNONYMS)
_AREA_WORDS = _load_names(DATA_DIR / "areas.csv", _AREA_SYNONYMS)
# Units and directions of the shipped catalogue: a change in a count is per cent, in a rate percentage points.
_METRIC_UNITS: dict[str, tuple[str, str, int]] = {}
try:
    with open(DATA_DIR / "metric_catalogue.csv", newline="", encoding="utf-8-sig") as _handle:
        for _row in csv.DictReader(_handle):
            _METRIC_UNITS[_row["code"]] = (_row["unit"], _row["direction"], int(_row["decimals"]))
except OSError:  # pragma: no cover - the catalogue ships with the code
    pass


def _keyword_pattern(words: dict[str, str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])", re.I)


_METRIC_RE = _keyword_pattern(_METRIC_WORDS)
_AREA_RE = _keyword_pattern(_AREA_WORDS)


def find_metric(text: str) -> str | None:
    """The metric a phrase is about, by the longest keyword it contains ('detection rates' -> positive_outcome_rate)."""
    text = re.sub(r"police\s*(?:and|&)\s*crime", "", text, flags=re.I)  # the Commissioner, Panel or Plan
    found = [(m.end() - m.start(), -m.start(), m.group(0)) for m in _METRIC_RE.finditer(text)]
    if not found:
        return None
    return _METRIC_WORDS[max(found)[2].lower()]


def find_area(text: str) -> str | None:
    """The LPA (or the force) a phrase names; None when it names none."""
    match = _AREA_RE.search(text.replace("&", "and"))
    return _AREA_WORDS[match.group(0).lower()] if match else None


# --------------------------------------------------------------------------- dates and deadlines


def _month(text: str) -> int:
    key = text.lower().rstrip(".")
    return _MONTH_NAMES.get(key) or _MONTH_NAMES[key[:3]]


def _deadline_patterns() -> list[re.Pattern[str]]:
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year4 = r"\d{4}(?![\d:])"
    return [
        re.compile(rf"\bthe\s+{day}\s+(?:of\s+)?{_MONTH}\b\.?(?:\s+{_YEAR})?\s+deadline\b", re.I),
        re.compile(rf"\bend\s+of\s+(?:the\s+)?{_MONTH}\b\.?(?:\s+{year4})?", re.I),
        re.compile(rf"\b{day}\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+{_YEAR})?", re.I),
        re.compile(rf"\b{_MONTH}\s+{day}\b(?:,?\s+{year4})?", re.I),
        re.compile(rf"\b(?:(?:early|late|mid)[-\s]+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{year4}", re.I),
        re.compile(rf"\b(?:(?:early|late|mid)[-\s]+)?{_MONTH}\b\.?\s+{year4}", re.I),
        re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b"),
        re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
        re.compile(
            rf"\bend\s+of\s+(?:the\s+)?(?:financial\s+|calendar\s+)?year\b|\bend\s+of\s+{year4}|"
            rf"\b(?:early|mid|late)[-\s]+{year4}|\bQ[1-4]\s+(?:of\s+)?(?:\d{{4}}/\d{{2}}|{year4})|"
            rf"\b\d{{4}}/\d{{2}}\s+Q[1-4]\b|\bend\s+of\s+(?:the\s+)?(?:month|quarter)\b|"
            rf"\b(?:spring|summer|autumn|winter)\b",
            re.I,
        ),
    ]


_DEADLINES = _deadline_patterns()
_DEADLINE_CUE = re.compile(
    r"\b(?:by|before|for|until|till|on|in|within|ahead\s+of|no\s+later\s+than|due)\s+(?:the\s+)?$", re.I
)


def deadline_phrase(text: str, *, cue: bool = False) -> str | None:
    """The first deadline phrase in a sentence, exactly as written: 'by the end of Jan 2025' -> 'end of Jan 2025'.

    'before the 30th of Sept deadline' keeps 'the ... deadline'; 'in spring 2025' -> 'spring 2025'. With cue, only a
    phrase after 'by', 'before', 'in', 'on', 'until'... counts (for actions, whose other dates are often history).
    """
    best: tuple[int, int, str] | None = None
    for pattern in _DEADLINES:
        for match in pattern.finditer(text):
            if cue and not _DEADLINE_CUE.search(text[max(0, match.start() - 25) : match.start()]):
                continue
            candidate = (match.start(), -(match.end() - match.start()), match.group(0).strip().rstrip(",."))
            if best is None or candidate < best:
                best = candidate
            break
    return best[2] if best else None


def _date_in(text: str) -> tuple[int | None, int, int, str | None] | None:
    """(year or None, month, day, weekday or None) of the first date written in a line."""
    if match := _ISO_DATE.search(text):
        return int(match["year"]), int(match["month"]), int(match["day"]), None
    match = _DATE_IN_TEXT.search(text)
    numeric = _NUMERIC_DATE.search(text)
    if numeric and (not match or numeric.start() < match.start()):
        return int(numeric["year"]), int(numeric["month"]), int(numeric["day"]), None
    if match:
        year = int(match["year"]) if match["year"] else None
        return year, _month(match["month"]), int(match["day"]), match["weekday"]
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _start_time(text: str) -> str | None:
    for match in _TIME.finditer(text):
        hour, minute, suffix = int(match["h"]), match["m"], (match["suffix"] or "").lower().replace(".", "")
        if minute is None and not suffix:
            continue
        if suffix == "pm" and hour < 12:
            hour += 12
        if suffix == "am" and hour == 12:
            hour = 0
        if hour < 24 and int(minute or 0) < 60:
            before = text[max(0, match.start() - 1) : match.start()]
            if before in ("/", "-") or re.search(r"\d[/.]$", text[: match.start()]):
                continue
            return f"{hour:02d}:{int(minute or 0):02d}"
    return None


# --------------------------------------------------------------------------- lines


def _clean_lines(text: str) -> list[str]:
    """Lines with odd spaces normalised, hard-wrapped sentences re-joined; blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u2009\u202f\t\f\v]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = re.sub(r" {2,}", " ", raw).strip()
        if not line:
            lines.append("")
            continue
        previous = lines[-1] if lines else ""
        if (
            previous
            and re.match(r"^[a-z(]", line)
            and not _BULLET.match(raw)
            and not previous.endswith(":")
            and not re.match(r"^[a-z]\)", line)
        ):
            lines[-1] = f"{previous} {line}"
        else:
            lines.append(line)
    return [line for line in lines if line]


def _bullet_text(line: str) -> str | None:
    match = _BULLET.match(line)
    return line[match.end() :].strip() if match else None


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])", text)
    out: list[str] = []
    for part in parts:
        # "e.g. The", "No. 5", "Supt. Dunn": not sentence ends
        if out and re.search(r"\b(?:e\.g|i\.e|No|Supt|Insp|Dr|Mr|Mrs|Ms|Cllr|St|approx|Ch)\.$", out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [s.strip() for s in out if s.strip()]


_STOPWORDS = {"of", "and", "the", "on", "to", "for", "in", "a", "an", "&", "with", "at", "by", "from", "or", "–", "-"}


def _heading_like(line: str, next_line: str | None) -> bool:
    """A short title-case line (or a short line before prose) that names an agenda item."""
    if _BULLET.match(line) or len(line) > 90 or re.search(r"[.,;:!?]$", line):
        return False
    words = line.split()
    if not 1 <= len(words) <= 12 or not re.match(r"^[A-Z0-9“\"‘]", line):
        return False
    significant = [w for w in words if w.lower() not in _STOPWORDS and re.match(r"^[A-Za-z“\"‘]", w)]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if re.match(r"^[“\"‘]?[A-Z0-9]", w)) / len(significant)
    if capitalised >= 0.6 and (len(words) > 1 or line.isupper() or len(line) > 3):
        return next_line is not None
    prose_follows = next_line is not None and len(next_line) > 60 and bool(re.search(r"[.!?:]$", next_line))
    return len(words) <= 5 and prose_follows


def _strip_numbering(line: str) -> str:
    if match := _ITEM.match(line):
        return match["rest"].strip()
    if match := _NUMBERED.match(line):
        return match["rest"].strip()
    return line


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "")).strip("-")


def _capitalise(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _sentence_end(text: str) -> str:
    text = text.strip().rstrip(",;:")
    return text if re.search(r"[.!?]$", text) else f"{text}."


# --------------------------------------------------------------------------- attendees


def _looks_abbreviation(text: str) -> bool:
    text = text.strip()
    return bool(re.fullmatch(r"[A-Z][A-Za-z]{0,4}(?:\s*/\s*[A-Z][A-Za-z]{0,5})*", text)) and (
        sum(c.isupper() for c in text) >= 2 or len(text) <= 3
    )


def _looks_name(text: str) -> bool:
    tokens = text.replace(",", " ").split()
    if not 1 <= len(tokens) <= 5 or len(text) > 50 or re.search(r"\d", text) or _NOT_NAMES.search(text):
        return False
    if sum(1 for t in tokens if t.lower().rstrip(".") not in _TITLES) < 1:
        return False
    return all(_NAME_TOKEN.match(t) or t.lower().rstrip(".") in _TITLES for t in tokens) and len(tokens) >= 2


def _normal_role(role: str) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,;–-")
    role = re.sub(r"^T\s*/\s*", "Temporary ", role)
    role = re.sub(r"^A\s*/\s*", "Acting ", role)
    return role


def _split_name_role(text: str) -> tuple[str, str] | None:
    if match := re.search(r"\s+[-–—]\s*|\s*[–—]\s*|\s*[-–—]\s+", text):
        return text[: match.start()], text[match.end() :]
    for match in re.finditer("-", text):
        if _ROLE_START.match(text[match.end() :].lstrip()):
            return text[: match.start()], text[match.end() :]
    if "," in text:
        name, role = text.split(",", 1)
        return name, role
    return None


def _derived_abbreviation(name: str, role: str) -> str:
    base = re.sub(r"^(temporary|acting)\s+", "", role.lower()).strip()
    if base in _ROLE_ABBR:
        prefix = "T/" if role.lower().startswith("temporary") else "A/" if role.lower().startswith("acting") else ""
        return prefix + _ROLE_ABBR[base]
    tokens = [t for t in re.split(r"[\s-]+", name) if t and t.lower().rstrip(".") not in _TITLES]
    return "".join(t[0].upper() for t in tokens if t[:1].isalpha())


def _organisation(role: str, abbreviation: str | None, hint: str | None) -> str | None:
    if hint:
        return hint
    words = f"{role} ({abbreviation or ''})"
    if _OPCC_ROLE.search(words):
        return "OPCC"
    if _POLICE_ROLE.search(words):
        return "West Mercia Police"
    return None


def parse_attendee(line: str) -> tuple[Attendee, bool] | None:
    """One attendee line -> (attendee, is_chair); None when the line is not a person with a role.

    Reads "Name – Role (ABBR)" with en-dash, hyphen or spaced variants ("Chris Jensen-Policy Officer (CJ)",
    "Rachel Jones -T/ Deputy Chief Constable (T/DCC)"), "Name (Role)", "Name (ABBR) – Role", "Name, Role".
    """
    text = _bullet_text(line) or line.strip()
    text = text.rstrip(" ,;.")
    chair = False
    if match := re.search(r"\s*(?:[-–—,]\s*|\(\s*)(?:chair(?:man|person|woman)?|in the chair)\s*\)?\s*$", text, re.I):
        chair, text = True, text[: match.start()]
    organisation = None
    abbreviation = None
    role = None
    for _ in range(2):
        match = re.match(r"^(?P<head>.*?)\s*\((?P<paren>[^()]*)\)\s*$", text)
        if not match:
            break
        paren = match["paren"].strip()
        if paren.upper() in ("OPCC", "WMP") or paren.lower() == "west mercia police":
            organisation = "OPCC" if paren.upper() == "OPCC" else "West Mercia Police"
        elif _looks_abbreviation(paren) and abbreviation is None:
            abbreviation = re.sub(r"\s*/\s*", "/", paren)
        elif role is None:
            role = paren
        else:
            break
        text = match["head"].strip()
    if match := re.match(r"^(?P<name>[^()]+?)\s*\((?P<abbr>[^()]+)\)\s*[-–—,]\s*(?P<role>.+)$", text):
        if _looks_abbreviation(match["abbr"]) and abbreviation is None:
            text, abbreviation, role = match["name"], match["abbr"], match["role"]
    name = text.strip()
    if role is None:
        split = _split_name_role(text)
        if split is None and abbreviation and _looks_name(name):
            split = (name, _ROLE_NAMES.get(abbreviation.upper(), abbreviation))
        if split is None:
            return None
        name, role = split[0].strip(), split[1].strip()
    role = _normal_role(role)
    if not _looks_name(name) or not role or not (_ROLE_WORDS.search(role) or abbreviation):
        return None
    abbreviation = abbreviation or _derived_abbreviation(name, role)
    return Attendee(name, role, abbreviation, _organisation(role, abbreviation, organisation)), chair


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


# --------------------------------------------------------------------------- owners and due meetings

_OWNER_TOKEN = r"(?:[A-Z][A-Za-z]*(?:\s*/\s*[A-Z][A-Za-z]*)*)"
_OWNER_HEAD = re.compile(
    rf"^(?:[Tt]he\s+)?(?P<owner>{_OWNER_TOKEN}(?:(?:\s*(?:,|&|and)\s*|\s+of\s+(?:the\s+)?|\s+){_OWNER_TOKEN}){{0,4}})"
    r"\s+(?:to|will|would|should|must|agreed\s+to|is\s+to|are\s+to)\s+(?=[a-z])",
)
_OWNER_AGREED = re.compile(
    rf"\b(?:agreed|requested|asked|confirmed)\s+that\s+(?:the\s+)?(?P<owner>{_OWNER_TOKEN}(?:\s+{_OWNER_TOKEN}){{0,2}})"
    r"\s+(?:would|will|should|to)\b",
)
_OWNER_TAIL = re.compile(
    r"(?:[(\[]\s*|\s[-–—]\s*|\.\s*)(?:(?i:owner|lead|responsible|by|action(?:ed)?\s+by)\s*[:\-–]?\s*)?"
    r"(?P<owner>[A-Z][A-Za-z]{0,5}(?:\s*/\s*[A-Z][A-Za-z]{0,5})*(?:\s*(?:,|&|and)\s*[A-Z][A-Za-z]{0,5})*)"
    r"\s*[)\]]?\.?\s*$",
)
_NOT_OWNERS = {"it", "there", "this", "he", "she", "they", "we", "members", "all", "following", "discussions"}


def _owner_at_start(text: str, people: _People | None = None) -> str | None:
    """The owner written at the start of an action: 'T/CC to ...', 'The T/CC to ...', 'JC/MB to ...'."""
    match = _OWNER_HEAD.match(text.strip())
    if not match:
        return None
    owner = match["owner"]
    words = owner.split()
    if words[0].lower() in _NOT_OWNERS:
        return None
    parts = [p for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", owner) if p]
    # "Write to the Home Office": a single ordinary word before "to" is a verb, not an owner
    if len(words) == 1 and not all(_looks_abbreviation(p) for p in parts) and not _ROLE_WORDS.search(owner):
        return owner if people is not None and people.known(owner) else None
    return owner


class _People:
    """Maps names and abbreviations of the attendees to the abbreviation used as an owner."""

    def __init__(self, attendees: list[Attendee]):
        self.by_key: dict[str, str] = {}
        for a in attendees:
            abbr = a.abbreviation or a.name
            for key in (a.name, a.abbreviation or "", a.name.split()[0] if a.name else "", a.role):
                if key:
                    self.by_key.setdefault(key.lower(), abbr)

    def known(self, text: str) -> bool:
        return text.lower() in self.by_key

    def normal(self, owner: str) -> str:
        parts = [p.strip() for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", owner) if p.strip()]
        if len(parts) > 1 and all(_looks_abbreviation(p) or self.known(p) for p in parts):
            return "/".join(self.by_key.get(p.lower(), p) if not _looks_abbreviation(p) else p for p in parts)
        owner = re.sub(r"\s*/\s*", "/", owner.strip())
        if not _looks_abbreviation(owner) and self.known(owner):
            return self.by_key[owner.lower()]
        return owner


def _action_owner(found: _ActionFound, people: _People) -> str | None:
    text = found.text
    if found.owner_hint and (_looks_abbreviation(found.owner_hint) or people.known(found.owner_hint)):
        return people.normal(found.owner_hint)
    if owner := _owner_at_start(text, people):
        return people.normal(owner)
    if match := _OWNER_AGREED.search(text):
        return people.normal(match["owner"])
    if match := re.match(rf"^(?P<owner>{_OWNER_TOKEN}(?:\s*(?:,|&|and)\s*{_OWNER_TOKEN})*)\s*[:\-–—]\s+\S", text):
        if all(_looks_abbreviation(p) or people.known(p) for p in re.split(r"\s*(?:,|&|\band\b)\s*", match["owner"])):
            return people.normal(match["owner"])
    if match := _OWNER_TAIL.search(text):
        owner = match["owner"]
        if all(_looks_abbreviation(p) or people.known(p) for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", owner) if p):
            return people.normal(owner)
    return None


_DUE_MEETING = re.compile(
    r"\b(?:at|by|to|for|before|in|until|ahead\s+of)\s+(?:the\s+)?(?P<due>(?:(?!the\b|on\b|at\b)[\w&/’'-]+\s+){0,6}?"
    r"(?:meeting|board|committee|panel))\b",
    re.I,
)
_DUE_QUALIFIER = re.compile(
    rf"\bQ[1-4]\b|\bquarter\b|\bnext\b|\bfollowing\b|\bA&A\b|\bperformance\b|\bboard\b|\bcommittee\b|\bpanel\b|"
    rf"\b{_MONTH}\b",
    re.I,
)


def _kind_of(phrase: str, own_kind: str) -> str:
    if re.search(r"\bA\s*&\s*A\b|accountability", phrase, re.I):
        return "A&A performance" if re.search(r"performance", phrase, re.I) or own_kind == "A&A performance" else "A&A"
    if match := re.search(r"(?P<name>(?:[A-Z][\w&]*\s+){0,4}(?:Board|Committee|Panel))", phrase):
        return match["name"].strip()
    return own_kind


def _quarter_number(text: str) -> int | None:
    if match := re.search(r"\bQ([1-4])\b|\bquarter\s*([1-4])\b", text, re.I):
        return int(match.group(1) or match.group(2))
    if match := re.search(r"\b(first|second|third|fourth)\s+quarter\b", text, re.I):
        return _ORDINALS[match.group(1).lower()]
    return None


def _due(text: str, meeting: Meeting, discussed: Quarter | None) -> tuple[str | None, str | None, str | None]:
    """(due_text, due_meeting_kind, due_meeting_quarter) for an action."""
    for match in _DUE_MEETING.finditer(text):
        due = match["due"]
        if not _DUE_QUALIFIER.search(due) or re.match(r"^(?:this|last|previous|same)\b", due, re.I):
            continue
        # "a briefing for the Police and Crime Panel" names an audience, not when the action is due
        if match.group(0).split()[0].lower() in ("for", "to") and not re.search(
            rf"\b(?:next|following|Q[1-4]|quarter|{_MONTH})\b", due, re.I
        ):
            continue
        kind = _kind_of(due, meeting.kind)
        quarter = None
        if discussed is not None:
            number = _quarter_number(due)
            if number is not None:
                quarter = discussed.shift((number - discussed.number) % 4 or 4).label
            elif re.search(r"\b(?:next|following)\b", due, re.I) and "performance" in kind.lower():
                quarter = discussed.shift(1).label
        return due, kind, quarter
    phrase = deadline_phrase(text, cue=True)
    return (phrase, None, None) if phrase else (None, None, None)


# --------------------------------------------------------------------------- actions


def _action_key(text: str) -> str:
    """Normalised text: a summary that repeats an action without 'The', an article or its full stop is the same."""
    text = text.lower().strip()
    text = re.sub(r"^(?:action\s*:?\s*)", "", text)
    text = re.sub(r"[^\w\s/&]", " ", text)
    text = re.sub(r"\b(?:the|a|an)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _actions(reader: _Reader, meeting: Meeting, discussed: Quarter | None, people: _People) -> list[Action]:
    kept: list[tuple[str, Action]] = []
    seen: set[str] = set()
    for found in reader.found_actions:
        text = re.sub(r"\s+", " ", found.text).strip()
        key = _action_key(text)
        if not key:
            continue
        if key in seen:
            continue
        seen.add(key)
        owner = _action_owner(found, people)
        # "(Owner: ST)" has been read into the owner; the action's text is the action itself
        text = re.sub(
            r"\s*[(\[]\s*(?:owner|lead|responsible|action(?:ed)?\s+by)\s*[:\-–]\s*[^)\]]+[)\]]\s*\.?$",
            "",
            text,
            flags=re.I,
        )
        due_text, kind, quarter = _due(text, meeting, discussed)
        metric = find_metric(text)
        area = find_area(text) or ("force" if metric else None)
        action = Action(text, owner, found.item, due_text, kind, quarter, metric, area)
        kept.append((key, action))
        if owner is None:
            reader.warnings.append(f"Action {len(kept)} has no owner that could be read: “{_short(text)}”")
        if due_text and kind and quarter is None and "performance" in kind.lower() and discussed is None:
            reader.warnings.append(f"Action {len(kept)}: the quarter of “{due_text}” needs the meeting date")
    return [a for _, a in kept]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- recommendations

_QUOTED = re.compile(r"“([^”]{4,200})”|\"([^\"]{4,200})\"|‘([^’]{4,200})’")
_REPORT_WORDS = re.compile(r"report|inspection|recommendation|published|hmicfrs|hmic\b|peel", re.I)


def _report_title(paragraphs: list[str]) -> str | None:
    fallback = None
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            for match in _QUOTED.finditer(sentence):
                title = next(g for g in match.groups() if g).strip().strip(".,")
                if _REPORT_WORDS.search(sentence):
                    return title
                fallback = fallback or title
            if match := re.search(
                r"HMICFRS\s+(?:report|inspection)\s+(?:into|on|of)\s+(?:the\s+)?(?P<t>[A-Z][^,.;]{3,120}?)"
                r"(?=\s*(?:[,.;]|\s+published|\s+which|$))",
                sentence,
            ):
                fallback = fallback or match["t"].strip()
    return fallback


def _published(paragraphs: list[str], held_on: date | None) -> date | None:
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            index = sentence.lower().find("published")
            if index < 0:
                continue
            rest = sentence[index:]
            if match := _DATE_IN_TEXT.search(rest):
                day, month = int(match["day"]), _month(match["month"])
                if match["year"]:
                    return _safe_date(int(match["year"]), month, day)
                if held_on is None:
                    return None
                found = _safe_date(held_on.year, month, day)
                if found and found > held_on:
                    found = _safe_date(held_on.year - 1, month, day)
                return found
            if match := _NUMERIC_DATE.search(rest):
                return _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    return None


_SPEAKER_LEAD = re.compile(
    rf"^(?:The\s+)?(?:[A-Z][\w/&.'’-]*\s+){{0,3}}?[A-Z][\w/&.'’-]*\s+(?:also\s+|then\s+|next\s+)?"
    rf"(?:{_SPEECH_VERBS})\s+(?:(?:how|that|on|the|on-going|ongoing)\s+)?",
)


def _subject(block: _RecBlock) -> str:
    if block.subject:
        return _capitalise(block.subject.rstrip("."))
    first = _sentences(block.paragraphs[0])[0] if block.paragraphs else ""
    first = re.sub(r"^Next,?\s+", "", first)
    if match := re.search(r"\bimprov\w*\s+(?:processe?s?\s+(?:around|surrounding)\s+)?(?P<s>[^,.;]+)", first):
        subject = match["s"]
    else:
        subject = _SPEAKER_LEAD.sub("", first)
        subject = re.sub(r"^(?:who|which)\s+\w+\s+", "", subject)
    subject = re.split(r"\s+(?:have|has|had|is|are|was|were|will|would)\b", subject)[0]
    subject = subject.strip().rstrip(".,;")
    words = subject.split()
    if len(words) > 14:
        subject = " ".join(words[:14]) + "…"
    return _capitalise(subject) or f"Recommendation {block.number}"


def _recommendations(reader: _Reader, held_on: date | None) -> list[Recommendation]:
    out: list[Recommendation] = []
    report_cache: dict[int | None, tuple[str | None, date | None]] = {}
    for block in reader.recs:
        if block.item not in report_cache:
            context = block.context or reader._item_text(block.item)
            report_cache[block.item] = (_report_title(context), _published(context, held_on))
        report, published = report_cache[block.item]
        if report is None:
            report, published = _report_title(block.paragraphs), published or _published(block.paragraphs, held_on)
        deadline = None
        for paragraph in block.paragraphs:
            for sentence in _sentences(paragraph):
                if "published" in sentence.lower():
                    continue
                deadline = deadline_phrase(sentence)
                if deadline:
                    break
            if deadline:
                break
        response = " ".join(block.paragraphs).strip() or None
        out.append(Recommendation(report, published, block.number, _subject(block), response, deadline))
        where = f"Recommendation {block.number}"
        if report is None:
            reader.warnings.append(f"{where}: the report's title was not found (quote it, or enter it)")
        if published is None:
            reader.warnings.append(f"{where}: the report's publication date was not found")
        if deadline is None:
            reader.warnings.append(f"{where}: no deadline found")
        elif held_on is not None and resolve_deadline(deadline, held_on) is None:
            reader.warnings.append(
                f"{where}: the deadline “{deadline}” is kept as written but does not resolve to a date"
            )
    return out


# --------------------------------------------------------------------------- pledges and claims


def _speaker(sentence: str, people: _People) -> str | None:
    match = _SPEAKER.match(sentence.strip())
    if not match:
        return None
    who = match["who"].strip()
    if who.split()[0].lower() in _PRONOUNS:
        return None
    if people.known(who) or _looks_abbreviation(who):
        return people.normal(who)
    if re.match(r"^(?:Supt|Superintendent|Chief|Inspector|DCI|DI|Det|Detective|Cllr|Dr|Mr|Mrs|Ms)\b", who):
        return who
    return None


def _horizon(text: str) -> int | None:
    match = _HORIZON.search(text)
    if not match:
        return None
    if match["single"]:
        return {"month": 1, "quarter": 3, "year": 12}[match["single"].lower()]
    n_text = (match["n"] or match["n2"]).lower()
    unit = (match["unit"] or match["unit2"]).lower()
    n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS.get(n_text)
    if n is None:
        return None
    return n * (3 if unit.startswith("quarter") else 12 if unit.startswith("year") else 1)


def _direction(text: str, metric: str) -> str | None:
    if _DOWN.search(text):
        return "decrease"
    if _UP.search(text):
        return "increase"
    if _BETTER.search(text) or _WORSE.search(text):
        better_is_up = _METRIC_UNITS.get(metric, ("", "higher", 1))[1] != "lower"
        return "increase" if better_is_up == bool(_BETTER.search(text)) else "decrease"
    return None


def _pledge(text: str, owner: str | None, area: str, reader: _Reader) -> Pledge | None:
    text = text.strip().rstrip(",;.").strip()
    metric = find_metric(text)
    if metric is None:
        reader.warnings.append(f"Pledge not placed: no metric named in “{_short(text)}”")
        return None
    direction = _direction(text, metric)
    if direction is None:
        reader.warnings.append(f"Pledge not placed: no direction (increase/reduce/improve) in “{_short(text)}”")
        return None
    horizon = _horizon(text)
    if horizon is None:
        reader.warnings.append(f"Pledge “{_short(text)}”: no time frame stated; enter the months")
    return Pledge(owner, text, find_area(text) or area, metric, direction, horizon)


def _pledges(reader: _Reader, people: _People) -> list[Pledge]:
    out: list[Pledge] = []
    for intro, items, item in reader.pledge_lists:
        owner = _speaker(intro, people)
        area = find_area(intro)
        if area is None and item:
            area = next((a for p in reader.items[item - 1].paragraphs if (a := find_area(p))), None)
        for text in items:
            if pledge := _pledge(text, owner, area or "force", reader):
                out.append(pledge)
    for paragraph, _item in reader.prose:
        last_speaker = None
        for sentence in _sentences(paragraph):
            last_speaker = _speaker(sentence, people) or last_speaker
            if match := _PLEDGE_SENTENCE.search(sentence):
                what = _capitalise(match["what"])
                if find_metric(what) and (
                    pledge := _pledge(what, last_speaker, find_area(sentence) or "force", reader)
                ):
                    out.append(pledge)
    return out


def _tolerance(number: str, metric: str, in_metric_unit: bool) -> float:
    decimals = len(number.split(".")[1]) if "." in number else 0
    tolerance = 0.5 * 10**-decimals
    unit, _, metric_decimals = _METRIC_UNITS.get(metric, ("count", "lower", 0))
    if in_metric_unit and unit != "count":
        tolerance = min(tolerance, 0.5 * 10**-metric_decimals)
    return round(tolerance, 6)


def _claim_clauses(sentence: str) -> list[str]:
    figures = [m for m in _FIGURE.finditer(sentence) if _is_figure(sentence, m)]
    if len(figures) < 2:
        return [sentence]
    clauses, start = [], 0
    for previous, current in zip(figures, figures[1:], strict=False):
        window = sentence[previous.end() : current.start()]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(" and "), window.rfind(" while "))
        if cut < 0:
            continue
        at = previous.end() + cut
        clauses.append(sentence[start:at])
        start = at + (2 if sentence[at : at + 2] in (", ", "; ") else 1)
        start = start + len(sentence[start:]) - len(sentence[start:].lstrip())
        if sentence[start:].lower().startswith(("and ", "while ")):
            start += sentence[start:].index(" ") + 1
    clauses.append(sentence[start:])
    return [c for c in clauses if c.strip()]


def _is_figure(text: str, match: re.Match[str]) -> bool:
    unit = match["unit"].lower()
    if unit.startswith("point") and not re.search(r"percentage", text[match.start() - 15 : match.end()], re.I):
        return False
    return True


def _clause_text(clause: str) -> str:
    clause = clause.strip()
    if match := re.match(rf"^(?:The\s+)?(?:[A-Z][\w/&.'’-]*\s+){{0,3}}?[A-Z][\w/&.'’-]*\s+(?:{_SPEECH_VERBS})\b"
                         rf"(?:\s+\w+ly)?\s+that\s+", clause):  # fmt: skip
        clause = clause[match.end() :]
    return _sentence_end(_capitalise(clause))


def _period(text: str) -> str | None:
    if re.search(r"so far this (?:financial )?year|year[-\s]to[-\s]date|\bYTD\b|this financial year", text, re.I):
        return "year_to_date"
    if re.search(r"(?:last|past|previous|rolling)\s+(?:12|twelve)\s+months|rolling\s+year|12[-\s]month", text, re.I):
        return "rolling_12_months"
    if re.search(r"\bQ[1-4]\b|\bquarter\b", text, re.I):
        return "quarter"
    return None


def _comparison(text: str, period: str) -> str | None:
    if re.search(r"same (?:period|quarter) (?:last|the previous|a) year|last year|previous year|year[-\s]on[-\s]year|"
                 r"a year (?:ago|earlier)", text, re.I):  # fmt: skip
        return "previous_12_months" if period == "rolling_12_months" else "same_period_last_year"
    if re.search(r"previous\s+(?:12|twelve)\s+months|prior\s+(?:12|twelve)\s+months", text, re.I):
        return "previous_12_months"
    if re.search(r"(?:previous|last|preceding|prior) quarter|quarter[-\s]on[-\s]quarter", text, re.I):
        return "previous_quarter"
    return None


def _claims(reader: _Reader, people: _People, discussed: Quarter | None) -> list[Claim]:
    out: list[Claim] = []
    for paragraph, _item in reader.prose:
        speaker = None
        for sentence in _sentences(paragraph):
            speaker = _speaker(sentence, people) or speaker
            clauses = _claim_clauses(sentence)
            metric = period = quarter = None
            for clause in clauses:
                figures = [m for m in _FIGURE.finditer(clause) if _is_figure(clause, m)]
                metric = find_metric(clause) or metric
                period = _period(clause) or period
                if (number := _quarter_number(clause)) is not None and discussed is not None:
                    quarter = discussed.shift(-((discussed.number - number) % 4)).label
                if not figures:
                    continue
                if metric is None:
                    reader.warnings.append(f"Figure not placed (no metric named): “{_short(clause.strip())}”")
                    continue
                claim = _claim(clause, figures[0], metric, period, quarter, speaker, sentence, discussed, reader)
                if claim:
                    out.append(claim)
    return out


def _claim(clause, figure, metric, period, quarter, speaker, sentence, discussed, reader) -> Claim | None:
    unit = figure["unit"].lower()
    number = figure["num"].replace(",", "")
    value = float(number)
    points = unit.startswith(("percentage", "pp", "ppt", "point"))
    metric_unit, direction, _ = _METRIC_UNITS.get(metric, ("count", "lower", 0))
    change_words = _SIGN_WORDS.search(clause)
    comparison = _comparison(clause, period or "quarter")
    is_change = bool(points or change_words or comparison or figure["sign"])
    period = period or "quarter"
    if is_change:
        if figure["sign"] in ("-", "−") or _DOWN.search(clause):
            value = -abs(value)
        elif _WORSE.search(clause):
            value = -abs(value) if direction == "higher" else abs(value)
        elif _BETTER.search(clause) and not _UP.search(clause):
            value = abs(value) if direction != "lower" else -abs(value)
        if comparison is None:
            comparison = "previous_12_months" if period == "rolling_12_months" else "same_period_last_year"
            if period == "quarter":
                reader.warnings.append(
                    f"“{_short(clause.strip())}”: the comparison is not stated; same period last year assumed"
                )
        if metric_unit == "percent" and not points:
            reader.warnings.append(
                f"“{_short(clause.strip())}”: a per cent change in a rate; check whether percentage points were meant"
            )
        in_metric_unit = points and metric_unit == "percent"
    else:
        if metric_unit != "percent":
            reader.warnings.append(f"Figure not placed (a percentage level of a count): “{_short(clause.strip())}”")
            return None
        comparison = "none"
        in_metric_unit = True
    if not period:
        period = "quarter"
    quarter = quarter or (discussed.label if discussed else None)
    area = find_area(clause) or find_area(sentence) or "force"
    return Claim(
        speaker=speaker,
        text=_clause_text(clause),
        metric=metric,
        area=area,
        quarter=quarter,
        period=period,
        comparison=comparison,
        stated_value=value,
        tolerance=_tolerance(number, metric, in_metric_unit),
    )


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


# --------------------------------------------------------------------------- describe, validate, apply


def describe(proposal: Proposal) -> str:
    """A readable summary of a proposal for the terminal."""
    m = proposal.meeting
    lines = [
        f"Meeting: {m.id or '(no date)'} — {m.title}",
        f"  held on {m.held_on or 'unknown'} {m.starts_at or ''} · kind {m.kind} · performance discussed "
        f"{m.quarter_discussed or 'unknown'}",
        f"  chair {m.chair or '–'} · minutes {m.minute_taker or '–'}",
        f"Attendees ({len(proposal.attendees)}):",
        *[f"  - {a.name} – {a.role} ({a.abbreviation}) [{a.organisation or '–'}]" for a in proposal.attendees],
        f"Agenda ({len(proposal.agenda)}):",
        *[f"  {i}. {a.title}" for i, a in enumerate(proposal.agenda, start=1)],
        f"Actions ({len(proposal.actions)}):",
        *[
            f"  {i}. [{a.owner or 'NO OWNER'}] {a.text}"
            + (
                f"\n     due: {a.due_text}" + (f" ({a.due_meeting_quarter})" if a.due_meeting_quarter else "")
                if a.due_text
                else ""
            )
            for i, a in enumerate(proposal.actions, start=1)
        ],
        f"Recommendations ({len(proposal.recommendations)}):",
    ]
    for r in proposal.recommendations:
        resolved = resolve_deadline(r.deadline_text, m.held_on) if m.held_on else None
        lines.append(
            f"  {r.number}. {r.subject} — deadline “{r.deadline_text or '–'}” → {resolved or 'not resolved'}"
            f" ({r.report or 'report unknown'})"
        )
    lines.append(f"Pledges ({len(proposal.pledges)}):")
    lines += [
        f"  - [{p.owner or '–'}] {p.text} → {p.area} {p.metric} {p.direction} over {p.horizon_months or '?'} months"
        for p in proposal.pledges
    ]
    lines.append(f"Claims ({len(proposal.claims)}):")
    lines += [
        f"  - [{c.speaker or '–'}] {c.text} → {c.metric} {c.area} {c.quarter} {c.period} {c.comparison} "
        f"{c.stated_value:+g} (±{c.tolerance:g})"
        for c in proposal.claims
    ]
    if proposal.warnings:
        lines.append(f"Warnings ({len(proposal.warnings)}):")
        lines += [f"  ! {w}" for w in proposal.warnings]
    lines.append("Deadlines: " + LOOSE_DEADLINE_NOTE)
    return "\n".join(lines)


def known_codes(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """(area codes, metric codes) held in the database, in display order."""
    cursor = con.cursor()
    try:
        areas = [r[0] for r in cursor.execute("SELECT code FROM areas ORDER BY sort_order").fetchall()]
        metrics = [r[0] for r in cursor.execute("SELECT code FROM metrics ORDER BY sort_order").fetchall()]
    finally:
        cursor.close()
    return areas, metrics


def _blank(value) -> bool:
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _check_quarter(value, where: str, problems: list[str], required: bool = True) -> None:
    if _blank(value):
        if required:
            problems.append(f"{where}: the quarter is missing (write it like 2024/25 Q2)")
        return
    try:
        Quarter.parse(str(value))
    except PeriodError as exc:
        problems.append(f"{where}: {exc}")


def _check_date(value, where: str, problems: list[str]) -> None:
    if _blank(value):
        problems.append(f"{where} is missing (YYYY-MM-DD)")
        return
    try:
        date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: {str(value)[:40]!r} is not a date (YYYY-MM-DD)")


def _as_int(value) -> int | None:
    if _blank(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


def _as_float(value) -> float | None:
    if _blank(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def validate(proposal: dict, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every problem that stops a proposal (in the data/meetings JSON format) from being saved; [] when none."""
    problems: list[str] = []
    if not isinstance(proposal, dict):
        return ["The proposal is not a meeting record"]
    areas, metrics = known_codes(con)
    mid = proposal.get("id")
    if _blank(mid):
        problems.append("Meeting: the id is missing (it is made from the meeting date: enter the date)")
    elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]*", str(mid)):
        problems.append(f"Meeting: the id {str(mid)[:60]!r} should look like 2024-11-27-aa-performance")
    else:
        cursor = con.cursor()
        try:
            exists = cursor.execute("SELECT count(*) FROM meetings WHERE id = $mid", {"mid": mid}).fetchone()[0]
        finally:
            cursor.close()
        if exists:
            problems.append(f"Meeting {mid} is already in the database")
    _check_date(proposal.get("held_on"), "Meeting: the date", problems)
    for key, label in (("title", "title"), ("kind", "kind")):
        if _blank(proposal.get(key)):
            problems.append(f"Meeting: the {label} is missing")
    pledges = proposal.get("pledges") or []
    _check_quarter(proposal.get("quarter_discussed"), "Meeting: quarter discussed", problems, required=bool(pledges))
    for i, a in enumerate(proposal.get("attendees") or [], start=1):
        for key in ("name", "role"):
            if _blank(a.get(key)):
                problems.append(f"Attendee {i}: the {key} is missing")
    agenda = proposal.get("agenda") or []
    for i, a in enumerate(agenda, start=1):
        if _blank(a.get("title")):
            problems.append(f"Agenda item {i}: the title is missing")
    for i, a in enumerate(proposal.get("actions") or [], start=1):
        where = f"Action {i}"
        if _blank(a.get("text")):
            problems.append(f"{where}: the text is missing")
        if _blank(a.get("owner")):
            problems.append(f"{where}: the owner is missing (e.g. T/CC)")
        item = a.get("agenda_item")
        if not _blank(item) and not (_as_int(item) and 1 <= _as_int(item) <= len(agenda)):
            problems.append(f"{where}: agenda item {item} is not on the agenda (1–{len(agenda)})")
        _check_quarter(a.get("due_meeting_quarter"), f"{where}: due meeting quarter", problems, required=False)
        if not _blank(a.get("area")) and a.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(a.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if not _blank(a.get("metric")) and a.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(a.get('metric'))[:40]!r}")
    seen: set[tuple] = set()
    for i, r in enumerate(proposal.get("recommendations") or [], start=1):
        where = f"Recommendation {r.get('number') if not _blank(r.get('number')) else i}"
        if _blank(r.get("report")):
            problems.append(f"{where}: the report's title is missing")
        if _as_int(r.get("number")) is None:
            problems.append(f"{where}: the number is missing")
        if _blank(r.get("subject")):
            problems.append(f"{where}: the subject is missing")
        _check_date(r.get("report_published"), f"{where}: the report's publication date", problems)
        if r.get("status", "in progress") not in RECOMMENDATION_STATUSES:
            problems.append(f"{where}: status must be one of {', '.join(RECOMMENDATION_STATUSES)}")
        key = (r.get("report"), _as_int(r.get("number")))
        if key in seen:
            problems.append(f"{where}: listed twice for the same report")
        seen.add(key)
    for i, p in enumerate(pledges, start=1):
        where = f"Pledge {i}"
        for key in ("owner", "text"):
            if _blank(p.get(key)):
                problems.append(f"{where}: the {key} is missing")
        if p.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(p.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if p.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(p.get('metric'))[:40]!r}")
        if p.get("direction") not in DIRECTIONS:
            problems.append(f"{where}: direction must be increase or decrease")
        horizon = _as_int(p.get("horizon_months"))
        if horizon is None or horizon <= 0:
            problems.append(f"{where}: the time frame in months is missing")
    for i, c in enumerate(proposal.get("claims") or [], start=1):
        where = f"Claim {i}"
        if _blank(c.get("text")):
            problems.append(f"{where}: the text is missing")
        if c.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(c.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if c.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(c.get('metric'))[:40]!r}")
        _check_quarter(c.get("quarter"), where, problems)
        if c.get("period") not in PERIODS:
            problems.append(f"{where}: period must be one of {', '.join(PERIODS)}")
        if c.get("comparison") not in COMPARISONS:
            problems.append(f"{where}: comparison must be one of {', '.join(COMPARISONS)}")
        if _as_float(c.get("stated_value")) is None:
            problems.append(f"{where}: the stated value is not a number")
        tolerance = _as_float(c.get("tolerance"))
        if tolerance is None or tolerance < 0:
            problems.append(f"{where}: the tolerance must be a number ≥ 0")
    return problems


def _normalised(proposal: dict) -> dict:
    """The proposal with numbers as numbers and blanks as None, ready for load_meeting_file."""

    def plain_value(value):
        if _blank(value):
            return None
        if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars from a data editor
            value = value.item()
        return value.strip() if isinstance(value, str) else value

    def clean(row: dict) -> dict:
        return {k: plain_value(v) for k, v in row.items()}

    out = clean({k: v for k, v in proposal.items() if not isinstance(v, list)})
    out["attendees"] = [clean(a) for a in proposal.get("attendees") or []]
    out["agenda"] = [clean(a) for a in proposal.get("agenda") or []]
    out["actions"] = [clean(a) | {"agenda_item": _as_int(a.get("agenda_item"))} for a in proposal.get("actions") or []]
    out["recommendations"] = [
        {"status": "in progress"} | clean(r) | {"number": _as_int(r.get("number"))}
        for r in proposal.get("recommendations") or []
    ]
    out["pledges"] = [
        clean(p) | {"horizon_months": _as_int(p.get("horizon_months"))} for p in proposal.get("pledges") or []
    ]
    out["claims"] = [
        clean(c) | {"stated_value": _as_float(c.get("stated_value")), "tolerance": _as_float(c.get("tolerance"))}
        for c in proposal.get("claims") or []
    ]
    for key in ("starts_at", "quarter_discussed", "chair", "minute_taker", "source_document"):
        out.setdefault(key, None)
    for action in out["actions"]:
        for key in ("agenda_item", "due_text", "due_meeting_kind", "due_meeting_quarter", "metric", "area"):
            action.setdefault(key, None)
    for rec in out["recommendations"]:
        for key in ("force_response", "deadline_text"):
            rec.setdefault(key, None)
    for attendee in out["attendees"]:
        for key in ("abbreviation", "organisation"):
            attendee.setdefault(key, None)
    for item in out["agenda"]:
        item.setdefault("notes", None)
    return out


def apply(con: duckdb.DuckDBPyConnection, proposal: dict, *, changed_by: str = IMPORTED_BY) -> str:
    """Validate, then save the meeting and everything accepted in it in ONE transaction; return the meeting id.

    Raises ProposalInvalid (listing every problem) before anything is written. A recommendation already held
    (same report and number) is updated with this meeting's response and deadline rather than duplicated.
    """
    problems = validate(proposal, con)
    if problems:
        raise ProposalInvalid(problems)
    meeting = _normalised(proposal)
    cursor = con.cursor()
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False)
    try:
        cursor.execute("BEGIN TRANSACTION")
        try:
            existing = []
            new = []
            for rec in meeting["recommendations"]:
                found = cursor.execute(
                    "SELECT id FROM recommendations WHERE report = $report AND number = $number",
                    {"report": rec["report"], "number": rec["number"]},
                ).fetchone()
                (existing if found else new).append((found[0] if found else None, rec))
            with handle:
                json.dump(meeting | {"recommendations": [r for _, r in new]}, handle, ensure_ascii=False)
            mid = load_meeting_file(_SkipEmptyLists(cursor), Path(handle.name))
            held_on = date.fromisoformat(meeting["held_on"])
            for rec_id, rec in existing:
                cursor.execute(
                    "UPDATE recommendations SET force_response = $force_response, deadline_text = $deadline_text,"
                    " deadline_date = $deadline_date, meeting_id = $mid WHERE id = $id",
                    {
                        "force_response": rec["force_response"],
                        "deadline_text": rec["deadline_text"],
                        "deadline_date": resolve_deadline(rec["deadline_text"], held_on),
                        "mid": mid,
                        "id": rec_id,
                    },
                )
            _audit_import(cursor, mid, changed_by, {rec_id for rec_id, _ in existing})
            cursor.execute("COMMIT")
        except Exception:
            cursor.execute("ROLLBACK")
            raise
    finally:
        cursor.close()
        try:
            os.unlink(handle.name)
        except OSError:
            pass
    return mid


class _SkipEmptyLists:
    """A cursor whose executemany does nothing for an empty list: a meeting may have no pledges or claims."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection):
        self._cursor = cursor

    def execute(self, *args, **kwargs):
        return self._cursor.execute(*args, **kwargs)

    def executemany(self, sql: str, parameters):
        if parameters:
            return self._cursor.executemany(sql, parameters)
        return self._cursor


def _audit_import(cursor: duckdb.DuckDBPyConnection, mid: str, changed_by: str, updated: set[int]) -> None:
    """Record each created meeting, action and recommendation in the audit trail (schema migration 3), if present."""
    has_audit = cursor.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_log'"
    ).fetchone()[0]
    if not has_audit:
        return
    rows = [
        ("meeting", mid, "title", cursor.execute("SELECT title FROM meetings WHERE id = $m", {"m": mid}).fetchone()[0])
    ]
    rows += [
        ("action", str(r[0]), "text", r[1])
        for r in cursor.execute(
            "SELECT id, text FROM actions WHERE meeting_id = $m ORDER BY position", {"m": mid}
        ).fetchall()
    ]
    rows += [
        ("recommendation", str(r[0]), "subject", r[1])
        if r[0] not in updated
        else ("recommendation", str(r[0]), "force_response", r[2])
        for r in cursor.execute(
            "SELECT id, subject, force_response FROM recommendations WHERE meeting_id = $m ORDER BY number", {"m": mid}
        ).fetchall()
    ]
    cursor.executemany(
        "INSERT INTO audit_log (entity, entity_id, operation, field, old_value, new_value, changed_by)"
        " VALUES ($entity, $entity_id, $operation, $field, NULL, $new_value, $changed_by)",
        [
            {
                "entity": entity,
                "entity_id": entity_id,
                "operation": "update" if name == "force_response" else "create",
                "field": name,
                "new_value": value,
                "changed_by": changed_by,
            }
            for entity, entity_id, name, value in rows
        ],
    )


def saved_counts(proposal: dict) -> dict[str, int]:
    """How many of each kind of item a proposal holds (for 'what was saved' messages)."""
    return {
        key: len(proposal.get(key) or [])
        for key in ("attendees", "agenda", "actions", "recommendations", "pledges", "claims")
    }
