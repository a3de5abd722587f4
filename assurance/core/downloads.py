"""Tables for download: CSV and XLSX that a spreadsheet opens as data, never as formulas.

Every CSV or workbook the product writes for people goes through here. A text cell that a spreadsheet
would read as a formula (it begins with = + - @, a tab or a carriage return, after any spaces; the
full-width ＝ ＋ － ＠ too) is written as text: in CSV with a leading apostrophe, in XLSX as a string cell
marked "quote prefix" (Excel shows it as typed and never evaluates it). Numbers stay numbers: a numeric
column is written as it is, and text that is just a number ("-1.5", "+3", "-12%") is left alone, since a
spreadsheet reads it as that number and nothing else.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs ~0.5 s to import: only to_csv_bytes needs it
    import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL_START = ("\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def is_formula_like(value: object) -> bool:
    """True for text that a spreadsheet would evaluate: it begins (after spaces) with = + - @ or a tab/return."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(_CONTROL_START):
        return True
    stripped = value.lstrip(" ")
    if not stripped.startswith(_FORMULA_START):
        return False
    # "-1.5" or "+3%" is read as that number, which is what it is; anything more ("-1+2", "=1") is a formula.
    return not (any(c.isdigit() for c in stripped) and _PLAIN_NUMBER.fullmatch(stripped.rstrip(" ")))


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe, so it stays text."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (Excel reads the £, − and ✓ correctly), formula injection neutralised."""
    import pandas as pd

    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            continue  # numbers (including -1.5) and booleans are written as they are
        if pd.api.types.is_datetime64_any_dtype(column) or isinstance(column.dtype, pd.PeriodDtype):
            continue
        # object, string and categorical columns: any cell may be text
        safe.isetitem(position, column.astype(object).map(neutralise))
    return safe.to_csv(index=False).encode("utf-8-sig")


def csv_row(values: list[object]) -> list[object]:
    """One row for csv.writer, formula injection neutralised."""
    return [neutralise(v) for v in values]


def append_xlsx_row(sheet, values: list[object]) -> None:
    """Append a row to an openpyxl worksheet; text a spreadsheet would evaluate is stored as quoted text.

    openpyxl stores any text beginning with "=" as a formula; here such text (and text beginning with
    + - @ or a tab/return) becomes a string cell with Excel's quote prefix, shown exactly as written.
    """
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
