"""What the national comparison shows: each force and unit for a quarter and crime type, per 1,000 residents,
placed against the funnel, with the positive-outcome proxy and the still-open share beside it.

Definitions (docs/national.md says them in full; the page says them in short):
- recorded crimes: street-level rows whose crime type is not anti-social behaviour;
- a force's figure: every row of its own file; a unit's: the force's rows whose LSOA lies in that unit;
- per 1,000: recorded crimes / Census 2021 usual residents x 1,000;
- the national rate for the funnel: the territorial forces with all three months of the quarter, their crimes
  over their residents (the forces missing from the data are missing from it too, and the page says so);
- a quarter with fewer than three months loaded is partial: shown as such, never ranked or placed on a funnel.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from assurance.core.funnel import position, share_position
from assurance.sources.national.outcomes import ALL_CRIME
from assurance.store import queries

FULL_QUARTER = 3
POSITION_WORDS = {
    "within": "Within the limits",
    "above 95%": "Above the 95% limit",
    "above 99.8%": "Above the 99.8% limit",
    "below 95%": "Below the 95% limit",
    "below 99.8%": "Below the 99.8% limit",
}
UNPLACED_WORDS = {
    "no_location": "no location (no LSOA)",
    "outside_force": "an LSOA outside the force's area",
    "unknown_lsoa": "an LSOA code not in the ONS lookup",
    "force_without_area": "a force with no area of its own (BTP, PSNI)",
}


@dataclass(frozen=True)
class Comparison:
    """One level (forces or units) for a quarter and crime type, ready to draw."""

    quarter: str
    crime_type: str
    level: str  # 'force' or 'unit'
    # code, name, force, force_name, crimes, population, per_1000, proxy, still_open, full, rank, position,
    # proxy_rank, proxy_position
    table: pd.DataFrame
    national_rate: float | None  # per 1,000, over the full territorial areas
    national_proxy: float | None  # per cent of their recorded crimes

    @property
    def ranked(self) -> pd.DataFrame:
        """The areas that can be ranked: territorial, with a population and all three months; highest rate first."""
        return self.table[self.table["rank"].notna()].sort_values(["rank", "name"])

    @property
    def ranked_by_proxy(self) -> pd.DataFrame:
        """The same areas, highest positive-outcome proxy first."""
        return self.table[self.table["proxy_rank"].notna()].sort_values(["proxy_rank", "name"])


def quarters(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Quarters holding national data, latest first: quarter, full_forces, forces, most_months."""
    return queries.frame(con, "national_quarters")


def _shaped(frame: pd.DataFrame, code: str, name: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "code": frame[code].astype(str),
            "name": frame[name].astype(str),
            "force": frame["force"].astype(str),
            "force_name": frame["force_name"].astype(str),
            "crimes": frame["recorded_crimes"].astype("int64"),
            "positive": frame["positive"].astype("int64"),
            "still_open_count": frame["still_open"].astype("int64"),
            "population": frame["population"].astype("Float64"),
            "months_loaded": frame["months_loaded"].astype("int64"),
            "months": frame["months"].astype(str),
        }
    )
    out["full"] = out["months_loaded"] == FULL_QUARTER
    out["per_1000"] = (out["crimes"] / out["population"] * 1000.0).where(out["population"].notna() & out["full"])
    out["proxy"] = (out["positive"] / out["crimes"] * 100.0).where(out["crimes"] > 0)
    out["still_open"] = (out["still_open_count"] / out["crimes"] * 100.0).where(out["crimes"] > 0)
    return out


def _placed(out: pd.DataFrame, rankable: pd.Series) -> tuple[pd.DataFrame, float | None, float | None]:
    """Ranks (1 = highest) and funnel positions of the rankable areas, for the rate and for the proxy; the national
    rate and proxy they make."""
    chosen = out[rankable & (out["crimes"] > 0)]
    if chosen.empty:
        for column in ("rank", "position", "proxy_rank", "proxy_position"):
            out[column] = None
        return out, None, None
    national = float(chosen["crimes"].sum() / chosen["population"].sum() * 1000.0)
    national_proxy = float(chosen["positive"].sum() / chosen["crimes"].sum() * 100.0)
    ok = rankable & (out["crimes"] > 0)
    out["rank"] = out["per_1000"].where(ok).rank(ascending=False, method="min").astype("Int64")
    out["proxy_rank"] = out["proxy"].where(ok).rank(ascending=False, method="min").astype("Int64")
    out["position"] = [
        position(c, float(p), national) if good else None
        for c, p, good in zip(out["crimes"], out["population"], ok, strict=True)
    ]
    out["proxy_position"] = [
        share_position(int(pos), int(c), national_proxy) if good else None
        for pos, c, good in zip(out["positive"], out["crimes"], ok, strict=True)
    ]
    return out, national, national_proxy


def forces(con: duckdb.DuckDBPyConnection, quarter: str, crime_type: str = ALL_CRIME) -> Comparison:
    """Every force with data for the quarter; territorial forces with a full quarter are ranked and placed."""
    frame = queries.frame(con, "national_force_quarter", quarter=quarter, crime_type=crime_type)
    out = _shaped(frame, "force", "force_name")
    territorial = frame["territorial"].astype(bool).to_numpy()
    out["territorial"] = territorial
    out, national, proxy = _placed(out, out["full"] & out["territorial"] & out["population"].notna())
    return Comparison(quarter, crime_type, "force", out.reset_index(drop=True), national, proxy)


def units(con: duckdb.DuckDBPyConnection, quarter: str, crime_type: str = ALL_CRIME) -> Comparison:
    """Every unit (CSP, or district compared whole) with data for the quarter; those of full forces are ranked."""
    frame = queries.frame(con, "national_unit_quarter", quarter=quarter, crime_type=crime_type)
    out = _shaped(frame, "unit", "unit_name")
    out["kind"] = frame["unit_kind"].astype(str).to_numpy()
    out["territorial"] = True
    out, national, proxy = _placed(out, out["full"])
    return Comparison(quarter, crime_type, "unit", out.reset_index(drop=True), national, proxy)


def missing_forces(con: duckdb.DuckDBPyConnection, quarter: str) -> list[str]:
    """Territorial forces with no data for the quarter, by name: 'all forces' means all forces present."""
    present = set(queries.frame(con, "national_force_quarter", quarter=quarter, crime_type=ALL_CRIME)["force"])
    listed = queries.frame(con, "police_force_list")
    return sorted(listed.loc[listed["territorial"] & ~listed["slug"].isin(present), "name"].tolist())


def unplaced(con: duckdb.DuckDBPyConnection, quarter: str) -> pd.DataFrame:
    """Recorded crimes counted to a force but to no unit, by force and reason (in words)."""
    frame = queries.frame(con, "national_unplaced", quarter=quarter)
    frame["reason"] = frame["place"].map(UNPLACED_WORDS)
    frame["crimes"] = frame["crimes"].astype("int64")
    return frame[["force", "reason", "crimes"]]


def unit_of_districts(con: duckdb.DuckDBPyConnection, district_names: list[str]) -> str | None:
    """The unit whose districts are exactly these (by name): how an LPA of data/areas.csv finds its CSP."""
    frame = queries.frame(con, "unit_districts")
    wanted = {name.strip() for name in district_names}
    for unit, part in frame.groupby("unit"):
        if set(part["lad_name"]) == wanted:
            return str(unit)
    return None


EXPORT_COLUMNS = [
    "quarter", "level", "force", "area_code", "area_name", "crime_type", "recorded_crimes", "population", "per_1000",
    "positive_outcome_proxy", "still_open", "months_loaded",
]  # fmt: skip


def export_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The national export (docs/national-export.md): one row per quarter x level x area x crime type."""
    frame = queries.frame(con, "national_export")
    crimes = frame["recorded_crimes"].astype("int64")
    population = frame["population"].astype("Float64")
    full = frame["months_loaded"].astype("int64") == FULL_QUARTER
    out = pd.DataFrame(
        {
            "quarter": frame["quarter"],
            "level": frame["level"],
            "force": frame["force"],
            "area_code": frame["area_code"],
            "area_name": frame["area_name"],
            "crime_type": frame["crime_type"],
            "recorded_crimes": crimes,
            "population": population.astype("Int64"),
            "per_1000": (crimes / population * 1000.0).where(full & population.notna()).round(3),
            "positive_outcome_proxy": (frame["positive"] / crimes * 100.0).where(crimes > 0).round(2),
            "still_open": (frame["still_open"] / crimes * 100.0).where(crimes > 0).round(2),
            "months_loaded": frame["months_loaded"].astype("int64"),
        }
    )
    return out[EXPORT_COLUMNS]
