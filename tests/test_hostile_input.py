"""Hostile and broken input: oversized files, zip bombs, zip slip, runaway spreadsheets, formula injection.

Every hostile file is built for real in tmp_path. Each is refused with a problem naming the file and the
limit, quickly and without being unpacked, and the database is left exactly as it was. Every CSV and XLSX
the product writes for people opens as data, never as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from assurance.core.downloads import to_csv_bytes
from assurance.domain.loads import load
from assurance.products.export_folder import export
from assurance.sources import ImportInvalid, quarterly_table, quarterly_template, read_files
from assurance.sources import files as source_files
from assurance.sources.minutes import MAX_MINUTES_BYTES, MinutesError, decode_minutes
from assurance.sources.police_uk_street import COLUMNS as STREET_COLUMNS
from assurance.sources.quarterly_return import COLUMNS
from assurance.sources.quarterly_template import write_template
from tests.support import streamlit_config, table_contents

ROOT = Path(__file__).resolve().parent.parent
HYPERLINK = '=HYPERLINK("http://x")'
AT_SUM = "@SUM(A1)"
STREET_ROW = [
    "", "2016-04", "West Mercia Police", "West Mercia Police", "-2.5", "52.7", "On or near High Street",
    "E01028812", "Shropshire 001A", "Burglary", "", "",
]  # fmt: skip


@pytest.fixture()
def con(seeded_copy_con):
    """A writable copy of the seeded database, one per test (tests/conftest.py)."""
    return seeded_copy_con


def refused(con, paths: list[Path], seconds: float = 5.0) -> str:
    """Import paths as the Data page does; assert a quick refusal that changed nothing; the problems as text."""
    before = table_contents(con)
    started = time.perf_counter()
    with pytest.raises(ImportInvalid) as caught:
        load(con, read_files(paths), by="hostile test")
    assert time.perf_counter() - started < seconds
    assert table_contents(con) == before
    return "\n".join(caught.value.report.lines())


def street_csv(rows: int = 1) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([STREET_COLUMNS, *[STREET_ROW] * rows])
    return buffer.getvalue().encode()


def return_workbook(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in [COLUMNS, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def replace_member(source: Path, target: Path, member: str, write) -> Path:
    """A copy of the zip at source with one member's content written by ``write(handle)`` instead."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info, old.read(info))
        with new.open(member, "w", force_zip64=True) as handle:
            write(handle)
    return target


def repeat(size: int):
    """Write about size bytes of one highly compressible sheet row, over and over."""
    chunk = b'<row><c t="inlineStr"><is><t>Shropshire</t></is></c></row>' * 16384

    def write(handle):
        written = 0
        while written < size:
            handle.write(chunk)
            written += len(chunk)

    return write


# ----------------------------------------------------------------------------- size limits


def test_streamlit_refuses_uploads_over_the_same_limit_as_the_library():
    assert streamlit_config()["server"]["maxUploadSize"] * 1024**2 == source_files.MAX_FILE_BYTES


def test_an_oversized_csv_is_refused_by_its_size_before_it_is_read(con, tmp_path):
    path = tmp_path / "huge-return.csv"
    with open(path, "wb") as handle:
        handle.write(",".join(COLUMNS).encode() + b"\nShropshire,total_recorded_crime,2016/17 Q1,5\n")
        handle.truncate(source_files.MAX_FILE_BYTES + 1)  # sparse: nothing is really written
    text = refused(con, [path], seconds=1.0)
    assert text == (
        "huge-return.csv: the file is 200 MB; it was not read; "
        "expected a file of at most 200 MB (split larger police.uk data into months)"
    )


def test_a_csv_at_the_limit_is_read(tmp_path, monkeypatch):
    path = tmp_path / "return.csv"
    path.write_text(",".join(COLUMNS) + "\nShropshire,total_recorded_crime,2016/17 Q1,5\n", encoding="utf-8")
    monkeypatch.setattr(source_files, "MAX_FILE_BYTES", path.stat().st_size)
    assert [o["value"] for o in read_files([path]).observations] == [5.0]
    monkeypatch.setattr(source_files, "MAX_FILE_BYTES", path.stat().st_size - 1)
    with pytest.raises(ImportInvalid, match="return.csv: the file is"):
        read_files([path])


def test_minutes_bytes_over_the_limit_are_refused_before_decoding():
    with pytest.raises(MinutesError, match=r"^big\.txt is 1\.0 MB; minutes over 1 MB are refused$"):
        decode_minutes(b"Date: 1 May 2024\n" + b"x" * MAX_MINUTES_BYTES, source="big.txt")
    utf16 = b"\xff\xfe" + "x".encode("utf-16-le") * (MAX_MINUTES_BYTES // 2)
    with pytest.raises(MinutesError, match="over 1 MB are refused"):
        decode_minutes(utf16, source="wide.txt")
    assert decode_minutes(b"x" * MAX_MINUTES_BYTES) == "x" * MAX_MINUTES_BYTES


# ----------------------------------------------------------------------------- spreadsheets


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "template.xlsx"
    write_template(path)
    return path


def test_an_xlsx_zip_bomb_is_refused_from_its_directory_without_unpacking(con, template, tmp_path):
    bomb = replace_member(template, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", repeat(300 * 1024**2))
    assert bomb.stat().st_size < 2 * 1024**2
    text = refused(con, [bomb], seconds=1.0)
    assert "bomb.xlsx: the member 'xl/worksheets/sheet1.xml' unpacks to 300" in text
    assert "expected an .xlsx workbook whose files unpack to at most 100 MB each" in text
    assert "bomb.xlsx: the archive unpacks to 300" in text


def test_an_xlsx_part_compressed_like_a_bomb_is_refused_even_under_the_size_limit(con, template, tmp_path):
    bomb = replace_member(template, tmp_path / "small-bomb.xlsx", "xl/worksheets/sheet1.xml", repeat(40 * 1024**2))
    text = refused(con, [bomb], seconds=1.0)
    assert "small-bomb.xlsx: the member 'xl/worksheets/sheet1.xml' would unpack" in text
    assert "(a 'zip bomb'); it was not unpacked; expected an .xlsx workbook compressed at most 100:1" in text


def test_an_xlsx_with_too_many_parts_is_refused(con, template, tmp_path):
    path = tmp_path / "parts.xlsx"
    shutil.copyfile(template, path)
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(quarterly_table.MAX_XLSX_MEMBERS):
            archive.writestr(f"xl/media/image{n}.png", b"")
    text = refused(con, [path])
    assert text == "parts.xlsx: the archive holds 511 files; expected an .xlsx workbook of at most 500"


def test_an_xlsx_with_too_many_rows_is_refused_at_the_first_row_past_the_limit(con, tmp_path):
    path = return_workbook(tmp_path / "rows.xlsx", [["Shropshire", "total_recorded_crime", "2016/17 Q1", 5]])
    book = load_workbook(path)
    book["Return"].cell(row=100_002, column=1, value="Shropshire")  # row 1 is the header
    book.save(path)
    text = refused(con, [path])
    assert text == (
        "rows.xlsx, row 100002: the return has more than 100,000 rows of figures; it was not read further; "
        "expected at most 100,000 rows (one per area, metric and quarter)"
    )


def test_an_xlsx_with_too_many_columns_is_refused(con, tmp_path):
    path = return_workbook(tmp_path / "wide.xlsx", [["Shropshire", "total_recorded_crime", "2016/17 Q1", 5]])
    book = load_workbook(path)
    book["Return"].cell(row=2, column=51, value="stray")
    book.save(path)
    text = refused(con, [path])
    assert text.startswith(
        "wide.xlsx, row 2, column 'column 51': the return has more than 50 columns; it was not read further;"
    )


def test_a_csv_return_with_too_many_rows_is_refused(con, tmp_path):
    path = tmp_path / "long.csv"
    row = "Shropshire,total_recorded_crime,2016/17 Q1,5\n"
    path.write_text(",".join(COLUMNS) + "\n" + row * (quarterly_table.MAX_ROWS + 1), encoding="utf-8")
    assert "long.csv, row 100002: the return has more than 100,000 rows" in refused(con, [path])


def test_a_workbook_claiming_16384_columns_is_read_as_its_cells(con, tmp_path):
    """openpyxl pads every row, even a missing one, to the <dimension> a file declares; the reader does not trust it."""
    good = return_workbook(tmp_path / "good.xlsx", [["Shropshire", "total_recorded_crime", "2016/17 Q1", 5]])
    book = load_workbook(good)
    for column, value in enumerate(["Telford and Wrekin", "total_recorded_crime", "2016/17 Q1", 7], start=1):
        book["Return"].cell(row=quarterly_table.MAX_ROWS + 1, column=column, value=value)  # the last row allowed
    book.save(good)
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    lying = re.sub(r'<dimension ref="[^"]+" />', '<dimension ref="A1:XFD1048576" />', sheet)
    assert lying != sheet
    path = replace_member(good, tmp_path / "lying.xlsx", "xl/worksheets/sheet1.xml", lambda h: h.write(lying.encode()))
    started = time.perf_counter()
    parsed = read_files([path])
    assert time.perf_counter() - started < 10  # 100,000 rows padded to 16,384 columns would take an hour
    assert [(o["area"], o["value"]) for o in parsed.observations] == [("shropshire", 5.0), ("telford_and_wrekin", 7.0)]


def test_a_sheet_that_breaks_while_it_is_read_is_refused_plainly(con, tmp_path):
    good = return_workbook(tmp_path / "good.xlsx", [["Shropshire", "total_recorded_crime", "2016/17 Q1", 5]])
    path = replace_member(
        good, tmp_path / "broken.xlsx", "xl/worksheets/sheet1.xml", lambda h: h.write(b"<worksheet><sheetData><row")
    )
    assert refused(con, [path]) == "broken.xlsx: not a readable .xlsx workbook (ParseError); expected an .xlsx workbook"


# ----------------------------------------------------------------------------- the police.uk zip


def test_a_zip_member_named_outside_the_archive_is_refused_and_nothing_is_written_there(con, tmp_path):
    path = tmp_path / "slip.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2016-04/2016-04-west-mercia-street.csv", street_csv())
        archive.writestr("../evil.csv", street_csv())
        archive.writestr("/tmp/absolute-evil.csv", street_csv())
    text = refused(con, [path])
    assert "slip.zip: the member '../evil.csv' is named with a path outside the archive (a 'zip slip')" in text
    assert "slip.zip: the member '/tmp/absolute-evil.csv' is named with a path outside the archive" in text
    assert not (Path(tempfile.gettempdir()) / "evil.csv").exists()
    assert not (Path(tempfile.gettempdir()) / "absolute-evil.csv").exists()


def test_a_zip_bomb_of_csv_is_refused_by_its_compression_ratio(con, tmp_path):
    path = tmp_path / "police-bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("2016-04-west-mercia-street.csv", "w") as handle:
            handle.write(street_csv(0))
            row = (",".join(STREET_ROW) + "\n").encode() * 8192
            for _ in range(50 * 1024**2 // len(row)):
                handle.write(row)
    text = refused(con, [path], seconds=1.0)
    assert "police-bomb.zip: the member '2016-04-west-mercia-street.csv' would unpack" in text
    assert "expected a police.uk archive compressed at most 100:1" in text


def test_a_zip_whose_member_is_damaged_is_refused_plainly(con, tmp_path):
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2016-04-west-mercia-street.csv", street_csv(200))
    data = bytearray(path.read_bytes())
    data[60:80] = b"\xff" * 20  # inside the compressed data of the only member
    path.write_bytes(bytes(data))
    text = refused(con, [path])
    assert text.startswith("damaged.zip/2016-04-west-mercia-street.csv: could not be unpacked (")
    assert text.endswith("expected an undamaged police.uk archive")


def test_the_import_command_names_the_file_and_the_limit_and_leaves_the_database(seeded_db, tmp_path, template):
    db = tmp_path / "cli.duckdb"
    shutil.copyfile(seeded_db, db)
    bomb = replace_member(template, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", repeat(150 * 1024**2))
    before = db.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "assurance", "import", str(bomb), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "bomb.xlsx: the member 'xl/worksheets/sheet1.xml' unpacks to 150" in done.stderr
    assert "at most 100 MB each" in done.stderr
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == before


# ----------------------------------------------------------------------------- formula injection


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_downloads_neutralise_formulas_and_keep_numbers():
    frame = pd.DataFrame(
        {
            "Metric": [HYPERLINK, AT_SUM, "+1.2 pp above", "\tcmd", "Crime"],
            "Change": [-1.5, 2.0, 0.0, -0.25, 3.0],
            "As text": ["-1.5", "-1+2", "=1", " =2", "12%"],
            "Category": pd.Categorical(["-x", "ok", "ok", "@y", "ok"]),
        }
    )
    rows = csv_cells(to_csv_bytes(frame))
    assert rows == [
        ["Metric", "Change", "As text", "Category"],
        ["'" + HYPERLINK, "-1.5", "-1.5", "'-x"],
        ["'" + AT_SUM, "2.0", "'-1+2", "ok"],
        ["'+1.2 pp above", "0.0", "'=1", "ok"],
        ["'\tcmd", "-0.25", "' =2", "'@y"],
        ["Crime", "3.0", "12%", "ok"],
    ]
    assert csv_cells(to_csv_bytes(pd.DataFrame({"=cmd": [1]})))[0] == ["'=cmd"]


def test_the_export_folder_neutralises_text_from_an_imported_return(con, tmp_path):
    path = tmp_path / "return.csv"
    rows = [COLUMNS, ["Shropshire", "total_recorded_crime", "2016/17 Q1", "5", "", "", HYPERLINK, AT_SUM]]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert load(con, read_files([path]), by="hostile test").status == "loaded"
    con.execute(
        "UPDATE observations SET value = -1.5 WHERE area = 'shropshire' AND metric = 'total_recorded_crime'"
        " AND quarter = '2016/17 Q1'"
    )
    export(con, tmp_path / "export")
    exported = pd.read_csv(tmp_path / "export" / "observations.csv", encoding="utf-8-sig", dtype={"value": float})
    row = exported[exported["quarter"] == "2016/17 Q1"].iloc[0]
    assert (row["source"], row["note"], row["value"]) == ("'" + HYPERLINK, "'" + AT_SUM, -1.5)
    # The Parquet beside it keeps the text exactly: a restore gets back what was imported.
    parquet = pd.read_parquet(tmp_path / "export" / "observations.parquet")
    assert parquet[parquet["quarter"] == "2016/17 Q1"]["source"].tolist() == [HYPERLINK]


def test_the_template_writes_catalogue_text_as_text(tmp_path, monkeypatch):
    real = quarterly_template.reference()
    metrics = dict(real.metrics)
    first = next(iter(metrics))
    metrics[first] = dataclasses.replace(metrics[first], definition=HYPERLINK, source=AT_SUM)
    monkeypatch.setattr(quarterly_template, "reference", lambda: dataclasses.replace(real, metrics=metrics))
    write_template(tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")  # not data_only: a formula would show as one
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.data_type for c in cells if c.data_type == "f"] == []
    definition = next(c for c in cells if c.value == HYPERLINK)
    assert (definition.data_type, definition.quotePrefix) == ("s", True)
    assert next(c for c in cells if c.value == AT_SUM).quotePrefix
    assert next(c for c in cells if c.value == "code").quotePrefix is False
    write_template(tmp_path / "t.csv")
    assert csv_cells((tmp_path / "t.csv").read_bytes()) == [COLUMNS]
