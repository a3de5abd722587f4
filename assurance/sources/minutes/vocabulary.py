"""The words of minutes: month and date patterns, metric and area keywords, roles, names, speech verbs, bullets,
headings, action and recommendation lines, figures; and finding the metric or area a phrase is about.
"""

from __future__ import annotations

import calendar
import csv
import re
from pathlib import Path

from assurance.core.paths import DATA_DIR

# --------------------------------------------------------------------------- vocabulary

_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
} | {"sept": 9}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_YEAR = r"(?:\d{4}|\d{2})(?![\d:.]\d)"
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_DATE_IN_TEXT = re.compile(
    rf"(?:\b(?P<weekday>{'|'.join(calendar.day_name)})\s*,?\s+)?(?:the\s+)?\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?(?P<month>{_MONTH})\b\.?,?(?:\s+(?P<year>\d{{4}})(?![\d:]))?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b")
_ISO_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_TIME = re.compile(r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<suffix>hrs|hours|h\b|am|pm|a\.m\.|p\.m\.)?", re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

# Keyword -> metric code: the catalogue names plus the words used in meetings. Longest match wins.
_METRIC_SYNONYMS = {
    "recorded crime": "total_recorded_crime",
    "crime": "total_recorded_crime",
    "crimes": "total_recorded_crime",
    "violent crime": "violence_against_the_person",
    "violence": "violence_against_the_person",
    "positive outcomes": "positive_outcome_rate",
    "positive outcome": "positive_outcome_rate",
    "outcome rate": "positive_outcome_rate",
    "detection rate": "positive_outcome_rate",
    "detection rates": "positive_outcome_rate",
    "detections": "positive_outcome_rate",
    "case closure": "median_days_to_close",
    "closure times": "median_days_to_close",
    "days to close": "median_days_to_close",
    "time to close": "median_days_to_close",
    "open investigations": "open_investigations",
    "open cases": "open_investigations",
    "investigations": "open_investigations",
    "outstanding suspects": "outstanding_suspects",
    "wanted suspects": "outstanding_suspects",
    "suspects": "outstanding_suspects",
    "emergencies responded to within target": "emergency_within_target",
    "emergencies attended within target": "emergency_within_target",
    "attended within target": "emergency_within_target",
    "within target": "emergency_within_target",
    "response times": "emergency_response_median_minutes",
    "response time": "emergency_response_median_minutes",
    "emergency response": "emergency_response_median_minutes",
    "999 calls": "calls_999_within_10s",
    "999 call handling": "calls_999_within_10s",
    "999 call": "calls_999_within_10s",
    "999": "calls_999_within_10s",
    "answered within 10 seconds": "calls_999_within_10s",
    "answer time": "calls_999_average_answer_seconds",
    "victim satisfaction": "victim_satisfaction",
    "satisfaction": "victim_satisfaction",
    "sickness": "sickness_days_per_officer",
    "sickness absence": "sickness_days_per_officer",
    "days lost": "sickness_days_per_officer",
}
_AREA_SYNONYMS = {
    "telford": "telford_and_wrekin",
    "telford and wrekin": "telford_and_wrekin",
    "north worcs": "north_worcestershire",
    "south worcs": "south_worcestershire",
    "west mercia": "force",
    "force-wide": "force",
    "forcewide": "force",
}

_OPCC_ROLE = re.compile(
    r"commissioner|\bopcc\b|\bd?pcc\b|policy|business support|chief executive|treasurer|\bmonitoring officer", re.I
)
_POLICE_ROLE = re.compile(
    r"constable|superintendent|\bsupt\b|inspector|sergeant|detective|\bt/|\ba/|\bd?cc\b|\bacc\b|police staff|"
    r"\bforce\b|\bch\.? ?insp\b|west mercia police|\bwmp\b",
    re.I,
)
_ROLE_ABBR = {
    "police and crime commissioner": "PCC",
    "deputy police and crime commissioner": "DPCC",
    "chief constable": "CC",
    "deputy chief constable": "DCC",
    "assistant chief constable": "ACC",
}
_ROLE_NAMES = {abbr: role.title().replace(" And ", " and ") for role, abbr in _ROLE_ABBR.items()}
_ROLE_NAMES |= {f"T/{abbr}": f"Temporary {role}" for abbr, role in list(_ROLE_NAMES.items())}
_ROLE_NAMES |= {f"A/{abbr}": f"Acting {role}" for abbr, role in list(_ROLE_NAMES.items()) if "/" not in abbr}
_ROLE_WORDS = re.compile(
    r"\b(?:officer|commissioner|constable|superintendent|supt|inspector|chief|head|director|manager|lead|member|"
    r"chair|treasurer|executive|secretary|councillor|cllr|analyst|advis[oe]r|sergeant|detective|support|policy|"
    r"opcc|police|finance|assistant|co-?ordinator|administrator|clerk|representative|partner|deputy|registrar|"
    r"temporary|acting|governance|auditor|controller|solicitor|counsel|pcc|dpcc|cc|dcc|acc)\b|^[AT]/",
    re.I,
)
_ROLE_START = re.compile(
    r"(?:T\s*/|A\s*/|(?:Temporary|Acting|Deputy|Assistant|Chief|Senior|Policy|Business|Head|Director|Police|Superintendent|"
    r"Supt|Ch\.?\s*Supt|Inspector|Detective|Sergeant|Treasurer|Finance|Officer|Manager|Lead|Analyst|Executive|"
    r"Interim|Commissioner|Councillor|Member|Independent|Secretary|Governance|Estates|Communications|Strategic|"
    r"Programme|Project|Performance|Legal|Solicitor|OPCC|PCC|DPCC|CC|DCC|ACC)\b)",
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zA-Z'’.-]*|de|van|von|der|la|le|da|di)$")
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "cllr", "prof", "sir", "dame"}
_NOT_NAMES = re.compile(
    r"\b(?:review|update|report|minutes|action|actions|agenda|item|summary|apologies|present|meeting|business|"
    r"performance|tracker|any|other|matters|arising|plan|budget|date|chair)\b",
    re.I,
)

_SPEECH_VERBS = (
    r"highlighted|stated|said|noted|confirmed|reported|explained|outlined|advised|added|informed|indicated|remarked|"
    r"assured|described|provided|presented|commented|clarified|emphasi[sz]ed|stressed|acknowledged|asked|updated|"
    r"shared|welcomed|agreed|believes|believed|deferred|discussed|spoke|sought|questioned|reaffirmed|committed|"
    r"pledged|promised|undertook|gave|expressed|thanked|summarised|summarized|queried|felt|hoped|expects|expected"
)
_SPEAKER = re.compile(
    rf"^(?:The\s+)?(?P<who>(?:[A-Z][\w/&.'’-]*\s+){{0,3}}?[A-Z][\w/&.'’-]*)\s+(?:also\s+|then\s+|further\s+)?"
    rf"(?:{_SPEECH_VERBS})\b"
)
_PRONOUNS = {"he", "she", "they", "it", "there", "this", "we", "members", "discussions", "all", "whilst", "while"}

_BULLET = re.compile(r"^\s*(?:[-–—•*·▪●◦‣o]|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+(?=\S)|^\s*[-–—•*·▪●◦‣](?=\S)")
_NUMBERED = re.compile(r"^\s*(?:(?:agenda\s+)?item\s+)?(?P<n>\d{1,2})(?:\.\d{1,2})?\s*[.):]\s*(?P<rest>\S.*)$", re.I)
_ITEM = re.compile(r"^\s*(?:agenda\s+)?item\s+(?P<n>\d{1,2})\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I)
_REF = re.compile(
    r"^\s*Ref(?:erence)?\.?\s*(?:no\.?\s*)?[:\-–]?\s*(?P<ref>\d{1,3}/\d{1,2}/\d{1,2}/\d{2,4})\s*[:\-–—]?\s*(?P<rest>.*)$",
    re.I,
)
_ACTION_LINE = re.compile(
    r"^\s*(?:[-–—•*]\s*)?(?:new\s+)?action(?:\s+point)?s?\s*(?:\d{1,3}|[A-Z]?\d{1,3}[./]\d{1,3})?\s*"
    r"(?:\((?P<paren>[^)]{1,40})\))?\s*(?::|[-–—](?=\s))\s*(?P<text>.*)$",
    re.I,
)
_ACTION_LIST_INTRO = re.compile(r"^\s*(?:new\s+)?actions?(?:\s+(?:agreed|arising|points?))?\s*:?\s*$", re.I)
_SUMMARY_HEADING = re.compile(r"summary of actions|actions? arising|action summary|new actions|actions agreed", re.I)
_RECOMMENDATION = re.compile(
    r"^\s*(?:HMICFRS\s+)?Recommendation\s+(?:no\.?\s*)?(?P<n>\d{1,2})\b\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I
)
_PLEDGE_INTRO = re.compile(
    r"\b(?:improvements?|commitments?|pledges?|priorities|aims?|ambitions?|focus|undertakings?|targets?)\b.*"
    r"\b(?:hoped?|would|will|committed|pledged|promised|aims?|intends?|expects?|plans?|wants?)\b.*:\s*$",
    re.I,
)
_PLEDGE_SENTENCE = re.compile(
    r"\b(?:committed|pledged|promised|undertook|gave (?:a|an) (?:commitment|undertaking))\s+(?:to\s+)?"
    r"(?P<what>[a-z]+ing\b[^.;]*)",
    re.I,
)
_FIGURE = re.compile(
    r"(?<![\w.])(?P<sign>[-+−])?(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|per\s*cent\b|percent\b|percentage[-\s]points?\b|pp\b|ppts?\b|points?\b)",
    re.I,
)
_DOWN = re.compile(r"\b(?:reduc\w*|decreas\w*|fall|fell|fallen|falling|drop\w*|down|lower|fewer|declin\w*|cut)\b", re.I)
_UP = re.compile(r"\b(?:increas\w*|rise|rose|risen|rising|up|higher|more|grow\w*|gain\w*)\b", re.I)
_BETTER = re.compile(r"\b(?:improv\w*|better)\b", re.I)
_WORSE = re.compile(r"\b(?:deteriorat\w*|worse|worsen\w*)\b", re.I)
_SIGN_WORDS = re.compile(
    r"\b(?:reduc\w*|decreas\w*|fall|fell|fallen|falling|drop\w*|down|lower|fewer|declin\w*|increas\w*|rise|rose|"
    r"risen|rising|up|higher|grow\w*|improv\w*|better|deteriorat\w*|worse|worsen\w*|change)\b",
    re.I,
)


def _load_names(path: Path, synonyms: dict[str, str]) -> dict[str, str]:
    """Lower-case name -> code from a shipped CSV (code,name,...), plus the synonyms."""
    names = dict(synonyms)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                names.setdefault(row["name"].lower(), row["code"])
                names.setdefault(row["name"].lower().replace("&", "and"), row["code"])
    except OSError:
        pass
    return names


_METRIC_WORDS = _load_names(DATA_DIR / "metric_catalogue.csv", _METRIC_SYNONYMS)
_AREA_WORDS = _load_names(DATA_DIR / "areas.csv", _AREA_SYNONYMS)
# Units and directions of the shipped catalogue: a change in a count is per cent, in a rate percentage points.
_METRIC_UNITS: dict[str, tuple[str, str, int]] = {}
try:
    with open(DATA_DIR / "metric_catalogue.csv", newline="", encoding="utf-8-sig") as _handle:
        for _row in csv.DictReader(_handle):
            _METRIC_UNITS[_row["code"]] = (_row["unit"], _row["direction"], int(_row["decimals"]))
except OSError:  # pragma: no cover - the catalogue ships with the code
    pass


def _keyword_pattern(words: dict[str, str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])", re.I)


_METRIC_RE = _keyword_pattern(_METRIC_WORDS)
_AREA_RE = _keyword_pattern(_AREA_WORDS)


def find_metric(text: str) -> str | None:
    """The metric a phrase is about, by the longest keyword it contains ('detection rates' -> positive_outcome_rate)."""
    text = re.sub(r"police\s*(?:and|&)\s*crime", "", text, flags=re.I)  # the Commissioner, Panel or Plan
    found = [(m.end() - m.start(), -m.start(), m.group(0)) for m in _METRIC_RE.finditer(text)]
    if not found:
        return None
    return _METRIC_WORDS[max(found)[2].lower()]


def find_area(text: str) -> str | None:
    """The LPA (or the force) a phrase names; None when it names none."""
    match = _AREA_RE.search(text.replace("&", "and"))
    return _AREA_WORDS[match.group(0).lower()] if match else None
