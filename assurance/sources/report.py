"""What is wrong with an input, and where: problems, the validation report, and the error that carries it.

Every importer adds to one ``ValidationReport``; when it holds a problem, nothing is loaded and ``ImportInvalid``
carries the whole report: every problem with file, row, column, what is wrong and what was expected. Rows count
the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from assurance.core.errors import InvalidInput

MAX_PROBLEMS_PER_RULE = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    file: str
    row: int | None
    column: str | None
    message: str
    expected: str

    def line(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}; expected {self.expected}"


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _per_rule: dict = field(default_factory=dict, repr=False)
    omitted: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, file: str, row: int | None, column: str | None, message: str, expected: str, rule: str = "") -> None:
        """Record a problem; past MAX_PROBLEMS_PER_RULE of one rule in one file they are only counted."""
        key = (file, rule or message)
        seen = self._per_rule.get(key, 0)
        self._per_rule[key] = seen + 1
        if seen >= MAX_PROBLEMS_PER_RULE:
            self.omitted += 1
            return
        self.problems.append(Problem(file, row, column, message, expected))

    def extend(self, other: ValidationReport) -> None:
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)
        self.omitted += other.omitted

    def lines(self) -> list[str]:
        out = [p.line() for p in self.problems]
        if self.omitted:
            out.append(f"... and {self.omitted} more problems of the same kinds (first {MAX_PROBLEMS_PER_RULE} shown)")
        return out

    def to_rows(self) -> list[dict]:
        return [
            {"file": p.file, "row": p.row, "column": p.column, "problem": p.message, "expected": p.expected}
            for p in self.problems
        ]


class ImportInvalid(InvalidInput):
    """The input cannot be loaded; ``report`` lists every problem."""

    def __init__(self, report: ValidationReport):
        self.report = report
        count = len(report.problems) + report.omitted
        first = report.problems[0].line() if report.problems else "no details"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"Nothing can be loaded; problems found: {count}. {first}{more}")

    def details(self) -> list[str]:
        return self.report.lines()


def suggest(word: str, known: list[str]) -> str:
    """' (did you mean "X"?)' for the closest known name, or ''."""
    lowered = {k.lower(): k for k in known}
    match = difflib.get_close_matches(word.strip().lower(), list(lowered), n=1, cutoff=0.6)
    return f' (did you mean "{lowered[match[0]]}"?)' if match else ""
