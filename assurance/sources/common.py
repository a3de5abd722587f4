"""What every importer shares: problems, the validation report, format detection and ``read_files``.

``read_files(paths)`` detects each file's format from its header (or the folder of an export),
parses it, and validates it in memory against the shipped reference data (areas, metric
catalogue, ONS LSOA lookup). Nothing touches the database here: the result, a ``ParsedImport``,
is plain data (JSON-serialisable, so the CLI can hand it to the running dashboard through the
inbox) that ``assurance.domain.loads.load`` writes in one transaction. Any problem raises
``ImportInvalid`` carrying the whole report: every problem with file, row, column, what is wrong
and what was expected. Rows count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from assurance.core.errors import InvalidInput
from assurance.core.metrics import Metric, load_catalogue
from assurance.core.paths import DATA_DIR

REFERENCE_DIR = DATA_DIR / "reference"
POLICE_UK_METRICS_CSV = REFERENCE_DIR / "police_uk_metrics.csv"
LSOA_LOOKUP_CSV = REFERENCE_DIR / "ons-lsoa21-ward22-lad22-lookup-west-mercia.csv"
MAX_PROBLEMS_PER_RULE = 50
# Hostile or broken input is refused before it is parsed or unpacked, with the limit named.
# A police.uk street-level month for West Mercia is ~2 MB and three years of street, outcomes and
# stop-and-search files ~130 MB unpacked (~30 MB zipped); a quarterly return is a few hundred rows.
MAX_FILE_BYTES = 200 * 1024**2  # one file as given (CSV, XLSX or zip), and one CSV unpacked from a zip
MAX_ZIP_BYTES = 1024**3  # a police.uk archive, all its members unpacked: 8x three years of West Mercia
MAX_ZIP_MEMBERS = 2000
# A CSV deflates ~4-5:1 and an XLSX part ~8:1; 1000:1 is a zip bomb. Members under 1 MB unpacked are not
# checked: they cannot do harm, and a near-empty part may compress very well.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024**2

POLICE_UK_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 (data.police.uk)."
)
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right."
)


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


@dataclass
class SourceFile:
    name: str  # as the person knows it: the file name, or archive.zip/member.csv
    path: str
    sha256: str
    bytes: int
    format: str = ""
    rows: int = 0


@dataclass
class ParsedImport:
    """A validated batch, ready to load: plain data only."""

    files: list[SourceFile] = field(default_factory=list)
    importers: list[str] = field(default_factory=list)  # e.g. ['police_uk_street 1.0']
    observations: list[dict] = field(
        default_factory=list
    )  # area, metric, quarter, value, numerator, denominator, source, note
    monthly: list[dict] = field(default_factory=list)  # area, month, measure, category, count
    unplaced: list[dict] = field(default_factory=list)  # month, measure, reason, count, example
    partial_quarters: list[dict] = field(default_factory=list)  # quarter, measure, months
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    restore_dir: str | None = None  # an export folder to restore (assurance.domain.loads.restore)

    @property
    def importer(self) -> str:
        return " + ".join(self.importers)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ParsedImport:
        data = json.loads(text)
        data["files"] = [SourceFile(**f) for f in data.get("files", [])]
        return cls(**data)

    def summary(self) -> str:
        """What the batch holds, in words."""
        parts = []
        if self.observations:
            quarters = sorted({o["quarter"] for o in self.observations})
            span = quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"
            parts.append(f"{len(self.observations)} quarterly figures ({span})")
        if self.monthly:
            months = sorted({m["month"] for m in self.monthly})
            parts.append(f"{len(self.monthly)} monthly counts ({months[0]} to {months[-1]})")
        if self.rows_rejected:
            parts.append(f"{self.rows_rejected} police.uk rows not placed in an LPA")
        for p in self.partial_quarters:
            parts.append(
                f"{p['quarter']} {p['measure']} partial ({', '.join(p['months'])} only): not written as a quarter"
            )
        if self.restore_dir:
            parts.append(f"export restore from {self.restore_dir}")
        return "; ".join(parts) or "nothing"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Reference:
    areas: tuple[dict, ...]
    metrics: dict[str, Metric]
    district_to_lpa: dict[str, str]

    @property
    def lpa_codes(self) -> list[str]:
        return [a["code"] for a in self.areas if a["kind"] == "lpa"]


@cache
def reference() -> Reference:
    """The shipped areas, the metric catalogue plus the police.uk metrics, and district -> LPA."""
    with open(DATA_DIR / "areas.csv", newline="", encoding="utf-8-sig") as handle:
        areas = tuple(csv.DictReader(handle))
    metrics = {m.code: m for m in load_catalogue()}
    metrics.update({m.code: m for m in load_catalogue(POLICE_UK_METRICS_CSV)})
    district_to_lpa = {}
    for area in areas:
        if area["kind"] == "lpa":
            for district in area["districts"].split(";"):
                district_to_lpa[district.strip()] = area["code"]
    return Reference(areas, metrics, district_to_lpa)


def police_uk_metric_codes() -> set[str]:
    return {m.code for m in load_catalogue(POLICE_UK_METRICS_CSV)}


def suggest(word: str, known: list[str]) -> str:
    """' (did you mean "X"?)' for the closest known name, or ''."""
    lowered = {k.lower(): k for k in known}
    match = difflib.get_close_matches(word.strip().lower(), list(lowered), n=1, cutoff=0.6)
    return f' (did you mean "{lowered[match[0]]}"?)' if match else ""


# ----------------------------------------------------------------------------- detection

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


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0 control characters a CSV text never holds (tab, line feed, carriage return and form feed aside): a
# header line with one of these is binary data, not text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode_head(head: bytes) -> str:
    """The start of a file as text (it may end part-way through a character): for detection only."""
    if head.startswith(UTF16_BOMS):
        return codecs.getincrementaldecoder("utf-16")(errors="replace").decode(head, final=False)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _field_at(line: str, columns: list[str] | None) -> str | None:
    """The column a position falls in, given the text of its line up to that position (police.uk: commas)."""
    if not columns:
        return None
    try:
        fields = next(csv.reader([line]), [""])
    except csv.Error:
        return None
    index = max(len(fields), 1) - 1
    return columns[index] if index < len(columns) else None


def read_text(
    name: str,
    path: Path,
    report: ValidationReport,
    *,
    expected: str,
    utf8_only: bool,
    columns: list[str] | None = None,
) -> tuple[str, str] | None:
    """A CSV file's whole text and its encoding, or None after naming what makes it unreadable, and where.

    The one place a CSV (a file as given or a member unpacked from a zip) is turned into text. Refused: a
    UTF-16 file where only UTF-8 will do, bytes that are not text in the encoding (``utf8_only``: police.uk
    publishes UTF-8, so anything else is damage or a re-save; otherwise Windows-1252 is read, as Excel saves
    it), and a NUL character, which no CSV holds (a damaged file, or one that is not text). Each is named
    with its line (counted from the byte where it is) and, given the ``columns``, the column it falls in.
    """
    data = path.read_bytes()
    if not data:
        report.add(name, None, None, "the file is empty (0 bytes)", expected)
        return None
    if data.startswith(UTF16_BOMS):
        if utf8_only:
            report.add(name, 1, None, "the file is UTF-16 text", expected)
            return None
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            start = exc.start - exc.start % 2
            line = data[:start].decode("utf-16", errors="replace").count("\n") + 1
            report.add(name, line, None, "the UTF-16 text is damaged: it does not decode", expected)
            return None
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            if utf8_only:
                line_start = data.rfind(b"\n", 0, exc.start) + 1
                prefix = data[line_start : exc.start].decode("utf-8", errors="replace")
                report.add(
                    name,
                    data.count(b"\n", 0, exc.start) + 1,
                    _field_at(prefix, columns),
                    f"byte 0x{data[exc.start]:02X} is not UTF-8 text (the file is damaged, or was saved in "
                    "another encoding)",
                    expected,
                )
                return None
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    nul = text.find("\x00")
    if nul >= 0:
        line_start = text.rfind("\n", 0, nul) + 1
        report.add(
            name,
            text.count("\n", 0, nul) + 1,
            _field_at(text[line_start:nul], columns),
            "a NUL character (byte 0x00), which no CSV text holds: the file is damaged",
            expected,
        )
        return None
    return text, encoding


def sniff_delimiter(first_line: str) -> str:
    """Comma, or the semicolon or tab Excel uses in some locales: whichever the header line has most of."""
    return max((",", ";", "\t"), key=first_line.count)


def first_record(path: Path) -> list[str] | None:
    """The header record of a CSV file, or None when its first line is not text (binary data)."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    text = _decode_head(head)
    first_line = text.split("\n", 1)[0]
    if CONTROL_CHARACTERS.search(first_line.rstrip("\r")):
        return None
    try:
        return next(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first_line)), None)
    except csv.Error:
        return None


def looks_binary(path: Path) -> bool:
    """A file whose first line holds control characters or NULs: binary data (or UTF-16 without its BOM)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return bool(head) and bool(CONTROL_CHARACTERS.search(_decode_head(head).split("\n", 1)[0].rstrip("\r")))


def detect(path: Path) -> str | None:
    """The format of a file or folder, or None when it is not one this program reads."""
    from assurance.sources import police_uk_outcomes, police_uk_street, quarterly_return

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


def size_text(size: int) -> str:
    """Bytes in words: '200 MB', '1.5 GB', '12 kB'."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _unsafe_member_name(inner: str) -> bool:
    """An absolute path, a drive letter or a '..' step: unpacked as named, it would land outside the folder."""
    parts = inner.replace("\\", "/").split("/")
    return inner.startswith(("/", "\\")) or (len(inner) > 1 and inner[1] == ":") or ".." in parts


def check_archive(
    archive: zipfile.ZipFile,
    name: str,
    report: ValidationReport,
    *,
    max_total: int,
    max_member: int,
    max_members: int,
    what: str,
) -> bool:
    """Refuse, from the zip's directory alone (nothing is unpacked), an archive too big or shaped like an attack.

    Checked: the number of members, each member's and the total unpacked size, the compression ratio of
    each member (a zip bomb unpacks 1000:1), member names pointing outside the folder (zip slip), and
    encrypted members. ``what`` names the kind of file for the messages ("a police.uk archive").
    """
    members = [m for m in archive.infolist() if not m.is_dir()]
    before = len(report.problems)
    if len(members) > max_members:
        report.add(name, None, None, f"the archive holds {len(members):,} files", f"{what} of at most {max_members:,}")
        return False
    total = 0
    for member in members:
        inner = member.filename
        total += member.file_size
        if _unsafe_member_name(inner):
            report.add(
                name,
                None,
                None,
                f"the member {inner[:200]!r} is named with a path outside the archive (a 'zip slip')",
                f"{what} whose members have plain relative names",
                rule="zip slip",
            )
        if member.flag_bits & 0x1:
            report.add(name, None, None, f"the member {inner[:200]!r} is encrypted", f"{what} without a password")
        if member.file_size > max_member:
            report.add(
                name,
                None,
                None,
                f"the member {inner[:200]!r} unpacks to {size_text(member.file_size)}",
                f"{what} whose files unpack to at most {size_text(max_member)} each",
                rule="member size",
            )
        elif (
            member.file_size >= RATIO_CHECKED_FROM
            and (ratio := member.file_size / max(member.compress_size, 1)) > MAX_COMPRESSION_RATIO
        ):
            report.add(
                name,
                None,
                None,
                f"the member {inner[:200]!r} would unpack {ratio:,.0f} times larger than it is stored "
                "(a 'zip bomb'); it was not unpacked",
                f"{what} compressed at most {MAX_COMPRESSION_RATIO}:1",
                rule="ratio",
            )
    if total > max_total:
        report.add(
            name,
            None,
            None,
            f"the archive unpacks to {size_text(total)}",
            f"{what} of at most {size_text(max_total)} unpacked",
        )
    return len(report.problems) == before


def _copy_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, limit: int) -> bool:
    """Unpack one member to target, stopping (False) past ``limit`` bytes whatever its header says."""
    written = 0
    with archive.open(member) as src, open(target, "wb") as dst:
        while block := src.read(1 << 20):
            written += len(block)
            if written > limit:
                return False
            dst.write(block)
    return True


ARCHIVE_EXPECTED = "a .zip file such as the police.uk archive, whole as downloaded"


def _unzip(path: Path, name: str, into: Path, report: ValidationReport) -> list[tuple[str, Path]]:
    """The CSV members of a zip, unpacked under ``into``; other members are skipped with a warning.

    Anything that goes wrong reading the archive or a member is a problem naming it: zipfile raises many
    kinds for damaged bytes (BadZipFile, zlib.error, EOFError, a UnicodeDecodeError for a damaged member
    name, lzma and bz2 errors, ...), so every exception is caught here, once, rather than type by type.
    """
    what = "a police.uk archive"
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # damaged input: see the docstring
        with open(path, "rb") as handle:
            started_as_zip = handle.read(4) == b"PK\x03\x04"
        if started_as_zip:
            message = f"the zip archive is incomplete or damaged: its directory cannot be read ({exc})"
        else:
            message = f"not a readable zip archive ({exc})"
        report.add(name, None, None, message, ARCHIVE_EXPECTED)
        return []
    out = []
    with archive:
        limits = {"max_total": MAX_ZIP_BYTES, "max_member": MAX_FILE_BYTES, "max_members": MAX_ZIP_MEMBERS}
        if not check_archive(archive, name, report, what=what, **limits):
            return []
        before = len(report.problems)
        for index, member in enumerate(m for m in archive.infolist() if not m.is_dir()):
            inner = member.filename
            where = f"{name}/{inner}"
            if inner.lower().endswith(".zip"):
                report.add(
                    where,
                    None,
                    None,
                    "an archive inside the archive; it was not unpacked",
                    "the police.uk CSV files themselves: unpack the inner archive and import it on its own",
                )
                continue
            if not inner.lower().endswith((".csv", ".xlsx")):
                report.warnings.append(f"{where}: skipped (not a CSV file)")
                continue
            if member.file_size == 0:
                report.add(where, None, None, "the file is empty (0 bytes)", "the rows of a police.uk CSV file")
                continue
            target = into / f"{index:05d}{Path(inner).suffix.lower()}"  # never a path taken from the archive
            try:
                complete = _copy_member(archive, member, target, MAX_FILE_BYTES)
            except Exception as exc:  # damaged input: see the docstring
                report.add(where, None, None, f"could not be unpacked ({exc})", "an undamaged police.uk archive")
                return []
            if not complete:
                report.add(
                    where,
                    None,
                    None,
                    f"unpacks to more than {size_text(MAX_FILE_BYTES)}; it was not unpacked further",
                    f"{what} whose files unpack to at most {size_text(MAX_FILE_BYTES)} each",
                )
                return []
            out.append((where, target))
    if not out and len(report.problems) == before:
        report.add(name, None, None, "the archive holds no CSV files", "police.uk monthly CSV files")
    return out


def _read_archive(
    path: Path, name: str, into: Path, report: ValidationReport, hasher: ThreadPoolExecutor
) -> list[SourceFile]:
    """The members of a zip this program reads; a member that is not text is a problem, one of another format
    (police.uk's stop-and-search files) is skipped and said so; an archive with nothing to read is a problem."""
    found, skipped = [], []
    members = _unzip(path, name, into, report)
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
    for files in by_format.values():
        for f in files:
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
    for kind, files in by_format.items():
        by_format[kind] = [f for f in files if id(f) not in copies]


def read_files(
    paths: list[str | os.PathLike[str]], names: list[str] | None = None, *, today: date | None = None
) -> ParsedImport:
    """Detect, parse and validate files (and zips, and export folders) as one batch; raise ImportInvalid.

    ``today`` (default: the date now) is the day against which a quarter or month "has not ended yet".
    """
    from assurance.sources import police_uk_outcomes, police_uk_street, quarterly_return

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
            if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
                report.add(
                    name,
                    None,
                    None,
                    f"the file is {size_text(path.stat().st_size)}; it was not read",
                    f"a file of at most {size_text(MAX_FILE_BYTES)} (split larger police.uk data into months)",
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
            from assurance.domain.loads import read_export

            folder = Path(by_format["export"][0].path)
            if not check_manifest(folder, report):
                raise ImportInvalid(report)
            return read_export(folder, report)
        if "quarterly_return" in by_format:
            quarterly_return.parse(by_format["quarterly_return"], parsed, report, today=today)
        police = by_format.get("police_uk_street", []) + by_format.get("police_uk_outcomes", [])
        if police:
            from assurance.sources import police_uk

            con = police_uk.lookup_connection()
            try:
                if "police_uk_street" in by_format:
                    police_uk_street.parse(con, by_format["police_uk_street"], parsed, report, today=today)
                if "police_uk_outcomes" in by_format:
                    police_uk_outcomes.parse(con, by_format["police_uk_outcomes"], parsed, report, today=today)
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


MAX_MANIFEST_BYTES = 1024**2


def check_manifest(folder: Path, report: ValidationReport) -> bool:
    """An export's manifest.json: a JSON object whose versions are whole numbers and whose tables are counts.

    Checked here, at the entry point, so that a damaged or hand-edited manifest is refused with what is
    wrong rather than failing further in (``read_export`` trusts the types it is given).
    """
    where = f"{folder.name}/manifest.json"
    expected = "manifest.json as `python -m assurance export` writes it"
    path = folder / "manifest.json"
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        report.add(where, None, None, f"the manifest is {size_text(path.stat().st_size)}", expected)
        return False
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        report.add(where, None, None, f"not readable JSON ({str(exc)[:100]})", expected)
        return False
    if not isinstance(manifest, dict):
        kind = {list: "a list", str: "text", type(None): "null", bool: "true or false"}.get(type(manifest), "a number")
        report.add(where, None, None, f"the manifest is {kind}, not a JSON object", expected)
        return False
    before = len(report.problems)
    for key in ("export_version", "schema_version"):
        value = manifest.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            report.add(where, None, key, f"{str(value)[:40]!r} is not a version number", "a whole number")
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        report.add(where, None, "tables", "missing or not an object", "each table's name and its number of rows")
    else:
        for table, rows in tables.items():
            if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
                report.add(where, None, "tables", f"{table[:40]!r}: {str(rows)[:40]!r} rows", "a number of rows")
    return len(report.problems) == before


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
