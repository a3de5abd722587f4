"""What the police.uk importers share: the fast CSV scan, the LSOA -> LPA placing, quarters from months.

Each file's bytes are first checked to be UTF-8 text without NULs (``files.read_text``: DuckDB checks only the
columns a query reads, so a damaged byte elsewhere would pass unseen). The files are then read by DuckDB
(``read_csv`` with every column typed as text, so a stray value never stops the scan), counted by month, LSOA
and category, then placed in LPAs through the shipped ONS lookup, all in one named query
(``queries/police_uk.sql``) on an in-memory connection: no Python loop touches a row. Only when DuckDB finds
something wrong (a malformed month, a row with the wrong number of fields) is the file read again with the
``csv`` module, to name every problem row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from assurance.core.periods import month_to_quarter
from assurance.sources.batch import ParsedImport, SourceFile
from assurance.sources.files import UTF16_BOMS, read_text
from assurance.sources.reference import LSOA_LOOKUP_CSV, reference
from assurance.sources.report import ValidationReport
from assurance.store import queries

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
NO_LSOA = "no location (no LSOA code)"
OUTSIDE = "LSOA outside the West Mercia districts"


def scan_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for the scans: police.uk files are never read into the product's database."""
    return duckdb.connect(":memory:")


def scan(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], columns: list[str], category_column: str
) -> list[tuple]:
    """(file, month, category, lpa or NULL, reason, rows, example LSOA name) counted by DuckDB."""
    # The header row is skipped and the columns are named here, so the category column is always "category".
    spec = {("category" if c == category_column else c): "VARCHAR" for c in columns}
    districts = [{"district": d, "lpa": lpa} for d, lpa in reference().district_to_lpa.items()]
    return queries.rows(
        con,
        "police_uk_counts",
        files=[f.path for f in files],
        spec=spec,
        lookup=str(LSOA_LOOKUP_CSV),
        districts=districts,
    )


POLICE_UK_TEXT = "a UTF-8 CSV file as police.uk publishes it"
NO_ROWS = "no data rows: the file holds only the header"
NO_ROWS_EXPECTED = "the month's rows under the header, as police.uk publishes them"


def check_text(file: SourceFile, columns: list[str], report: ValidationReport) -> bool:
    """The whole file is UTF-8 text without NULs, else (files.read_text) a problem naming the line and column.

    Checked a megabyte at a time, so that a large file is never held whole as text; only a file that fails
    is read again whole, to say where.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(file.path, "rb") as handle:
        if handle.read(2) not in UTF16_BOMS:
            handle.seek(0)
            try:
                while block := handle.read(1 << 20):
                    if b"\x00" in block:
                        break
                    decoder.decode(block)
                else:
                    decoder.decode(b"", final=True)
                    return True
            except UnicodeDecodeError:
                pass
    read = read_text(file.name, Path(file.path), report, expected=POLICE_UK_TEXT, utf8_only=True, columns=columns)
    return read is not None


def find_row_problems(file: SourceFile, columns: list[str], category_column: str, report: ValidationReport) -> None:
    """Read one file with the csv module and name every malformed row (the slow path, errors only)."""
    read = read_text(file.name, Path(file.path), report, expected=POLICE_UK_TEXT, utf8_only=True, columns=columns)
    if read is None:
        return
    text = read[0]
    # A file cut short (a download or copy interrupted) ends part-way through its last row, without a line end.
    cut = not text.endswith(("\n", "\r"))
    lines = sum(1 for _ in io.StringIO(text, newline="")) if cut else 0
    reader = csv.reader(io.StringIO(text, newline=""))
    month_at = columns.index("Month")
    category_at = columns.index(category_column)
    rows = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number == 1 or not record:
                continue
            rows += 1
            if len(record) != len(columns):
                if cut and len(record) < len(columns) and reader.line_num == lines:
                    report.add(
                        file.name,
                        number,
                        None,
                        f"the file ends part-way through row {number} ({len(record)} of {len(columns)} fields): "
                        "it looks cut short",
                        "the whole file as police.uk publishes it: download or copy it again",
                    )
                    continue
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
        return
    if rows == 0:
        report.add(file.name, None, None, NO_ROWS, NO_ROWS_EXPECTED)


def read_counts(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    columns: list[str],
    category_column: str,
    report: ValidationReport,
) -> list[tuple] | None:
    """The DuckDB counts for files, or None after naming the problems (text that is not UTF-8, bad rows, bad
    months, empty categories). A file without data rows is named too (DuckDB counts nothing for it)."""
    readable = [check_text(file, columns, report) for file in files]
    if not all(readable):
        return None
    try:
        counted = scan(con, files, columns, category_column)
    except duckdb.Error:
        counted = None
    if counted is not None:
        bad_files = {row[0] for row in counted if not MONTH.match(row[1] or "") or not row[2]}
        with_rows = {row[0] for row in counted}
        for file in files:
            if file.path not in with_rows:
                report.add(file.name, None, None, NO_ROWS, NO_ROWS_EXPECTED)
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


def _crime_ids(file: SourceFile, month: str) -> set[str]:
    """The Crime IDs of one month's rows in a file (anti-social behaviour rows have none)."""
    ids = set()
    with open(file.path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        if "Crime ID" not in header or "Month" not in header:
            return ids
        id_at, month_at = header.index("Crime ID"), header.index("Month")
        try:
            for record in reader:
                if len(record) == len(header) and record[month_at].strip() == month and record[id_at].strip():
                    ids.add(record[id_at].strip())
        except csv.Error:
            pass  # the scan has read the file already; a record the csv module stops at adds nothing here
    return ids


def check_months(
    report: ValidationReport, files: list[SourceFile], month_files: dict[str, set[str]], today: date
) -> None:
    """Each month in one file, and only months that have ended.

    A month in two files is either the same rows twice (the files share Crime IDs: a copy, or an overlapping
    extract) or one month split between files; both would be counted wrongly, and each says what to do.
    """
    by_name = {f.name: f for f in files}
    not_ended = f"{today:%Y-%m}"
    for month, names in sorted(month_files.items()):
        ordered = sorted(names)
        if month >= not_ended:
            for name in ordered:
                report.add(
                    name,
                    None,
                    "Month",
                    f"rows for {month}, a month that has not ended yet (today is {today.day} {today:%B %Y})",
                    "months that have ended (police.uk publishes a month after it ends)",
                )
        if len(ordered) < 2:
            continue
        first = ordered[0]
        first_ids = _crime_ids(by_name[first], month)
        for other in ordered[1:]:
            shared = len(first_ids & _crime_ids(by_name[other], month))
            if shared:
                report.add(
                    other,
                    None,
                    "Crime ID",
                    f"{shared:,} crimes of {month} are also in {first} (the same Crime IDs): the same rows twice",
                    "each crime once: import only one of the two files",
                )
            else:
                report.add(
                    other,
                    None,
                    "Month",
                    f"the rows for {month} are split between {first} and {other}",
                    "each month's rows in one file, as police.uk publishes them: import the month's file as "
                    "downloaded, or put all its rows in one file",
                )


def add_counts(
    parsed: ParsedImport,
    report: ValidationReport,
    files: list[SourceFile],
    counted: list[tuple],
    measure_of,
    *,
    today: date,
) -> None:
    """Monthly counts by LPA, unplaced rows by reason, per-file rows; a month in two files, or one that has not
    ended, is a problem (check_months)."""
    by_path = {f.path: f for f in files}
    month_files: dict[str, set[str]] = defaultdict(set)
    monthly: dict[tuple, int] = defaultdict(int)
    unplaced: dict[tuple, list] = {}
    for path, month, category, lpa, status, rows, example in counted:
        file = by_path[path]
        file.rows += rows
        measure = measure_of(category)
        month_files[month].add(file.name)
        if status == "placed":
            monthly[(lpa, month, measure, category)] += rows
        else:
            reason = NO_LSOA if status == "no_lsoa" else OUTSIDE
            entry = unplaced.setdefault((month, measure, reason), [0, None])
            entry[0] += rows
            if status == "outside" and example and entry[1] is None:
                entry[1] = example
    check_months(report, files, month_files, today)
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


@dataclass(frozen=True)
class Layout:
    """One police.uk file format: its header, the column counted by, and the quarterly metrics built from it."""

    name: str
    version: str
    columns: list[str]
    category_column: str
    measure_of: Callable[[str], str]  # the measure a category is counted under
    # (measure, metric, source, which categories count) for each quarterly metric built from three months
    quarters: tuple[tuple[str, str, str, Callable[[str], bool]], ...]
    note: str


def every_category(category: str) -> bool:
    return True


def parse(
    layout: Layout,
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    parsed: ParsedImport,
    report: ValidationReport,
    *,
    today: date,
) -> None:
    """Count the files' rows by LPA, month and category; add the quarters built from three months."""
    counted = read_counts(con, files, layout.columns, layout.category_column, report)
    if counted is None:
        return
    add_counts(parsed, report, files, counted, layout.measure_of, today=today)
    parsed.importers.append(f"{layout.name} {layout.version}")
    for measure, metric, source, include in layout.quarters:
        quarters_from_months(parsed, measure, metric, source, include)
    parsed.notes.append(layout.note)


def quarters_from_months(
    parsed: ParsedImport,
    measure: str,
    metric: str,
    source: str,
    include: Callable[[str], bool] = every_category,
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
