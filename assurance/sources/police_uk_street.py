"""police.uk street-level crime files: crimes and anti-social behaviour per LPA per month and quarter.

Each monthly file (``YYYY-MM-west-mercia-street.csv``) lists one row per crime or anti-social
behaviour (ASB) incident with the 2021 LSOA of its approximate location. Rows are placed in an LPA
through the ONS LSOA -> district lookup (data/reference/) and the districts of data/areas.csv.

- Crimes (every row except Crime type "Anti-social behaviour") are stored per LPA, month and crime
  type in ``monthly_counts`` (measure 'crimes') and, for each quarter whose three months are all in
  the batch, as the quarterly metric ``police_uk_crimes``.
- ASB rows are incidents, not crimes: counted apart (measure 'asb_incidents', metric
  ``police_uk_asb_incidents``).
- Rows with no LSOA, or an LSOA outside the nine West Mercia districts (the files hold e.g.
  Birmingham and Ashford LSOAs), are counted by month and reason and reported, never dropped silently.
- These are police.uk figures, not the force's recorded crime.
"""

from __future__ import annotations

from datetime import date

import duckdb

from assurance.sources.batch import ParsedImport, SourceFile
from assurance.sources.police_uk import count_files, quarters_from_months
from assurance.sources.report import ValidationReport

NAME = "police_uk_street"
VERSION = "1.0"
COLUMNS = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
ASB = "Anti-social behaviour"
SOURCE = "data.police.uk street-level crime, Open Government Licence v3.0"


def measure_of(crime_type: str) -> str:
    return "asb_incidents" if crime_type == ASB else "crimes"


def parse(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    parsed: ParsedImport,
    report: ValidationReport,
    *,
    today: date,
) -> None:
    """Count the files' rows by LPA, month and crime type; add quarters built from three months."""
    layout = {"columns": COLUMNS, "category_column": "Crime type", "measure_of": measure_of}
    if not count_files(con, files, parsed, report, **layout, importer=f"{NAME} {VERSION}", today=today):
        return
    quarters_from_months(parsed, "crimes", "police_uk_crimes", SOURCE)
    quarters_from_months(parsed, "asb_incidents", "police_uk_asb_incidents", SOURCE)
    parsed.notes.append(
        "Anti-social behaviour rows are incidents, not crimes: counted as police_uk_asb_incidents, "
        "not in police_uk_crimes."
    )
