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

from assurance.sources.police_uk import Layout, every_category

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


QUARTERS = (
    ("crimes", "police_uk_crimes", SOURCE, every_category),
    ("asb_incidents", "police_uk_asb_incidents", SOURCE, every_category),
)
NOTE = (
    "Anti-social behaviour rows are incidents, not crimes: counted as police_uk_asb_incidents, not in police_uk_crimes."
)
LAYOUT = Layout(NAME, VERSION, COLUMNS, "Crime type", measure_of, QUARTERS, NOTE)
