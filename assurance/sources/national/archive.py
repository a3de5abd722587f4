"""police.uk street-level archives (any months, any forces) -> a checked batch of counts, nothing written.

Each street file (``2024-01/2024-01-kent-street.csv`` in a police.uk archive, or such a file on its own, or a
folder of them) is one force's month. It is unpacked (Intel's ISA-L inflater, checked against the zip's CRC),
parsed by Arrow's CSV reader (only the four columns the comparison needs are converted; the whole text is checked
as UTF-8 first), and counted by local authority district, crime type and last outcome: a few hundred rows per
force-month, whatever the size of the file. Two threads work on two files at once (both libraries release the
GIL). Counting is all a row is used for; nothing per row is kept.

Every problem is collected with the file (``archive.zip/2024-01/2024-01-kent-street.csv``), the line where known,
and what was expected, and the batch is refused whole (``ImportInvalid``): a corrupted or truncated member (its
bytes do not match the zip's checksum, or it ends mid-row), a CSV that is not a police.uk street file, a month or
crime type or outcome category not as police.uk writes them, a force police.uk does not have, LSOA codes outside
the ONS lookup beyond ``MAX_UNKNOWN_LSOA_SHARE``, a force's month given twice, a month that has not ended. A force
missing from some months is not an error (police.uk's archives do lack some forces' months): its quarter is
partial, shown as such and never ranked.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from assurance.sources.files import MAX_FILE_BYTES, size_text
from assurance.sources.national.batch import COUNT_SCHEMA, NationalBatch, NationalFile
from assurance.sources.national.geography import UNKNOWN_LSOA, Geography, geography
from assurance.sources.national.members import EXPECTED, Member, inputs, read_bytes
from assurance.sources.national.outcomes import CRIME_TYPES, outcome_groups
from assurance.sources.report import ImportInvalid, ValidationReport

COLUMNS = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
WANTED = ["Month", "LSOA code", "Crime type", "Last outcome category"]
MAX_UNKNOWN_LSOA_SHARE = 0.01  # LSOA codes not in the ONS 2021 lookup, as a share of a force-month's rows
Progress = Callable[[int, int, str], None]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _bad_bytes(member: Member, data: bytes, report: ValidationReport) -> bool:
    """Name the first NUL byte or text that is not UTF-8, with its line; True when there is none."""
    if (nul := data.find(b"\x00")) >= 0:
        report.add(member.name, _line_of(data, nul), None, "a NUL byte (binary data)", EXPECTED)
        return False
    if data.isascii():  # nearly every file: checked at memory speed
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(
            member.name, _line_of(data, exc.start), None, "the text is not UTF-8", "UTF-8, as police.uk publishes it"
        )
        return False
    return True


def _row_problems(member: Member, data: bytes, report: ValidationReport) -> None:
    """Name the first row that is not police.uk's CSV (a short or long row, a broken quote): the slow path, run
    only when Arrow has refused the file."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    try:
        for number, record in enumerate(reader, start=1):
            if record and len(record) != len(COLUMNS):
                report.add(
                    member.name, number, None, f"the row has {len(record)} fields",
                    f"{len(COLUMNS)} fields, as in the header (a file cut short ends mid-row)", rule="fields",
                )  # fmt: skip
                return
    except csv.Error as exc:
        report.add(member.name, reader.line_num, None, f"not valid CSV ({exc})", EXPECTED)
        return
    report.add(member.name, None, None, "not readable as CSV", EXPECTED)


def _header(member: Member, data: bytes, report: ValidationReport) -> bool:
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r").removeprefix(b"\xef\xbb\xbf")  # not a copy of the rest
    if not first.strip():
        report.add(member.name, 1, None, "the file is empty", EXPECTED)
        return False
    header = [h.strip() for h in next(csv.reader([first.decode("utf-8", errors="replace")]))]
    if header != COLUMNS:
        shown = ", ".join(header[:12])[:300]
        report.add(member.name, 1, None, f"the header is not police.uk's street-level header: {shown}", EXPECTED)
        return False
    return True


def _parse(member: Member, data: bytes) -> pa.Table:
    return pacsv.read_csv(
        pa.BufferReader(data),  # no copy of the file's bytes
        read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 23),
        parse_options=pacsv.ParseOptions(newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=WANTED,
            column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in WANTED},
            strings_can_be_null=False,
        ),
    )


def _values(column: pa.ChunkedArray) -> list[str]:
    """The distinct values of a column Arrow read as a dictionary: the values its chunks' dictionaries hold (Arrow
    puts a value in a chunk's dictionary only when a row of the chunk has it), without decoding a row."""
    return sorted({value for chunk in column.chunks for value in chunk.dictionary.to_pylist()})


def _count(member: Member, data: bytes, geo: Geography, report: ValidationReport) -> pa.Table | None:
    """The member's rows counted by (lad, place, crime type, outcome); None after naming what is wrong."""
    if not _header(member, data, report):
        return None
    newline = data.find(b"\n")
    if newline < 0 or not data[newline + 1 : newline + 4096].strip():
        report.add(member.name, 2, None, "the file has a header and no rows", "at least one row (a crime or incident)")
        return None
    if not _bad_bytes(member, data, report):
        return None
    try:
        table = _parse(member, data)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        _row_problems(member, data, report)
        return None
    before = len(report.problems)
    months = _values(table["Month"])
    if months != [member.month]:
        wrong = sorted(m for m in months if m != member.month)
        report.add(member.name, None, "Month", f"rows for {', '.join(wrong[:3])[:80]} in the file for {member.month}",
                   f"every row of {member.month}, as its name says")  # fmt: skip
    crime_types = _values(table["Crime type"])
    if unknown := sorted(set(crime_types) - set(CRIME_TYPES)):
        report.add(member.name, None, "Crime type", f"crime types police.uk does not use: {unknown[:3]}",
                   "one of police.uk's 14 crime types")  # fmt: skip
    groups = outcome_groups()
    if unknown := sorted(set(_values(table["Last outcome category"])) - set(groups)):
        report.add(member.name, None, "Last outcome category", f"outcome categories not in the table: {unknown[:3]}",
                   "a category listed in data/reference/police_uk_outcome_groups.csv")  # fmt: skip
    if len(report.problems) > before:
        return None
    return _grouped(member, table, geo, report)


def _grouped(member: Member, table: pa.Table, geo: Geography, report: ValidationReport) -> pa.Table | None:
    """Place each distinct LSOA once (not each row) in a slot (district, where), then count the rows by (slot, crime
    type, outcome) on their dictionary codes with one bincount: no Python loop touches a row or an LSOA."""
    force = geo.forces[member.force]
    lsoa, crime, outcome = (table[c].combine_chunks() for c in ("LSOA code", "Crime type", "Last outcome category"))
    slot_of_lsoa, slots = geo.slots(pc.utf8_trim_whitespace(lsoa.dictionary), force.pfa_code)
    crimes, outcomes = crime.dictionary.to_pylist(), outcome.dictionary.to_pylist()
    width_crime, width_outcome = len(crimes), len(outcomes)
    key = (slot_of_lsoa[lsoa.indices.to_numpy()] * width_crime + crime.indices.to_numpy()) * width_outcome
    key += outcome.indices.to_numpy()
    tally = np.bincount(key, minlength=len(slots) * width_crime * width_outcome)
    per_slot = tally.reshape(len(slots), -1).sum(axis=1)
    unknown = int(sum(per_slot[i] for i, (_, where) in enumerate(slots) if where == UNKNOWN_LSOA))
    if unknown > MAX_UNKNOWN_LSOA_SHARE * table.num_rows:
        codes = lsoa.dictionary.to_pylist()
        examples = sorted(c for c, i in zip(codes, slot_of_lsoa.tolist(), strict=True) if slots[i][1] == UNKNOWN_LSOA)
        report.add(
            member.name, None, "LSOA code",
            f"{unknown:,} of {table.num_rows:,} rows ({unknown / table.num_rows:.1%}) carry LSOA codes not in the ONS "
            f"2021 lookup, e.g. {', '.join(examples[:3])}",
            f"at most {MAX_UNKNOWN_LSOA_SHARE:.0%} (the rest are counted to the force, not to an area)",
        )  # fmt: skip
        return None
    (cells,) = np.nonzero(tally)
    rest, o = np.divmod(cells, width_outcome)
    slot, c = np.divmod(rest, width_crime)
    n = len(cells)
    return pa.table(
        {
            "month": [member.month] * n,
            "force": [member.force] * n,
            "lad": pa.array([slots[i][0] for i in slot.tolist()], pa.string()),
            "place": pa.array([slots[i][1] for i in slot.tolist()], pa.string()),
            "crime_type": pa.array([crimes[i] for i in c.tolist()], pa.string()),
            "outcome": pa.array([outcomes[i] or None for i in o.tolist()], pa.string()),
            "count": pa.array(tally[cells], pa.int64()),
        },
        schema=COUNT_SCHEMA,
    )


def _process(member: Member, geo: Geography, today: date) -> tuple[Member, pa.Table | None, ValidationReport, str, int]:
    """Read, check and count one member (run in a worker thread); its own report, merged by the caller."""
    report = ValidationReport()
    if _month_end(member.month) > today:
        report.add(member.name, None, "Month", f"{member.month} has not ended yet", "a month that has ended")
        return member, None, report, "", 0
    try:
        data, digest = read_bytes(member)
    except Exception as exc:  # any damage inside the archive: named, never a traceback
        report.add(member.name, None, None, f"could not be unpacked: {exc}", "an undamaged police.uk archive")
        return member, None, report, "", 0
    if len(data) > MAX_FILE_BYTES:
        report.add(member.name, None, None, f"unpacks to more than {size_text(MAX_FILE_BYTES)}", EXPECTED)
        return member, None, report, "", 0
    counted = _count(member, data, geo, report)
    rows = 0 if counted is None else int(pc.sum(counted["count"]).as_py() or 0)
    return member, counted, report, digest, rows


def _month_end(month: str) -> date:
    """The first day after the month: the month has ended when today is on or after it."""
    year, number = int(month[:4]), int(month[5:7])
    return date(year + (number == 12), number % 12 + 1, 1)


def _check_batch(members: list[Member], report: ValidationReport) -> None:
    """A force's month given twice in one batch (two files, or the same file twice): which to keep is a guess."""
    seen: dict[tuple[str, str], str] = {}
    for member in members:
        key = (member.month, member.force)
        if key in seen:
            report.add(member.name, None, None, f"{member.force} {member.month} is also in {seen[key]}",
                       "each force's month once in a batch")  # fmt: skip
        seen.setdefault(key, member.name)


def read_national(
    paths: list[str | os.PathLike[str]],
    names: list[str] | None = None,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> NationalBatch:
    """Check and count street files for the national comparison; raise ImportInvalid listing every problem."""
    today = today or date.today()
    report = ValidationReport()
    paths = [str(p) for p in paths]
    names = list(names) if names else [Path(p).name for p in paths]
    members = list(inputs(paths, names, report))
    _check_batch(members, report)
    if not members and not report.problems:
        report.add(", ".join(names), None, None, "no police.uk street files were found", EXPECTED)
    if report.problems:
        raise ImportInvalid(report)
    geo = geography()
    batch = NationalBatch(warnings=list(report.warnings))
    tables = []
    members.sort(key=lambda m: -m.size)  # the big ones first, so the two threads finish together
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done, (member, counted, own, digest, rows) in enumerate(
            pool.map(lambda m: _process(m, geo, today), members), start=1
        ):
            report.extend(own)
            if counted is not None:
                tables.append(counted)
                batch.files.append(NationalFile(member.name, member.month, member.force, digest, member.size, rows))
            if progress:
                progress(done, len(members), member.name)
    if report.problems or report.omitted:
        raise ImportInvalid(report)
    batch.counts = pa.concat_tables(tables) if tables else None
    batch.files.sort(key=lambda f: (f.month, f.force))
    return batch
