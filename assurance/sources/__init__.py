"""Importers: one module per input format, all validating first and loading in one transaction.

- ``quarterly_return``: the product's own long-format return (CSV or XLSX).
- ``police_uk_street``: police.uk street-level crime files (CSV, several, or the archive zip).
- ``police_uk_outcomes``: police.uk outcomes files.
- ``common``: problems, the validation report, format detection and ``read_files``.

The loading itself (conflicts, the transaction, provenance, undo, export) is in ``assurance.domain.loads``.
"""

from assurance.sources.common import ImportInvalid, ParsedImport, Problem, ValidationReport, read_files

__all__ = ["ImportInvalid", "ParsedImport", "Problem", "ValidationReport", "read_files"]
