"""A validated batch, ready to load: the files it came from and the figures they hold, as plain data.

``read_files`` (``assurance.sources.read``) makes it; ``assurance.domain.loads`` writes it in one transaction.
It is JSON-serialisable, so the command line can hand it to the running dashboard through the inbox.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass
class SourceFile:
    name: str  # as the person knows it: the file name, or archive.zip/member.csv
    path: str
    sha256: str
    bytes: int
    format: str = ""
    rows: int = 0


@dataclass
class ParsedImport:
    """A validated batch, ready to load: plain data only."""

    files: list[SourceFile] = field(default_factory=list)
    importers: list[str] = field(default_factory=list)  # e.g. ['police_uk_street 1.0']
    observations: list[dict] = field(
        default_factory=list
    )  # area, metric, quarter, value, numerator, denominator, source, note
    monthly: list[dict] = field(default_factory=list)  # area, month, measure, category, count
    unplaced: list[dict] = field(default_factory=list)  # month, measure, reason, count, example
    partial_quarters: list[dict] = field(default_factory=list)  # quarter, measure, months
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    restore_dir: str | None = None  # an export folder to restore (assurance.domain.loads.restore)

    @property
    def importer(self) -> str:
        return " + ".join(self.importers)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ParsedImport:
        data = json.loads(text)
        data["files"] = [SourceFile(**f) for f in data.get("files", [])]
        return cls(**data)

    def summary(self) -> str:
        """What the batch holds, in words."""
        parts = []
        if self.observations:
            quarters = sorted({o["quarter"] for o in self.observations})
            span = quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"
            parts.append(f"{len(self.observations)} quarterly figures ({span})")
        if self.monthly:
            months = sorted({m["month"] for m in self.monthly})
            parts.append(f"{len(self.monthly)} monthly counts ({months[0]} to {months[-1]})")
        if self.rows_rejected:
            parts.append(f"{self.rows_rejected} police.uk rows not placed in an LPA")
        for p in self.partial_quarters:
            parts.append(
                f"{p['quarter']} {p['measure']} partial ({', '.join(p['months'])} only): not written as a quarter"
            )
        if self.restore_dir:
            parts.append(f"export restore from {self.restore_dir}")
        return "; ".join(parts) or "nothing"
