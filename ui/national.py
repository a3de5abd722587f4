"""The national comparison for the page: computed once per data version and shared by every session.

Every result is shared (``ui.shared``: one copy for all sessions) under the data version the page reads once per
run (``version()``: the database file and its data version, which every committed write raises), so it is never
stale after an import, an undo or saved peers, and never another file's; each cache is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assurance.domain.national import figures
from assurance.domain.national.figures import POSITION_WORDS
from assurance.domain.national.peers import PeerGroup, peer_group
from ui import session
from ui.shared import Version, frozen_figure, shared, version

__all__ = [
    "Forces", "Units", "comparison", "figure", "forces", "lpa_units", "peers", "quarters", "units", "unplaced", "version",
]  # fmt: skip


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


@dataclass(frozen=True)
class Forces:
    """The forces for a quarter and crime type, as the page shows them."""

    comparison: figures.Comparison
    names: dict  # code: name of each territorial force with residents, in the comparison's order
    notes: tuple[str, ...]  # forces missing, partial or shown apart, in words
    table: pd.DataFrame  # the Table tab: every force by rank


@shared(max_entries=32)
def forces(version: Version, quarter: str, crime_type: str, what: str) -> Forces:
    """Every force's figures, ranks and funnel positions, with the notes about those missing or apart."""
    chosen = comparison(version, "force", quarter, crime_type)
    table = chosen.table
    territorial = table[table["territorial"] & table["population"].notna()]
    notes = []
    if missing := figures.missing_forces(session.connection(), quarter):
        notes.append(
            f"Not in the data for {quarter}: {', '.join(missing)}. Every total and ranking here is of the "
            f"{len(chosen.ranked)} territorial forces present, not all 43."
        )
    partial = table[~table["full"]]
    if not partial.empty:
        notes.append(
            "Partial quarter, not ranked: "
            + "; ".join(f"{r.name} ({r.months_loaded} of 3 months)" for r in partial.itertuples())
            + "."
        )
    for row in table[~table["territorial"]].itertuples():
        notes.append(f"{row.name}: {row.crimes:,} crimes, shown apart (no resident population or area of its own).")
    shown = table.sort_values(["rank", "name"], na_position="last")
    return Forces(
        comparison=chosen,
        names=dict(zip(territorial["code"], territorial["name"], strict=True)),
        notes=tuple(notes),
        table=pd.DataFrame(
            {
                "Rank": shown["rank"].astype("Int64"),
                "Force": shown["name"],
                what.capitalize(): shown["crimes"],
                "Residents": shown["population"].astype("Int64"),
                "Per 1,000": shown["per_1000"].round(1),
                "Against the funnel": shown["position"].map(POSITION_WORDS),
                "Proxy (%)": shown["proxy"].round(1),
                "Still open (%)": shown["still_open"].round(1),
                "Months": shown["months_loaded"],
            }
        ),
    )


@dataclass(frozen=True)
class Units:
    """A West Mercia LPA's CSP among every CSP, for a quarter and crime type."""

    comparison: figures.Comparison
    unit: str | None  # the LPA's CSP; None when it has no national data for the quarter
    names: dict  # code: name of every CSP in the comparison
    ranked_names: dict  # code: "name (force)" of every ranked CSP: the peers an editor may choose
    peers: PeerGroup | None
    peer_table: pd.DataFrame | None  # the CSP and its peers


@shared(max_entries=64)
def units(version: Version, quarter: str, crime_type: str, lpa: str) -> Units:
    """The LPA's CSP against every CSP of the forces with the whole quarter, and against its peers."""
    chosen = comparison(version, "unit", quarter, crime_type)
    table = chosen.table
    unit = lpa_units(version).get(lpa)
    if unit is None or unit not in set(table["code"]):
        return Units(chosen, None, {}, {}, None, None)
    ranked = chosen.ranked
    group = peers(version, "unit", quarter, crime_type, unit)
    indexed = table.set_index("code")
    rows = indexed.loc[[unit, *[p for p in group.members if p in indexed.index]]]
    peer_table = pd.DataFrame(
        {
            "CSP": [f"{n} (focus)" if c == unit else n for c, n in zip(rows.index, rows["name"], strict=True)],
            "Force": rows["force_name"],
            "Per 1,000": rows["per_1000"].round(1),
            "Against the funnel": rows["position"].map(POSITION_WORDS),
            "Proxy (%)": rows["proxy"].round(1),
            "Still open (%)": rows["still_open"].round(1),
        }
    )
    return Units(
        comparison=chosen,
        unit=unit,
        names=dict(zip(table["code"], table["name"], strict=True)),
        ranked_names=dict(zip(ranked["code"], ranked["name"] + " (" + ranked["force_name"] + ")", strict=True)),
        peers=group,
        peer_table=peer_table,
    )
