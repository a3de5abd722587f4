"""Importers: the real police.uk files counted against an independent count, partial quarters, outcomes,
the quarterly return (CSV and XLSX round trip through the template) and a fuzzed reader."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assurance.sources import ImportInvalid, read_files
from assurance.sources.police_uk_outcomes import POSITIVE_CATEGORIES
from assurance.sources.quarterly_return import COLUMNS
from assurance.sources.quarterly_template import write_template
from assurance.sources.reference import LSOA_LOOKUP_CSV
from tests.support import OUTCOMES_EXCERPT, STREET_FILES

ROOT = Path(__file__).resolve().parent.parent
STREET = STREET_FILES
OUTCOMES = OUTCOMES_EXCERPT
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
REFERENCE = ROOT / "data" / "reference"
DISTRICT_LPA = {
    "Herefordshire, County of": "herefordshire",
    "Bromsgrove": "north_worcestershire",
    "Redditch": "north_worcestershire",
    "Wyre Forest": "north_worcestershire",
    "Shropshire": "shropshire",
    "Worcester": "south_worcestershire",
    "Malvern Hills": "south_worcestershire",
    "Wychavon": "south_worcestershire",
    "Telford and Wrekin": "telford_and_wrekin",
}


def independent_count(files: list[Path], column: str = "Crime type") -> tuple[Counter, Counter, Counter]:
    """Crimes per LPA, ASB per LPA and unplaced rows by reason, counted with the csv module alone."""
    with open(LSOA_LOOKUP_CSV, encoding="utf-8-sig", newline="") as handle:
        lsoa_lpa = {r["LSOA21CD"]: DISTRICT_LPA[r["LAD22NM"]] for r in csv.DictReader(handle)}
    crimes, asb, unplaced = Counter(), Counter(), Counter()
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["LSOA code"].strip()
                if not code:
                    unplaced["no location (no LSOA code)"] += 1
                elif code not in lsoa_lpa:
                    unplaced["LSOA outside the West Mercia districts"] += 1
                elif row[column] == "Anti-social behaviour":
                    asb[lsoa_lpa[code]] += 1
                else:
                    crimes[lsoa_lpa[code]] += 1
    return crimes, asb, unplaced


def figures(parsed, metric: str) -> dict[str, float]:
    return {o["area"]: o["value"] for o in parsed.observations if o["metric"] == metric}


def test_shipped_lookup_is_the_published_file_byte_for_byte():
    """The SHA-256 recorded in data/reference/SOURCES.md is that of the ONS subset as obtained (shared/data/real)."""
    assert hashlib.sha256(LSOA_LOOKUP_CSV.read_bytes()).hexdigest() in (REFERENCE / "SOURCES.md").read_text()


def test_real_street_files_give_q4_crimes_per_lpa_as_counted_independently():
    parsed = read_files(STREET)
    crimes, asb, unplaced = independent_count(STREET)
    assert {o["quarter"] for o in parsed.observations} == {"2023/24 Q4"}
    assert figures(parsed, "police_uk_crimes") == {
        **{k: float(v) for k, v in crimes.items()},
        "force": float(sum(crimes.values())),
    }
    assert figures(parsed, "police_uk_asb_incidents") == {
        **{k: float(v) for k, v in asb.items()},
        "force": float(sum(asb.values())),
    }
    by_reason = Counter()
    for u in parsed.unplaced:
        by_reason[u["reason"]] += u["count"]
    assert by_reason == unplaced and sum(unplaced.values()) == parsed.rows_rejected > 0
    assert parsed.rows_read == 7700 + 7654 + 8529 == parsed.rows_loaded + parsed.rows_rejected
    assert not parsed.partial_quarters
    assert [o["source"] for o in parsed.observations][0].endswith("Open Government Licence v3.0")
    # By crime type per month, ASB apart.
    january = [m for m in parsed.monthly if m["month"] == "2024-01" and m["measure"] == "crimes"]
    assert "Anti-social behaviour" not in {m["category"] for m in january}
    assert {m["measure"] for m in parsed.monthly} == {"crimes", "asb_incidents"}


def test_birmingham_lsoas_are_reported_as_outside_not_dropped():
    parsed = read_files(STREET[:1])
    outside = [u for u in parsed.unplaced if u["reason"] == "LSOA outside the West Mercia districts"]
    assert sum(u["count"] for u in outside) > 0
    assert sum(u["count"] for u in parsed.unplaced) + parsed.rows_loaded == 7700


def test_two_months_make_a_partial_quarter_that_is_not_written():
    parsed = read_files(STREET[:2])
    assert not [o for o in parsed.observations if o["metric"] == "police_uk_crimes"]
    assert {"quarter": "2023/24 Q4", "measure": "police_uk_crimes", "months": ["2024-01", "2024-02"]} in (
        parsed.partial_quarters
    )
    assert {m["month"] for m in parsed.monthly} == {"2024-01", "2024-02"}
    assert "partial" in parsed.summary()


def test_the_archive_zip_reads_like_the_files(tmp_path):
    archive = tmp_path / "2024-03.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in STREET:
            z.write(path, f"{path.name[:7]}/{path.name}")
        z.writestr("2024-01/2024-01-west-mercia-stop-and-search.csv", "Type,Date,Part of a policing operation\n")
    parsed = read_files([archive])
    assert figures(parsed, "police_uk_crimes") == figures(read_files(STREET), "police_uk_crimes")
    assert any("stop-and-search" in w and "skipped" in w for w in parsed.warnings)


def test_outcomes_excerpt_counts_positive_outcomes_by_the_stated_definition():
    parsed = read_files([OUTCOMES])
    with open(OUTCOMES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stored = Counter()
    for m in parsed.monthly:
        stored[m["category"]] += m["count"]
    unplaced = sum(u["count"] for u in parsed.unplaced)
    assert sum(stored.values()) + unplaced == len(rows) == 78
    positive = sum(n for category, n in stored.items() if category in POSITIVE_CATEGORIES)
    assert positive == stored["Suspect charged"] + stored["Offender given a caution"] + stored["Local resolution"]
    assert "Unable to prosecute suspect" not in POSITIVE_CATEGORIES
    # One month of a quarter: partial, stored monthly only.
    assert not parsed.observations
    assert {p["measure"] for p in parsed.partial_quarters} == {"police_uk_outcomes", "police_uk_positive_outcomes"}


def test_three_months_of_outcomes_write_positive_outcomes(tmp_path):
    text = OUTCOMES.read_text(encoding="utf-8")
    paths = []
    for month in ("2024-01", "2024-02", "2024-03"):
        path = tmp_path / f"{month}-west-mercia-outcomes.csv"
        path.write_text(text.replace(",2024-01,", f",{month},"), encoding="utf-8")
        paths.append(path)
    parsed = read_files(paths)
    with open(LSOA_LOOKUP_CSV, encoding="utf-8-sig", newline="") as handle:
        inside = {r["LSOA21CD"] for r in csv.DictReader(handle)}
    with open(OUTCOMES, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["LSOA code"] in inside]
    positive = sum(1 for r in rows if r["Outcome type"] in POSITIVE_CATEGORIES)
    assert figures(parsed, "police_uk_positive_outcomes")["force"] == 3 * positive
    assert figures(parsed, "police_uk_outcomes")["force"] == 3 * len(rows)
    assert 0 < positive < len(rows)
    source = next(o["source"] for o in parsed.observations if o["metric"] == "police_uk_positive_outcomes")
    assert all(category in source for category in POSITIVE_CATEGORIES)


def fill_template(template: Path, rows: list[list]) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(template)
    sheet = book["Return"]
    for row in rows:
        sheet.append(row)
    filled = template.with_name("filled.xlsx")
    book.save(filled)
    return filled


RETURN_ROWS = [
    ["Shropshire", "total_recorded_crime", "2016/17 Q1", 5012, None, None, "Force return Q1", None],
    ["north worcestershire", "Positive outcome rate", "2016/17 q1", None, 130, 1000, None, "checked"],
    ["West Mercia", "calls_999_within_10s", "2016/17 Q1", 91.2, 912, 1000, None, None],
]


def test_xlsx_template_round_trip(tmp_path):
    template = tmp_path / "template.xlsx"
    write_template(template)
    from openpyxl import load_workbook

    book = load_workbook(template)
    assert book.sheetnames == ["Return", "Metrics", "Areas"]
    assert [c.value for c in book["Return"][1]] == COLUMNS
    assert "police_uk_crimes" in [c.value for c in book["Metrics"]["A"]]
    parsed = read_files([fill_template(template, RETURN_ROWS)])
    got = {(o["area"], o["metric"]): (o["value"], o["numerator"], o["denominator"]) for o in parsed.observations}
    assert got == {
        ("shropshire", "total_recorded_crime"): (5012.0, None, None),
        ("north_worcestershire", "positive_outcome_rate"): (13.0, 130.0, 1000.0),
        ("force", "calls_999_within_10s"): (91.2, 912.0, 1000.0),
    }
    assert {o["quarter"] for o in parsed.observations} == {"2016/17 Q1"}


def test_csv_template_round_trip_and_force_computed_from_five_lpas(tmp_path):
    template = tmp_path / "template.csv"
    write_template(template)
    assert template.read_text(encoding="utf-8").strip() == ",".join(COLUMNS)
    lpas = ["Herefordshire", "North Worcestershire", "Shropshire", "South Worcestershire", "Telford and Wrekin"]
    with open(template, "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for i, lpa in enumerate(lpas):
            writer.writerow([lpa, "total_recorded_crime", "2016/17 Q1", f"{1000 + i:,}", "", "", "", ""])
            writer.writerow([lpa, "victim_satisfaction", "2016/17 Q1", "", 70 + i, 100, "", ""])
    parsed = read_files([template])
    force = {o["metric"]: o for o in parsed.observations if o["area"] == "force"}
    assert force["total_recorded_crime"]["value"] == 5010.0
    assert force["victim_satisfaction"]["value"] == pytest.approx(72.0)
    assert force["victim_satisfaction"]["numerator"] == 360 and force["victim_satisfaction"]["denominator"] == 500
    assert "computed from the five LPAs" in force["total_recorded_crime"]["note"]


def test_windows_1252_return_is_read_with_a_warning(tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(
        "area,metric,quarter,value,note\nShropshire,total_recorded_crime,2016/17 Q1,5,£ note\n".encode("cp1252")
    )
    parsed = read_files([path])
    assert parsed.observations[0]["note"] == "£ note"
    assert any("Windows-1252" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "name, text, problem",
    [
        ("empty.csv", "", "empty.csv: the file is empty (0 bytes)"),
        ("header_only.csv", "area,metric,quarter,value\n", "header_only.csv: no data rows"),
        ("blank_lines.csv", "area,metric,quarter,value\n\n,,,\n", "blank_lines.csv: no data rows"),
    ],
)
def test_empty_and_too_short_inputs(tmp_path, name, text, problem):
    """An empty return, or one with only its header (and blank rows), is bad input, not a load of nothing."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportInvalid) as caught:
        read_files([path])
    assert caught.value.report.lines()[0].startswith(problem)


def test_no_files_is_invalid():
    with pytest.raises(ImportInvalid, match="problems"):
        read_files([])


def test_every_problem_names_file_row_column_and_expectation():
    with pytest.raises(ImportInvalid) as caught:
        read_files([FIXTURES / "unknown_area.csv", FIXTURES / "not_a_number.csv"])
    lines = caught.value.report.lines()
    assert any(line.startswith("unknown_area.csv, row 3, column 'area'") and "did you mean" in line for line in lines)
    assert any(
        line.startswith("not_a_number.csv, row 2, column 'value'") and "expected a number" in line for line in lines
    )


HEADER = ",".join(COLUMNS) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=400))
def test_any_bytes_after_a_return_header_give_a_result_or_a_clean_refusal(tmp_path, body):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(HEADER.encode() + body)
    try:
        parsed = read_files([path])
    except ImportInvalid as exc:
        assert exc.report.problems or exc.report.omitted
    else:
        assert all(o["area"] and o["metric"] and o["quarter"] for o in parsed.observations)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.lists(st.sampled_from(["Shropshire", "force", "total_recorded_crime", "victim_satisfaction",
                                  "2024/25 Q2", "2024/25 Q5", "12", "-1", "101", "x", "", "50", "1e309", "nan"]),
                 min_size=0, max_size=9),
        max_size=12,
    )
)  # fmt: skip
def test_random_return_rows_never_raise_anything_but_a_refusal(tmp_path, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([COLUMNS, *rows])
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        parsed = read_files([path])
    except ImportInvalid:
        return
    for o in parsed.observations:
        assert o["value"] == o["value"]  # never NaN
