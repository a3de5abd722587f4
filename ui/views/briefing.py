"""The Briefing page's view: the meetings to choose from, and a meeting's briefing with its preview tables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from assurance.products.briefing.content import build_briefing, meetings
from assurance.products.briefing.model import Briefing, Chart, Table
from assurance.products.briefing.render import render_html
from ui import session
from ui.shared import Version, frozen_figure, shared
from ui.text import literal


@dataclass(frozen=True)
class Preview:
    briefing: Briefing
    fingerprint: str  # of the content: built files belong to exactly this content
    cover: pd.DataFrame  # the cover's details, escaped for st.table
    tables: dict  # (section index, block index): that Table block's frame, escaped for st.table


@shared(max_entries=8)
def meeting_rows(version: Version) -> tuple[dict, ...]:
    """Every meeting, latest first (read-only rows)."""
    return tuple(meetings(session.connection()))


@shared(max_entries=16)
def preview(version: Version, meeting_id: str, focus: str, today: date) -> Preview:
    """The briefing for a meeting and focus LPA as at today; raises BriefingError when it cannot be built."""
    meeting = next(row for row in meeting_rows(version) if row["id"] == meeting_id)
    built = build_briefing(session.connection(), meeting, focus=focus, today=today, ds=session.dataset())
    cover = built.cover
    for section in built.sections:
        for block in section.blocks:
            if isinstance(block, Chart):
                frozen_figure(block.figure)  # drawn on the page in every session; the PDF reads it as it is
    tables = {
        (i, j): literal(block.frame())
        for i, section in enumerate(built.sections)
        for j, block in enumerate(section.blocks)
        if isinstance(block, Table)
    }
    return Preview(
        briefing=built,
        fingerprint=hashlib.sha256(render_html(built).encode("utf-8")).hexdigest(),
        cover=literal(pd.DataFrame({"About": [k for k, _ in cover.details], "Detail": [v for _, v in cover.details]})),
        tables=tables,
    )
