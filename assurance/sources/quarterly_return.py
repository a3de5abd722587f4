"""The quarterly return: the force's figures in long format, one row per area, metric and quarter.

Columns (header names in any case and order): ``area, metric, quarter, value, numerator,
denominator, source, note``; area, metric and quarter are required, and value unless the metric is
a rate given by numerator and denominator. CSV or XLSX, read into rows of text by ``quarterly_table``
(the blank template is ``quarterly_template``'s). Areas by code or name (``shropshire``,
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

import math
from collections import defaultdict
from datetime import date

from assurance.core.periods import PeriodError, Quarter
from assurance.sources.batch import ParsedImport, SourceFile
from assurance.sources.quarterly_table import COLUMNS, read_table
from assurance.sources.reference import reference
from assurance.sources.report import ValidationReport, suggest

NAME = "quarterly_return"
VERSION = "1.0"
REQUIRED = ["area", "metric", "quarter"]
MAX_TEXT = 500


def looks_like(header: list[str]) -> bool:
    lowered = {h.strip().lower() for h in header}
    return {"area", "metric", "quarter"} <= lowered


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
