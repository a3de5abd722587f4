"""Attendee lines ("Name – Role (ABBR)") and the owners of actions, by name, role or initials."""

from __future__ import annotations

import re

from assurance.sources.minutes.model import Attendee
from assurance.sources.minutes.text import _bullet_text
from assurance.sources.minutes.vocabulary import (
    _NAME_TOKEN,
    _NOT_NAMES,
    _OPCC_ROLE,
    _POLICE_ROLE,
    _ROLE_ABBR,
    _ROLE_NAMES,
    _ROLE_START,
    _ROLE_WORDS,
    _TITLES,
)

# --------------------------------------------------------------------------- attendees


def _looks_abbreviation(text: str) -> bool:
    text = text.strip()
    return bool(re.fullmatch(r"[A-Z][A-Za-z]{0,4}(?:\s*/\s*[A-Z][A-Za-z]{0,5})*", text)) and (
        sum(c.isupper() for c in text) >= 2 or len(text) <= 3
    )


def _looks_name(text: str) -> bool:
    tokens = text.replace(",", " ").split()
    if not 1 <= len(tokens) <= 5 or len(text) > 50 or re.search(r"\d", text) or _NOT_NAMES.search(text):
        return False
    if sum(1 for t in tokens if t.lower().rstrip(".") not in _TITLES) < 1:
        return False
    return all(_NAME_TOKEN.match(t) or t.lower().rstrip(".") in _TITLES for t in tokens) and len(tokens) >= 2


def _normal_role(role: str) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,;–-")
    role = re.sub(r"^T\s*/\s*", "Temporary ", role)
    role = re.sub(r"^A\s*/\s*", "Acting ", role)
    return role


def _split_name_role(text: str) -> tuple[str, str] | None:
    if match := re.search(r"\s+[-–—]\s*|\s*[–—]\s*|\s*[-–—]\s+", text):
        return text[: match.start()], text[match.end() :]
    for match in re.finditer("-", text):
        if _ROLE_START.match(text[match.end() :].lstrip()):
            return text[: match.start()], text[match.end() :]
    if "," in text:
        name, role = text.split(",", 1)
        return name, role
    return None


def _derived_abbreviation(name: str, role: str) -> str:
    base = re.sub(r"^(temporary|acting)\s+", "", role.lower()).strip()
    if base in _ROLE_ABBR:
        prefix = "T/" if role.lower().startswith("temporary") else "A/" if role.lower().startswith("acting") else ""
        return prefix + _ROLE_ABBR[base]
    tokens = [t for t in re.split(r"[\s-]+", name) if t and t.lower().rstrip(".") not in _TITLES]
    return "".join(t[0].upper() for t in tokens if t[:1].isalpha())


def _organisation(role: str, abbreviation: str | None, hint: str | None) -> str | None:
    if hint:
        return hint
    words = f"{role} ({abbreviation or ''})"
    if _OPCC_ROLE.search(words):
        return "OPCC"
    if _POLICE_ROLE.search(words):
        return "West Mercia Police"
    return None


def parse_attendee(line: str) -> tuple[Attendee, bool] | None:
    """One attendee line -> (attendee, is_chair); None when the line is not a person with a role.

    Reads "Name – Role (ABBR)" with en-dash, hyphen or spaced variants ("Chris Jensen-Policy Officer (CJ)",
    "Rachel Jones -T/ Deputy Chief Constable (T/DCC)"), "Name (Role)", "Name (ABBR) – Role", "Name, Role".
    """
    text = _bullet_text(line) or line.strip()
    text = text.rstrip(" ,;.")
    chair = False
    if match := re.search(r"\s*(?:[-–—,]\s*|\(\s*)(?:chair(?:man|person|woman)?|in the chair)\s*\)?\s*$", text, re.I):
        chair, text = True, text[: match.start()]
    organisation = None
    abbreviation = None
    role = None
    for _ in range(2):
        match = re.match(r"^(?P<head>.*?)\s*\((?P<paren>[^()]*)\)\s*$", text)
        if not match:
            break
        paren = match["paren"].strip()
        if paren.upper() in ("OPCC", "WMP") or paren.lower() == "west mercia police":
            organisation = "OPCC" if paren.upper() == "OPCC" else "West Mercia Police"
        elif _looks_abbreviation(paren) and abbreviation is None:
            abbreviation = re.sub(r"\s*/\s*", "/", paren)
        elif role is None:
            role = paren
        else:
            break
        text = match["head"].strip()
    if match := re.match(r"^(?P<name>[^()]+?)\s*\((?P<abbr>[^()]+)\)\s*[-–—,]\s*(?P<role>.+)$", text):
        if _looks_abbreviation(match["abbr"]) and abbreviation is None:
            text, abbreviation, role = match["name"], match["abbr"], match["role"]
    name = text.strip()
    if role is None:
        split = _split_name_role(text)
        if split is None and abbreviation and _looks_name(name):
            split = (name, _ROLE_NAMES.get(abbreviation.upper(), abbreviation))
        if split is None:
            return None
        name, role = split[0].strip(), split[1].strip()
    role = _normal_role(role)
    if not _looks_name(name) or not role or not (_ROLE_WORDS.search(role) or abbreviation):
        return None
    abbreviation = abbreviation or _derived_abbreviation(name, role)
    return Attendee(name, role, abbreviation, _organisation(role, abbreviation, organisation)), chair


# --------------------------------------------------------------------------- owners

_OWNER_TOKEN = r"(?:[A-Z][A-Za-z]*(?:\s*/\s*[A-Z][A-Za-z]*)*)"  # nosec B105 # a regular expression for owners' titles, not a password
_OWNER_HEAD = re.compile(
    rf"^(?:[Tt]he\s+)?(?P<owner>{_OWNER_TOKEN}(?:(?:\s*(?:,|&|and)\s*|\s+of\s+(?:the\s+)?|\s+){_OWNER_TOKEN}){{0,4}})"
    r"\s+(?:to|will|would|should|must|agreed\s+to|is\s+to|are\s+to)\s+(?=[a-z])",
)


_NOT_OWNERS = {"it", "there", "this", "he", "she", "they", "we", "members", "all", "following", "discussions"}


def _owner_at_start(text: str, people: _People | None = None) -> str | None:
    """The owner written at the start of an action: 'T/CC to ...', 'The T/CC to ...', 'JC/MB to ...'."""
    match = _OWNER_HEAD.match(text.strip())
    if not match:
        return None
    owner = match["owner"]
    words = owner.split()
    if words[0].lower() in _NOT_OWNERS:
        return None
    parts = [p for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", owner) if p]
    # "Write to the Home Office": a single ordinary word before "to" is a verb, not an owner
    if len(words) == 1 and not all(_looks_abbreviation(p) for p in parts) and not _ROLE_WORDS.search(owner):
        return owner if people is not None and people.known(owner) else None
    return owner


class _People:
    """Maps names and abbreviations of the attendees to the abbreviation used as an owner."""

    def __init__(self, attendees: list[Attendee]):
        self.by_key: dict[str, str] = {}
        for a in attendees:
            abbr = a.abbreviation or a.name
            for key in (a.name, a.abbreviation or "", a.name.split()[0] if a.name else "", a.role):
                if key:
                    self.by_key.setdefault(key.lower(), abbr)

    def known(self, text: str) -> bool:
        return text.lower() in self.by_key

    def normal(self, owner: str) -> str:
        parts = [p.strip() for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", owner) if p.strip()]
        if len(parts) > 1 and all(_looks_abbreviation(p) or self.known(p) for p in parts):
            return "/".join(self.by_key.get(p.lower(), p) if not _looks_abbreviation(p) else p for p in parts)
        owner = re.sub(r"\s*/\s*", "/", owner.strip())
        if not _looks_abbreviation(owner) and self.known(owner):
            return self.by_key[owner.lower()]
        return owner
