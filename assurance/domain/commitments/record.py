"""What the meetings recorded, as the pages read it: the meetings, one meeting's record (its attendees, agenda,
actions, recommendations, pledges and figures quoted, each asked of the database for that meeting alone), every
pledge and figure quoted, and the updates given on each action."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from assurance.store import queries


@dataclass(frozen=True)
class MeetingRecord:
    meeting: dict
    attendees: pd.DataFrame
    agenda: pd.DataFrame
    actions: pd.DataFrame
    recommendations: pd.DataFrame
    pledges: pd.DataFrame
    claims: pd.DataFrame


def meetings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every meeting, latest first."""
    return queries.frame(con, "meetings")


def meeting(con: duckdb.DuckDBPyConnection, meeting_id: str) -> dict | None:
    """One meeting (when, title, chair, quarter discussed, status ...); None if there is no such meeting."""
    found = queries.records(con, "meeting", meeting_id=meeting_id)
    return found[0] if found else None


def meeting_record(con: duckdb.DuckDBPyConnection, meeting_id: str) -> MeetingRecord | None:
    """One meeting and everything recorded at it; None if there is no such meeting."""
    held = meeting(con, meeting_id)
    if held is None:
        return None
    return MeetingRecord(
        meeting=held,
        attendees=queries.frame(con, "attendees", meeting_id=meeting_id),
        agenda=queries.frame(con, "agenda_items", meeting_id=meeting_id),
        actions=queries.frame(con, "meeting_actions", meeting_id=meeting_id),
        recommendations=queries.frame(con, "meeting_recommendations", meeting_id=meeting_id),
        pledges=queries.frame(con, "meeting_pledges", meeting_id=meeting_id),
        claims=queries.frame(con, "meeting_claims", meeting_id=meeting_id),
    )


def pledges(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every pledge with a metric, with its area's and metric's names, in the order recorded."""
    return queries.frame(con, "pledges")


def claims(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every figure quoted in a meeting, with its area's and metric's names, in the order recorded."""
    return queries.frame(con, "claims")


def updates_by_action(con: duckdb.DuckDBPyConnection) -> dict[int, list[dict]]:
    """The updates given on each action (by action id), oldest first: one query for the whole tracker."""
    found: dict[int, list[dict]] = {}
    for row in queries.records(con, "action_updates"):
        found.setdefault(int(row["action_id"]), []).append(row)
    return found
