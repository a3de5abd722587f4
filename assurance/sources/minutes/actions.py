"""Actions: their owners, the meeting or deadline they are due by, with duplicates from a summary dropped."""

from __future__ import annotations

import re

from assurance.core.periods import Quarter
from assurance.sources.minutes.model import Action, Meeting
from assurance.sources.minutes.people import _OWNER_TOKEN, _looks_abbreviation, _owner_at_start, _People
from assurance.sources.minutes.reader import _ActionFound, _Reader
from assurance.sources.minutes.text import _quarter_number, _short, deadline_phrase
from assurance.sources.minutes.vocabulary import _MONTH, find_area, find_metric

# --------------------------------------------------------------------------- owners and due meetings

_OWNER_AGREED = re.compile(
    rf"\b(?:agreed|requested|asked|confirmed)\s+that\s+(?:the\s+)?(?P<owner>{_OWNER_TOKEN}(?:\s+{_OWNER_TOKEN}){{0,2}})"
    r"\s+(?:would|will|should|to)\b",
)
_OWNER_TAIL = re.compile(
    r"(?:[(\[]\s*|\s[-–—]\s*|\.\s*)(?:(?i:owner|lead|responsible|by|action(?:ed)?\s+by)\s*[:\-–]?\s*)?"
    r"(?P<owner>[A-Z][A-Za-z]{0,5}(?:\s*/\s*[A-Z][A-Za-z]{0,5})*(?:\s*(?:,|&|and)\s*[A-Z][A-Za-z]{0,5})*)"
    r"\s*[)\]]?\.?\s*$",
)


def _action_owner(found: _ActionFound, people: _People) -> str | None:
    text = found.text
    if found.owner_hint and (_looks_abbreviation(found.owner_hint) or people.known(found.owner_hint)):
        return people.normal(found.owner_hint)
    if owner := _owner_at_start(text, people):
        return people.normal(owner)
    if match := _OWNER_AGREED.search(text):
        return people.normal(match["owner"])
    if match := re.match(rf"^(?P<owner>{_OWNER_TOKEN}(?:\s*(?:,|&|and)\s*{_OWNER_TOKEN})*)\s*[:\-–—]\s+\S", text):
        if all(_looks_abbreviation(p) or people.known(p) for p in re.split(r"\s*(?:,|&|\band\b)\s*", match["owner"])):
            return people.normal(match["owner"])
    if match := _OWNER_TAIL.search(text):
        owner = match["owner"]
        if all(_looks_abbreviation(p) or people.known(p) for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", owner) if p):
            return people.normal(owner)
    return None


_DUE_MEETING = re.compile(
    r"\b(?:at|by|to|for|before|in|until|ahead\s+of)\s+(?:the\s+)?(?P<due>(?:(?!the\b|on\b|at\b)[\w&/’'-]+\s+){0,6}?"
    r"(?:meeting|board|committee|panel))\b",
    re.I,
)
_DUE_QUALIFIER = re.compile(
    rf"\bQ[1-4]\b|\bquarter\b|\bnext\b|\bfollowing\b|\bA&A\b|\bperformance\b|\bboard\b|\bcommittee\b|\bpanel\b|"
    rf"\b{_MONTH}\b",
    re.I,
)


def _kind_of(phrase: str, own_kind: str) -> str:
    if re.search(r"\bA\s*&\s*A\b|accountability", phrase, re.I):
        return "A&A performance" if re.search(r"performance", phrase, re.I) or own_kind == "A&A performance" else "A&A"
    if match := re.search(r"(?P<name>(?:[A-Z][\w&]*\s+){0,4}(?:Board|Committee|Panel))", phrase):
        return match["name"].strip()
    return own_kind


def _due(text: str, own_kind: str, discussed: Quarter | None) -> tuple[str | None, str | None, str | None]:
    """(due_text, due_meeting_kind, due_meeting_quarter) for an action raised at a meeting of kind `own_kind`."""
    for match in _DUE_MEETING.finditer(text):
        due = match["due"]
        if not _DUE_QUALIFIER.search(due) or re.match(r"^(?:this|last|previous|same)\b", due, re.I):
            continue
        # "a briefing for the Police and Crime Panel" names an audience, not when the action is due
        if match.group(0).split()[0].lower() in ("for", "to") and not re.search(
            rf"\b(?:next|following|Q[1-4]|quarter|{_MONTH})\b", due, re.I
        ):
            continue
        kind = _kind_of(due, own_kind)
        quarter = None
        if discussed is not None:
            number = _quarter_number(due)
            if number is not None:
                quarter = discussed.shift((number - discussed.number) % 4 or 4).label
            elif re.search(r"\b(?:next|following)\b", due, re.I) and "performance" in kind.lower():
                quarter = discussed.shift(1).label
        return due, kind, quarter
    phrase = deadline_phrase(text, cue=True)
    return (phrase, None, None) if phrase else (None, None, None)


def due_meeting(due_text: str, own_kind: str, discussed: Quarter) -> tuple[str, str] | None:
    """(kind, quarter) of the meeting that due words typed on their own name ("Q3 A&A performance meeting", "the
    next A&A meeting"), read as in minutes, for an action raised at a meeting of `own_kind` about `discussed`."""
    text = due_text.strip()
    if not re.match(r"(?i)(at|by|to|for|before|in|until)\b", text):
        text = f"at {text}"
    _, kind, quarter = _due(text, own_kind, discussed)
    return (kind, quarter) if kind and quarter else None


# --------------------------------------------------------------------------- actions


def _action_key(text: str) -> str:
    """Normalised text: a summary that repeats an action without 'The', an article or its full stop is the same."""
    text = text.lower().strip()
    text = re.sub(r"^(?:action\s*:?\s*)", "", text)
    text = re.sub(r"[^\w\s/&]", " ", text)
    text = re.sub(r"\b(?:the|a|an)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _actions(reader: _Reader, meeting: Meeting, discussed: Quarter | None, people: _People) -> list[Action]:
    kept: list[tuple[str, Action]] = []
    seen: set[str] = set()
    for found in reader.found_actions:
        text = re.sub(r"\s+", " ", found.text).strip()
        key = _action_key(text)
        if not key:
            continue
        if key in seen:
            continue
        seen.add(key)
        owner = _action_owner(found, people)
        # "(Owner: ST)" has been read into the owner; the action's text is the action itself
        text = re.sub(
            r"\s*[(\[]\s*(?:owner|lead|responsible|action(?:ed)?\s+by)\s*[:\-–]\s*[^)\]]+[)\]]\s*\.?$",
            "",
            text,
            flags=re.I,
        )
        due_text, kind, quarter = _due(text, meeting.kind, discussed)
        metric = find_metric(text)
        area = find_area(text) or ("force" if metric else None)
        action = Action(text, owner, found.item, due_text, kind, quarter, metric, area)
        kept.append((key, action))
        if owner is None:
            reader.warnings.append(f"Action {len(kept)} has no owner that could be read: “{_short(text)}”")
        if due_text and kind and quarter is None and "performance" in kind.lower() and discussed is None:
            reader.warnings.append(f"Action {len(kept)}: the quarter of “{due_text}” needs the meeting date")
    return [a for _, a in kept]
