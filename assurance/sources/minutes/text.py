"""Dates, times and deadlines written in minutes, and the line and sentence helpers the reader works with."""

from __future__ import annotations

import re
from datetime import date

from assurance.sources.minutes.vocabulary import (
    _BULLET,
    _DATE_IN_TEXT,
    _ISO_DATE,
    _ITEM,
    _MONTH,
    _MONTH_NAMES,
    _NUMBERED,
    _NUMERIC_DATE,
    _ORDINALS,
    _TIME,
    _YEAR,
)

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


def _quarter_number(text: str) -> int | None:
    if match := re.search(r"\bQ([1-4])\b|\bquarter\s*([1-4])\b", text, re.I):
        return int(match.group(1) or match.group(2))
    if match := re.search(r"\b(first|second|third|fourth)\s+quarter\b", text, re.I):
        return _ORDINALS[match.group(1).lower()]
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


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
