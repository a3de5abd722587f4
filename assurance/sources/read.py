"""``read_files``: detect each file's format, parse it and validate it, as one batch; nothing touches the database.

``read_files(paths)`` detects each file's format from its header (or the folder of an export), parses it, and
validates it in memory against the shipped reference data (areas, metric catalogue, ONS LSOA lookup). The
result, a ``ParsedImport``, is plain data that ``assurance.domain.loads.load`` writes in one transaction. Any
problem raises ``ImportInvalid`` carrying the whole report.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

from assurance.sources import files, police_uk, police_uk_outcomes, police_uk_street, quarterly_return
from assurance.sources.archives import unzip
from assurance.sources.batch import ParsedImport, SourceFile
from assurance.sources.export_folder import check_manifest, read_export
from assurance.sources.files import first_record, looks_binary, sha256_of, size_text
from assurance.sources.report import ImportInvalid, ValidationReport

FORMAT_NAMES = {
    "quarterly_return": "quarterly return",
    "police_uk_street": "police.uk street-level crime",
    "police_uk_outcomes": "police.uk outcomes",
    "export": "export folder",
}
EXPECTED_FORMATS = (
    "a quarterly return (columns area, metric, quarter, value, numerator, denominator, source, note; CSV or XLSX), "
    "a police.uk street-level or outcomes CSV (or the police.uk archive zip), or a folder written by "
    "`python -m assurance export`"
)


def detect(path: Path) -> str | None:
    """The format of a file or folder, or None when it is not one this program reads."""
    if path.is_dir():
        return "export" if (path / "manifest.json").is_file() else None
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return "zip"
    if suffix in (".xlsx", ".xlsm"):
        return "quarterly_return"
    header = first_record(path)
    if not header:
        return None
    cleaned = [h.strip() for h in header]
    if cleaned == police_uk_street.COLUMNS:
        return "police_uk_street"
    if cleaned == police_uk_outcomes.COLUMNS:
        return "police_uk_outcomes"
    if quarterly_return.looks_like(cleaned):
        return "quarterly_return"
    return None


def _header_problem(report: ValidationReport, name: str, path: Path) -> None:
    header = first_record(path) if path.is_file() else None
    shown = ", ".join(header[:12]) if header else "(no readable header)"
    if path.suffix.lower() == ".xls":
        report.add(name, 1, None, "this is an old Excel .xls workbook", "a .xlsx workbook or a CSV file")
    elif path.is_file() and looks_binary(path):
        report.add(
            name,
            1,
            None,
            "this is not a CSV text file: it holds binary data (control characters in its first line)",
            "a CSV file saved as text (UTF-8), an .xlsx workbook or a police.uk archive zip",
        )
    else:
        report.add(name, 1, None, f"the header is not one this program reads: {shown[:300]}", EXPECTED_FORMATS)


def _read_archive(
    path: Path, name: str, into: Path, report: ValidationReport, hasher: ThreadPoolExecutor
) -> list[SourceFile]:
    """The members of a zip this program reads; a member that is not text is a problem, one of another format
    (police.uk's stop-and-search files) is skipped and said so; an archive with nothing to read is a problem."""
    found, skipped = [], []
    members = unzip(path, name, into, report)
    for member_name, member_path in members:
        member_kind = detect(member_path)
        if member_kind is None:
            if member_path.suffix == ".csv" and looks_binary(member_path):
                _header_problem(report, member_name, member_path)
            else:
                skipped.append(member_name)
                report.warnings.append(f"{member_name}: skipped (not a format this program reads)")
            continue
        found.append(_source(member_name, member_path, member_kind, hasher))
    if members and not found and skipped:
        shown = ", ".join(s.removeprefix(f"{name}/") for s in skipped[:5]) + (" ..." if len(skipped) > 5 else "")
        report.add(
            name,
            None,
            None,
            f"none of the archive's CSV files is one this program reads (skipped: {shown})",
            "police.uk street-level or outcomes files (their headers as police.uk publishes them)",
        )
    return found


def _identical_files(by_format: dict[str, list[SourceFile]], report: ValidationReport) -> None:
    """Two of the files given have the same content (the same file twice, or a copy): a problem, and the copy
    is not read (its rows would count twice)."""
    by_size: dict[int, list[SourceFile]] = {}
    for group in by_format.values():
        for f in group:
            if f.format != "export":
                by_size.setdefault(f.bytes, []).append(f)
    copies = set()
    for same_size in by_size.values():
        if len(same_size) < 2:  # a file of a size no other has cannot be a copy: not hashed here
            continue
        first_by_sha: dict[str, SourceFile] = {}
        for f in same_size:
            sha = f.sha256.result() if isinstance(f.sha256, Future) else f.sha256
            if sha in first_by_sha:
                first = first_by_sha[sha].name
                report.add(
                    f.name,
                    None,
                    None,
                    "the file is given twice" if first == f.name else f"the same file as {first} (identical content)",
                    "each file once: its rows would be counted twice",
                )
                copies.add(id(f))
            else:
                first_by_sha[sha] = f
    for kind, group in by_format.items():
        by_format[kind] = [f for f in group if id(f) not in copies]


def read_files(
    paths: list[str | os.PathLike[str]], names: list[str] | None = None, *, today: date | None = None
) -> ParsedImport:
    """Detect, parse and validate files (and zips, and export folders) as one batch; raise ImportInvalid.

    ``today`` (default: the date now) is the day against which a quarter or month "has not ended yet".
    """
    today = today or date.today()
    report = ValidationReport()
    if not paths:
        report.add("(no files)", None, None, "no files were given", "one or more files to import")
        raise ImportInvalid(report)
    names = list(names) if names else [Path(p).name for p in paths]
    by_format: dict[str, list[SourceFile]] = {}
    # SHA-256s are computed in a thread while the files are parsed (hashlib releases the GIL).
    with tempfile.TemporaryDirectory(prefix="assurance-import-") as tmp, ThreadPoolExecutor(1) as hasher:
        for position, (raw, name) in enumerate(zip(paths, names, strict=True)):
            path = Path(raw)
            if not path.exists():
                report.add(name, None, None, "no such file", "an existing file")
                continue
            if path.is_file() and path.stat().st_size > files.MAX_FILE_BYTES:
                report.add(
                    name,
                    None,
                    None,
                    f"the file is {size_text(path.stat().st_size)}; it was not read",
                    f"a file of at most {size_text(files.MAX_FILE_BYTES)} (split larger police.uk data into months)",
                )
                continue
            if path.is_file() and path.stat().st_size == 0:
                report.add(name, None, None, "the file is empty (0 bytes)", EXPECTED_FORMATS)
                continue
            kind = detect(path)
            if kind == "zip":
                into = Path(tmp) / f"{position:04d}"
                into.mkdir()
                for source in _read_archive(path, name, into, report, hasher):
                    by_format.setdefault(source.format, []).append(source)
                continue
            if kind is None:
                _header_problem(report, name, path)
                continue
            if kind == "export":
                by_format.setdefault(kind, []).append(SourceFile(name, str(path.resolve()), "", 0, "export", 0))
                continue
            by_format.setdefault(kind, []).append(_source(name, path, kind, hasher))
        _identical_files(by_format, report)
        if report.problems:
            raise ImportInvalid(report)
        if not by_format:
            report.add(", ".join(names), None, None, "nothing to import was found", EXPECTED_FORMATS)
            raise ImportInvalid(report)

        parsed = ParsedImport(warnings=list(report.warnings))
        if "export" in by_format:
            if len(by_format) > 1 or len(by_format["export"]) > 1:
                report.add(", ".join(names), None, None, "an export folder must be imported on its own", "one folder")
                raise ImportInvalid(report)
            folder = Path(by_format["export"][0].path)
            if not check_manifest(folder, report):
                raise ImportInvalid(report)
            return read_export(folder, report)
        if "quarterly_return" in by_format:
            quarterly_return.parse(by_format["quarterly_return"], parsed, report, today=today)
        police = by_format.get("police_uk_street", []) + by_format.get("police_uk_outcomes", [])
        if police:
            con = police_uk.scan_connection()
            try:
                for layout in (police_uk_street.LAYOUT, police_uk_outcomes.LAYOUT):
                    if layout.name in by_format:
                        police_uk.parse(layout, con, by_format[layout.name], parsed, report, today=today)
            finally:
                con.close()
        check_duplicate_observations(parsed, report)
        if report.problems or report.omitted:
            raise ImportInvalid(report)
        parsed.warnings = list(report.warnings)
        for f in parsed.files:
            if isinstance(f.sha256, Future):
                f.sha256 = f.sha256.result()
            f.path = ""  # the temporary copies are gone; the name and SHA-256 are what is kept
        return parsed


def _source(name: str, path: Path, kind: str, hasher: ThreadPoolExecutor) -> SourceFile:
    """The file's record; its SHA-256 is a Future until read_files resolves it."""
    return SourceFile(name, str(path), hasher.submit(sha256_of, path), path.stat().st_size, kind)  # type: ignore[arg-type]


def _origin_place(origin: str) -> tuple[str, int | None]:
    """'a.csv row 3' -> ('a.csv', 3); 'a.csv (computed force)' -> ('a.csv', None); '' (police.uk) -> a name."""
    if not origin:
        return "the police.uk files", None
    file, _, row = origin.partition(" row ")
    return (file, int(row)) if row.isdigit() else (origin.removesuffix(" (computed force)"), None)


def check_duplicate_observations(parsed: ParsedImport, report: ValidationReport) -> None:
    """Two files of one batch giving the same area, metric and quarter: named with the rows of both."""
    seen: dict[tuple, str] = {}
    for obs in parsed.observations:
        key = (obs["area"], obs["metric"], obs["quarter"])
        origin = obs.get("_origin", "")
        if key in seen and seen[key] != origin:
            file, row = _origin_place(origin)
            report.add(
                file,
                row,
                None,
                f"{key[0]} {key[1]} {key[2]} is also given by {seen[key] or 'the police.uk files'}",
                "each area, metric and quarter in one file only: remove it from one of them",
                rule="duplicate across files",
            )
        seen.setdefault(key, origin)
    for obs in parsed.observations:
        obs.pop("_origin", None)


def read_any(
    paths: list[str | os.PathLike[str]], names: list[str] | None = None, *, today: date | None = None, progress=None
):
    """``read_national`` for police.uk street files of other forces or of several (the national comparison), else
    ``read_files``: the one entry point for the command line, the inbox and the Data page. ``progress(done, of,
    name)`` is told of each national file as it is counted."""
    from assurance.sources.national.archive import read_national
    from assurance.sources.national.members import is_national

    if is_national(paths):
        return read_national(paths, names, today=today, progress=progress)
    return read_files(paths, names, today=today)
