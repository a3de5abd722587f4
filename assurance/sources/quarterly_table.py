"""The quarterly return as a table of text: its columns, and its rows read from CSV or XLSX within limits.

CSV (UTF-8, or Windows-1252 as Excel saves it; comma, semicolon or tab) or XLSX (the first sheet, or the sheet
named "Return"). A workbook is a zip of XML parts, checked for size and bombs before openpyxl opens it. The
rules a row must follow are ``quarterly_return``'s; this module only turns a file into rows of text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from assurance.sources.archives import check_archive
from assurance.sources.batch import SourceFile
from assurance.sources.files import read_text, sniff_delimiter
from assurance.sources.report import ValidationReport

COLUMNS = ["area", "metric", "quarter", "value", "numerator", "denominator", "source", "note"]
SHEET = "Return"
# A return has ~10 metrics x 6 areas a quarter: a few hundred rows, even with years of history.
MAX_ROWS = 100_000
MAX_COLUMNS = 50
# An .xlsx is a zip of XML parts, checked from its directory before openpyxl opens it: 100,000 rows of
# eight columns come to ~40 MB of sheet XML; a workbook has a dozen parts, a few hundred at most.
MAX_XLSX_UNPACKED = 100 * 1024**2
MAX_XLSX_MEMBERS = 500


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(file: SourceFile, report: ValidationReport) -> list[list[str]] | None:
    """The rows of a CSV or XLSX file as text (header first), or None after reporting why not."""
    path = Path(file.path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(file, report)
    read = read_text(file.name, path, report, expected="a CSV text file or an .xlsx workbook", utf8_only=False)
    if read is None:
        return None
    text, encoding = read
    if encoding == "cp1252":
        report.warnings.append(f"{file.name}: read as Windows-1252 text (it is not UTF-8)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n", 1)[0]))
    try:
        return _bounded(([c.strip() for c in row] for row in reader), file, report)
    except csv.Error as exc:
        report.add(file.name, reader.line_num, None, f"not valid CSV ({exc})", "a CSV file with one header row")
        return None


def _bounded(rows, file: SourceFile, report: ValidationReport) -> list[list[str]] | None:
    """The rows, read no further than MAX_ROWS rows and MAX_COLUMNS columns with anything in them."""
    out = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1 and any(row):  # + 1: the header
            report.add(
                file.name,
                number,
                None,
                f"the return has more than {MAX_ROWS:,} rows of figures; it was not read further",
                f"at most {MAX_ROWS:,} rows (one per area, metric and quarter)",
            )
            return None
        if len(row) > MAX_COLUMNS:
            beyond = next((i for i in range(len(row) - 1, MAX_COLUMNS - 1, -1) if row[i]), None)
            if beyond is not None:
                report.add(
                    file.name,
                    number,
                    f"column {beyond + 1}",
                    f"the return has more than {MAX_COLUMNS} columns; it was not read further",
                    f"at most {MAX_COLUMNS} columns (the return uses {len(COLUMNS)}: {', '.join(COLUMNS)})",
                )
                return None
            row = row[:MAX_COLUMNS]
        out.append(row)
    return out


def _read_xlsx(file: SourceFile, report: ValidationReport) -> list[list[str]] | None:
    """The first sheet (or "Return") as text, after the zip it is made of has been checked for size and bombs."""
    import zipfile

    try:
        with zipfile.ZipFile(file.path) as archive:
            limits = {"max_total": MAX_XLSX_UNPACKED, "max_member": MAX_XLSX_UNPACKED, "max_members": MAX_XLSX_MEMBERS}
            if not check_archive(archive, file.name, report, what="an .xlsx workbook", **limits):
                return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as exc:
        # NotImplementedError: a zip "version needed" or compression method Python cannot read
        report.add(file.name, None, None, f"not a readable .xlsx workbook ({exc})", "an .xlsx workbook")
        return None
    try:
        from openpyxl import load_workbook

        book = load_workbook(file.path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        report.add(file.name, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})", "an .xlsx workbook")
        return None
    try:
        if SHEET in book.sheetnames:
            sheet = book[SHEET]
        elif book.worksheets:
            sheet = book.worksheets[0]
        else:
            report.add(file.name, None, None, "the workbook has no worksheet", f"a sheet named {SHEET!r}, or one sheet")
            return None
        # The <dimension> a file declares is not trusted: it can claim a million rows by 16,384 columns, and
        # openpyxl would pad every row to it. Without it each row is as long as its last cell.
        sheet.reset_dimensions()
        rows = _bounded(([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)), file, report)
    except Exception as exc:  # a damaged part surfaces only while the sheet is read
        report.add(file.name, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})", "an .xlsx workbook")
        return None
    finally:
        book.close()
    return rows
