"""What a load, an undo or a restore says back: the result, the conflicts it met, and the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assurance.core.errors import Refused


class LoadRefused(Refused):
    """A load or undo that cannot be done as asked, with a message for a person."""


@dataclass(frozen=True)
class Conflict:
    table: str  # 'observations' or 'monthly_counts'
    key: str  # e.g. 'shropshire police_uk_crimes 2023/24 Q4' or '2024-01 crimes'
    old: str
    new: str
    reason: str

    def line(self) -> str:
        return f"{self.key}: {self.reason}: {self.old} -> {self.new}"


@dataclass
class LoadResult:
    status: str  # 'loaded', 'already_loaded', 'refused', 'unchanged'
    message: str
    load_id: int | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    observations_written: int = 0
    monthly_written: int = 0
    replaced: int = 0

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "message": self.message,
            "load_id": self.load_id,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "observations_written": self.observations_written,
            "monthly_written": self.monthly_written,
            "replaced": self.replaced,
        }

    @classmethod
    def from_dict(cls, data: dict) -> LoadResult:
        data = dict(data)
        data["conflicts"] = [Conflict(**c) for c in data.get("conflicts", [])]
        return cls(**data)


def now() -> datetime:
    """The time a load, an undo or an export is stamped with (to the second)."""
    return datetime.now().replace(microsecond=0)
