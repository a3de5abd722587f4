"""The reference data the product ships: areas, the metric catalogue, the police.uk metrics, the ONS lookup.

Imports are validated in memory against these (never against the database), and the Data page shows the
attributions their licences ask for. See data/reference/SOURCES.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from assurance.core.metrics import Metric, load_catalogue
from assurance.core.paths import DATA_DIR

REFERENCE_DIR = DATA_DIR / "reference"
POLICE_UK_METRICS_CSV = REFERENCE_DIR / "police_uk_metrics.csv"
LSOA_LOOKUP_CSV = REFERENCE_DIR / "ons-lsoa21-ward22-lad22-lookup-west-mercia.csv"

POLICE_UK_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 (data.police.uk)."
)
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right."
)


@dataclass(frozen=True)
class Reference:
    areas: tuple[dict, ...]
    metrics: dict[str, Metric]
    district_to_lpa: dict[str, str]

    @property
    def lpa_codes(self) -> list[str]:
        return [a["code"] for a in self.areas if a["kind"] == "lpa"]


@cache
def reference() -> Reference:
    """The shipped areas, the metric catalogue plus the police.uk metrics, and district -> LPA."""
    with open(DATA_DIR / "areas.csv", newline="", encoding="utf-8-sig") as handle:
        areas = tuple(csv.DictReader(handle))
    metrics = {m.code: m for m in load_catalogue()}
    metrics.update({m.code: m for m in load_catalogue(POLICE_UK_METRICS_CSV)})
    district_to_lpa = {}
    for area in areas:
        if area["kind"] == "lpa":
            for district in area["districts"].split(";"):
                district_to_lpa[district.strip()] = area["code"]
    return Reference(areas, metrics, district_to_lpa)


def police_uk_metric_codes() -> set[str]:
    return {m.code for m in load_catalogue(POLICE_UK_METRICS_CSV)}
