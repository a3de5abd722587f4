"""Every way a file given to `python -m assurance import` (or the Data page) can be wrong, in one table.

Each row of ``BAD`` builds its files for real in tmp_path (from the real West Mercia police.uk files where
the shape matters) and imports them with the command a person runs. Each must: exit 2, print no traceback,
name the file (the zip member, as ``archive.zip/member.csv``), the row and the column where they are known,
say in its own words what is wrong (the words of one kind of fault appear in no other kind's output), and
leave every table of the database exactly as it was.

``ACCEPTED`` holds the files that look odd but are right (a byte-order mark, CRLF line ends, semicolons,
Windows-1252 or UTF-16 text from Excel, an archive with stop-and-search files or a readme beside the crime
files, two archives in one batch): each loads with the figures it holds.
"""

from __future__ import annotations

import csv
import io
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from assurance.core.periods import Quarter
from assurance.domain.loads import load
from assurance.sources import ImportInvalid, read_files
from assurance.sources.police_uk_street import COLUMNS as STREET_COLUMNS
from assurance.sources.quarterly_return import COLUMNS
from assurance.sources.quarterly_template import write_template
from tests.support import OUTCOMES_EXCERPT, STREET_FILES, table_contents
from tests.support import run_cli as run
from ui import pages

ROOT = Path(__file__).resolve().parent.parent
JANUARY = STREET_FILES[0]  # 2024-01, 7,700 rows, CRLF, as published
JANUARY_ROWS = 7700
RETURN_HEADER = ",".join(COLUMNS)
MEMBER = "2024-01/2024-01-west-mercia-street.csv"  # where the police.uk archive puts a month's street file


# ----------------------------------------------------------------------------- building files


def january_bytes() -> bytes:
    return JANUARY.read_bytes()


def january_lines() -> list[bytes]:
    """The January street file's lines, each with its CRLF; [0] is the header."""
    return january_bytes().splitlines(keepends=True)


def crime_ids(lines: list[bytes]) -> set[str]:
    return {row[0] for row in csv.reader(io.StringIO(b"".join(lines).decode("utf-8"))) if row and row[0]}


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_with_truncated_member(path: Path, name: str, data: bytes) -> Path:
    """A zip whose directory is whole but whose one member's compressed data stops half-way (written by hand:
    zipfile cannot write a damaged archive)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    stored = deflated[: len(deflated) // 2]
    crc, encoded = zlib.crc32(data), name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(stored), len(data), len(encoded), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(stored), len(data), len(encoded), 0, 0, 0, 0,
        0, 0,
    )  # fmt: skip
    directory_at = len(local) + len(encoded) + len(stored)
    directory = central + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), directory_at, 0)
    return write(path, local + encoded + stored + directory + end)


def street_file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([STREET_COLUMNS, *rows])
    return buffer.getvalue().encode("utf-8")


def month_after(day: date) -> str:
    return f"{day.year + day.month // 12}-{day.month % 12 + 1:02d}"


def next_quarter() -> str:
    """A quarter that has not ended, whenever the test runs (the current one ends today at the latest)."""
    return Quarter.containing(date.today()).shift(1).label


def return_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    book.active.title = "Return"
    for row in [COLUMNS, *rows]:
        book.active.append(row)
    book.save(path)
    return path


# ----------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Bad:
    """One way a file can be wrong: files built in a folder, where the problem is and the words of its kind."""

    id: str
    kind: str  # the words every file wrong this way is refused with (and no other kind is)
    build: Callable[[Path], list[Path]]
    file: str  # as named in the message, relative to the folder: "a.csv" or "a.zip/member.csv"
    row: int | None = None
    column: str | None = None
    words: str = ""  # more words of this case's message (counts, names), beside the kind's


def _header_only_street(folder: Path) -> list[Path]:
    return [write(folder / "2024-01-west-mercia-street.csv", january_lines()[0])]


def _header_only_outcomes(folder: Path) -> list[Path]:
    return [write(folder / "2024-01-west-mercia-outcomes.csv", OUTCOMES_EXCERPT.read_bytes().splitlines(True)[0])]


def _latin1_in_street(folder: Path) -> list[Path]:
    lines = january_lines()
    lines[41] = lines[41].replace(b"On or near ", "On or near Caf\u00e9 ".encode("latin-1"), 1)
    return [write(folder / "2024-01-west-mercia-street.csv", b"".join(lines))]


def _latin1_in_member(folder: Path) -> list[Path]:
    lines = january_lines()
    lines[1234] = lines[1234].replace(b"On or near ", b"On or near \xe9", 1)
    return [zip_of(folder / "police-uk.zip", {MEMBER: b"".join(lines)})]


def _damaged_member_name(folder: Path) -> list[Path]:
    """A byte of the member's name in its local header damaged, in a zip whose names are flagged UTF-8 (as 7-Zip
    and others write them): zipfile raised a bare UnicodeDecodeError while opening the member."""
    data = bytearray(zip_of(folder / "police-uk.zip", {MEMBER: january_bytes()}).read_bytes())
    central = data.index(b"PK\x01\x02")
    for flags_at in (6, central + 8):  # the general-purpose flags of the local header and the directory entry
        data[flags_at + 1] |= 0x08  # bit 11 (0x800, little-endian): the name is UTF-8
    data[30 + MEMBER.index("street")] = 0xFF  # the local header is 30 bytes, then the name
    return [write(folder / "police-uk.zip", bytes(data))]


def _nul_in_street(folder: Path) -> list[Path]:
    lines = january_lines()
    lines[99] = lines[99].replace(b"On or near ", b"On or n\x00ar ", 1)
    return [write(folder / "2024-01-west-mercia-street.csv", b"".join(lines))]


def _nul_in_return(folder: Path) -> list[Path]:
    text = f"{RETURN_HEADER}\nShropshire,total_recorded_crime,2016/17 Q1,5,,,,\nHerefordshire,total_recorded_crime,2016/17 Q1,6,,,\x00,\n"
    return [write(folder / "return.csv", text.encode())]


CUT_AT = JANUARY.read_bytes().index(b"\r\n", JANUARY.stat().st_size // 2) + 30  # 30 bytes into a row, half-way
CUT_ROW = JANUARY.read_bytes()[:CUT_AT].count(b"\n") + 1  # the header is row 1


def _cut_mid_row(folder: Path) -> list[Path]:
    return [write(folder / "2024-01-west-mercia-street.csv", january_bytes()[:CUT_AT])]


def _garbage(folder: Path) -> list[Path]:
    return [write(folder / "return.csv", bytes((n * 97 + 13) % 256 for n in range(4000)))]


def _truncated_zip(folder: Path) -> list[Path]:
    whole = zip_of(folder / "whole.zip", {MEMBER: january_bytes()}).read_bytes()
    return [write(folder / "police-uk.zip", whole[: len(whole) // 2])]


def _same_crime_ids(folder: Path) -> list[Path]:
    lines = january_lines()
    first = write(folder / "2024-01-west-mercia-street.csv", b"".join(lines[:5001]))
    second = write(folder / "2024-01-west-mercia-street-extra.csv", b"".join([lines[0], *lines[4001:]]))
    return [first, second]


def _split_month(folder: Path) -> list[Path]:
    lines = january_lines()
    first = write(folder / "2024-01-west-mercia-street-part1.csv", b"".join(lines[:4001]))
    second = write(folder / "2024-01-west-mercia-street-part2.csv", b"".join([lines[0], *lines[4001:]]))
    return [first, second]


def _two_returns(folder: Path) -> list[Path]:
    first = write(folder / "a.csv", f"{RETURN_HEADER}\nShropshire,total_recorded_crime,2016/17 Q1,5,,,,\n".encode())
    second = write(
        folder / "b.csv",
        f"{RETURN_HEADER}\nHerefordshire,total_recorded_crime,2016/17 Q1,4,,,,\n"
        "shropshire,Total recorded crime,2016/17 Q1,6,,,,\n".encode(),
    )
    return [first, second]


def _future_month(folder: Path) -> list[Path]:
    month = month_after(date.today())
    text = january_bytes().decode("utf-8").replace(",2024-01,", f",{month},")
    return [write(folder / f"{month}-west-mercia-street.csv", text.encode("utf-8"))]


SHARED_IDS = len(crime_ids(january_lines()[4001:5001]))


BAD = [
    Bad("empty-csv", "the file is empty (0 bytes)", lambda f: [write(f / "return.csv", b"")], "return.csv"),
    Bad("empty-xlsx", "the file is empty (0 bytes)", lambda f: [write(f / "return.xlsx", b"")], "return.xlsx"),
    Bad(
        "empty-member",
        "the file is empty (0 bytes)",
        lambda f: [zip_of(f / "police-uk.zip", {MEMBER: b""})],
        f"police-uk.zip/{MEMBER}",
    ),
    Bad(
        "header-only-return-csv",
        "no data rows",
        lambda f: [write(f / "return.csv", f"{RETURN_HEADER}\r\n".encode())],
        "return.csv",
        words="the return holds only its header",
    ),
    Bad(
        "header-only-return-xlsx",
        "no data rows",
        lambda f: [write_template(f / "return.xlsx") or f / "return.xlsx"],
        "return.xlsx",
        words="the return holds only its header",
    ),
    Bad(
        "header-only-street",
        "no data rows",
        _header_only_street,
        "2024-01-west-mercia-street.csv",
        words="the file holds only the header",
    ),
    Bad(
        "header-only-outcomes",
        "no data rows",
        _header_only_outcomes,
        "2024-01-west-mercia-outcomes.csv",
        words="the file holds only the header",
    ),
    Bad(
        "latin-1-in-police-uk",
        "is not UTF-8 text",
        _latin1_in_street,
        "2024-01-west-mercia-street.csv",
        row=42,
        column="Location",
        words="byte 0xE9",
    ),
    Bad(
        "corrupted-bytes-in-a-member",
        "is not UTF-8 text",
        _latin1_in_member,
        f"police-uk.zip/{MEMBER}",
        row=1235,
        column="Location",
        words="byte 0xE9",
    ),
    Bad(
        "utf-16-police-uk",
        "the file is UTF-16 text",
        lambda f: [write(f / "2024-01-west-mercia-street.csv", january_bytes().decode("utf-8").encode("utf-16"))],
        "2024-01-west-mercia-street.csv",
        row=1,
        words="expected a UTF-8 CSV file as police.uk publishes it",
    ),
    Bad(
        "damaged-member-name",
        "could not be unpacked",
        _damaged_member_name,
        f"police-uk.zip/{MEMBER}",
        words="expected an undamaged police.uk archive",
    ),
    Bad(
        "truncated-member",
        "could not be unpacked",
        lambda f: [zip_with_truncated_member(f / "police-uk.zip", MEMBER, january_bytes())],
        f"police-uk.zip/{MEMBER}",
    ),
    Bad(
        "truncated-zip",
        "the zip archive is incomplete or damaged",
        _truncated_zip,
        "police-uk.zip",
        words="its directory cannot be read",
    ),
    Bad(
        "zip-in-a-zip",
        "an archive inside the archive",
        lambda f: [zip_of(f / "outer.zip", {"inner.zip": zip_of(f / "inner.zip", {MEMBER: january_bytes()}).read_bytes()})],
        "outer.zip/inner.zip",
        words="unpack the inner archive",
    ),
    Bad(
        "zip-of-no-csv",
        "the archive holds no CSV files",
        lambda f: [zip_of(f / "police-uk.zip", {"README.txt": b"police.uk archive\n", "notes.pdf": b"%PDF-1.4"})],
        "police-uk.zip",
    ),
    Bad(
        "zip-of-stop-and-search-only",
        "none of the archive's CSV files is one this program reads",
        lambda f: [
            zip_of(f / "police-uk.zip", {"2024-01/2024-01-west-mercia-stop-and-search.csv": b"Type,Date,Part of a policing operation\r\nPerson search,2024-01-01T00:00:00+00:00,False\r\n"})
        ],
        "police-uk.zip",
        words="2024-01-west-mercia-stop-and-search.csv",
    ),
    Bad(
        "cut-mid-row",
        "it looks cut short",
        _cut_mid_row,
        "2024-01-west-mercia-street.csv",
        row=CUT_ROW,
        words=f"the file ends part-way through row {CUT_ROW} (",
    ),
    Bad("binary-named-csv", "this is not a CSV text file", _garbage, "return.csv", row=1),
    Bad(
        "nul-in-police-uk",
        "a NUL character",
        _nul_in_street,
        "2024-01-west-mercia-street.csv",
        row=100,
        column="Location",
    ),
    Bad("nul-in-return", "a NUL character", _nul_in_return, "return.csv", row=3),
    Bad(
        "same-crime-ids-in-two-files",
        "(the same Crime IDs)",
        _same_crime_ids,
        "2024-01-west-mercia-street.csv",
        column="Crime ID",
        words=f"{SHARED_IDS:,} crimes of 2024-01 are also in",
    ),
    Bad(
        "month-split-across-two-files",
        "are split between",
        _split_month,
        "2024-01-west-mercia-street-part2.csv",
        column="Month",
        words="import the month's file as downloaded",
    ),
    Bad(
        "same-figure-in-two-returns",
        "is also given by",
        _two_returns,
        "b.csv",
        row=3,
        words="shropshire total_recorded_crime 2016/17 Q1",
    ),
    Bad(
        "same-file-twice",
        "the file is given twice",
        lambda f: [write(f / "2024-01-west-mercia-street.csv", january_bytes())] * 2,
        "2024-01-west-mercia-street.csv",
    ),
    Bad(
        "a-copy-of-a-file",
        "(identical content)",
        lambda f: [
            write(f / "2024-01-west-mercia-street.csv", january_bytes()),
            write(f / "2024-01-west-mercia-street (1).csv", january_bytes()),
        ],
        "2024-01-west-mercia-street (1).csv",
    ),
    Bad(
        "future-quarter-in-a-return",
        "has not ended yet",
        lambda f: [write(f / "return.csv", f"{RETURN_HEADER}\nShropshire,total_recorded_crime,{next_quarter()},5,,,,\n".encode())],
        "return.csv",
        row=2,
        column="quarter",
        words=f"{next_quarter()} has not ended yet",
    ),
    Bad(
        "future-month-in-police-uk",
        "has not ended yet",
        _future_month,
        f"{month_after(date.today())}-west-mercia-street.csv",
        column="Month",
        words=f"rows for {month_after(date.today())}, a month that has not ended yet",
    ),
]  # fmt: skip
KINDS = sorted({case.kind for case in BAD})


def test_every_kind_of_fault_has_words_of_its_own():
    """No kind's words are part of another's: a refusal cannot be mistaken for another kind of fault."""
    assert [(a, b) for a in KINDS for b in KINDS if a != b and a in b] == []
    assert len({case.id for case in BAD}) == len(BAD)


@pytest.fixture(scope="module")
def dbfile(seeded_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad-input") / "bad.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_each_bad_input_exits_2_with_its_own_message_and_changes_nothing(dbfile, tmp_path, case):
    paths = case.build(tmp_path)
    before = table_contents(dbfile)
    result = run("import", *paths, "--db", dbfile)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: nothing was loaded; fix these and try again:")
    where = f"  - {tmp_path / case.file}" + (f", row {case.row}" if case.row else "")
    where += f", column {case.column!r}" if case.column else ""
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{where}: ")]
    assert [line for line in lines if case.kind in line and case.words in line], result.stderr
    assert [kind for kind in KINDS if kind != case.kind and kind in result.stderr] == []
    assert table_contents(dbfile) == before


# ----------------------------------------------------------------------------- accepted on purpose


@dataclass(frozen=True)
class Good:
    id: str
    build: Callable[[Path], list[Path]]
    figures: dict  # (area, metric, quarter) -> value, or month -> rows read from police.uk files
    warning: str = ""


RETURN_ROWS = (
    "Shropshire,total_recorded_crime,2016/17 Q1,5012,,,,\nHerefordshire,Positive outcome rate,2016/17 Q1,,130,1000,,\n"
)
RETURN_FIGURES = {
    ("shropshire", "total_recorded_crime", "2016/17 Q1"): 5012.0,
    ("herefordshire", "positive_outcome_rate", "2016/17 Q1"): 13.0,
}


def _return_text(text: str, encoding: str, name: str = "return.csv", newline: str = "\n"):
    return lambda f: [write(f / name, text.replace("\n", newline).encode(encoding))]


def _archive_with_others(folder: Path) -> list[Path]:
    members = {
        "2024-01/2024-01-west-mercia-stop-and-search.csv": b"Type,Date\r\nPerson search,2024-01-01T00:00:00+00:00\r\n",
        "README.txt": b"Downloaded from data.police.uk\n",
        MEMBER: january_bytes(),
    }
    return [zip_of(folder / "police-uk.zip", members)]


def _two_archives(folder: Path) -> list[Path]:
    """Two archives in one batch: their members must not overwrite each other while they are read."""
    return [
        zip_of(folder / "january.zip", {MEMBER: january_bytes()}),
        zip_of(folder / "february.zip", {"2024-02/2024-02-west-mercia-street.csv": STREET_FILES[1].read_bytes()}),
    ]


GOOD = [
    Good("return-utf8-bom", _return_text(f"{RETURN_HEADER}\n{RETURN_ROWS}", "utf-8-sig"), RETURN_FIGURES),
    Good("return-crlf", _return_text(f"{RETURN_HEADER}\n{RETURN_ROWS}", "utf-8", newline="\r\n"), RETURN_FIGURES),
    Good(
        "return-semicolons",
        _return_text(f"{RETURN_HEADER}\n{RETURN_ROWS}".replace(",", ";"), "utf-8"),
        RETURN_FIGURES,
    ),
    Good(
        "return-windows-1252-from-excel",
        _return_text(f"{RETURN_HEADER}\n{RETURN_ROWS}".replace(",,,,\n", ",,,,£ checked\n", 1), "cp1252"),
        RETURN_FIGURES,
        warning="return.csv: read as Windows-1252 text (it is not UTF-8)",
    ),
    Good(
        "return-utf-16-unicode-text-from-excel",
        _return_text(f"{RETURN_HEADER}\n{RETURN_ROWS}".replace(",", "\t"), "utf-16", newline="\r\n"),
        RETURN_FIGURES,
    ),
    Good(
        "return-xlsx",
        lambda f: [
            return_xlsx(
                f / "return.xlsx",
                [
                    ["Shropshire", "total_recorded_crime", "2016/17 Q1", 5012],
                    ["Herefordshire", "Positive outcome rate", "2016/17 Q1", None, 130, 1000],
                ],
            )
        ],
        RETURN_FIGURES,
    ),  # fmt: skip
    Good(
        "police-uk-utf8-bom",
        lambda f: [write(f / "2024-01-west-mercia-street.csv", b"\xef\xbb\xbf" + january_bytes())],
        {"2024-01": JANUARY_ROWS},
    ),
    Good("police-uk-crlf-as-published", lambda f: [JANUARY], {"2024-01": JANUARY_ROWS}),
    Good(
        "police-uk-lf",
        lambda f: [write(f / "2024-01-west-mercia-street.csv", january_bytes().replace(b"\r\n", b"\n"))],
        {"2024-01": JANUARY_ROWS},
    ),
    Good(
        "archive-with-stop-and-search-and-a-readme",
        _archive_with_others,
        {"2024-01": JANUARY_ROWS},
        warning="police-uk.zip/2024-01/2024-01-west-mercia-stop-and-search.csv: skipped (not a format this program reads)",
    ),
    Good("two-archives", _two_archives, {"2024-01": JANUARY_ROWS, "2024-02": 7654}),
]


@pytest.fixture()
def con(seeded_copy_con):
    """A writable copy of the seeded database, one per test (tests/conftest.py)."""
    return seeded_copy_con


@pytest.mark.parametrize("case", GOOD, ids=[case.id for case in GOOD])
def test_odd_but_right_input_loads_with_its_figures(con, tmp_path, case):
    parsed = read_files(case.build(tmp_path))
    result = load(con, parsed, by="bad-input test")
    assert result.status == "loaded", result.message
    if case.warning:
        assert case.warning in parsed.warnings
    if all(isinstance(key, tuple) for key in case.figures):
        got = con.execute(
            "SELECT area, metric, quarter, value FROM observations WHERE load_id = $id", {"id": result.load_id}
        ).fetchall()
        assert {(a, m, q): v for a, m, q, v in got if a != "force"} == case.figures
        if case.id == "return-windows-1252-from-excel":
            assert con.execute("SELECT note FROM observations WHERE load_id = $id AND note IS NOT NULL",
                               {"id": result.load_id}).fetchall() == [("£ checked",)]  # fmt: skip
    else:
        placed = dict(
            con.execute(
                "SELECT month, sum(count) FROM monthly_counts WHERE load_id = $id GROUP BY month",
                {"id": result.load_id},
            ).fetchall()
        )
        unplaced = dict(
            con.execute(
                "SELECT month, sum(count) FROM unplaced_counts WHERE load_id = $id GROUP BY month",
                {"id": result.load_id},
            ).fetchall()
        )
        assert {m: placed[m] + unplaced.get(m, 0) for m in placed} == case.figures


# ----------------------------------------------------------------------------- the boundary of "not ended yet"


@pytest.mark.parametrize(
    "today, refused",
    [(date(2024, 6, 29), True), (date(2024, 6, 30), True), (date(2024, 7, 1), False)],
    ids=["before-the-last-day", "on-the-last-day", "the-day-after"],
)
def test_a_quarter_or_month_is_refused_until_the_day_after_it_ends(tmp_path, today, refused):
    """2024/25 Q1 (and June 2024) end on 30 June 2024: figures for them can only be complete from 1 July."""
    figures = write(
        tmp_path / "return.csv", f"{RETURN_HEADER}\nShropshire,total_recorded_crime,2024/25 Q1,5,,,,\n".encode()
    )
    row = ["", "2024-06", "", "", "", "", "", "E01028812", "", "Burglary", "", ""]
    june = write(tmp_path / "2024-06-west-mercia-street.csv", street_file([row]))
    for path, words in (
        (figures, "2024/25 Q1 has not ended yet"),
        (june, "rows for 2024-06, a month that has not ended"),
    ):
        if refused:
            with pytest.raises(ImportInvalid, match=words):
                read_files([path], today=today)
        else:
            assert read_files([path], today=today).rows_read == 1


# ----------------------------------------------------------------------------- the Data page


@pytest.fixture()
def data_page(seeded_db, tmp_path, monkeypatch) -> AppTest:
    path = tmp_path / "page.duckdb"
    shutil.copyfile(seeded_db, path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = AppTest.from_file(str(ROOT / pages.path("data")), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_the_data_page_names_the_damaged_zip_member_instead_of_a_traceback(data_page, tmp_path):
    (path,) = _damaged_member_name(tmp_path)
    data_page.file_uploader(key="data_uploads").set_value([(path.name, path.read_bytes(), "application/zip")])
    at = data_page.run()
    assert not at.exception
    assert "Nothing can be loaded: 1 problems" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems["file"].tolist() == [f"police-uk.zip/{MEMBER}"]
    assert problems["problem"][0].startswith("could not be unpacked")
    assert not [b for b in at.button if b.key == "data_load"]


def test_the_data_page_refuses_a_header_only_return(data_page):
    data_page.file_uploader(key="data_uploads").set_value([("return.csv", f"{RETURN_HEADER}\n".encode(), "text/csv")])
    at = data_page.run()
    assert not at.exception
    problems = at.dataframe[0].value
    assert problems[["file", "problem"]].values.tolist() == [
        ["return.csv", "no data rows: the return holds only its header"]
    ]


def test_a_fault_while_reading_is_a_message_on_the_data_page_not_a_traceback(data_page, monkeypatch):
    """Whatever goes wrong in reading (here a fault put in on purpose), the page says so and offers no load."""
    import assurance.sources

    def broken(paths, names=None, **kwargs):
        raise KeyError("a fault in the reader")

    monkeypatch.setattr(assurance.sources, "read_any", broken)  # the one reader the Data page calls
    data_page.file_uploader(key="data_uploads").set_value([("return.csv", b"area,metric,quarter\n", "text/csv")])
    at = data_page.run()
    assert not at.exception
    assert "Nothing can be loaded" in at.error[0].value
    problem = at.dataframe[0].value["problem"][0]
    assert problem.startswith("the files could not be read (KeyError:") and "nothing was written" in problem
    assert not [b for b in at.button if b.key == "data_load"]
