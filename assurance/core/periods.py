"""Financial quarters as policing reports them.

The financial year runs April to March: Q1 = Apr-Jun, Q2 = Jul-Sep, Q3 = Oct-Dec,
Q4 = Jan-Mar. A quarter is written ``2024/25 Q2``; that fixed-width label also sorts
in time order as text, which is why the database stores it as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from assurance.core.errors import InvalidInput

_LABEL = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*Q([1-4])\s*$", re.IGNORECASE)


class PeriodError(InvalidInput):
    """A period written in a way that is not a financial quarter."""


@dataclass(frozen=True, order=True)
class Quarter:
    """One financial quarter: the year the financial year starts in, and 1-4."""

    start_year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise PeriodError(f"quarter number must be 1-4, not {self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2024/25 Q2``; the second year must follow the first."""
        match = _LABEL.match(str(text))
        if not match:
            raise PeriodError(f"{text!r} is not a financial quarter; expected a label like '2024/25 Q2'")
        start, end, number = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if (start + 1) % 100 != end:
            raise PeriodError(
                f"{text!r}: a financial year runs from one year into the next, e.g. '{start}/{(start + 1) % 100:02d}'"
            )
        return cls(start, number)

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The financial quarter a calendar date falls in."""
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d} Q{self.number}"

    def __str__(self) -> str:
        return self.label

    @property
    def financial_year(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def index(self) -> int:
        """Quarters since 0/01 Q1: differences of indexes count quarters."""
        return self.start_year * 4 + self.number - 1

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    def shift(self, quarters: int) -> Quarter:
        return Quarter.from_index(self.index + quarters)

    def previous(self) -> Quarter:
        return self.shift(-1)

    def same_quarter_last_year(self) -> Quarter:
        return self.shift(-4)

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.start_year, month, 1) if month <= 12 else date(self.start_year + 1, month - 12, 1)

    @property
    def end(self) -> date:
        return self.shift(1).start - timedelta(days=1)

    @property
    def months(self) -> tuple[str, str, str]:
        """The three calendar months as ``YYYY-MM``, the way police.uk names them."""
        first = self.start
        out = []
        for k in range(3):
            m = first.month + k
            y = first.year + (m - 1) // 12
            out.append(f"{y}-{(m - 1) % 12 + 1:02d}")
        return tuple(out)  # type: ignore[return-value]

    def year_to_date(self) -> list[Quarter]:
        """Financial year to date: Q1 of this financial year up to this quarter."""
        return [Quarter(self.start_year, n) for n in range(1, self.number + 1)]

    def same_period_last_year(self) -> list[Quarter]:
        """Year to date a year earlier: like compared with like."""
        return [q.same_quarter_last_year() for q in self.year_to_date()]

    def rolling_12_months(self) -> list[Quarter]:
        """The four quarters to and including this one."""
        return [self.shift(k) for k in range(-3, 1)]


def quarter_range(first: Quarter | str, last: Quarter | str) -> list[Quarter]:
    """Every quarter from first to last inclusive."""
    a = first if isinstance(first, Quarter) else Quarter.parse(first)
    b = last if isinstance(last, Quarter) else Quarter.parse(last)
    return [Quarter.from_index(i) for i in range(a.index, b.index + 1)]


def month_to_quarter(month: str) -> Quarter:
    """``2024-03`` (police.uk's Month column) -> ``2023/24 Q4``."""
    match = re.match(r"^\s*(\d{4})-(\d{2})\s*$", str(month))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"{month!r} is not a month; expected YYYY-MM such as '2024-03'")
    return Quarter.containing(date(int(match.group(1)), int(match.group(2)), 1))
