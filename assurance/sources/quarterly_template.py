"""The blank quarterly return people fill in: the header row, and in XLSX the catalogue and areas beside it."""

from __future__ import annotations

import csv
from pathlib import Path

from assurance.sources.quarterly_table import COLUMNS, SHEET
from assurance.sources.reference import reference


def write_template(path: Path) -> None:
    """A blank return: the header row (XLSX: the metric catalogue and the areas as second and third sheets)."""
    from assurance.core.downloads import append_xlsx_row, csv_row

    ref = reference()
    if path.suffix.lower() == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerow(csv_row(COLUMNS))
        return
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    append_xlsx_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGH", (22, 34, 12, 12, 12, 12, 40, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    metrics = book.create_sheet("Metrics")
    append_xlsx_row(
        metrics, ["code", "name", "unit", "level", "rate: give numerator and denominator", "definition", "source"]
    )
    for m in ref.metrics.values():
        append_xlsx_row(
            metrics, [m.code, m.name, m.unit, m.level, "yes" if m.combine == "ratio" else "no", m.definition, m.source]
        )
    areas = book.create_sheet("Areas")
    append_xlsx_row(areas, ["code", "name", "kind", "districts"])
    for a in ref.areas:
        append_xlsx_row(areas, [a["code"], a["name"], a["kind"], a["districts"]])
    for extra in (metrics, areas):
        for cell in extra[1]:
            cell.font = Font(bold=True)
    book.save(path)
