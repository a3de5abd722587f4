"""The national comparison for the page: computed once per data version and shared by every session.

Every result is shared (``ui.shared``: one copy for all sessions) under the data version the page reads once per
run (``version()``: the database file and its stamps), so it is never stale after an import, an undo or saved
peers, and never another file's; each cache is bounded.
"""

from __future__ import annotations

from assurance.domain.national import figures
from assurance.domain.national.peers import PeerGroup, peer_group
from ui import session
from ui.shared import Version, frozen_figure, shared, version

__all__ = ["comparison", "figure", "lpa_units", "missing_forces", "peers", "quarters", "unplaced", "version"]


@shared(max_entries=32)
def comparison(version: Version, level: str, quarter: str, crime_type: str) -> figures.Comparison:
    """Forces ('force') or units ('unit') for a quarter and crime type, with ranks and funnel positions."""
    reader = figures.forces if level == "force" else figures.units
    return reader(session.connection(), quarter, crime_type)


@shared(max_entries=8)
def quarters(version: Version):
    """Quarters holding national data, latest first, with how many forces have all three months."""
    return figures.quarters(session.connection())


@shared(max_entries=8)
def missing_forces(version: Version, quarter: str) -> list[str]:
    return figures.missing_forces(session.connection(), quarter)


@shared(max_entries=8)
def unplaced(version: Version, quarter: str):
    return figures.unplaced(session.connection(), quarter)


@shared(max_entries=32)
def peers(version: Version, level: str, quarter: str, crime_type: str, focus: str) -> PeerGroup:
    """The focus's saved peers, else the default for this comparison."""
    return peer_group(session.connection(), comparison(version, level, quarter, crime_type), focus)


@shared(max_entries=4)
def lpa_units(version: Version) -> dict[str, str]:
    """Each LPA's unit (for West Mercia, each LPA is a CSP), by LPA code."""
    con = session.connection()
    out = {}
    for row in session.dataset().lpas.itertuples():
        if unit := figures.unit_of_districts(con, str(row.districts).split(";")):
            out[row.code] = unit
    return out


@shared(max_entries=64)
def _figure(version: Version, draw: str, level: str, quarter: str, crime_type: str, focus, peers: tuple, measure: str):
    from assurance.products.charts.national import funnel, ski_slope

    chosen = comparison(version, level, quarter, crime_type)
    return frozen_figure((ski_slope if draw == "slope" else funnel)(chosen, focus, list(peers), measure=measure))


def figure(
    version: Version, draw: str, level: str, quarter: str, crime_type: str, focus, peers: list[str], measure="rate"
):
    """A ski slope ('slope') or funnel ('funnel') drawn once per data version, focus and peers, for every session."""
    return _figure(version, draw, level, quarter, crime_type, focus, tuple(peers), measure)
