"""Commitments beside the numbers: which markers for actions, pledges and quoted figures a chart's quarters get.

Everything is placed on the quarter of data it is about: an action or figure at the quarter the
meeting discussed, a pledge at its baseline quarter and again at the quarter that shows it, an
action due at a named A&A meeting at the quarter that meeting discusses. Drawing them on a figure is
``assurance.products.charts.markers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from assurance.core.deadlines import as_date, deadline_date_text
from assurance.core.periods import Quarter
from assurance.store import queries

# The kinds of marker, in the order a quarter lists them (and a chart's legend shows them).
KINDS = ("Action raised", "Action due", "Pledge made", "Pledge due", "Figure quoted")


@dataclass(frozen=True)
class Marker:
    quarter: str
    kind: str  # one of KINDS
    hover: str
    made_in: str  # the quarter discussed when the commitment was made (a deadline's marker keeps its maker's)


@dataclass(frozen=True)
class Commitments:
    actions: pd.DataFrame
    pledges: pd.DataFrame
    claims: pd.DataFrame
    meetings: pd.DataFrame
    # The frames as row dicts and the meetings' quarters, made once: a page asks for the markers of ten or
    # more charts, and converting the frames for each of them was a third of the LPA page's run time.
    _rows: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows = {
            "actions": self.actions.to_dict("records"),
            "pledges": self.pledges.to_dict("records"),
            "claims": self.claims.to_dict("records"),
            "quarter_of_meeting": dict(zip(self.meetings["id"], self.meetings["quarter_discussed"], strict=True)),
        }
        object.__setattr__(self, "_rows", rows)


def load_commitments(con: duckdb.DuckDBPyConnection) -> Commitments:
    return Commitments(
        actions=queries.frame(con, "action_tracker"),
        pledges=queries.frame(con, "pledges"),
        claims=queries.frame(con, "claims"),
        meetings=queries.frame(con, "meetings"),
    )


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markers_for(commitments: Commitments, metric: str, area: str, as_of: str | None = None) -> list[Marker]:
    """The markers for one metric and area, in quarter order.

    With ``as_of`` (a quarter), only commitments made at meetings about that quarter or earlier: looking back
    at 2023/24 Q2 shows nothing said about later quarters. Their deadlines may still lie beyond it.
    """
    rows = commitments._rows
    quarter_of_meeting = rows["quarter_of_meeting"]
    out: list[Marker] = []
    for a in rows["actions"]:
        # Only actions about this metric: one about an area in general (Shropshire's performance) would
        # otherwise sit on every one of that area's charts and say nothing about any of them.
        if a["metric"] != metric or (isinstance(a["area"], str) and a["area"] != area):
            continue
        raised = quarter_of_meeting.get(a["meeting_id"])
        text = _short(a["text"])
        if isinstance(raised, str):
            out.append(Marker(raised, "Action raised", f"Action raised ({a['owner']}): {text}", raised))
        due_quarter = a["due_meeting_quarter"] if isinstance(a["due_meeting_quarter"], str) else None
        due_on = as_date(a["due_on"])
        if due_quarter is None and due_on is not None:
            due_quarter = Quarter.containing(due_on).label
        if due_quarter:
            when = (
                f"due {deadline_date_text(due_on, a.get('due_approximate'))}"
                if due_on
                else f"due at the {a['due_text'] or due_quarter + ' meeting'}"
            )
            out.append(
                Marker(
                    due_quarter,
                    "Action due",
                    f"Action {when} [{a['status']}]: {text}",
                    raised if isinstance(raised, str) else due_quarter,
                )
            )
    for p in rows["pledges"]:
        if p["metric"] == metric and p["area"] == area:
            text = _short(p["text"])
            out.append(
                Marker(
                    p["baseline_quarter"],
                    "Pledge made",
                    f"Pledge ({p['owner']}), baseline: {text}",
                    p["baseline_quarter"],
                )
            )
            out.append(
                Marker(
                    p["due_quarter"],
                    "Pledge due",
                    f"Pledge due, shown by {p['due_quarter']}: {text}",
                    p["baseline_quarter"],
                )
            )
    for c in rows["claims"]:
        if c["metric"] == metric and c["area"] == area:
            out.append(
                Marker(c["quarter"], "Figure quoted", f"Quoted ({c['speaker']}): {_short(c['text'])}", c["quarter"])
            )
    if as_of is not None:
        out = [m for m in out if m.made_in <= as_of]
    return sorted(out, key=lambda m: (m.quarter, KINDS.index(m.kind)))
