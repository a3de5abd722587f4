"""What each slide of the meeting shows, as tables and chart data: data already read in, a table out.

The display (``ui.meeting``) reads the dataset, the action tracker and the recommendations once and hands them
here, so nothing on this path takes the connection or can write.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

import pandas as pd

from assurance.core.deadlines import as_date, date_text, deadline_date_text
from assurance.core.periods import Quarter
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
from assurance.products.meeting.slides import ASSESSMENT_PARTS

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
