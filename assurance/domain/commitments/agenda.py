"""A meeting's agenda: reading it, the slide kinds each item asks for, and editing it with the audit trail.

Each agenda item carries a list of slide kinds (stored in ``agenda_slides``, migration 004); an
item with none stored gets kinds inferred from its title. What the slides then show is a product
(``assurance.products.meeting``). The agenda edits validate first, then write in one transaction
with their audit rows (``entity='meeting'``), like the action tracker: ``InvalidInput`` for what
was typed or a position that is not on the agenda, ``Refused`` for a meeting that already has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import duckdb
import pandas as pd

from assurance.core.deadlines import as_date, date_text
from assurance.core.errors import InvalidInput, Refused
from assurance.core.validate import text as _text
from assurance.domain.access import who as _who
from assurance.domain.commitments.edits import only_editable
from assurance.store import queries
from assurance.store.audit import audit as _audit
from assurance.store.transaction import Tx, transaction

ENTITY = "meeting"
SLIDE_KINDS = ("actions_review", "cc_assessment", "lpa_focus", "hmicfrs", "actions_arising", "text")
KIND_NAMES = {
    "actions_review": "Review of the action tracker: open actions due now, and overdue ones",
    "cc_assessment": "Chief Constable's assessment: headline metrics against targets (2 slides)",
    "lpa_focus": "LPA focus: the focus LPA against the others (2 slides)",
    "hmicfrs": "HMICFRS recommendations and deadlines",
    "actions_arising": "Actions arising at this meeting (live)",
    "text": "The item's title and notes only",
}
# First match wins: the specific phrases before the general ones.
TITLE_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    ((r"\baction tracker\b",), ("actions_review",)),
    ((r"\bactions arising\b", r"\bsummary of actions\b"), ("actions_arising",)),
    ((r"\bhmicfrs\b", r"\binspections?\b"), ("hmicfrs",)),
    ((r"\blpa\b", r"\blocal policing area\b"), ("lpa_focus",)),
    ((r"\bassessment\b", r"\bperformance\b"), ("cc_assessment", "lpa_focus")),
)
DEFAULT_AGENDA: tuple[tuple[str, str | None, str], ...] = (
    ("Review of the action tracker", None, "actions_review"),
    (
        "The Chief Constable's assessment on quarterly performance",
        "Safer West Mercia Plan and budget priorities.",
        "cc_assessment",
    ),
    ("LPA focus", None, "lpa_focus"),
    ("Quarterly HMICFRS update", None, "hmicfrs"),
    ("Summary of actions arising", None, "actions_arising"),
)
MAX_TITLE = 200


# --- slide kinds ---------------------------------------------------------------------------------


def infer_slides(title: str | None) -> tuple[str, ...]:
    """The slide kinds an agenda item gets from its title alone."""
    text = (title or "").lower()
    for patterns, kinds in TITLE_RULES:
        if any(re.search(p, text) for p in patterns):
            return kinds
    return ("text",)


def normalise_slides(value: str | Iterable[str] | None) -> str | None:
    """Slide kinds as stored ('cc_assessment,lpa_focus'); None or empty means 'infer from the title'.

    Raises InvalidInput naming an unknown or repeated kind.
    """
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    kinds = [str(p).strip().lower() for p in parts if str(p).strip()]
    if not kinds:
        return None
    for kind in kinds:
        if kind not in SLIDE_KINDS:
            raise InvalidInput(f"there is no slide kind {kind!r}; the kinds are {', '.join(SLIDE_KINDS)}")
    repeated = sorted({k for k in kinds if kinds.count(k) > 1})
    if repeated:
        raise InvalidInput(f"each slide kind may appear once per item; repeated: {', '.join(repeated)}")
    return ",".join(kinds)


def slide_kinds(stored: str | None, title: str | None) -> tuple[str, ...]:
    """The kinds for an item: the stored list (unknown kinds skipped), else inferred from the title."""
    if isinstance(stored, str) and stored.strip():
        kinds = tuple(k.strip() for k in stored.split(",") if k.strip() in SLIDE_KINDS)
        if kinds:
            return kinds
    return infer_slides(title)


# --- meetings and their agendas ------------------------------------------------------------------


def meetings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every meeting, latest first."""
    return queries.frame(con, "meetings")


def meeting_label(meeting: dict) -> str:
    """'27 Nov 2024: Accountability & Assurance meeting: Q2 performance', as the action tracker writes it."""
    return f"{date_text(meeting['held_on'])}: {meeting['title']}"


def default_meeting(frame: pd.DataFrame, today: date) -> str | None:
    """The meeting the room most likely wants: today's, else the next scheduled, else the latest held."""
    if frame.empty:
        return None
    rows = [(as_date(r["held_on"]), r["status"], r["id"]) for r in frame.to_dict("records")]
    todays = [r for r in rows if r[0] == today]
    if todays:
        return todays[0][2]
    upcoming = sorted((r for r in rows if r[1] == "scheduled" and r[0] and r[0] > today), key=lambda r: r[0])
    if upcoming:
        return upcoming[0][2]
    held = sorted((r for r in rows if r[0] and r[0] <= today), key=lambda r: r[0])
    return held[-1][2] if held else rows[0][2]


def agenda(con: duckdb.DuckDBPyConnection, meeting_id: str) -> pd.DataFrame:
    """The meeting's agenda in order: position, title, notes, slides (stored, or NULL) and kinds (resolved)."""
    frame = queries.frame(con, "meeting_agenda", meeting_id=meeting_id)
    frame["kinds"] = [
        ",".join(slide_kinds(s if isinstance(s, str) else None, t))
        for s, t in zip(frame["slides"], frame["title"], strict=True)
    ]
    return frame


def default_agenda_frame() -> pd.DataFrame:
    """The default A&A agenda as an agenda frame (shown for a meeting with no agenda stored)."""
    return pd.DataFrame(
        [
            {"position": i, "title": title, "notes": notes, "slides": kinds, "kinds": kinds}
            for i, (title, notes, kinds) in enumerate(DEFAULT_AGENDA, start=1)
        ]
    )


# --- editing the agenda (writes, with the audit trail) ---------------------------------------------


def _title(value: str | None) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise InvalidInput("the agenda item's title is empty")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"the title is {len(title):,} characters; at most {MAX_TITLE} are allowed")
    return title


def _items(tx: Tx, meeting_id: str) -> list[dict]:
    """The meeting's agenda items in order (position, title, notes, slides), read inside the edit's transaction;
    InvalidInput if there is no such meeting."""
    if not queries.value(tx, "meeting_exists", meeting_id=meeting_id):
        raise InvalidInput(f"there is no meeting {meeting_id!r}")
    return queries.records(tx, "meeting_agenda", meeting_id=meeting_id)


def _item(items: list[dict], position: int) -> dict:
    for item in items:
        if item["position"] == position:
            return item
    raise InvalidInput(f"the agenda has no item {position}; it has {len(items)}")


def _write_items(tx: Tx, meeting_id: str, items: list[dict]) -> None:
    """Rewrite the agenda numbered 1, 2, ... in the given order (positions are the key)."""
    tx.execute("delete_agenda_slides", meeting_id=meeting_id)
    tx.execute("delete_agenda_items", meeting_id=meeting_id)
    keys = [{"meeting_id": meeting_id, "position": position} for position in range(1, len(items) + 1)]
    tx.executemany(
        "insert_agenda_item",
        [key | {"title": item["title"], "notes": item["notes"]} for key, item in zip(keys, items, strict=True)],
    )
    tx.executemany(
        "insert_agenda_slides",
        [key | {"slides": item["slides"]} for key, item in zip(keys, items, strict=True) if item["slides"]],
    )


def _order_text(items: list[dict]) -> str:
    return " | ".join(f"{i}. {item['title']}" for i, item in enumerate(items, start=1))


def add_agenda_item(
    con: duckdb.DuckDBPyConnection,
    meeting_id: str,
    *,
    title: str,
    by: str,
    notes: str | None = None,
    slides: str | Iterable[str] | None = None,
    position: int | None = None,
) -> int:
    """Add an item to a meeting's agenda (at the end, or at `position`); returns its position."""
    who = _who(by)
    item = {"title": _title(title), "notes": _text(notes, "notes", required=False), "slides": normalise_slides(slides)}
    with transaction(con) as tx:
        items = _items(tx, meeting_id)
        at = len(items) + 1 if position is None else int(position)
        if not 1 <= at <= len(items) + 1:
            raise InvalidInput(f"an item can go at position 1 to {len(items) + 1}; not {position}")
        items.insert(at - 1, item)
        _write_items(tx, meeting_id, items)
        _audit(tx, ENTITY, meeting_id, "create", who, f"agenda item {at}", None, item["title"])
        if item["slides"]:
            _audit(tx, ENTITY, meeting_id, "edit", who, f"agenda item {at} slides", None, item["slides"])
    return at


def edit_agenda_item(
    con: duckdb.DuckDBPyConnection, meeting_id: str, position: int, /, *, by: str, **changes
) -> list[str]:
    """Rename an item, change its notes or its slide kinds; returns the fields that actually changed.

    ``slides=None`` (or empty) goes back to inferring the kinds from the title.
    """
    who = _who(by)
    only_editable(changes, ("title", "notes", "slides"))
    if "title" in changes:
        changes["title"] = _title(changes["title"])
    if "notes" in changes:
        changes["notes"] = _text(changes["notes"], "notes", required=False)
    if "slides" in changes:
        changes["slides"] = normalise_slides(changes["slides"])
    changed = []
    with transaction(con) as tx:
        items = _items(tx, meeting_id)
        item = _item(items, position)
        for field in ("title", "notes", "slides"):
            if field not in changes or changes[field] == item[field]:
                continue
            _audit(tx, ENTITY, meeting_id, "edit", who, f"agenda item {position} {field}", item[field], changes[field])
            item[field] = changes[field]
            changed.append(field)
        if changed:
            _write_items(tx, meeting_id, items)
    return changed


def move_agenda_item(con: duckdb.DuckDBPyConnection, meeting_id: str, position: int, to: int, *, by: str) -> None:
    """Move an item to another place in the agenda; the items between shift by one."""
    who = _who(by)
    with transaction(con) as tx:
        items = _items(tx, meeting_id)
        item = _item(items, position)
        if not 1 <= int(to) <= len(items):
            raise InvalidInput(f"the agenda has items 1 to {len(items)}; cannot move an item to {to}")
        if int(to) == position:
            return
        before = _order_text(items)
        items.remove(item)
        items.insert(int(to) - 1, item)
        _write_items(tx, meeting_id, items)
        _audit(tx, ENTITY, meeting_id, "edit", who, "agenda order", before, _order_text(items))


def remove_agenda_item(con: duckdb.DuckDBPyConnection, meeting_id: str, position: int, *, by: str) -> None:
    """Take an item off the agenda (the audit trail keeps its title); the later items move up."""
    who = _who(by)
    with transaction(con) as tx:
        items = _items(tx, meeting_id)
        item = _item(items, position)
        items.remove(item)
        _write_items(tx, meeting_id, items)
        _audit(tx, ENTITY, meeting_id, "edit", who, f"agenda item {position}", item["title"], None)


def use_default_agenda(con: duckdb.DuckDBPyConnection, meeting_id: str, *, by: str) -> int:
    """Give a meeting with no agenda the default A&A agenda; returns the number of items."""
    who = _who(by)
    with transaction(con) as tx:
        if _items(tx, meeting_id):
            raise Refused("this meeting already has an agenda; edit it instead")
        items = [{"title": t, "notes": n, "slides": s} for t, n, s in DEFAULT_AGENDA]
        _write_items(tx, meeting_id, items)
        for position, item in enumerate(items, start=1):
            _audit(tx, ENTITY, meeting_id, "create", who, f"agenda item {position}", None, item["title"])
    return len(items)


WRITE_FUNCTIONS = (
    "add_agenda_item",
    "edit_agenda_item",
    "move_agenda_item",
    "remove_agenda_item",
    "use_default_agenda",
)
