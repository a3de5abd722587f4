"""Sources: files -> validated batches, in memory. Nothing here writes to the database.

- ``read``: ``read_files`` detects each file's format and parses and validates the lot as one batch.
- Formats: ``quarterly_return`` (the product's own long-format return; its table ``quarterly_table``, its blank
  ``quarterly_template``), ``police_uk_street`` and ``police_uk_outcomes`` (police.uk files, several, or the
  archive zip; what they share is ``police_uk``), ``export_folder`` (a folder written by ``export``, to restore).
- What they share: ``report`` (problems, the validation report, ``ImportInvalid``), ``batch`` (the validated
  batch), ``files`` (text, encodings, limits), ``archives`` (zip checks and unpacking), ``reference`` (the
  shipped lookups and their attributions).
- ``national/``: police.uk street-level archives of every force, for the national comparison
  (``read_any`` sends street files of other forces, or of several, there).
- ``minutes/``: meeting minutes -> a proposal; ``demo`` (with ``demo_series``, ``demo_shapes``): the
  illustrative demo figures.

The loading itself (conflicts, the transaction, provenance, undo, restore) is in ``assurance.domain.loads``.
"""

from assurance.sources.batch import ParsedImport
from assurance.sources.read import read_any, read_files
from assurance.sources.report import ImportInvalid, Problem, ValidationReport

__all__ = ["ImportInvalid", "ParsedImport", "Problem", "ValidationReport", "read_any", "read_files"]
