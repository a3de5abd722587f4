"""police.uk outcomes files: outcomes per LPA per month and quarter by outcome category, and positive outcomes.

Each row is one outcome recorded in the month for a crime (the crime may have been recorded
earlier). Rows are placed in LPAs by LSOA as street-level rows are; unplaced rows are counted by
reason. Stored per LPA, month and outcome category in ``monthly_counts`` (measure 'outcomes'), and
for complete quarters as ``police_uk_outcomes`` (all categories) and ``police_uk_positive_outcomes``.

Positive outcomes, as this product defines them for police.uk data: the police.uk outcome categories
that correspond to Home Office outcome types 1-8 (charge/summons, cautions, offences taken into
consideration, penalty notices, cannabis/khat warnings, community resolutions), exactly the strings
in ``POSITIVE_CATEGORIES``. Court results ("Offender sent to prison", "Offender fined", ...) are later
steps of a charged case and are not counted again. Unknown categories are stored and not counted.
"""

from __future__ import annotations

from assurance.sources.police_uk import Layout, every_category

NAME = "police_uk_outcomes"
VERSION = "1.0"
COLUMNS = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Outcome type",
]  # fmt: skip
SOURCE = "data.police.uk outcomes, Open Government Licence v3.0"
POSITIVE_CATEGORIES = (
    "Suspect charged",  # Home Office type 1 (charge/summons)
    "Suspect charged as part of another case",  # type 4 (offences taken into consideration)
    "Offender given a caution",  # types 2-3 (youth and adult cautions)
    "Offender given a drugs possession warning",  # type 7 (cannabis/khat warning)
    "Offender given penalty notice",  # type 6 (penalty notice for disorder)
    "Local resolution",  # type 8 (community resolution)
)
POSITIVE_DEFINITION = "police.uk outcome categories corresponding to Home Office outcome types 1-8: " + "; ".join(
    POSITIVE_CATEGORIES
)


def is_positive(category: str) -> bool:
    return category in POSITIVE_CATEGORIES


def measure_of(category: str) -> str:
    return "outcomes"


POSITIVE_SOURCE = f"{SOURCE}; positive: {POSITIVE_DEFINITION}"
QUARTERS = (
    ("outcomes", "police_uk_outcomes", SOURCE, every_category),
    ("outcomes", "police_uk_positive_outcomes", POSITIVE_SOURCE, is_positive),
)
LAYOUT = Layout(
    NAME, VERSION, COLUMNS, "Outcome type", measure_of, QUARTERS, f"Positive outcomes: {POSITIVE_DEFINITION}."
)
