"""The briefing's national section: West Mercia and the focus LPA beside every force and CSP, from police.uk.

The same figures as the National page (``assurance.domain.national``): the latest quarter with West Mercia's whole
quarter loaded, its rank and place on the funnel per 1,000 residents, its peers, the positive-outcome proxy with
its still-open share (never called the positive outcome rate), and the forces missing from the data.
"""

from __future__ import annotations

import duckdb

from assurance.domain.national import figures
from assurance.domain.national.figures import POSITION_WORDS
from assurance.domain.national.peers import peer_group
from assurance.products.briefing.model import Block, Chart, Paragraph, Table
from assurance.products.charts.national import funnel
from assurance.sources.national.geography import POPULATION_NOTE
from assurance.sources.national.outcomes import PROXY_CAVEAT
from assurance.sources.reference import ONS_ATTRIBUTION, POLICE_UK_ATTRIBUTION

FORCE = "west-mercia"


def _latest_full_quarter(con: duckdb.DuckDBPyConnection) -> str | None:
    for row in figures.quarters(con).itertuples():
        table = figures.forces(con, row.quarter).table
        if ((table["code"] == FORCE) & table["full"]).any():
            return row.quarter
    return None


def _row(table, code: str, name: str | None = None) -> tuple[str, ...]:
    r = table.set_index("code").loc[code]
    rank = "–" if r["rank"] is None or str(r["rank"]) == "<NA>" else str(int(r["rank"]))
    return (
        name or str(r["name"]),
        f"{r['per_1000']:.1f}",
        rank,
        POSITION_WORDS.get(r["position"], "–"),
        f"{r['proxy']:.1f}%",
        f"{r['still_open']:.0f}%",
    )


def national_section(con: duckdb.DuckDBPyConnection, lpa_unit: str | None, lpa_name: str) -> list[Block]:
    """West Mercia among the forces and the focus LPA among the CSPs, for the latest full quarter; [] if none."""
    quarter = _latest_full_quarter(con)
    if quarter is None:
        return []
    forces = figures.forces(con, quarter)
    peers = peer_group(con, forces, FORCE)
    columns = ("Area", "Per 1,000", "Rank", "Against the funnel", "Proxy", "Still open")
    rows = [_row(forces.table, FORCE, "West Mercia Police (focus)")]
    rows += [_row(forces.table, code) for code in peers.members if code in set(forces.table["code"])]
    ranked = len(forces.ranked)
    missing = figures.missing_forces(con, quarter)
    blocks: list[Block] = [
        Paragraph(
            f"Recorded crime per 1,000 residents in {quarter}, from police.uk's street-level files ({POPULATION_NOTE}): "
            f"West Mercia ranks {rows[0][2]} of the {ranked} territorial forces present (1 = the highest rate); "
            f"all forces shown together: {forces.national_rate:.1f} per 1,000."
            + (f" Not in the data: {', '.join(missing)}." if missing else "")
        ),
        Table(
            key="national_forces",
            caption=f"West Mercia and its peers, {quarter}. Peers: {peers.basis}",
            columns=columns,
            rows=tuple(rows),
            widths=(2.8, 0.9, 0.7, 1.8, 0.8, 0.9),
            numeric=(1, 2, 4, 5),
        ),
        Chart(
            key="national_funnel",
            title=f"Forces per 1,000 residents against their population, {quarter}",
            alt=(
                f"A funnel plot of {ranked} forces' recorded crime per 1,000 residents against their population, "
                f"with 95% and 99.8% Poisson limits around {forces.national_rate:.1f}; West Mercia "
                f"{POSITION_WORDS.get(forces.table.set_index('code').loc[FORCE, 'position'], '').lower()}."
            ),
            figure=funnel(forces, FORCE, peers.members),
            caption="An area is unusual only outside the limits; a ranked list alone misleads for areas of "
            "different size.",
        ),
    ]
    units = figures.units(con, quarter)
    if lpa_unit and lpa_unit in set(units.ranked["code"]):
        unit_peers = peer_group(con, units, lpa_unit)
        unit_rows = [_row(units.table, lpa_unit, f"{lpa_name} (focus)")]
        unit_rows += [_row(units.table, code) for code in unit_peers.members if code in set(units.table["code"])]
        blocks.append(
            Table(
                key="national_csps",
                caption=f"{lpa_name} and its peer CSPs among {len(units.ranked)} CSPs, {quarter}. Peers: "
                f"{unit_peers.basis}",
                columns=columns,
                rows=tuple(unit_rows),
                widths=(2.8, 0.9, 0.7, 1.8, 0.8, 0.9),
                numeric=(1, 2, 4, 5),
            )
        )
    blocks.append(Paragraph("Proxy: not the positive outcome rate. " + PROXY_CAVEAT, kind="note"))
    blocks.append(Paragraph(POLICE_UK_ATTRIBUTION + " " + ONS_ATTRIBUTION, kind="note"))
    return blocks
