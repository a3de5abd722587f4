"""The national comparison's definitions, on real police.uk excerpts (tests/fixtures/police_uk_national/) and the
shipped ONS lookups: what a crime is, where a row counts, per 1,000, the proxy, partial quarters, BTP, split
districts; and that West Mercia's CSP figures from the national import agree with the single-force import."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from assurance.domain.national import figures
from assurance.domain.national.load import load_national, undo_national
from assurance.domain.setup import init_database
from assurance.sources import read_files
from assurance.sources.national.archive import read_national
from assurance.sources.national.geography import POPULATION, POPULATION_COLUMN, geography
from assurance.sources.national.outcomes import outcome_groups, positive_categories
from assurance.store.connection import connect
from tests.support import FIXTURES, STREET_FILES

NATIONAL = FIXTURES / "police_uk_national"
TODAY = date(2026, 12, 6)
Q4 = "2023/24 Q4"


def rows_of(force: str, months=("01", "02", "03")) -> list[dict]:
    out = []
    for month in months:
        with open(NATIONAL / f"2024-{month}-{force}-street.csv", encoding="utf-8", newline="") as handle:
            out += list(csv.DictReader(handle))
    return out


def lad_of(code: str) -> str | None:
    geo = geography()
    codes = geo.lsoa_codes.to_pylist()
    return geo.lads[geo.lsoa_lad_position[codes.index(code)]] if code in codes else None


@pytest.fixture(scope="module")
def national_db(tmp_path_factory) -> Path:
    """A fresh database with the excerpts of four forces for the whole quarter loaded."""
    path = tmp_path_factory.mktemp("national") / "national.duckdb"
    init_database(path)
    con = connect(path)
    try:
        load_national(con, read_national([NATIONAL], today=TODAY), by="tester")
    finally:
        con.close()
    return path


@pytest.fixture()
def con(national_db):
    connection = connect(national_db, read_only=True)
    yield connection
    connection.close()


# --------------------------------------------------------------------------------------------- the geography


@pytest.mark.parametrize(
    ("lad", "unit", "kind", "force_area"),
    [
        ("E06000051", "E22000360", "csp", "E23000016"),  # Shropshire: a CSP of its own, West Mercia
        ("E07000234", "E22000368", "csp", "E23000016"),  # Bromsgrove: one of North Worcestershire's three
        ("E07000244", "E07000244", "lad", "E23000025"),  # East Suffolk: in two CSPs, compared whole
        ("E06000058", "E06000058", "lad", "E23000039"),  # Bournemouth, Christchurch and Poole: in three CSPs
        ("E06000059", "E22000367", "csp", "E23000039"),  # Dorset: the CSP, without BCP's part
        ("E06000060", "E06000060", "lad", "E23000029"),  # Buckinghamshire: not in the 2019 lookup
        ("E06000061", "E06000061", "lad", "E23000022"),  # North Northamptonshire: likewise
    ],
)
def test_each_district_lies_in_one_unit_of_one_force(lad, unit, kind, force_area):
    geo = geography()
    assert geo.lad_unit[lad] == unit
    assert geo.units[unit].kind == kind
    assert geo.units[unit].pfa_code == force_area


def test_populations_are_census_2021_districts_added_up():
    with open(POPULATION, encoding="utf-8", newline="") as handle:
        census = {row["geography code"]: int(row[POPULATION_COLUMN]) for row in csv.DictReader(handle)}
    geo = geography()
    west_mercia = ["E06000019", "E06000020", "E06000051"] + [f"E0700023{i}" for i in range(4, 10)]
    assert geo.force_population("west-mercia") == sum(census[lad] for lad in west_mercia) == 1_299_843
    assert geo.units["E22000368"].population == census["E07000234"] + census["E07000236"] + census["E07000239"]
    assert sum(u.population for u in geo.units.values()) == sum(census.values()) == 59_597_608
    assert geo.force_population("btp") is None and geo.force_population("northern-ireland") is None
    assert len([f for f in geo.forces.values() if f.territorial]) == 43


# --------------------------------------------------------------------------------------------- the outcome table


@pytest.mark.parametrize(
    ("category", "group"),
    [
        ("Awaiting court outcome", "charge_or_summons"),
        ("Suspect charged as part of another case", "charge_or_summons"),
        ("Court result unavailable", "charge_or_summons"),
        ("Offender given a caution", "out_of_court"),
        ("Offender given penalty notice", "out_of_court"),
        ("Offender given a drugs possession warning", "out_of_court"),
        ("Local resolution", "out_of_court"),
        ("Under investigation", "still_open"),
        ("", "still_open"),
        ("Investigation complete; no suspect identified", "closed_other"),
        ("Unable to prosecute suspect", "closed_other"),
        ("Action to be taken by another organisation", "closed_other"),
        ("Status update unavailable", "closed_other"),
    ],
)
def test_each_outcome_category_has_one_group(category, group):
    assert outcome_groups()[category] == group


def test_the_proxy_counts_charges_summonses_and_out_of_court_disposals_only():
    positive = positive_categories()
    assert "Local resolution" in positive and "Awaiting court outcome" in positive
    assert "Under investigation" not in positive and "Unable to prosecute suspect" not in positive


# --------------------------------------------------------------------------------------------- the definitions


def crimes(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["Crime type"] != "Anti-social behaviour"]


def test_a_force_figure_is_every_crime_in_its_file_and_asb_is_not_a_crime(con):
    table = figures.forces(con, Q4).table.set_index("code")
    for force in ("suffolk", "dorset", "btp", "thames-valley"):
        rows = rows_of(force)
        assert table.loc[force, "crimes"] == len(crimes(rows)), force
    asb = [r for r in rows_of("dorset") if r["Crime type"] == "Anti-social behaviour"]
    assert asb, "the Dorset excerpt holds anti-social behaviour rows, and they are not counted"


def test_a_unit_figure_is_the_forces_crimes_in_that_unit(con):
    table = figures.units(con, Q4).table.set_index("code")
    suffolk = crimes(rows_of("suffolk"))
    by_lad = Counter(lad_of(r["LSOA code"]) for r in suffolk)
    assert table.loc["E07000244", "crimes"] == by_lad["E07000244"]  # East Suffolk, compared whole
    assert table.loc["E07000244", "kind"] == "lad"
    assert table.loc["E22000273", "crimes"] == by_lad["E07000202"]  # Ipswich CSP = Ipswich district
    dorset = Counter(lad_of(r["LSOA code"]) for r in crimes(rows_of("dorset")))
    assert table.loc["E06000058", "crimes"] == dorset["E06000058"]  # Bournemouth, Christchurch and Poole
    assert table.loc["E22000367", "crimes"] == dorset["E06000059"]  # Dorset CSP: without BCP's part
    assert table.loc["E06000060", "name"] == "Buckinghamshire"


def test_rows_with_no_location_or_outside_the_forces_area_count_to_the_force_only(con):
    suffolk = crimes(rows_of("suffolk"))
    no_location = sum(1 for r in suffolk if not r["LSOA code"].strip())
    outside = sum(
        1 for r in suffolk if r["LSOA code"].strip() and lad_of(r["LSOA code"]) not in ("E07000244", "E07000202")
    )
    assert no_location and outside
    unplaced = figures.unplaced(con, Q4)
    suffolk_unplaced = dict(unplaced.loc[unplaced["force"] == "suffolk", ["reason", "crimes"]].values)
    assert suffolk_unplaced == {"no location (no LSOA)": no_location, "an LSOA outside the force's area": outside}
    units = figures.units(con, Q4).table
    force = figures.forces(con, Q4).table.set_index("code")
    assert (
        units.loc[units["force"] == "suffolk", "crimes"].sum() + no_location + outside == force.loc["suffolk", "crimes"]
    )


def test_btp_is_shown_apart_never_ranked(con):
    table = figures.forces(con, Q4).table.set_index("code")
    assert not table.loc["btp", "territorial"]
    assert table.loc["btp", "crimes"] == len(crimes(rows_of("btp")))
    assert pd_na(table.loc["btp", "rank"]) and pd_na(table.loc["btp", "per_1000"])
    assert "btp" not in figures.forces(con, Q4).ranked["code"].tolist()
    assert figures.units(con, Q4).table["force"].eq("btp").sum() == 0


def pd_na(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def test_per_1000_uses_census_2021_residents_and_the_proxy_the_outcome_table(con):
    table = figures.forces(con, Q4).table.set_index("code")
    geo = geography()
    for force in ("suffolk", "dorset", "thames-valley"):
        rows = crimes(rows_of(force))
        assert table.loc[force, "per_1000"] == pytest.approx(len(rows) / geo.force_population(force) * 1000)
        positive = sum(
            1
            for r in rows
            if outcome_groups()[r["Last outcome category"].strip()] in ("charge_or_summons", "out_of_court")
        )
        still_open = sum(1 for r in rows if outcome_groups()[r["Last outcome category"].strip()] == "still_open")
        assert table.loc[force, "proxy"] == pytest.approx(positive / len(rows) * 100)
        assert table.loc[force, "still_open"] == pytest.approx(still_open / len(rows) * 100)


def test_a_quarter_with_fewer_than_three_months_is_partial_never_ranked(tmp_path):
    path = tmp_path / "partial.duckdb"
    init_database(path)
    con = connect(path)
    try:
        files = sorted(NATIONAL.glob("2024-0[12]-*-street.csv"))
        load_national(con, read_national(files, today=TODAY), by="tester")
        comparison = figures.forces(con, Q4)
        assert set(comparison.table["months_loaded"]) == {2}
        assert comparison.ranked.empty and comparison.national_rate is None
        assert comparison.table["per_1000"].isna().all()
    finally:
        con.close()


def test_reimporting_a_month_replaces_it_and_undo_puts_it_back(tmp_path):
    path = tmp_path / "again.duckdb"
    init_database(path)
    con = connect(path)
    try:
        first = load_national(con, read_national([NATIONAL], today=TODAY), by="tester")
        assert load_national(con, read_national([NATIONAL], today=TODAY), by="tester").status == "already_loaded"
        fewer = tmp_path / "2024-01-suffolk-street.csv"
        lines = (NATIONAL / fewer.name).read_bytes().split(b"\n")
        fewer.write_bytes(b"\n".join(lines[:6]) + b"\n")  # the header and five crimes
        second = load_national(con, read_national([fewer], today=TODAY), by="tester")
        assert second.status == "loaded" and second.replaced > 0
        table = figures.forces(con, Q4).table.set_index("code")
        expected = len(crimes(rows_of("suffolk", ("02", "03")))) + len(
            crimes(list(csv.DictReader(open(fewer, encoding="utf-8"))))
        )
        assert table.loc["suffolk", "crimes"] == expected
        undo_national(con, second.load_id, by="tester")
        assert figures.forces(con, Q4).table.set_index("code").loc["suffolk", "crimes"] == len(
            crimes(rows_of("suffolk"))
        )
        assert first.load_id is not None
    finally:
        con.close()


def test_west_mercias_csp_figures_agree_with_the_single_force_import(tmp_path):
    """The national import of West Mercia's three months gives each of its five CSPs (its LPAs) the crimes the
    existing police.uk import gives that LPA."""
    path = tmp_path / "wm.duckdb"
    init_database(path)
    con = connect(path)
    try:
        load_national(con, read_national(STREET_FILES, today=TODAY), by="tester")
        units = figures.units(con, Q4).table.set_index("code")
    finally:
        con.close()
    single = {o["area"]: o["value"] for o in read_files(STREET_FILES).observations if o["metric"] == "police_uk_crimes"}
    lpa_units = {
        "herefordshire": "E22000326", "north_worcestershire": "E22000368", "shropshire": "E22000360",
        "south_worcestershire": "E22000332", "telford_and_wrekin": "E22000333",
    }  # fmt: skip
    assert {lpa: float(units.loc[unit, "crimes"]) for lpa, unit in lpa_units.items()} == {
        lpa: single[lpa] for lpa in lpa_units
    }


def test_the_export_has_its_stable_columns_and_all_crime_rows(con):
    table = figures.export_table(con)
    assert list(table.columns) == figures.EXPORT_COLUMNS
    suffolk = table[(table["level"] == "force") & (table["force"] == "suffolk") & (table["crime_type"] == "All crime")]
    assert suffolk["recorded_crimes"].tolist() == [len(crimes(rows_of("suffolk")))]
    assert set(table["level"]) == {"force", "csp"}
    assert table.loc[table["area_code"] == "E07000244", "area_name"].iloc[0] == "East Suffolk"
    btp = table[(table["force"] == "btp") & (table["crime_type"] == "All crime")]
    assert btp["per_1000"].isna().all() and btp["population"].isna().all()


def test_the_excerpts_are_whole_published_rows():
    """The fixtures keep police.uk's header and CRLF line ends, as the archive has them."""
    for path in NATIONAL.glob("*.csv"):
        data = path.read_bytes()
        assert data.startswith(b"Crime ID,Month,Reported by,Falls within,") and b"\r\n" in data


# --------------------------------------------------------------------------------------------- funnels and peers


def test_poisson_limits_match_the_exact_distribution():
    """The limits are Poisson percentiles, interpolated between whole counts (Spiegelhalter 2005)."""
    import math

    from assurance.core.funnel import poisson_limit

    def exact(mean: float, p: float) -> float:
        total = before = 0.0
        k = 0
        while True:
            total += math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
            if total >= p:
                return k - (total - p) / (total - before)
            before, k = total, k + 1

    for mean in (0.5, 4.0, 37.5, 900.0, 20_000.0):
        for p in (0.001, 0.025, 0.975, 0.999):
            assert poisson_limit(mean, p) == pytest.approx(exact(mean, p), abs=1e-6)


@pytest.mark.parametrize(
    ("count", "population", "where"),
    [
        # 19 per 1,000 of 100,000 residents expects 1,900 crimes: 95% limits about 1,815-1,985, 99.8% 1,766-2,036.
        (1950, 100_000, "within"),
        (2000, 100_000, "above 95%"),
        (2150, 100_000, "above 99.8%"),
        (1800, 100_000, "below 95%"),
        (1700, 100_000, "below 99.8%"),
        (25, 1_000, "within"),
    ],  # fmt: skip
)
def test_an_area_is_unusual_only_outside_its_funnel(count, population, where):
    from assurance.core.funnel import position

    assert position(count, population, national_rate=19.0) == where


def test_default_peers_are_the_nearest_in_size_and_rate_and_a_saved_list_replaces_them(tmp_path):
    from assurance.core.errors import InvalidInput
    from assurance.domain.national.peers import default_peers, peer_group, reset_peers, save_peers

    path = tmp_path / "peers.duckdb"
    init_database(path)
    con = connect(path)
    try:
        load_national(con, read_national(STREET_FILES + sorted(NATIONAL.glob("*.csv")), today=TODAY), by="tester")
        comparison = figures.forces(con, Q4)
        default = default_peers(comparison, "west-mercia", size=2)
        assert default.members == ["suffolk", "dorset"] or set(default.members) <= {
            "suffolk",
            "dorset",
            "thames-valley",
        }
        assert "btp" not in default.members and "west-mercia" not in default.members
        assert "population (Census 2021, on a log scale)" in default.basis
        saved = save_peers(
            con, "force", "west-mercia", ["thames-valley", "west-mercia"], {"thames-valley", "dorset"}, by="Ed"
        )
        assert saved.members == ["thames-valley"]
        group = peer_group(con, comparison, "west-mercia")
        assert group.saved and group.members == ["thames-valley"] and group.chosen_by == "Ed"
        with pytest.raises(InvalidInput, match="not forces the comparison has"):
            save_peers(con, "force", "west-mercia", ["nowhere"], {"dorset"}, by="Ed")
        reset_peers(con, "force", "west-mercia", by="Ed")
        assert not peer_group(con, comparison, "west-mercia").saved
        audit = con.execute("SELECT operation FROM audit_log WHERE entity = 'peer_group' ORDER BY id").fetchall()
        assert audit == [("create",), ("delete",)]
    finally:
        con.close()


def test_anti_social_behaviour_is_its_own_type_never_in_all_crime(con):
    asb = figures.forces(con, Q4, "Anti-social behaviour").table.set_index("code")
    everything = figures.forces(con, Q4).table.set_index("code")
    rows = rows_of("dorset")
    incidents = sum(1 for r in rows if r["Crime type"] == "Anti-social behaviour")
    assert asb.loc["dorset", "crimes"] == incidents > 0
    assert everything.loc["dorset", "crimes"] == len(rows) - incidents


def test_west_mercias_recorded_crime_comes_from_police_uk_for_the_quarters_it_covers(seeded_db, tmp_path):
    """Once the national archives hold West Mercia's whole quarter, the dashboard's recorded crime for that quarter
    is police.uk's (each LPA its CSP's crimes, the force its whole file), not illustrative; other quarters and
    metrics stay illustrative; a figure from the force's own return would come first."""
    import shutil

    from assurance.domain.performance import load_dataset, observation, police_uk_note

    path = tmp_path / "overlay.duckdb"
    shutil.copyfile(seeded_db, path)
    con = connect(path)
    try:
        load_national(con, read_national(STREET_FILES, today=TODAY), by="tester")
        ds = load_dataset(con)
        units = figures.units(con, Q4).table.set_index("code")
        shropshire = observation(ds, "shropshire", "total_recorded_crime", Q4)
        assert shropshire["value"] == units.loc["E22000360", "crimes"] and not shropshire["illustrative"]
        assert shropshire["source"].startswith("police.uk")
        force = observation(ds, "force", "total_recorded_crime", Q4)
        assert force["value"] == figures.forces(con, Q4).table.set_index("code").loc["west-mercia", "crimes"]
        assert observation(ds, "shropshire", "total_recorded_crime", "2024/25 Q2")["illustrative"]
        assert observation(ds, "shropshire", "positive_outcome_rate", Q4)["illustrative"]
        assert "Recorded crime for 2023/24 Q4 is real" in police_uk_note(ds, Q4)
        assert police_uk_note(ds, "2024/25 Q2") is None
        con.execute(
            "UPDATE observations SET illustrative = false, source = 'West Mercia Police return' "
            "WHERE area = 'shropshire' AND metric = 'total_recorded_crime' AND quarter = '2023/24 Q4'"
        )
        own = observation(load_dataset(con), "shropshire", "total_recorded_crime", Q4)
        assert own["source"] == "West Mercia Police return"
    finally:
        con.close()
