"""The quarterly return: the force's figures in long format, one row per area, metric and quarter.

Columns (header names in any case and order): ``area, metric, quarter, value, numerator,
denominator, source, note``; area, metric and quarter are required, and value unless the metric is
a rate given by numerator and denominator. CSV (UTF-8, or Windows-1252 as Excel saves it) or XLSX
(the first sheet, or the sheet named "Return"). Areas by code or name (``shropshire``,
``Shropshire``, ``Telford and Wrekin``, ``West Mercia``/``force``), metrics by code or name, in any
case; an unknown one is refused with the closest known name suggested.

Rules: quarters like ``2024/25 Q2``; numbers only (thousands separators and a trailing % are
accepted); rates within 0-100; numerator not above denominator; no negative counts, numerators or
denominators; rates (metrics combined by ratio) need both numerator and denominator, and a value
given beside them must agree; other metrics take no numerator/denominator; force-only metrics only
for the force; each area, metric and quarter once. When all five LPAs of a summed or ratio metric
are given and the force is not, the force figure is computed from them (counts add up; a rate is the
summed numerators over the summed denominators) and says so in its note.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from datetime import date
from pathlib import Path

from assurance.core.periods import PeriodError, Quarter
from assurance.sources.common import (
    ParsedImport,
    SourceFile,
    ValidationReport,
    check_archive,
    read_text,
    reference,
    sniff_delimiter,
    suggest,
)

NAME = "quarterly_return"
VERSION = "1.0"
COLUMNS = ["area", "metric", "quarter", "value", "numerator", "denominator", "source", "note"]
REQUIRED = ["area", "metric", "quarter"]
SHEET = "Return"
MAX_TEXT = 500
# A return has ~10 metrics x 6 areas a quarter: a few hundred rows, even with years of history.
MAX_ROWS = 100_000
MAX_COLUMNS = 50
# An .xlsx is a zip of XML parts, checked from its directory before openpyxl opens it: 100,000 rows of
# eight columns come to ~40 MB of sheet XML; a workbook has a dozen parts, a few hundred at most.
MAX_XLSX_UNPACKED = 100 * 1024**2
MAX_XLSX_MEMBERS = 500


def looks_like(header: list[str]) -> bool:
    lowered = {h.strip().lower() for h in header}
    return {"area", "metric", "quarter"} <= lowered


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


def _number(text: str) -> float | None:
    """A number from text; None when empty. Raises ValueError for anything else."""
    cleaned = text.replace(",", "").replace("\u00a0", "").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _area_lookup() -> dict[str, str]:
    table = {}
    for area in reference().areas:
        code, name = area["code"], area["name"]
        for key in (code, name, name.replace("&", "and"), code.replace("_", " ")):
            table[key.lower()] = code
    table["force"] = "force"
    return table


def _metric_lookup() -> dict[str, str]:
    table = {}
    for metric in reference().metrics.values():
        table[metric.code.lower()] = metric.code
        table[metric.name.lower()] = metric.code
    return table


def parse(files: list[SourceFile], parsed: ParsedImport, report: ValidationReport, *, today: date) -> None:
    """Read and validate each return; add its observations (and computed force rows) to the batch.

    A quarter that has not ended by ``today`` is refused: its figures cannot be complete.
    """
    for file in files:
        rows = read_table(file, report)
        if rows is None:
            continue
        observations = _validate(file, rows, report, today)
        file.rows = sum(1 for r in rows[1:] if any(r))
        if rows and file.rows == 0:
            report.add(
                file.name,
                None,
                None,
                "no data rows: the return holds only its header",
                "one row per area, metric and quarter under the header",
            )
        parsed.files.append(file)
        parsed.rows_read += file.rows
        parsed.observations.extend(observations)
        parsed.rows_loaded += len(observations)
        parsed.observations.extend(_force_rows(observations))
    if f"{NAME} {VERSION}" not in parsed.importers:
        parsed.importers.append(f"{NAME} {VERSION}")


def _validate(file: SourceFile, rows: list[list[str]], report: ValidationReport, today: date) -> list[dict]:
    if not rows:
        report.add(file.name, 1, None, "the file is empty", f"a header row: {', '.join(COLUMNS)}")
        return []
    header = [h.strip().lower() for h in rows[0]]
    problems_before = len(report.problems)
    for name in REQUIRED + ["value"]:
        if name not in header:
            report.add(file.name, 1, name, "missing column", f"the columns {', '.join(COLUMNS)}")
    for position, name in enumerate(header):
        if name and name not in COLUMNS:
            report.add(file.name, 1, rows[0][position], "unexpected column", f"only {', '.join(COLUMNS)}")
        elif name and header.index(name) != position:
            report.add(file.name, 1, rows[0][position], "the column appears twice", "each column once")
    if len(report.problems) > problems_before:
        return []
    at = {name: header.index(name) for name in COLUMNS if name in header}
    areas, metrics = _area_lookup(), _metric_lookup()
    area_names = [a["name"] for a in reference().areas] + [a["code"] for a in reference().areas]
    metric_names = [m.code for m in reference().metrics.values()] + [m.name for m in reference().metrics.values()]
    seen: dict[tuple, int] = {}
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue

        def get(name: str, row=row) -> str:
            index = at.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        before = len(report.problems) + report.omitted
        area_text, metric_text, quarter_text = get("area"), get("metric"), get("quarter")
        area = areas.get(area_text.lower())
        if area is None:
            report.add(
                file.name,
                number,
                "area",
                f"unknown area {area_text!r}{suggest(area_text, area_names)}" if area_text else "empty",
                "an LPA or the force, by code or name (e.g. Shropshire, North Worcestershire, West Mercia)",
            )
        code = metrics.get(metric_text.lower())
        metric = reference().metrics.get(code) if code else None
        if metric is None:
            report.add(
                file.name,
                number,
                "metric",
                f"unknown metric {metric_text!r}{suggest(metric_text, metric_names)}" if metric_text else "empty",
                "a metric of the catalogue, by code or name (the template's second sheet lists them)",
            )
        try:
            parsed_quarter = Quarter.parse(quarter_text)
            quarter = parsed_quarter.label
        except PeriodError:
            quarter = None
            report.add(
                file.name,
                number,
                "quarter",
                f"{quarter_text!r} is not a financial quarter" if quarter_text else "empty",
                "a quarter like 2024/25 Q2 (Q1 = April-June)",
            )
        else:
            if parsed_quarter.end >= today:
                report.add(
                    file.name,
                    number,
                    "quarter",
                    f"{quarter} has not ended yet (it ends {parsed_quarter.end.day} {parsed_quarter.end:%B %Y}; today is {today.day} {today:%B %Y})",
                    "a quarter that has ended",
                    rule="quarter not ended",
                )
        parts = {}
        for name in ("value", "numerator", "denominator"):
            try:
                parts[name] = _number(get(name))
            except ValueError:
                parts[name] = None
                report.add(file.name, number, name, f"{get(name)!r} is not a number", "a number such as 1234 or 13.3")
        if metric is not None and area is not None and metric.level == "force" and area != "force":
            report.add(
                file.name, number, "area", f"{metric.name} is reported for the force only", "area West Mercia (force)"
            )
        if metric is not None:
            _check_parts(file, number, metric, parts, get, report)
        for name in ("source", "note"):
            if len(get(name)) > MAX_TEXT:
                report.add(file.name, number, name, f"{len(get(name))} characters", f"at most {MAX_TEXT}")
        if area and metric and quarter:
            key = (area, metric.code, quarter)
            if key in seen:
                report.add(
                    file.name,
                    number,
                    None,
                    f"{area} {metric.code} {quarter} is also on row {seen[key]}",
                    "each area, metric and quarter once",
                )
            seen.setdefault(key, number)
        if len(report.problems) + report.omitted > before:
            continue
        value = parts["value"]
        if value is None:  # a rate given by its parts
            value = round(parts["numerator"] / parts["denominator"] * metric.scale, 6)
        out.append(
            {
                "area": area,
                "metric": metric.code,
                "quarter": quarter,
                "value": value,
                "numerator": parts["numerator"],
                "denominator": parts["denominator"],
                "source": get("source") or f"Quarterly return {file.name}",
                "note": get("note") or None,
                "_origin": f"{file.name} row {number}",
            }
        )
    return out


def _check_parts(file: SourceFile, number: int, metric, parts: dict, get, report: ValidationReport) -> None:
    value, num, den = parts["value"], parts["numerator"], parts["denominator"]
    if metric.combine == "ratio":
        for name, part in (("numerator", num), ("denominator", den)):
            if part is None and get(name) == "":
                report.add(
                    file.name,
                    number,
                    name,
                    f"empty for the rate {metric.code}",
                    f"the {metric.numerator_label if name == 'numerator' else metric.denominator_label} "
                    "(the force rate is summed numerators over summed denominators)",
                )
    else:
        for name, part in (("numerator", num), ("denominator", den)):
            if part is not None:
                report.add(file.name, number, name, f"given for {metric.code}, which is not a rate", "empty")
        if value is None and get("value") == "":
            report.add(file.name, number, "value", "empty", f"the {metric.name.lower()} for the quarter")
    for name, part in (("numerator", num), ("denominator", den)):
        if part is not None and part < 0:
            report.add(file.name, number, name, f"negative ({part:g})", "zero or more")
    if value is not None and value < 0 and metric.unit in ("count", "percent", "days", "minutes", "seconds"):
        report.add(file.name, number, "value", f"negative ({value:g})", "zero or more")
    if metric.unit == "percent" and value is not None and not 0 <= value <= 100:
        report.add(file.name, number, "value", f"{value:g} is outside 0-100", "a percentage from 0 to 100")
    if metric.unit == "percent" and num is not None and den is not None and num > den:
        report.add(
            file.name, number, "numerator", f"{num:g} is above the denominator {den:g}", "at most the denominator"
        )
    if metric.combine == "ratio" and num is not None and den is not None:
        if den == 0:
            report.add(file.name, number, "denominator", "zero", "more than zero")
        elif value is not None:
            computed = num / den * metric.scale
            tolerance = 0.5 * 10 ** (-metric.decimals) + 1e-9
            if abs(computed - value) > tolerance:
                report.add(
                    file.name,
                    number,
                    "value",
                    f"{value:g} does not match numerator/denominator ({computed:.{metric.decimals + 1}f})",
                    "the value to agree with its numerator and denominator, or the value left empty",
                )


def _force_rows(observations: list[dict]) -> list[dict]:
    """Force figures computed from all five LPAs, where the return gives them and not the force."""
    ref = reference()
    lpas = set(ref.lpa_codes)
    by_key: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for obs in observations:
        by_key[(obs["metric"], obs["quarter"])][obs["area"]] = obs
    out = []
    for (code, quarter), areas in sorted(by_key.items()):
        metric = ref.metrics[code]
        if "force" in areas or set(areas) != lpas or metric.combine == "none" or metric.level != "lpa":
            continue
        parts = list(areas.values())
        if metric.combine == "sum":
            value, num, den = sum(p["value"] for p in parts), None, None
        else:
            num = sum(p["numerator"] for p in parts)
            den = sum(p["denominator"] for p in parts)
            if den == 0:
                continue
            value = round(num / den * metric.scale, 6)
        out.append(
            {
                "area": "force",
                "metric": code,
                "quarter": quarter,
                "value": value,
                "numerator": num,
                "denominator": den,
                "source": parts[0]["source"],
                "note": "force figure computed from the five LPAs on import",
                "_origin": parts[0]["_origin"].split(" row ")[0] + " (computed force)",
            }
        )
    return out


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
