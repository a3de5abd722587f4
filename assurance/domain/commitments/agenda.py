"""Meeting mode: a meeting's agenda as slides, what each slide shows, and editing the agenda.

Each agenda item carries a list of slide kinds (stored in ``agenda_slides``, migration 004); an
item with none stored gets kinds inferred from its title. The slide contents are built here from
data already read (the dataset, the action tracker, the recommendations), so the display code
takes data, never the connection, and cannot write. The agenda edits validate first, then write
in one transaction with their audit rows (``entity='meeting'``), like the action tracker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from assurance.core.deadlines import as_date, date_text, deadline_date_text
from assurance.core.periods import PeriodError, Quarter
from assurance.core.validate import text as _text
from assurance.domain.access import who as _who
from assurance.domain.commitments.actions import OPEN_STATUSES, due_label
from assurance.domain.compare import (
    VARIATION_LABELS,
    comparable_value,
    format_gap,
    gap_to_force,
    rank_among_lpas,
    spc_series,
)
from assurance.domain.performance import FORCE, Dataset, headline_table, observation
from assurance.store import queries
from assurance.store.audit import audit as _audit
from assurance.store.audit import transaction as _transaction

ENTITY = "meeting"
TITLE_KIND = "title"
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
FOCUS_METRICS = (
    "total_recorded_crime",
    "positive_outcome_rate",
    "median_days_to_close",
    "open_investigations",
    "outstanding_suspects",
    "emergency_within_target",
    "victim_satisfaction",
)
FOCUS_CHART_METRIC = "positive_outcome_rate"
STATUS_MARK = {"open": "○ Open", "update given": "◐ Update given", "closed": "● Closed", "withdrawn": "⊘ Withdrawn"}
PROGRESS_MARK = {"open": "○ Open", "in progress": "◐ In progress", "complete": "● Complete", "closed": "● Closed"}


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

    Raises ValueError naming an unknown or repeated kind.
    """
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    kinds = [str(p).strip().lower() for p in parts if str(p).strip()]
    if not kinds:
        return None
    for kind in kinds:
        if kind not in SLIDE_KINDS:
            raise ValueError(f"there is no slide kind {kind!r}; the kinds are {', '.join(SLIDE_KINDS)}")
    repeated = sorted({k for k in kinds if kinds.count(k) > 1})
    if repeated:
        raise ValueError(f"each slide kind may appear once per item; repeated: {', '.join(repeated)}")
    return ",".join(kinds)


def slide_kinds(stored: str | None, title: str | None) -> tuple[str, ...]:
    """The kinds for an item: the stored list (unknown kinds skipped), else inferred from the title."""
    if isinstance(stored, str) and stored.strip():
        kinds = tuple(k.strip() for k in stored.split(",") if k.strip() in SLIDE_KINDS)
        if kinds:
            return kinds
    return infer_slides(title)


# --- meetings and the slide list -----------------------------------------------------------------


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


# --- what each slide shows (pure: data in, table out) ---------------------------------------------


def review_actions(tracker: pd.DataFrame, meeting: dict, today: date) -> pd.DataFrame:
    """Open actions from earlier meetings that are due at this meeting (or by its date), and overdue ones."""
    held_on = as_date(meeting["held_on"])
    rows = []
    for r in tracker.to_dict("records"):
        if r["status"] not in OPEN_STATUSES or r["meeting_id"] == meeting["id"]:
            continue
        raised = as_date(r["raised_on"])
        if held_on and raised and raised > held_on:
            continue
        due_on = as_date(r["due_on"])
        due_here = r.get("due_meeting_id") == meeting["id"] or (due_on is not None and held_on and due_on <= held_on)
        if not (due_here or r["overdue"]):
            continue
        status = STATUS_MARK.get(r["status"], r["status"])
        if r["overdue"]:
            status += " · ⚠ Overdue"
        rows.append(
            {"Action": " ".join(str(r["text"]).split()), "Owner": r["owner"], "Due": due_label(r), "Status": status}
        )
    return pd.DataFrame(rows, columns=["Action", "Owner", "Due", "Status"])


def arising_actions(tracker: pd.DataFrame, meeting_id: str) -> pd.DataFrame:
    """Every action raised at the meeting, in the order recorded (the newest last)."""
    mine = [r for r in tracker.to_dict("records") if r["meeting_id"] == meeting_id]
    mine.sort(key=lambda r: int(r["position"]))
    rows = []
    for r in mine:
        text = " ".join(str(r["text"]).split())
        if r["status"] == "withdrawn":
            text += " (withdrawn)"
        rows.append({"No.": int(r["position"]), "Action": text, "Owner": r["owner"], "Due": due_label(r)})
    return pd.DataFrame(rows, columns=["No.", "Action", "Owner", "Due"])


def fit_rows(
    frame: pd.DataFrame,
    column: str,
    *,
    lines: float,
    chars_per_line: int,
    keep: str = "first",
    wraps: dict[str, int] | None = None,
    row_lines: float = 0.0,
) -> tuple[pd.DataFrame, int]:
    """As many rows as fit in about `lines` lines of wrapped text; returns them and how many were left off.

    A row takes as many lines as its tallest cell: `column` wraps at `chars_per_line`, and each column in `wraps`
    at its own width; `row_lines` adds each row's padding and border, in lines. keep='last' keeps the newest rows
    (the end of the frame), for the live actions slide. One row always shows.
    """
    if frame.empty:
        return frame, 0
    widths = {column: chars_per_line, **(wraps or {})}
    cost = [
        max(max(1, math.ceil(len(str(row[name])) / width)) for name, width in widths.items()) + row_lines
        for row in frame[list(widths)].to_dict("records")
    ]
    order = range(len(frame) - 1, -1, -1) if keep == "last" else range(len(frame))
    taken: list[int] = []
    used = 0
    for i in order:
        if taken and used + cost[i] > lines:
            break
        taken.append(i)
        used += cost[i]
    taken.sort()
    return frame.iloc[taken].reset_index(drop=True), len(frame) - len(taken)


def _illustrative(ds: Dataset, codes: Iterable[str], areas: Iterable[str], quarter: str) -> bool:
    for code in codes:
        for area in areas:
            obs = observation(ds, area, code, quarter)
            if obs is not None and bool(obs["illustrative"]):
                return True
    return False


def assessment_table(ds: Dataset, quarter: str, part: int) -> tuple[pd.DataFrame, bool]:
    """West Mercia's metrics for one assessment slide: value, change on last year, target, SPC; and whether
    any figure is illustrative."""
    _, codes = ASSESSMENT_PARTS[part - 1]
    codes = tuple(c for c in codes if c in ds.metrics)
    q = Quarter.parse(quarter)
    head = headline_table(ds, quarter, FORCE).set_index("metric")
    rows = []
    for code in codes:
        metric = ds.metrics[code]
        row = head.loc[code]
        _, result = spc_series(ds, metric, FORCE, quarter)
        target = (
            row["status_text"]
            if row["status"] in ("no target", "no data")
            else (f"{row['status_text']} ({row['target_text']})")
        )
        if row["target_illustrative"] and row["status"] != "no target":
            target += " *"
        rows.append(
            {
                "Metric": metric.name,
                quarter: row["value_text"],
                f"On {q.same_quarter_last_year().label}": row["yoy_text"],
                # What the Chief Constable quotes in the room ("a 9% reduction so far this year").
                "Year to date on last year": row["ytd_change_text"] if q.number > 1 else "–",
                "Target": target,
                "SPC": VARIATION_LABELS[result.variation_icon],
            }
        )
    columns = [
        "Metric",
        quarter,
        f"On {q.same_quarter_last_year().label}",
        "Year to date on last year",
        "Target",
        "SPC",
    ]
    return pd.DataFrame(rows, columns=columns), _illustrative(ds, codes, [FORCE], quarter)


def focus_table(ds: Dataset, quarter: str, focus: str) -> tuple[pd.DataFrame, bool]:
    """The focus LPA on the key metrics: its value, rank among the LPAs, gap to the force and SPC icon."""
    name = ds.area_name(focus)
    codes = tuple(c for c in FOCUS_METRICS if c in ds.metrics and ds.metrics[c].level == "lpa")
    rows = []
    for code in codes:
        metric = ds.metrics[code]
        obs = observation(ds, focus, code, quarter)
        value = obs["value"] if obs is not None else None
        value = None if value is None or value != value else float(value)
        rank = rank_among_lpas(ds, metric, focus, quarter)
        rank_text = "–"
        if rank is not None:
            rank_text = f"{rank[0]} of {rank[1]}" + (
                " (best)" if rank[0] == 1 else " (worst)" if rank[0] == rank[1] else ""
            )
        _, result = spc_series(ds, metric, focus, quarter)
        rows.append(
            {
                "Metric": metric.name,
                name: metric.format_value(value),
                "Rank (1 = best)": rank_text,
                "Gap to the force": format_gap(metric, gap_to_force(ds, metric, focus, quarter)),
                "SPC": VARIATION_LABELS[result.variation_icon],
            }
        )
    columns = ["Metric", name, "Rank (1 = best)", "Gap to the force", "SPC"]
    return pd.DataFrame(rows, columns=columns), _illustrative(ds, codes, [focus, FORCE], quarter)


def focus_chart_data(ds: Dataset, quarter: str, focus: str, metric_code: str = FOCUS_CHART_METRIC) -> pd.DataFrame:
    """Each LPA's value of one metric (per 1,000 people for counts), best first, with the focus marked."""
    metric = ds.metrics[metric_code]
    rows = []
    for code in ds.lpas["code"]:
        value = comparable_value(ds, metric, code, quarter)
        if value is not None:
            rows.append({"area": code, "name": ds.area_name(code), "value": value, "focus": code == focus})
    frame = pd.DataFrame(rows, columns=["area", "name", "value", "focus"])
    return frame.sort_values("value", ascending=metric.direction == "lower", kind="stable").reset_index(drop=True)


def hmicfrs_table(recommendations: pd.DataFrame, status_label) -> pd.DataFrame:
    """Recommendations still to finish first, each with its deadline as written, as a date, and how it stands.

    ``status_label`` turns (deadline_status, days_left) into words with a symbol (assurance.domain.commitments.recommendations).
    """
    rows = []
    done = recommendations["status"].isin(("complete", "closed")) if len(recommendations) else []
    frame = recommendations.assign(_done=done).sort_values(["_done", "report_published", "number"], kind="stable")
    several = frame["report"].nunique() > 1 if len(frame) else False
    for r in frame.to_dict("records"):
        rows.append(
            {
                "No.": f"{r['report']} {r['number']}" if several else str(r["number"]),
                "Recommendation": " ".join(str(r["subject"]).split()),
                "Deadline as said": r["deadline_text"] if isinstance(r["deadline_text"], str) else "none stated",
                "Date": deadline_date_text(r["deadline_date"], r.get("deadline_approximate"), r["deadline_text"]),
                "Progress": PROGRESS_MARK.get(r["status"], r["status"]),
                "Today": status_label(r["deadline_status"], r["days_left"]),
            }
        )
    return pd.DataFrame(rows, columns=["No.", "Recommendation", "Deadline as said", "Date", "Progress", "Today"])


def report_names(recommendations: pd.DataFrame) -> list[str]:
    """'“Police Response to Anti-Social Behaviour”, published 10 Oct 2024' for each report."""
    out = []
    for report, part in recommendations.groupby("report", sort=False):
        published = as_date(part["report_published"].iloc[0])
        out.append(f"“{report}”" + (f", published {date_text(published)}" if published else ""))
    return out


# --- editing the agenda (writes, with the audit trail) ---------------------------------------------


def _title(value: str | None) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise ValueError("the agenda item's title is empty")
    if len(title) > MAX_TITLE:
        raise ValueError(f"the title is {len(title):,} characters; at most {MAX_TITLE} are allowed")
    return title


def _meeting_exists(cur, meeting_id: str) -> None:
    if not cur.execute("SELECT count(*) FROM meetings WHERE id = $m", {"m": meeting_id}).fetchone()[0]:
        raise ValueError(f"there is no meeting {meeting_id!r}")


def _items(cur, meeting_id: str) -> list[dict]:
    rows = cur.execute(
        "SELECT i.position, i.title, i.notes, s.slides FROM agenda_items AS i LEFT JOIN agenda_slides AS s"
        " ON s.meeting_id = i.meeting_id AND s.position = i.position WHERE i.meeting_id = $m ORDER BY i.position",
        {"m": meeting_id},
    ).fetchall()
    return [dict(zip(("position", "title", "notes", "slides"), r, strict=True)) for r in rows]


def _item(items: list[dict], position: int) -> dict:
    for item in items:
        if item["position"] == position:
            return item
    raise ValueError(f"the agenda has no item {position}; it has {len(items)}")


def _write_items(cur, meeting_id: str, items: list[dict]) -> None:
    """Rewrite the agenda numbered 1, 2, ... in the given order (positions are the key)."""
    cur.execute("DELETE FROM agenda_slides WHERE meeting_id = $m", {"m": meeting_id})
    cur.execute("DELETE FROM agenda_items WHERE meeting_id = $m", {"m": meeting_id})
    for position, item in enumerate(items, start=1):
        cur.execute(
            "INSERT INTO agenda_items (meeting_id, position, title, notes) VALUES ($m, $p, $t, $n)",
            {"m": meeting_id, "p": position, "t": item["title"], "n": item["notes"]},
        )
        if item["slides"]:
            cur.execute(
                "INSERT INTO agenda_slides (meeting_id, position, slides) VALUES ($m, $p, $s)",
                {"m": meeting_id, "p": position, "s": item["slides"]},
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
    with _transaction(con) as cur:
        _meeting_exists(cur, meeting_id)
        items = _items(cur, meeting_id)
        at = len(items) + 1 if position is None else int(position)
        if not 1 <= at <= len(items) + 1:
            raise ValueError(f"an item can go at position 1 to {len(items) + 1}; not {position}")
        items.insert(at - 1, item)
        _write_items(cur, meeting_id, items)
        _audit(cur, ENTITY, meeting_id, "create", who, f"agenda item {at}", None, item["title"])
        if item["slides"]:
            _audit(cur, ENTITY, meeting_id, "edit", who, f"agenda item {at} slides", None, item["slides"])
    return at


def edit_agenda_item(
    con: duckdb.DuckDBPyConnection, meeting_id: str, position: int, /, *, by: str, **changes
) -> list[str]:
    """Rename an item, change its notes or its slide kinds; returns the fields that actually changed.

    ``slides=None`` (or empty) goes back to inferring the kinds from the title.
    """
    who = _who(by)
    unknown = set(changes) - {"title", "notes", "slides"}
    if unknown:
        raise ValueError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    if "title" in changes:
        changes["title"] = _title(changes["title"])
    if "notes" in changes:
        changes["notes"] = _text(changes["notes"], "notes", required=False)
    if "slides" in changes:
        changes["slides"] = normalise_slides(changes["slides"])
    changed = []
    with _transaction(con) as cur:
        _meeting_exists(cur, meeting_id)
        items = _items(cur, meeting_id)
        item = _item(items, position)
        for field in ("title", "notes", "slides"):
            if field not in changes or changes[field] == item[field]:
                continue
            _audit(cur, ENTITY, meeting_id, "edit", who, f"agenda item {position} {field}", item[field], changes[field])
            item[field] = changes[field]
            changed.append(field)
        if changed:
            _write_items(cur, meeting_id, items)
    return changed


def move_agenda_item(con: duckdb.DuckDBPyConnection, meeting_id: str, position: int, to: int, *, by: str) -> None:
    """Move an item to another place in the agenda; the items between shift by one."""
    who = _who(by)
    with _transaction(con) as cur:
        _meeting_exists(cur, meeting_id)
        items = _items(cur, meeting_id)
        item = _item(items, position)
        if not 1 <= int(to) <= len(items):
            raise ValueError(f"the agenda has items 1 to {len(items)}; cannot move an item to {to}")
        if int(to) == position:
            return
        before = _order_text(items)
        items.remove(item)
        items.insert(int(to) - 1, item)
        _write_items(cur, meeting_id, items)
        _audit(cur, ENTITY, meeting_id, "edit", who, "agenda order", before, _order_text(items))


def remove_agenda_item(con: duckdb.DuckDBPyConnection, meeting_id: str, position: int, *, by: str) -> None:
    """Take an item off the agenda (the audit trail keeps its title); the later items move up."""
    who = _who(by)
    with _transaction(con) as cur:
        _meeting_exists(cur, meeting_id)
        items = _items(cur, meeting_id)
        item = _item(items, position)
        items.remove(item)
        _write_items(cur, meeting_id, items)
        _audit(cur, ENTITY, meeting_id, "edit", who, f"agenda item {position}", item["title"], None)


def use_default_agenda(con: duckdb.DuckDBPyConnection, meeting_id: str, *, by: str) -> int:
    """Give a meeting with no agenda the default A&A agenda; returns the number of items."""
    who = _who(by)
    with _transaction(con) as cur:
        _meeting_exists(cur, meeting_id)
        if _items(cur, meeting_id):
            raise ValueError("this meeting already has an agenda; edit it instead")
        items = [{"title": t, "notes": n, "slides": s} for t, n, s in DEFAULT_AGENDA]
        _write_items(cur, meeting_id, items)
        for position, item in enumerate(items, start=1):
            _audit(cur, ENTITY, meeting_id, "create", who, f"agenda item {position}", None, item["title"])
    return len(items)


WRITE_FUNCTIONS = (
    "add_agenda_item",
    "edit_agenda_item",
    "move_agenda_item",
    "remove_agenda_item",
    "use_default_agenda",
)
