"""The geography of the national comparison, built once from the shipped ONS files (``data/reference/ons/``).

- An LSOA (2021) lies in one local authority district (LAD, 2022): ``lsoa21-ward22-lad22-lookup-ew.csv``.
- A LAD lies in a Community Safety Partnership (CSP, 2019) and a police force area (PFA):
  ``lad19-csp19-pfa19-lookup-ew.csv``. Two LADs map to several CSPs (East Suffolk to 2; Bournemouth, Christchurch
  and Poole to 3): such a LAD is compared as a whole, as the **unit** itself, because its population is known only
  as a whole. Three 2022 LADs are not in the 2019 lookup (Buckinghamshire, North and West Northamptonshire): each
  is one unit of its own, in the force given by ``lad22-not-in-lad19-csp-lookup.csv``. Every other unit is a CSP.
- A unit's population is the sum of its LADs' Census 2021 usual residents (``census2021-ts007-ltla.csv``); a
  force's is the sum of its units'.
- police.uk names a force by the slug in its file names (``2024-01-west-mercia-street.csv``);
  ``data/reference/police_uk_forces.csv`` gives each slug its name and PFA. British Transport Police and the
  Police Service of Northern Ireland have no PFA in England and Wales: shown apart, never ranked.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from assurance.core.paths import DATA_DIR

REFERENCE = DATA_DIR / "reference"
ONS = REFERENCE / "ons"
LSOA_LOOKUP = ONS / "lsoa21-ward22-lad22-lookup-ew.csv"
CSP_LOOKUP = ONS / "lad19-csp19-pfa19-lookup-ew.csv"
LADS_NOT_IN_CSP_LOOKUP = ONS / "lad22-not-in-lad19-csp-lookup.csv"
POPULATION = ONS / "census2021-ts007-ltla.csv"
FORCES = REFERENCE / "police_uk_forces.csv"
POPULATION_COLUMN = "Age: Total; measures: Value"
POPULATION_NOTE = "Census 2021 usual residents (ONS, TS007)"
# Where a police.uk row lies: in an area of its own force, or counted to the force only (and why).
PLACED, NO_LOCATION, OUTSIDE_FORCE, UNKNOWN_LSOA, FORCE_WITHOUT_AREA = (
    "placed", "no_location", "outside_force", "unknown_lsoa", "force_without_area",
)  # fmt: skip


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    pfa_code: str | None
    pfa_name: str | None
    territorial: bool
    note: str = ""


@dataclass(frozen=True)
class Unit:
    """A CSP, or a LAD compared as a whole: the level below the force."""

    code: str
    name: str
    kind: str  # 'csp' or 'lad'
    pfa_code: str
    lads: tuple[str, ...]
    population: int


@dataclass(frozen=True, eq=False)
class Geography:
    lsoa_codes: pa.Array  # every 2021 LSOA in England and Wales
    lsoa_lad_position: np.ndarray  # each one's district, as a position in sorted(lad_names)
    lad_names: dict[str, str]
    lad_population: dict[str, int]
    lad_unit: dict[str, str]
    lad_pfa: dict[str, str]
    units: dict[str, Unit]
    forces: dict[str, Force]
    pfa_population: dict[str, int] = field(default_factory=dict)

    @cached_property
    def lads(self) -> list[str]:
        return sorted(self.lad_names)

    @cached_property
    def lad_of_lsoa(self) -> dict[str, int]:
        """LSOA code -> its district's position in ``lads``: one dict, built once, looked up once per distinct code."""
        return dict(zip(self.lsoa_codes.to_pylist(), self.lsoa_lad_position.tolist(), strict=True))

    def slots(self, codes: pa.Array, pfa: str | None) -> tuple[np.ndarray, list[tuple[str | None, str]]]:
        """Where each LSOA code lies for a force: a slot number per code, and the slots as (district, where).

        Each distinct code of a file is placed once (a file's few thousand, not its rows): a code in the lookup lies
        in its district, in the force's own area or outside it (every district, for a force without an area); a
        blank code has no location; any other code is unknown.
        """
        lads, lookup = self.lads, self.lad_of_lsoa
        texts = codes.to_pylist()
        lad = np.fromiter((lookup.get(code, -1) for code in texts), dtype=np.int64, count=len(texts))
        blank = np.fromiter((not code for code in texts), dtype=bool, count=len(texts))
        own = np.array([self.lad_pfa.get(x) == pfa for x in lads]) if pfa else np.zeros(len(lads), dtype=bool)
        where = np.where(blank, 1, np.where(lad < 0, 3, np.where(own[np.maximum(lad, 0)], 0, 2 if pfa else 4)))
        names = (PLACED, NO_LOCATION, OUTSIDE_FORCE, UNKNOWN_LSOA, FORCE_WITHOUT_AREA)
        keys, slot = np.unique((lad + 1) * len(names) + where, return_inverse=True)  # one number per (district, where)
        slots = [(lads[k // len(names) - 1] if k >= len(names) else None, names[k % len(names)]) for k in keys.tolist()]
        return slot.reshape(-1).astype(np.int64), slots

    def force_population(self, slug: str) -> int | None:
        force = self.forces.get(slug)
        return self.pfa_population.get(force.pfa_code) if force and force.pfa_code else None

    @property
    def territorial(self) -> list[Force]:
        return [f for f in self.forces.values() if f.territorial]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


@cache
def geography() -> Geography:
    """The shipped lookups, joined once per process (about 0.1 s)."""
    lookup = pacsv.read_csv(
        LSOA_LOOKUP,
        convert_options=pacsv.ConvertOptions(
            include_columns=["LSOA21CD", "LAD22CD", "LAD22NM"], column_types={"LSOA21CD": pa.string()}
        ),
    )
    lad_names = dict(
        zip(lookup["LAD22CD"].to_pylist(), lookup["LAD22NM"].to_pylist(), strict=True)
    )  # 35,672 rows, 331 districts
    lads = sorted(lad_names)
    lsoa_lad_position = pc.index_in(lookup["LAD22CD"], value_set=pa.array(lads)).to_numpy(zero_copy_only=False)
    lad_population = {row["geography code"]: int(row[POPULATION_COLUMN]) for row in _rows(POPULATION)}

    csps_of: dict[str, list[tuple[str, str, str]]] = {}
    for row in _rows(CSP_LOOKUP):
        if row["LAD19CD"] in lad_names:  # districts abolished since 2019 have no 2021 LSOAs
            csps_of.setdefault(row["LAD19CD"], []).append((row["CSP19CD"], row["CSP19NM"], row["PFA19CD"]))
    lad_unit: dict[str, str] = {}
    lad_pfa: dict[str, str] = {}
    members: dict[str, dict] = {}
    for lad, csps in csps_of.items():
        pfa = csps[0][2]
        lad_pfa[lad] = pfa
        if len(csps) == 1:
            code, name = csps[0][0], csps[0][1]
            kind = "csp"
        else:  # one LAD in several CSPs: the LAD is the unit
            code, name, kind = lad, lad_names[lad], "lad"
        lad_unit[lad] = code
        members.setdefault(code, {"name": name, "kind": kind, "pfa": pfa, "lads": []})["lads"].append(lad)
    for row in _rows(LADS_NOT_IN_CSP_LOOKUP):
        lad = row["LAD22CD"]
        lad_unit[lad], lad_pfa[lad] = lad, row["PFA19CD"]
        members[lad] = {"name": row["LAD22NM"], "kind": "lad", "pfa": row["PFA19CD"], "lads": [lad]}
    missing = sorted(set(lad_names) - set(lad_unit))
    if missing:
        raise ValueError(f"{CSP_LOOKUP.name}: districts with no CSP or force: {', '.join(missing)}")
    units = {
        code: Unit(
            code, m["name"], m["kind"], m["pfa"], tuple(sorted(m["lads"])), sum(lad_population[x] for x in m["lads"])
        )
        for code, m in members.items()
    }
    pfa_population: dict[str, int] = {}
    for unit in units.values():
        pfa_population[unit.pfa_code] = pfa_population.get(unit.pfa_code, 0) + unit.population
    forces = {
        row["slug"]: Force(
            row["slug"],
            row["name"],
            row["pfa_code"] or None,
            row["pfa_name"] or None,
            _flag(row["territorial"]),
            row["note"],
        )  # fmt: skip
        for row in _rows(FORCES)
    }
    return Geography(
        lookup["LSOA21CD"].combine_chunks(), lsoa_lad_position.astype(np.int64), lad_names, lad_population, lad_unit,
        lad_pfa, units, forces, pfa_population,
    )  # fmt: skip
