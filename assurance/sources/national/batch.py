"""A checked national batch: the files it came from and their rows counted, plain data ready to load."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pyarrow as pa

# One row per (month, force, district, where the rows lie, crime type, last outcome): how many rows.
COUNT_COLUMNS = ["month", "force", "lad", "place", "crime_type", "outcome", "count"]
COUNT_SCHEMA = pa.schema(
    [("month", pa.string()), ("force", pa.string()), ("lad", pa.string()), ("place", pa.string()),
     ("crime_type", pa.string()), ("outcome", pa.string()), ("count", pa.int64())]
)  # fmt: skip
IMPORTER = "police_uk_national"
VERSION = "1.0"


@dataclass
class NationalFile:
    name: str  # archive.zip/2024-01/2024-01-kent-street.csv
    month: str
    force: str
    sha256: str  # of the CSV's bytes as unpacked
    bytes: int
    rows: int


@dataclass
class NationalBatch:
    files: list[NationalFile] = field(default_factory=list)
    counts: pa.Table | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def months(self) -> list[str]:
        return sorted({f.month for f in self.files})

    @property
    def forces(self) -> list[str]:
        return sorted({f.force for f in self.files})

    def summary(self) -> str:
        months = self.months
        span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        return (
            f"police.uk street-level crime for the national comparison: {len(self.forces)} forces, {span}, "
            f"{self.rows:,} rows in {len(self.files)} files"
        )

    def to_json(self) -> str:
        """Plain JSON (the inbox hands a batch to the running dashboard this way)."""
        counts = self.counts.to_pylist() if self.counts is not None else []
        return json.dumps(
            {"files": [asdict(f) for f in self.files], "warnings": self.warnings, "counts": counts},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> NationalBatch:
        data = json.loads(text)
        counts = pa.Table.from_pylist(data["counts"], schema=COUNT_SCHEMA) if data["counts"] else None
        return cls([NationalFile(**f) for f in data["files"]], counts, list(data.get("warnings", [])))
