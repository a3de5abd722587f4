"""HMICFRS recommendations: the report, its publication date, the subject, the force's response and deadline."""

from __future__ import annotations

import re
from datetime import date

from assurance.core.deadlines import resolve_deadline
from assurance.sources.minutes.model import Recommendation
from assurance.sources.minutes.reader import _Reader, _RecBlock
from assurance.sources.minutes.text import _capitalise, _month, _safe_date, _sentences, deadline_phrase
from assurance.sources.minutes.vocabulary import _DATE_IN_TEXT, _NUMERIC_DATE, _SPEECH_VERBS

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
