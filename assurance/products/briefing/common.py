"""What the briefing modules share: its errors, the illustrative notice, and plain-text helpers."""

from __future__ import annotations

import math

import duckdb

from assurance.core.deadlines import as_date
from assurance.core.errors import InvalidInput
from assurance.domain.performance import ILLUSTRATIVE_NOTE  # noqa: F401 (re-exported for the briefing modules)
from assurance.store import queries

DEFAULT_FOCUS = "shropshire"


class BriefingError(InvalidInput):
    """A briefing that cannot be built, with a message for a person."""


class UnknownMeeting(BriefingError):
    def __init__(self, wanted: str, known: list[str]):
        self.wanted = wanted
        self.known = known
        listing = "; ".join(known) if known else "none recorded"
        super().__init__(f"there is no meeting {wanted!r}. Known meetings: {listing}")


def meetings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every meeting, latest first."""
    return queries.frame(con, "meetings").to_dict("records")


def as_number(x) -> float | None:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def as_text(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def day_text(value) -> str:
    day = as_date(value)
    return f"{day:%-d %b %Y}" if day else "–"
