"""What the police.uk importers share: the LSOA -> LPA lookup, the fast CSV scan, quarters from months.

The files are read by DuckDB (``read_csv`` with every column typed as text, so a stray value never
stops the scan), counted by month, LSOA and category, then joined to the ONS lookup inside DuckDB on an in-memory connection: no
Python loop touches a row. Only when DuckDB finds something wrong (a malformed month, a row with the
wrong number of fields, text that is not UTF-8) is the file read again with the ``csv`` module, to
name every problem row.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

import duckdb

from assurance.importers.common import (
    LSOA_LOOKUP_CSV,
    ParsedImport,
    SourceFile,
    ValidationReport,
    decode_text,
    reference,
)
from assurance.periods import month_to_quarter

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
NO_LSOA = "no location (no LSOA code)"
OUTSIDE = "LSOA outside the West Mercia districts"


def lookup_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with table lsoa_lpa(lsoa, lpa) from the shipped ONS lookup and data/areas.csv."""
    con = duckdb.connect(":memory:")
    districts = reference().district_to_lpa
    con.execute("CREATE TABLE district_lpa (district TEXT, lpa TEXT)")
    con.executemany("INSERT INTO district_lpa VALUES (?, ?)", list(districts.items()))
    con.execute(
        "CREATE TABLE lsoa_lpa AS SELECT l.LSOA21CD AS lsoa, d.lpa FROM read_csv($path, header = true,"
        " all_varchar = true) AS l JOIN district_lpa AS d ON d.district = l.LAD22NM",
        {"path": str(LSOA_LOOKUP_CSV)},
    )
    return con


def scan(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], columns: list[str], category_column: str
) -> list[tuple]:
    """(file, month, category, lpa or NULL, reason, rows, example LSOA name) counted by DuckDB."""
    # The header row is skipped and the columns are named here, so the category column is always "category".
    spec = {("category" if c == category_column else c): "VARCHAR" for c in columns}
    # Count by the raw values first, then place the (few thousand) groups: 4x faster than joining every row.
    return con.execute(
        'WITH g AS (SELECT filename, "Month" AS month, category, "LSOA code" AS code, count(*) AS n,'
        ' any_value("LSOA name") AS name'
        " FROM read_csv($files, header = true, columns = $spec, auto_detect = false, delim = ',', quote = '\"',"
        " escape = '\"', filename = true, strict_mode = true, null_padding = false, encoding = 'utf-8')"
        " GROUP BY ALL)"
        " SELECT g.filename, trim(g.month), coalesce(trim(g.category), ''), l.lpa,"
        " CASE WHEN coalesce(trim(g.code), '') = '' THEN 'no_lsoa' WHEN l.lpa IS NULL THEN 'outside'"
        " ELSE 'placed' END AS status, sum(g.n)::BIGINT, any_value(g.name)"
        " FROM g LEFT JOIN lsoa_lpa AS l ON l.lsoa = trim(g.code) GROUP BY ALL",
        {"files": [f.path for f in files], "spec": spec},
    ).fetchall()


def find_row_problems(file: SourceFile, columns: list[str], category_column: str, report: ValidationReport) -> None:
    """Read one file with the csv module and name every malformed row (the slow path, errors only)."""
    data = Path(file.path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.add(file.name, line, None, "the text is not UTF-8", "a UTF-8 CSV file as police.uk publishes it")
        text, _ = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    month_at = columns.index("Month")
    category_at = columns.index(category_column)
    try:
        for number, record in enumerate(reader, start=1):
            if number == 1 or not record:
                continue
            if len(record) != len(columns):
                report.add(
                    file.name,
                    number,
                    None,
                    f"the row has {len(record)} fields",
                    f"{len(columns)} fields, as in the header",
                    rule="fields",
                )
                continue
            if not MONTH.match(record[month_at].strip()):
                report.add(
                    file.name, number, "Month", f"{record[month_at]!r} is not a month", "YYYY-MM such as 2024-03"
                )
            if not record[category_at].strip():
                report.add(file.name, number, category_column, "empty", f"a police.uk {category_column.lower()}")
    except csv.Error as exc:
        report.add(file.name, reader.line_num, None, f"not valid CSV ({exc})", "a CSV file as police.uk publishes it")


def read_counts(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    columns: list[str],
    category_column: str,
    report: ValidationReport,
) -> list[tuple] | None:
    """The DuckDB counts for files, or None after naming the problems (bad rows, bad months, empty categories)."""
    try:
        counted = scan(con, files, columns, category_column)
    except duckdb.Error:
        counted = None
    if counted is not None:
        bad_files = {row[0] for row in counted if not MONTH.match(row[1] or "") or not row[2]}
        if not bad_files:
            return counted
        suspects = [f for f in files if f.path in bad_files]
    else:
        suspects = files
    before = len(report.problems) + report.omitted
    for file in suspects:
        find_row_problems(file, columns, category_column, report)
    if len(report.problems) + report.omitted == before:
        report.add(", ".join(f.name for f in suspects), None, None, "the files could not be read", "police.uk CSV")
    return None


def add_counts(
    parsed: ParsedImport,
    report: ValidationReport,
    files: list[SourceFile],
    counted: list[tuple],
    measure_of,
) -> None:
    """Monthly counts by LPA, unplaced rows by reason, per-file rows; a month given by two files is a problem."""
    by_path = {f.path: f for f in files}
    month_files: dict[tuple[str, str], set[str]] = defaultdict(set)
    monthly: dict[tuple, int] = defaultdict(int)
    unplaced: dict[tuple, list] = {}
    for path, month, category, lpa, status, rows, example in counted:
        file = by_path[path]
        file.rows += rows
        measure = measure_of(category)
        month_files[(month, measure)].add(file.name)
        if status == "placed":
            monthly[(lpa, month, measure, category)] += rows
        else:
            reason = NO_LSOA if status == "no_lsoa" else OUTSIDE
            entry = unplaced.setdefault((month, measure, reason), [0, None])
            entry[0] += rows
            if status == "outside" and example and entry[1] is None:
                entry[1] = example
    for (month, measure), names in sorted(month_files.items()):
        if len(names) > 1:
            report.add(
                sorted(names)[1],
                None,
                "Month",
                f"{measure} for {month} are also in {sorted(names)[0]}",
                "each month in one file only",
            )
    for file in files:
        parsed.rows_read += file.rows
        parsed.files.append(file)
    parsed.monthly.extend(
        {"area": a, "month": m, "measure": s, "category": c, "count": n} for (a, m, s, c), n in sorted(monthly.items())
    )
    parsed.rows_loaded += sum(monthly.values())
    for (month, measure, reason), (count, example) in sorted(unplaced.items()):
        parsed.unplaced.append(
            {"month": month, "measure": measure, "reason": reason, "count": count, "example": example}
        )
        parsed.rows_rejected += count


def quarters_from_months(
    parsed: ParsedImport,
    measure: str,
    metric: str,
    source: str,
    include=lambda category: True,
) -> None:
    """Quarterly observations for each LPA and the force from a measure's monthly counts in this batch.

    A quarter is written only when all three of its months are in the batch; otherwise it is
    recorded as partial (the months are still stored monthly).
    """
    rows = [m for m in parsed.monthly if m["measure"] == measure]
    months_by_quarter: dict[str, set[str]] = defaultdict(set)
    for m in rows:
        months_by_quarter[month_to_quarter(m["month"]).label].add(m["month"])
    for u in parsed.unplaced:
        if u["measure"] == measure:
            months_by_quarter[month_to_quarter(u["month"]).label].add(u["month"])
    lpas = reference().lpa_codes
    for quarter, months in sorted(months_by_quarter.items()):
        if len(months) < 3:
            entry = {"quarter": quarter, "measure": metric, "months": sorted(months)}
            if entry not in parsed.partial_quarters:
                parsed.partial_quarters.append(entry)
            continue
        totals = dict.fromkeys(lpas, 0)
        for m in rows:
            if m["month"] in months and include(m["category"]):
                totals[m["area"]] += m["count"]
        note = f"police.uk months {', '.join(sorted(months))}"
        for area, total in [*totals.items(), ("force", sum(totals.values()))]:
            parsed.observations.append(
                {
                    "area": area,
                    "metric": metric,
                    "quarter": quarter,
                    "value": float(total),
                    "numerator": None,
                    "denominator": None,
                    "source": source,
                    "note": note if area != "force" else note + "; the force figure is the sum of the five LPAs",
                }
            )
