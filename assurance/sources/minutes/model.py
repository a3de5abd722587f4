"""The proposal (meeting, attendees, agenda, actions, recommendations, pledges, claims), its errors, and the
checks on bad input (size, encoding, binary text) made before anything is read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from assurance.core.deadlines import DEADLINE_CONVENTION, Deadline, action_deadline, pledge_deadline, read_deadline
from assurance.core.errors import InvalidInput

MAX_MINUTES_BYTES = 1_000_000
IMPORTED_BY = "minutes import"
PERIODS = ("quarter", "year_to_date", "rolling_12_months")
COMPARISONS = ("none", "previous_quarter", "same_period_last_year", "previous_12_months")
DIRECTIONS = ("increase", "decrease")
RECOMMENDATION_STATUSES = ("open", "in progress", "complete", "closed")
LOOSE_DEADLINE_NOTE = DEADLINE_CONVENTION  # one statement of how deadlines resolve, wherever it is shown


class MinutesError(InvalidInput):
    """Minutes that cannot be read, or a proposal that cannot be saved, with a message for a person."""


class ProposalInvalid(MinutesError):
    """A proposal that failed validation; ``problems`` lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems

    def details(self) -> list[str]:
        return list(self.problems)


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
    deadline_text: str | None = None  # the time frame as said: 'over the next three months'


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
        """The proposal as a dict in exactly the format of data/meetings/*.json (dates as ISO text).

        Each action, recommendation and pledge carries its deadline's words as written and, beside them,
        ``deadline`` (the ISO date they resolve to from the meeting's date; None when they do not, or while an
        action waits for its meeting to be scheduled) and ``deadline_approximate``.
        """
        meeting = asdict(self.meeting)
        meeting["held_on"] = _iso(self.meeting.held_on)
        held_on = self.meeting.held_on
        recommendations = []
        for rec in self.recommendations:
            row = asdict(rec)
            row["report_published"] = _iso(rec.report_published)
            found = read_deadline(rec.deadline_text, held_on) if held_on else None
            recommendations.append(_with_deadline(row, "deadline_text", found))
        actions = [
            _with_deadline(asdict(a), "due_text", action_deadline(asdict(a), held_on) if held_on else None)
            for a in self.actions
        ]
        pledges = [
            _with_deadline(asdict(p), "deadline_text", pledge_deadline(held_on, p.horizon_months) if held_on else None)
            for p in self.pledges
        ]
        return meeting | {
            "attendees": [asdict(a) for a in self.attendees],
            "agenda": [asdict(a) for a in self.agenda],
            "actions": actions,
            "recommendations": recommendations,
            "pledges": pledges,
            "claims": [asdict(c) for c in self.claims],
        }


def _with_deadline(row: dict, words: str, found: Deadline | None) -> dict:
    """The record with 'deadline' and 'deadline_approximate' placed just after its words as written."""
    out = {}
    for key, value in row.items():
        out[key] = value
        if key == words:
            out["deadline"] = found.day.isoformat() if found else None
            out["deadline_approximate"] = found.approximate if found else None
    return out


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
