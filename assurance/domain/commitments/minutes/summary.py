"""A proposal from minutes, summarised for the terminal (``python -m assurance minutes FILE``)."""

from __future__ import annotations

from datetime import date

from assurance.core.deadlines import action_deadline, deadline_label, pledge_deadline, read_deadline
from assurance.sources.minutes.model import LOOSE_DEADLINE_NOTE, Proposal


def describe(proposal: Proposal) -> str:
    """A readable summary of a proposal for the terminal."""
    m = proposal.meeting
    lines = [
        f"Meeting: {m.id or '(no date)'} — {m.title}",
        f"  held on {m.held_on or 'unknown'} {m.starts_at or ''} · kind {m.kind} · performance discussed "
        f"{m.quarter_discussed or 'unknown'}",
        f"  chair {m.chair or '–'} · minutes {m.minute_taker or '–'}",
        f"Attendees ({len(proposal.attendees)}):",
        *[f"  - {a.name} – {a.role} ({a.abbreviation}) [{a.organisation or '–'}]" for a in proposal.attendees],
        f"Agenda ({len(proposal.agenda)}):",
        *[f"  {i}. {a.title}" for i, a in enumerate(proposal.agenda, start=1)],
        f"Actions ({len(proposal.actions)}):",
        *[
            f"  {i}. [{a.owner or 'NO OWNER'}] {a.text}"
            + (
                f"\n     due: {_due(a.__dict__, m.held_on)}"
                + (f" ({a.due_meeting_quarter})" if a.due_meeting_quarter else "")
                if a.due_text
                else ""
            )
            for i, a in enumerate(proposal.actions, start=1)
        ],
        f"Recommendations ({len(proposal.recommendations)}):",
    ]
    for r in proposal.recommendations:
        found = read_deadline(r.deadline_text, m.held_on) if m.held_on else None
        lines.append(
            f"  {r.number}. {r.subject} — deadline {_label(found, r.deadline_text)} ({r.report or 'report unknown'})"
        )
    lines.append(f"Pledges ({len(proposal.pledges)}):")
    lines += [
        f"  - [{p.owner or '–'}] {p.text} → {p.area} {p.metric} {p.direction} over {p.horizon_months or '?'} months"
        + (
            f", by {_label(pledge_deadline(m.held_on, p.horizon_months), p.deadline_text)}"
            if m.held_on and p.horizon_months
            else ""
        )
        for p in proposal.pledges
    ]
    lines.append(f"Claims ({len(proposal.claims)}):")
    lines += [
        f"  - [{c.speaker or '–'}] {c.text} → {c.metric} {c.area} {c.quarter} {c.period} {c.comparison} "
        f"{c.stated_value:+g} (±{c.tolerance:g})"
        for c in proposal.claims
    ]
    if proposal.warnings:
        lines.append(f"Warnings ({len(proposal.warnings)}):")
        lines += [f"  ! {w}" for w in proposal.warnings]
    lines.append("Deadlines: " + LOOSE_DEADLINE_NOTE)
    return "\n".join(lines)


def _label(found, words: str | None) -> str:
    """'31 Jan 2025 (approx.) — “end of Jan 2025”', as the pages show it."""
    return deadline_label(found.day if found else None, found.approximate if found else False, words)


def _due(action: dict, held_on: date | None) -> str:
    if action.get("due_meeting_quarter") or held_on is None:
        return str(action.get("due_text"))
    return _label(action_deadline(action, held_on), action.get("due_text"))
