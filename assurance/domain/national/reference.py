"""The national comparison's reference tables, refreshed from the shipped files on every init and upgrade."""

from __future__ import annotations

from assurance.sources.national.geography import geography
from assurance.sources.national.outcomes import outcome_groups
from assurance.store.transaction import Tx


def load_national_reference(tx: Tx) -> None:
    """Forces, units (CSPs and districts compared whole), districts and outcome groups, replaced whole."""
    geo = geography()
    tx.execute("clear_police_forces")
    tx.executemany(
        "insert_police_force",
        [
            {
                "slug": f.slug,
                "name": f.name,
                "pfa_code": f.pfa_code,
                "pfa_name": f.pfa_name,
                "territorial": f.territorial,
                "population": geo.force_population(f.slug),
                "note": f.note or None,
            }  # fmt: skip
            for f in geo.forces.values()
        ],
    )
    tx.execute("clear_geo_units")
    tx.execute("clear_geo_lads")
    tx.executemany(
        "insert_geo_unit",
        [
            {"code": u.code, "name": u.name, "kind": u.kind, "pfa_code": u.pfa_code, "population": u.population}
            for u in geo.units.values()
        ],
    )
    tx.executemany(
        "insert_geo_lad",
        [
            {
                "code": lad,
                "name": name,
                "unit": geo.lad_unit[lad],
                "pfa_code": geo.lad_pfa[lad],
                "population": geo.lad_population[lad],
            }  # fmt: skip
            for lad, name in geo.lad_names.items()
        ],
    )
    tx.execute("clear_outcome_groups")
    tx.executemany("insert_outcome_group", [{"category": c, "outcome_group": g} for c, g in outcome_groups().items()])
