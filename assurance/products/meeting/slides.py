"""The meeting's slides: which slides a meeting shows, in what order, and the words at the top of each.

The title slide, then each agenda item's slides in agenda order: an item's slide kinds (stored with the agenda,
``assurance.domain.commitments.agenda``) each give one slide, or two for the kinds that take more. What the
body of each slide shows is ``assurance.products.meeting.content``; drawing it is ``ui.meeting``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assurance.core.deadlines import as_date
from assurance.core.periods import PeriodError, Quarter
from assurance.domain.commitments.agenda import slide_kinds

TITLE_KIND = "title"

# One idea per slide: the twelve headline metrics on two slides of six.
ASSESSMENT_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Crime and outcomes",
        (
            "total_recorded_crime",
            "violence_against_the_person",
            "positive_outcome_rate",
            "median_days_to_close",
            "open_investigations",
            "outstanding_suspects",
        ),
    ),
    (
        "Response and service",
        (
            "emergency_within_target",
            "emergency_response_median_minutes",
            "calls_999_within_10s",
            "calls_999_average_answer_seconds",
            "victim_satisfaction",
            "sickness_days_per_officer",
        ),
    ),
)


@dataclass(frozen=True)
class Slide:
    number: int
    kind: str  # 'title' or one of SLIDE_KINDS
    part: int  # 1-based, for kinds that take more than one slide
    heading: str
    subheading: str
    item: int | None  # the agenda item's position
    notes: str | None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.part}" if self.part > 1 else self.kind


def _parts(kind: str) -> int:
    return {"cc_assessment": len(ASSESSMENT_PARTS), "lpa_focus": 2}.get(kind, 1)


def _subheading(kind: str, part: int, quarter: str | None, focus_name: str, notes: str | None) -> str:
    q = quarter or "the latest quarter"
    if kind == "actions_review":
        return "Open actions due at this meeting, and any overdue"
    if kind == "cc_assessment":
        return f"{ASSESSMENT_PARTS[part - 1][0]}: West Mercia, {q}, against the targets"
    if kind == "lpa_focus":
        if part == 1:
            return f"{focus_name} against the other LPAs, {q}"
        return f"{focus_name}: positive outcome rate against the other LPAs, {q}"
    if kind == "hmicfrs":
        return "Recommendations, deadlines and where they stand today"
    if kind == "actions_arising":
        return "Actions agreed at this meeting, as the minute-taker records them"
    return notes or ""


def build_slides(meeting: dict, items: pd.DataFrame, quarter: str | None, focus_name: str) -> list[Slide]:
    """The title slide, then each agenda item's slides in agenda order."""
    slides = [Slide(1, TITLE_KIND, 1, str(meeting["title"]), meeting_when(meeting), None, None)]
    for item in items.to_dict("records"):
        notes = item["notes"] if isinstance(item["notes"], str) and item["notes"].strip() else None
        stored = item["slides"] if isinstance(item["slides"], str) else None
        for kind in slide_kinds(stored, item["title"]):
            for part in range(1, _parts(kind) + 1):
                slides.append(
                    Slide(
                        number=len(slides) + 1,
                        kind=kind,
                        part=part,
                        heading=str(item["title"]),
                        subheading=_subheading(kind, part, quarter, focus_name, notes),
                        item=int(item["position"]),
                        notes=notes,
                    )
                )
    return slides


def meeting_when(meeting: dict) -> str:
    """'Wednesday 27 November 2024, 10:00'."""
    day = as_date(meeting["held_on"])
    when = f"{day:%A} {day.day} {day:%B %Y}" if day else "date not recorded"
    starts = meeting.get("starts_at")
    return f"{when}, {starts}" if isinstance(starts, str) and starts else when


def quarter_words(quarter: str | None) -> str:
    """'2024/25 Q2 (July to September 2024)'."""
    if not quarter:
        return "not recorded"
    try:
        q = Quarter.parse(quarter)
    except PeriodError:
        return quarter
    return f"{q.label} ({q.start:%B} to {q.end:%B %Y})"


def slide_number(text: str | None, count: int) -> tuple[int, str | None]:
    """The slide to show for a ?slide= value, with a message for a person when it is not a slide."""
    if text is None or text == "":
        return 1, None
    try:
        wanted = int(str(text).strip())
    except ValueError:
        return 1, f"“{str(text)[:20]}” is not a slide number; showing slide 1 of {count}."
    if wanted < 1:
        return 1, f"There is no slide {wanted}; showing slide 1 of {count}."
    if wanted > count:
        return count, f"There is no slide {wanted}: this meeting has {count}. Showing slide {count}."
    return wanted, None
