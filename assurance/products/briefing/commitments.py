"""The commitments section of the briefing: actions, pledges, HMICFRS recommendations and figures quoted.

Each comes from the library the dashboard's commitment pages use (actions.tracker, verdicts,
recommendations), with the facts the question rules read.
"""

from __future__ import annotations

from datetime import date

from assurance.core.deadlines import APPROXIMATE_NOTE, as_date, deadline_date_text, deadline_label
from assurance.domain.commitments.actions import OPEN_STATUSES, due_label, tracker
from assurance.domain.commitments.recommendations import DONE_STATUSES, recommendations_table, status_label
from assurance.domain.performance import Dataset
from assurance.domain.verdicts import NO_DATA, NOT_MET, check_claim, pledge_status
from assurance.products.briefing.common import as_text, day_text, meetings
from assurance.products.briefing.model import (
    Block,
    Paragraph,
    Subheading,
    Table,
)
from assurance.products.briefing.questions import (
    ActionFact,
    ClaimFact,
    PledgeFact,
)
from assurance.store import queries


def actions_blocks(con, meeting: dict, today: date) -> tuple[list[Block], list[ActionFact], dict[str, int]]:
    frame = tracker(con, today)
    held = as_date(meeting["held_on"])
    facts: list[ActionFact] = []
    rows = []
    counts = {"due here": 0, "overdue": 0, "other open": 0}
    for row in frame.to_dict("records"):
        raised = as_date(row["raised_on"])
        if row["status"] not in OPEN_STATUSES or (raised and held and raised > held):
            continue
        due_on = as_date(row["due_on"])
        due_here = row.get("due_meeting_id") == meeting["id"] or (due_on is not None and due_on == held)
        if due_here:
            where, order = "Due at this meeting", 0
            counts["due here"] += 1
        elif row["overdue"] and due_on is not None:
            days = (today - due_on).days
            where, order = f"⚠ Overdue by {days} day{'s' if days != 1 else ''}", 1
            counts["overdue"] += 1
        elif row["overdue"]:
            expected = as_date(row.get("expected_by"))
            where, order = (
                f"⚠ Probably overdue: its meeting was expected by {day_text(expected)} and is not recorded",
                1,
            )
            counts["overdue"] += 1
        else:
            where, order = str(row["group"]).replace("Due at: ", "Open, due at "), 2
            counts["other open"] += 1
        facts.append(
            ActionFact(
                id=int(row["id"]),
                text=as_text(row["text"]),
                owner=as_text(row["owner"]),
                raised_on=raised,
                due_on=due_on or as_date(row.get("expected_by")),
                due_text=as_text(row["due_text"]) or None,
                overdue=bool(row["overdue"]) and not due_here,
            )
        )
        rows.append(
            (
                order,
                (str(row["id"]), as_text(row["text"]), as_text(row["owner"]), day_text(raised), due_label(row), where),
            )
        )
    rows.sort(key=lambda r: r[0])
    summary = (
        f"{counts['due here']} action{'s' if counts['due here'] != 1 else ''} due at this meeting, "
        f"{counts['overdue']} overdue and {counts['other open']} other open action"
        f"{'s' if counts['other open'] != 1 else ''} (as at {today:%-d %b %Y}); closed and withdrawn actions are left "
        "out."
    )
    blocks: list[Block] = [Subheading("Actions"), Paragraph(summary)]
    if rows:
        blocks.append(
            Table(
                key="actions",
                caption="Open actions: due at this meeting, overdue, then the rest",
                columns=("No.", "Action", "Owner", "Raised", "Due", "Where it stands"),
                rows=tuple(r for _, r in rows),
                widths=(0.45, 4.6, 0.8, 1.1, 1.9, 1.9),
            )
        )
    return blocks, facts, counts


def pledges_blocks(con, ds: Dataset, meeting: dict, today: date) -> tuple[list[Block], list[PledgeFact]]:
    frame = queries.frame(con, "pledges")
    held = as_date(meeting["held_on"])
    made_when = {r["id"]: as_date(r["held_on"]) for r in meetings(con)}
    rows, facts = [], []
    for pledge in frame.to_dict("records"):
        made = made_when.get(pledge["meeting_id"])
        if made and held and made > held:
            continue
        result = pledge_status(ds, pledge, today)
        metric = ds.metrics[pledge["metric"]]
        change = metric.change(result.due_value, result.baseline_value)
        facts.append(
            PledgeFact(
                text=as_text(pledge["text"]),
                owner=as_text(pledge["owner"]),
                area_name=as_text(pledge["area_name"]),
                metric_name=metric.name,
                status=result.status,
                baseline_quarter=pledge["baseline_quarter"],
                due_quarter=pledge["due_quarter"],
                baseline_text=metric.format_value(result.baseline_value),
                due_value_text=metric.format_value(result.due_value),
                change_text=metric.format_change(change),
            )
        )
        rows.append(
            (
                as_text(pledge["text"]),
                as_text(pledge["owner"]),
                as_text(pledge["area_name"]),
                f"{metric.name}: {pledge['direction']} by "
                f"{deadline_label(pledge['deadline_date'], pledge['deadline_approximate'], pledge['deadline_text'])}; "
                f"judged on {pledge['due_quarter']}",
                result.label,
                result.explanation,
            )
        )
    blocks: list[Block] = [Subheading("Pledges")]
    if not rows:
        return [*blocks, Paragraph("No pledges with a metric recorded.")], facts
    not_met = sum(1 for f in facts if f.status == NOT_MET)
    no_data = sum(1 for f in facts if f.status == NO_DATA)
    blocks.append(
        Paragraph(
            f"{len(rows)} pledge{'s' if len(rows) != 1 else ''} with a metric, each judged from the data on the quarter "
            f"its horizon ends in: {not_met} not met, {no_data} due with no figures loaded to show it."
        )
    )
    blocks.append(
        Table(
            key="pledges",
            caption="Pledges with their status from the data",
            columns=("Pledge", "By", "Area", "Metric", "Status", "From the data"),
            rows=tuple(rows),
            widths=(2.6, 0.7, 1.1, 1.9, 1.1, 3.4),
        )
    )
    return blocks, facts


def recommendations_blocks(con, today: date) -> tuple[list[Block], dict[str, int]]:
    frame = recommendations_table(con, today)
    frame = frame[~frame["status"].isin(DONE_STATUSES)]
    pressing = frame[frame["deadline_status"].isin(["overdue", "due within 90 days"])]
    later = frame[~frame["deadline_status"].isin(["overdue", "due within 90 days"])]
    counts = {
        "overdue": int((frame["deadline_status"] == "overdue").sum()),
        "due soon": int((frame["deadline_status"] == "due within 90 days").sum()),
        "later": len(later),
    }
    blocks: list[Block] = [Subheading("HMICFRS recommendations")]
    if frame.empty:
        return [*blocks, Paragraph("No open HMICFRS recommendations.")], counts
    reports = "; ".join(
        f"“{r}”" + (f", published {day_text(p)}" if as_date(p) else "")
        for r, p in dict(zip(frame["report"], frame["report_published"], strict=True)).items()
    )
    blocks.append(
        Paragraph(
            f"From {reports}. As at {today:%-d %b %Y}: {counts['overdue']} overdue and {counts['due soon']} due within "
            f"90 days. Deadlines are shown as written in the minutes and as the date they resolve to; "
            f"{APPROXIMATE_NOTE}"
        )
    )
    if not pressing.empty:
        rows = tuple(
            (
                str(r["number"]),
                as_text(r["subject"]),
                as_text(r["deadline_text"]) or "–",
                deadline_date_text(r["deadline_date"], r["deadline_approximate"], r["deadline_text"]),
                status_label(r["deadline_status"], r["days_left"]).replace("⏳ ", ""),
                as_text(r["status"]),
                as_text(r["force_response"]) or "–",
            )
            for r in pressing.sort_values("deadline_date").to_dict("records")
        )
        blocks.append(
            Table(
                key="recommendations",
                caption="Recommendations overdue or due within 90 days",
                columns=("No.", "Subject", "Deadline as written", "Date", "Deadline", "Status", "The force's plan"),
                rows=rows,
                widths=(0.45, 2.0, 1.3, 1.0, 1.3, 0.9, 3.6),
            )
        )
    if not later.empty:
        items = "; ".join(
            f"{r['number']}. {as_text(r['subject'])} "
            f"({deadline_label(r['deadline_date'], r['deadline_approximate'], as_text(r['deadline_text']))}, "
            f"{status_label(r['deadline_status'], r['days_left']).replace('⏳ ', '').replace('○ ', '').lower()})"
            for r in later.sort_values("deadline_date").to_dict("records")
        )
        blocks.append(Paragraph(f"Also open, due later: {items}."))
    return blocks, counts


def _last_meeting_with_minutes(con, meeting: dict) -> dict | None:
    """The latest meeting held on or before this one (this one, once its minutes are in)."""
    held = as_date(meeting["held_on"])
    past = [r for r in meetings(con) if r["status"] == "held" and as_date(r["held_on"]) <= held]
    return max(past, key=lambda r: as_date(r["held_on"])) if past else None


def claims_blocks(con, ds: Dataset, meeting: dict) -> tuple[list[Block], list[ClaimFact]]:
    last = _last_meeting_with_minutes(con, meeting)
    if last is None:
        return [Subheading("Figures quoted at the last meeting"), Paragraph("No earlier meeting is recorded.")], []
    said_on = as_date(last["held_on"])
    frame = queries.frame(con, "claims")
    frame = frame[frame["meeting_id"] == last["id"]]
    heading = Subheading(f"Figures quoted at the meeting of {said_on:%-d %b %Y}, checked against the data")
    if frame.empty:
        return [heading, Paragraph("No figures quoted at that meeting are recorded.")], []
    rows, facts = [], []
    for claim in frame.to_dict("records"):
        check = check_claim(ds, claim)
        facts.append(
            ClaimFact(
                text=as_text(claim["text"]),
                speaker=as_text(claim["speaker"]),
                said_on=said_on,
                area_name=as_text(claim["area_name"]),
                metric_name=as_text(claim["metric_name"]),
                quarter=as_text(claim["quarter"]),
                verdict=check.verdict,
                stated_text=check.stated_text,
                data_text=check.data_text,
            )
        )
        rows.append(
            (
                as_text(claim["text"]),
                as_text(claim["speaker"]),
                f"{as_text(claim['area_name'])}, {claim['quarter']}",
                check.stated_text,
                check.data_text,
                check.label,
            )
        )
    return [
        heading,
        Table(
            key="claims",
            caption="Figures quoted, recomputed from the data for their area, period and comparison",
            columns=("As stated", "By", "Area, quarter", "Stated", "The data give", "Verdict"),
            rows=tuple(rows),
            widths=(4.2, 1.0, 1.6, 0.9, 1.0, 1.2),
        ),
    ], facts
