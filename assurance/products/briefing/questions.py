"""Suggested questions for the Chief Constable: explicit rules over figures, never free text from a model.

Each rule is a small pure function from plain facts (built from the database by
``assurance.products.briefing.content``) to questions. A rule that does not fire returns no question.
Every question names the rule that produced it and carries the figures it rests on, so a
policy officer can check it against the dashboard before the PCC asks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from assurance.core.spc import CONCERN, FAIL
from assurance.domain.verdicts import DIFFERS, NO_DATA, NOT_MET

WORST_RANKS_THRESHOLD = 3  # an LPA worst of the LPAs on at least this many metrics draws a question
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


@dataclass(frozen=True)
class Question:
    """One suggested question, the rule that produced it and the figures it rests on."""

    rule: str
    text: str
    figures: tuple[str, ...]
    area: str | None = None
    metric: str | None = None

    @property
    def rule_title(self) -> str:
        return RULE_TITLES[self.rule]


# --- the facts the rules read: plain values and text already formatted as the dashboard formats them ----------


@dataclass(frozen=True)
class SeriesSignal:
    """What SPC says about one area's series for one metric in the quarter."""

    metric: str
    metric_name: str
    area: str
    area_name: str  # 'West Mercia' for the force
    is_force: bool
    value_text: str
    classification: str  # 'improvement', 'concern', 'neither' or 'common cause'
    special_cause: bool
    assurance_icon: str | None  # 'pass', 'fail', 'hit_and_miss' or None
    spc_text: str = ""  # the reading's clause, e.g. 'the last 7 quarters have all been above the mean, ...'
    target_text: str = ""  # e.g. '≥ 14.0%'
    limits_text: str = ""  # the process limits, e.g. '11.9% to 13.8%'


@dataclass(frozen=True)
class PledgeFact:
    text: str
    owner: str
    area_name: str
    metric_name: str
    status: str  # a status from assurance.domain.verdicts
    baseline_quarter: str
    due_quarter: str
    baseline_text: str  # '505', or '–' when there is no baseline figure
    due_value_text: str = "–"
    change_text: str = "–"


@dataclass(frozen=True)
class ActionFact:
    id: int
    text: str
    owner: str
    raised_on: date | None
    due_on: date | None
    due_text: str | None
    overdue: bool


@dataclass(frozen=True)
class ClaimFact:
    text: str
    speaker: str
    said_on: date | None
    area_name: str
    metric_name: str
    quarter: str
    verdict: str  # a verdict from assurance.domain.verdicts
    stated_text: str
    data_text: str


@dataclass(frozen=True)
class LpaRanking:
    """How often an LPA ranks worst of the LPAs in the quarter, with the first such metric as the example."""

    area: str
    area_name: str
    worst_count: int
    rankable: int
    lpa_count: int
    quarter: str
    example_metric_name: str = ""
    example_value_text: str = ""
    example_gap_text: str = ""
    before: str = "the next A&A performance meeting"  # 'the Q4 meeting, when action 3 asks for an update'


@dataclass(frozen=True)
class Facts:
    """Everything the rules read, for one meeting and quarter."""

    quarter: str
    today: date
    signals: Sequence[SeriesSignal] = ()
    pledges: Sequence[PledgeFact] = ()
    actions: Sequence[ActionFact] = ()
    claims: Sequence[ClaimFact] = ()
    rankings: Sequence[LpaRanking] = field(default_factory=tuple)


# --- helpers -----------------------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    """'Positive outcome rate' -> 'positive outcome rate' (but '999 calls ...' stays)."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _day(value: date | None) -> str:
    return f"{value:%-d %b %Y}" if value else "an unstated date"


def _by_metric(signals: Sequence[SeriesSignal], keep: Callable[[SeriesSignal], bool]) -> dict[str, list[SeriesSignal]]:
    """The signals kept, grouped by metric in the order they come (the catalogue's), force first in each group."""
    out: dict[str, list[SeriesSignal]] = {}
    for signal in signals:
        if keep(signal):
            out.setdefault(signal.metric, []).append(signal)
    return {code: sorted(group, key=lambda s: not s.is_force) for code, group in out.items()}


# --- the rules ---------------------------------------------------------------------------------------------------


def _values(signals: Sequence[SeriesSignal]) -> str:
    """'West Mercia 34.0 days, Herefordshire 38.1 days'."""
    return ", ".join(f"{s.area_name} {s.value_text}" for s in signals)


def _with_values(signals: Sequence[SeriesSignal]) -> str:
    """'Herefordshire (38.1 days) and Shropshire (38.9 days)'."""
    return _and([f"{s.area_name} ({s.value_text})" for s in signals])


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def concern_signal(facts: Facts) -> list[Question]:
    """Rule 1: a special-cause concern on a force or LPA metric (one question per metric, naming every area)."""
    questions = []
    groups = _by_metric(facts.signals, lambda s: s.special_cause and s.classification == CONCERN)
    for code, group in groups.items():
        force = next((s for s in group if s.is_force), None)
        lpas = [s for s in group if not s.is_force]
        name = group[0].metric_name
        if force:
            text = f"{name} for the force: {force.value_text} in {facts.quarter}, and {force.spc_text}."
            if lpas:
                text += f" The concern shows in {_with_values(lpas)} too."
            text += " What is driving this, and what is being done to bring it back within its usual range?"
        elif len(lpas) == 1:
            lpa = lpas[0]
            text = (
                f"{name} in {lpa.area_name}: {lpa.value_text} in {facts.quarter}, and {lpa.spc_text}. "
                f"What is driving this in {lpa.area_name}, and what is being done about it?"
            )
        else:
            text = (
                f"{name} shows a special-cause concern in {_with_values(lpas)} in {facts.quarter}, though not for "
                "the force as a whole. What is driving it in these LPAs, and what is being done about it?"
            )
        figures = (f"{name}, {facts.quarter}: {_values(group)}", f"{group[0].area_name}: {group[0].spc_text}")
        area = force.area if force else (lpas[0].area if len(lpas) == 1 else None)
        questions.append(Question("concern_signal", text, figures, area=area, metric=code))
    return questions


def target_consistently_failed(facts: Facts) -> list[Question]:
    """Rule 2: a target the process will consistently fail (assurance icon 'fail'), one question per metric."""
    questions = []
    for code, group in _by_metric(facts.signals, lambda s: s.assurance_icon == FAIL).items():
        force = next((s for s in group if s.is_force), None)
        lpas = [s for s in group if not s.is_force]
        name = group[0].metric_name
        first = force or lpas[0]
        target = f" ({first.target_text})" if first.target_text else ""
        if force:
            limits = (
                f" lies outside its process limits of {force.limits_text}" if force.limits_text else " is out of reach"
            )
            text = (
                f"The force's target for {_lower_first(name)}{target}{limits}, so on the current process it will "
                f"consistently be missed ({force.value_text} in {facts.quarter})."
            )
            if force.special_cause and force.classification == "improvement":
                text += " The latest quarter is a special-cause improvement, but not yet enough."
            if lpas:
                count = NUMBER_WORDS.get(len(lpas), str(len(lpas)))
                every = "all " if len(lpas) >= 5 else ""
                text += f" The same holds for {every}{count} LPA{'s' if len(lpas) > 1 else ''}: {_with_values(lpas)}."
        else:
            text = (
                f"{_sentence(_with_values(lpas))} will consistently miss the target for {_lower_first(name)}{target} "
                f"on the current process, although the force as a whole does not."
            )
        text += " What would have to change for the target to be met, and by when?"
        figures = (f"{name}, {facts.quarter}: {_values(group)}; target {first.target_text or '–'}",)
        if first.limits_text:
            figures += (f"process limits, {first.area_name}: {first.limits_text}",)
        area = force.area if force else (lpas[0].area if len(lpas) == 1 else None)
        questions.append(Question("target_consistently_failed", text, figures, area=area, metric=code))
    return questions


def pledge_not_met(facts: Facts) -> list[Question]:
    """Rule 3: a pledge not met, or one that has fallen due with no figures loaded to show it (says which)."""
    questions = []
    for p in facts.pledges:
        pledge = f"“{_short(p.text)}” ({p.owner}, {p.area_name})"
        if p.status == NOT_MET:
            text = (
                f"The pledge {pledge} was not met: {_lower_first(p.metric_name)} was {p.baseline_text} in "
                f"{p.baseline_quarter} and {p.due_value_text} in {p.due_quarter} ({p.change_text}). "
                "Why not, and what is the plan now?"
            )
            figures = (
                f"{p.metric_name}, {p.area_name}: {p.baseline_text} in {p.baseline_quarter}, "
                f"{p.due_value_text} in {p.due_quarter} ({p.change_text})",
            )
        elif p.status == NO_DATA and p.baseline_text != "–":
            text = (
                f"The pledge {pledge} fell due with the {p.due_quarter} figures, which are not loaded yet "
                f"(baseline {p.baseline_text} in {p.baseline_quarter}). When will the figures be available, "
                "and has the pledge been kept?"
            )
            figures = (
                f"{p.metric_name}, {p.area_name}: baseline {p.baseline_text} in {p.baseline_quarter}; "
                f"{p.due_quarter}: no data loaded",
            )
        elif p.status == NO_DATA:
            text = (
                f"The pledge {pledge} cannot be judged: there is no {_lower_first(p.metric_name)} figure for "
                f"{p.area_name} in its baseline quarter {p.baseline_quarter}. What figure should it be judged against?"
            )
            figures = (f"{p.metric_name}, {p.area_name}, {p.baseline_quarter}: no data loaded",)
        else:
            continue
        questions.append(Question("pledge_not_met", text, figures))
    return questions


def overdue_action(facts: Facts) -> list[Question]:
    """Rule 4: an open action past its due date."""
    questions = []
    for a in facts.actions:
        if not a.overdue or a.due_on is None:
            continue
        days = (facts.today - a.due_on).days
        text = (
            f"Action {a.id} from the meeting of {_day(a.raised_on)} (owner {a.owner}: “{_short(a.text)}”) was due "
            f"by {_day(a.due_on)} and is {days} day{'s' if days != 1 else ''} overdue. "
            "What is holding it up, and when will it be completed?"
        )
        figures = (f"Action {a.id}: due {_day(a.due_on)}, {days} days overdue on {_day(facts.today)}",)
        questions.append(Question("overdue_action", text, figures))
    return questions


def claim_not_supported(facts: Facts) -> list[Question]:
    """Rule 5: a figure quoted at the last meeting that the data do not support."""
    questions = []
    for c in facts.claims:
        if c.verdict != DIFFERS:
            continue
        text = (
            f"At the meeting of {_day(c.said_on)}, {c.speaker} said “{_short(c.text)}” ({c.stated_text}); the data for "
            f"{c.area_name} in {c.quarter} give {c.data_text}. Which figure is right, and why do they differ?"
        )
        figures = (f"{c.metric_name}, {c.area_name}, {c.quarter}: stated {c.stated_text}, the data give {c.data_text}",)
        questions.append(Question("claim_not_supported", text, figures))
    return questions


def lpa_at_bottom(facts: Facts) -> list[Question]:
    """Rule 6: an LPA that ranks worst of the LPAs on WORST_RANKS_THRESHOLD or more metrics."""
    questions = []
    for r in facts.rankings:
        if r.worst_count < WORST_RANKS_THRESHOLD:
            continue
        count = NUMBER_WORDS.get(r.lpa_count, str(r.lpa_count))
        example = ""
        if r.example_metric_name:
            gap = f", {r.example_gap_text}" if r.example_gap_text and r.example_gap_text != "–" else ""
            example = f" ({_lower_first(r.example_metric_name)} {r.example_value_text}{gap})"
        text = (
            f"{r.area_name} ranks worst of the {count} LPAs on {r.worst_count} of {r.rankable} metrics in "
            f"{r.quarter}{example}. What will change in {r.area_name} before {r.before}?"
        )
        figures = (
            f"{r.area_name}: worst of the {count} LPAs on {r.worst_count} of {r.rankable} metrics in {r.quarter}",
        )
        if r.example_metric_name:
            figures += (f"{r.example_metric_name}, {r.area_name}: {r.example_value_text}{gap}",)
        questions.append(Question("lpa_at_bottom", text, figures, area=r.area))
    return questions


RULES: dict[str, Callable[[Facts], list[Question]]] = {
    "concern_signal": concern_signal,
    "target_consistently_failed": target_consistently_failed,
    "pledge_not_met": pledge_not_met,
    "overdue_action": overdue_action,
    "claim_not_supported": claim_not_supported,
    "lpa_at_bottom": lpa_at_bottom,
}
RULE_TITLES = {
    "concern_signal": "A special-cause concern",
    "target_consistently_failed": "A target consistently failed",
    "pledge_not_met": "A pledge not met, or due with no data",
    "overdue_action": "An overdue action",
    "claim_not_supported": "A figure the data do not support",
    "lpa_at_bottom": "An LPA at the bottom on several metrics",
}


def suggested_questions(facts: Facts) -> list[Question]:
    """Every rule's questions, rule by rule in the order of RULES."""
    return [question for rule in RULES.values() for question in rule(facts)]
