"""Shared pieces several views use: the commitments drawn as markers, and the notes over the figures."""

from __future__ import annotations

from assurance.domain.commitments.markers import Commitments, load_commitments
from ui import session, style
from ui.shared import Version, shared


@shared(max_entries=4)
def commitments(version: Version) -> Commitments:
    """Actions, pledges, figures quoted and meetings, read once per version for every chart's markers."""
    return load_commitments(session.connection())


@shared(max_entries=64)
def banners(version: Version, quarter: str | None) -> tuple[tuple[str, str], ...]:
    """(note, icon) for the illustrative and the police.uk figures of the quarter (``style.show_banners`` draws them)."""
    return style.banner_notes(session.dataset(), quarter)
