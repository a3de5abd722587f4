"""The briefing as data: a cover and numbered sections of blocks, built once and drawn by every renderer.

The PDF, the HTML file and the Briefing page all walk the same object, so they cannot disagree.
Every string here is plain text (user text included); renderers escape it for their medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from assurance.products.briefing.questions import Question


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "text"  # 'text', 'note' (small print) or 'notice' (a boxed warning)


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths for print
    numeric: tuple[int, ...] = ()  # columns aligned right

    def frame(self):
        """The table as a DataFrame of strings, for st.table."""
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class Chart:
    """A Plotly figure from assurance.products.charts.trend or assurance.products.charts.xmr, drawn as an image in print."""

    key: str
    title: str
    alt: str  # what the chart shows, in words, for screen readers and when it cannot be drawn
    figure: Any = field(compare=False, repr=False)
    caption: str = ""  # printed under the chart (e.g. the chart's reading sentence)
    width: int = 760  # pixels at which it is drawn (scaled up for print)
    height: int = 360
    wide: bool = True  # full width; False: half width, two to a row
    print_layout: dict = field(default_factory=dict, compare=False, repr=False)  # layout changes for print only


@dataclass(frozen=True)
class QuestionList:
    items: tuple[Question, ...]


Block = Paragraph | Subheading | Bullets | Table | Chart | QuestionList


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class Cover:
    meeting_id: str
    meeting_title: str
    held_on: date
    meeting_status: str  # 'held' or 'scheduled'
    starts_at: str | None
    chair: str | None
    quarter: str
    quarter_span: str  # '1 Jul 2024 to 30 Sep 2024'
    data_loaded_at: datetime | None
    prepared_on: date
    focus_name: str
    illustrative_notice: str | None
    in_brief: tuple[str, ...]
    quarter_note: str | None = None  # when the meeting's own quarter is not loaded yet and an earlier one is shown

    @property
    def details(self) -> list[tuple[str, str]]:
        """The cover's facts as label / value pairs, in reading order."""
        when = f"{self.held_on:%A %-d %B %Y}" + (f", {self.starts_at}" if self.starts_at else "")
        return [
            ("Meeting", self.meeting_title),
            ("Held on" if self.meeting_status == "held" else "Scheduled for", when),
            ("Chair", self.chair or "not recorded"),
            ("Quarter covered", f"{self.quarter} ({self.quarter_span})"),
            ("Focus LPA", self.focus_name),
            (
                "Data loaded",
                f"{self.data_loaded_at:%-d %B %Y at %H:%M}" if self.data_loaded_at else "no figures loaded",
            ),
            ("Prepared on", f"{self.prepared_on:%-d %B %Y} (what is overdue or due soon is as at this date)"),
        ]


@dataclass(frozen=True)
class Briefing:
    cover: Cover
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    rules_not_fired: tuple[str, ...]  # rule names that produced no question

    TITLE = "Briefing for the Police and Crime Commissioner"

    @property
    def title(self) -> str:
        return f"{self.TITLE}: {self.cover.meeting_title}, {self.cover.held_on:%-d %B %Y}"

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def table(self, key: str) -> Table:
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Table) and block.key == key:
                    return block
        raise KeyError(key)

    def charts(self) -> list[Chart]:
        return [block for section in self.sections for block in section.blocks if isinstance(block, Chart)]
