"""Deadlines and dates of commitments: the words as written, the day they resolve to, and how to show both.

Deadlines are kept as written ("spring 2025", "31st of Mar 25") beside the date they resolve to, so the words of
the meeting are never lost to a guess: ``read_deadline`` is the one reader, ``deadline_label`` the one way a page,
the briefing or the meeting display shows a deadline. Pure functions: no database here.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import NamedTuple

from assurance.core.periods import Quarter

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
_MONTHS["sept"] = 9
# A season resolves to its last day (meteorological seasons): a deadline is the end of the period.
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30)}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b\.?(?:\s+(?P<year>\d{{4}}|\d{{2}}))?\b"
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(?P<year>\d{{4}}))?\b")
_MONTH_YEAR = re.compile(rf"\b(?:(?P<end>end\s+of)\s+)?{_MONTH}\b\.?\s+(?P<year>\d{{4}})\b")
_SEASON = re.compile(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?P<year>\d{4})\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_UK = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})\b")
# A month or a season on its own ("January", "by end of March", "by the summer"): the whole of the words, so
# that "may" in a sentence is never read as May.
_LEAD = r"^(?:(?:by|before|until|till|in|for|during|no\s+later\s+than)\s+)?(?:the\s+)?"
_PART = r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?|(?:early|mid|late)[-\s]+)?"
_MONTH_ALONE = re.compile(rf"{_LEAD}{_PART}{_MONTH}\.?$")
_SEASON_ALONE = re.compile(rf"{_LEAD}{_PART}(?P<season>spring|summer|autumn|winter)$")
# A time frame from the day it was said: "over the next three months", "within 6 months", "in the coming year".
_HORIZON = re.compile(
    r"\b(?:over|within|in|during)\s+the\s+(?:next|coming|following)\s+(?P<n>[\w-]+)\s+(?P<unit>months?|quarters?|years?)"
    r"|\b(?:over|within|in|during)\s+the\s+(?:next|coming|following)\s+(?P<single>month|quarter|year)\b"
    r"|\bwithin\s+(?P<n2>[\w-]+)\s+(?P<unit2>months?|quarters?|years?)\b",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "a": 1,
}  # fmt: skip

DEADLINE_CONVENTION = (
    "A deadline is kept exactly as written, beside the date it resolves to. A loose deadline resolves to the end of "
    "the period it names, marked approx.: “end of Jan 2025” or “January 2025” → 31 Jan 2025; spring → 31 May, "
    "summer → 31 Aug, autumn → 30 Nov, winter → the end of the February that follows; a time frame (“over the "
    "next three months”) runs from the day it was said. A day without a year is the next such day on or after the "
    "meeting (or, for a later edit, the day it was made). A meeting (“the Q3 A&A performance meeting”) gives its "
    "date once it is scheduled; words that cannot be read as a date show “date not resolved”."
)
APPROXIMATE_NOTE = (
    "approx.: the last day of the month, season or time frame said (spring 31 May, summer 31 Aug, autumn 30 Nov, "
    "winter the end of February)."
)
NOT_RESOLVED = "date not resolved"
NO_DEADLINE = "no date stated"
APPROXIMATE_MARK = "(approx.)"


class Deadline(NamedTuple):
    """The date a deadline as written resolves to, and whether that date is the end of a looser period."""

    day: date
    approximate: bool


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_on_or_after(said_on: date, month: int, day: int | None = None) -> date:
    """The day (or, without one, the month's last day) next falling on or after `said_on`.

    Raises ValueError when that next day does not exist (29 February when the next February is not a leap one).
    """
    if day is None:
        end = _month_end(said_on.year, month)
        return end if end >= said_on else _month_end(said_on.year + 1, month)
    year = said_on.year if (month, day) >= (said_on.month, said_on.day) else said_on.year + 1
    return date(year, month, day)


def _season_end(season: str, year: int) -> date:
    """The last day of a season of `year` (winter: the February after it)."""
    if season == "winter":
        return _month_end(year + 1, 2)
    month, day = _SEASON_END[season]
    return date(year, month, day)


def horizon_months(text: str | None) -> int | None:
    """The months in a time frame as written: 'over the next three months' -> 3, 'within a year' -> 12."""
    match = _HORIZON.search(text or "")
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


def horizon_phrase(text: str | None) -> str | None:
    """The time frame exactly as written in a pledge: '… over the next three months' -> 'over the next three months'."""
    match = _HORIZON.search(text or "")
    return match.group(0) if match and horizon_months(match.group(0)) else None


def read_deadline(text: str | None, said_on: date) -> Deadline | None:
    """The date a deadline as written resolves to, and whether it is approximate; None when it cannot be read.

    The one reader of deadlines (the minutes, the seeded meetings, the recommendation and action forms):
    - a day: that day, exact ('31st of Mar 25', 'the 30th of Sept deadline', '30/09/2025', 'by 20 December');
      without a year, the next such day on or after `said_on` (a 29 February that does not come next year: None);
    - a month alone ('end of Jan 2025', 'January', 'by end of March'): its last day, approximate; without a year,
      the next month of that name ending on or after `said_on`;
    - a season ('spring 2025', 'by the summer'): its last day, approximate. Meteorological seasons:
      spring = 31 May, summer = 31 Aug, autumn = 30 Nov, winter = the end of the February that follows
      (winter 2024 = 28 Feb 2025); without a year, the next season of that name ending on or after `said_on`;
    - a time frame ('over the next three months', 'within 6 months'): that many months after `said_on`, approximate;
    - anything else (a meeting such as 'the Q3 A&A performance meeting', '2024/25 Q4', 'early 2025', ''): None.
      An action due at a named meeting takes that meeting's date once it is scheduled (assurance.domain.commitments.actions).
    """
    if not text or not text.strip():
        return None
    words = " ".join(text.strip().lower().split())
    try:
        if match := _ISO.search(words):
            return Deadline(date(int(match["year"]), int(match["month"]), int(match["day"])), False)
        if match := _UK.search(words):
            return Deadline(date(_year(match["year"]), int(match["month"]), int(match["day"])), False)
        if match := _DAY_MONTH.search(words):
            month, day, year = _MONTHS[match["month"]], int(match["day"]), _year(match["year"])
            return Deadline(date(year, month, day) if year else _next_on_or_after(said_on, month, day), False)
        if (match := _MONTH_DAY.search(words)) and not _MONTH_YEAR.search(words):
            month, day, year = _MONTHS[match["month"]], int(match["day"]), _year(match["year"])
            return Deadline(date(year, month, day) if year else _next_on_or_after(said_on, month, day), False)
        if match := _MONTH_YEAR.search(words):
            return Deadline(_month_end(int(match["year"]), _MONTHS[match["month"]]), True)
        if match := _SEASON.search(words):
            return Deadline(_season_end(match["season"], int(match["year"])), True)
        if match := _MONTH_ALONE.match(words):
            return Deadline(_next_on_or_after(said_on, _MONTHS[match["month"]]), True)
        if match := _SEASON_ALONE.match(words):
            season = match["season"]
            # The season of that name ending next: this year's, or (once it has ended) next year's; a winter
            # ends in the February after its year begins, so this winter began last year until February is out.
            for year in (said_on.year - 1, said_on.year, said_on.year + 1):
                if (end := _season_end(season, year)) >= said_on:
                    return Deadline(end, True)
        if (months := horizon_months(words)) is not None:
            return Deadline(add_months(said_on, months), True)
    except ValueError:
        return None
    return None


def resolve_deadline(text: str | None, said_on: date) -> date | None:
    """The date a deadline as written resolves to (see :func:`read_deadline`); None when it cannot be read."""
    found = read_deadline(text, said_on)
    return found.day if found else None


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pledge_due_quarter(said_on: date, horizon_months: int) -> Quarter:
    """The quarter whose data shows whether a pledge 'over the next N months' was kept."""
    return Quarter.containing(add_months(said_on, horizon_months))


def pledge_deadline(said_on: date, horizon: int | None) -> Deadline | None:
    """The day a pledge's time frame ends ('over the next three months' said on 27 Nov 2024: 27 Feb 2025), approx."""
    return Deadline(add_months(said_on, horizon), True) if horizon else None


def action_deadline(action: dict, held_on: date) -> Deadline | None:
    """An action due at a named future meeting has no date until that meeting is scheduled."""
    if action.get("due_meeting_quarter"):
        return None
    return read_deadline(action.get("due_text"), held_on)


def as_date(value) -> date | None:
    """A date from a database value, or None for NULL/NaT."""
    if value is None:
        return None
    try:
        if value != value:  # NaN / NaT
            return None
    except TypeError:
        pass
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return value if isinstance(value, date) else None


def date_text(value) -> str:
    day = as_date(value)
    return f"{day.day} {day:%b %Y}" if day else "–"


def is_true(value) -> bool:
    """A database flag as a bool: NULL, NaN and pandas' NA are False."""
    try:
        return bool(value) and value == value
    except TypeError:  # pd.NA
        return False


def _written(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def deadline_date_text(day, approximate=False, written=None) -> str:
    """A resolved deadline as every page, slide and briefing shows it: '31 Jan 2025 (approx.)', '30 Sep 2025';
    'date not resolved' when there are words but no date; '–' when there is neither."""
    if as_date(day) is None:
        return NOT_RESOLVED if _written(written) else "–"
    return f"{date_text(day)} {APPROXIMATE_MARK}" if is_true(approximate) else date_text(day)


def deadline_label(day, approximate, written, *, undated: str | None = NOT_RESOLVED) -> str:
    """The resolved date with the words as written beside it: '31 Jan 2025 (approx.) — “end of Jan 2025”'.

    No date: `undated` before the words ('date not resolved — “when the audit is done”'), or, with undated=None,
    the words alone (an action waiting for its meeting to be scheduled). Neither: 'no date stated'.
    """
    words = _written(written)
    if as_date(day) is not None:
        when = deadline_date_text(day, approximate, words)
        return f"{when} — “{words}”" if words else when
    if words:
        return f"{undated} — “{words}”" if undated else words
    return NO_DEADLINE


def deadline_state(deadline, today: date) -> str:
    """How a deadline stands today, in words: 'overdue by 12 days', 'due today', '40 days left'."""
    day = as_date(deadline)
    if day is None:
        return "date not resolved"
    days = (day - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"{days} day{'s' if days != 1 else ''} left"
