"""Which police.uk outcome categories count towards the positive-outcome proxy: one named, tested table.

``data/reference/police_uk_outcome_groups.csv`` puts every "Last outcome category" police.uk publishes in one
group:

- ``charge_or_summons``: a suspect was charged or summonsed (awaiting or past court, or charged as part of
  another case);
- ``out_of_court``: a caution, a penalty notice, a drugs possession warning or a local (community) resolution;
- ``still_open``: "Under investigation", or blank (no outcome recorded yet);
- ``closed_other``: closed in any other way.

The **positive-outcome proxy** is the share of a quarter's recorded crimes whose last outcome is in the first two
groups. It is a proxy: police.uk's last outcome is a snapshot taken when each month was published, not the Home
Office outcomes framework, so recent months always look worse (their crimes are still under investigation): show
the still-open share beside it, and never call it "the positive outcome rate".
"""

from __future__ import annotations

import csv
from functools import cache

from assurance.core.paths import DATA_DIR

OUTCOME_GROUPS_CSV = DATA_DIR / "reference" / "police_uk_outcome_groups.csv"
GROUPS = ("charge_or_summons", "out_of_court", "still_open", "closed_other")
POSITIVE_GROUPS = ("charge_or_summons", "out_of_court")
STILL_OPEN_GROUP = "still_open"
ASB = "Anti-social behaviour"
# The 14 crime types of police.uk's street-level files; anti-social behaviour incidents are not crimes.
CRIME_TYPES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person",
    "Vehicle crime", "Violence and sexual offences",
)  # fmt: skip
ALL_CRIME = "All crime"
PROXY_NAME = "Charged, summonsed or out-of-court disposal (police.uk proxy)"
PROXY_CAVEAT = (
    "police.uk's last outcome is a snapshot taken when each month was published, not the Home Office outcomes "
    "framework: this is a proxy, not the positive outcome rate, and recent months look worse because their crimes "
    "are still under investigation."
)


@cache
def outcome_groups() -> dict[str, str]:
    """Outcome category (blank for none) -> group, from the shipped table."""
    with open(OUTCOME_GROUPS_CSV, newline="", encoding="utf-8") as handle:
        table = {row["category"].strip(): row["outcome_group"].strip() for row in csv.DictReader(handle)}
    unknown = sorted({g for g in table.values() if g not in GROUPS})
    if unknown:
        raise ValueError(f"{OUTCOME_GROUPS_CSV.name}: unknown groups {unknown}; expected one of {GROUPS}")
    return table


def positive_categories() -> list[str]:
    """The categories counted as positive outcomes by the proxy, in table order."""
    return [category for category, group in outcome_groups().items() if group in POSITIVE_GROUPS]
