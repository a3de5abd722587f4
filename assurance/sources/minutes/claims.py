"""Pledges (a speaker commits to move a metric) and claims (a figure quoted for a metric), read from the prose."""

from __future__ import annotations

import re

from assurance.core.deadlines import horizon_months, horizon_phrase
from assurance.core.periods import Quarter
from assurance.sources.minutes.model import Claim, Pledge
from assurance.sources.minutes.people import _looks_abbreviation, _People
from assurance.sources.minutes.reader import _Reader
from assurance.sources.minutes.text import _capitalise, _quarter_number, _sentence_end, _sentences, _short
from assurance.sources.minutes.vocabulary import (
    _BETTER,
    _DOWN,
    _FIGURE,
    _METRIC_UNITS,
    _PLEDGE_SENTENCE,
    _PRONOUNS,
    _SIGN_WORDS,
    _SPEAKER,
    _SPEECH_VERBS,
    _UP,
    _WORSE,
    find_area,
    find_metric,
)

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
    horizon = horizon_months(text)
    if horizon is None:
        reader.warnings.append(f"Pledge “{_short(text)}”: no time frame stated; enter the months")
    return Pledge(owner, text, find_area(text) or area, metric, direction, horizon, horizon_phrase(text))


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
