"""Property-based fuzzing of every importer and of the minutes reader (hypothesis).

The property, for any byte string and for near-valid input (a real header with random rows, random
cells, mutated valid files): the reader gives a result or refuses with its own exception
(ImportInvalid, MinutesError, LoadRefused) carrying a message a person can read, never any other
exception; and where the flow writes (``read_files`` -> ``loads.load``; minutes ``apply``), a refused
input leaves every table of a real DuckDB file exactly as it was.

Each example gets its own copy of the database (``fresh``), and reads with a fixed ``today``: an example's
outcome depends on nothing but its own input, so hypothesis replays a failure exactly and never reports it as
"Flaky" (an example that passed or failed because of what earlier examples had loaded, or of the date it ran
on, would be). A batch that loads is loaded a second time, which must change nothing. ASSURANCE_FUZZ_SCALE=20
runs twenty times the examples, for a deeper search.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import string
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assurance.domain.commitments.minutes import apply, describe
from assurance.domain.loads import LoadRefused, load
from assurance.domain.setup import init_database
from assurance.products.export_folder import export
from assurance.sources import ImportInvalid, read_files
from assurance.sources.minutes import MinutesError, decode_minutes, read_minutes
from assurance.sources.police_uk_outcomes import COLUMNS as OUTCOME_COLUMNS
from assurance.sources.police_uk_outcomes import POSITIVE_CATEGORIES
from assurance.sources.police_uk_street import COLUMNS as STREET_COLUMNS
from assurance.sources.quarterly_return import COLUMNS
from assurance.sources.reference import LSOA_LOOKUP_CSV
from assurance.store.connection import connect
from tests.support import SEED_MINUTES

ROOT = Path(__file__).resolve().parent.parent
MINUTES = [
    *sorted((Path(__file__).resolve().parent / "fixtures" / "minutes").glob("*.txt")),
    SEED_MINUTES,
]
SEED_MEETING = ROOT / "data" / "meetings" / "2024-11-27-aa-performance.json"
SCALE = float(os.environ.get("ASSURANCE_FUZZ_SCALE", "1"))


def fuzz(examples: int):
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# ----------------------------------------------------------------------------- the database and the property


def table_contents(con) -> list[tuple]:
    """Every table's name, row count and the sum of its rows' hashes: equal means the same rows, in any order."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    # One query for all the tables: the snapshot is taken after every example, so it has to be quick.
    return con.execute(
        " UNION ALL ".join(
            f"SELECT '{name}', count(*), sum(hash(t))::VARCHAR FROM \"{name}\" AS t"  # noqa: S608
            for name in names
        )
    ).fetchall()


# The day the fuzzed imports are read on: quarters and months to 2024/25 Q2 have ended, "2099/00 Q1" has not.
TODAY = date(2025, 1, 1)


@contextmanager
def _copy_of(template: Path, path: Path) -> Iterator:
    """A connection to a new copy of template at path (any earlier copy there, and its WAL, replaced)."""
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    shutil.copyfile(template, path)
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture()
def fresh(seeded_db, tmp_path):
    """``with fresh() as con``: each example's own copy of the database with the demo data."""
    return lambda: _copy_of(seeded_db, tmp_path / "fuzz.duckdb")


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory) -> Path:
    """A database with the schema and reference data but no meetings, for the minutes."""
    path = tmp_path_factory.mktemp("minutes") / "empty.duckdb"
    init_database(path)
    return path


@pytest.fixture()
def fresh_empty(empty_template, tmp_path):
    """``with fresh_empty() as con``: each example's own copy of the empty database."""
    return lambda: _copy_of(empty_template, tmp_path / "minutes.duckdb")


@pytest.fixture()
def con(fresh):
    with fresh() as connection:
        yield connection


@pytest.fixture()
def empty_con(fresh_empty):
    with fresh_empty() as connection:
        yield connection


def assert_readable(message: str) -> None:
    """A refusal's message is a sentence for a person: words, not a bare exception repr."""
    assert message.strip(), "an empty message"
    assert len(message.split()) >= 3, message
    assert "Traceback" not in message


def _event(text: str) -> None:
    """hypothesis.event, also usable from the plain tests that share import_or_refuse."""
    try:
        event(text)
    except InvalidArgument:  # not inside a hypothesis test
        pass


def import_or_refuse(con, paths: list[Path], names: list[str] | None = None) -> str:
    """Import as the Data page does; a refusal must leave every table as it was, and a batch that loaded must
    change nothing when it is loaded again. The outcome, in a word."""
    before = table_contents(con)
    try:
        parsed = read_files(paths, names, today=TODAY)
    except ImportInvalid as exc:
        assert exc.report.problems, "refused without naming a problem"
        for problem in exc.report.problems:
            assert problem.file and problem.message and problem.expected, problem
        assert_readable(str(exc))
        assert table_contents(con) == before
        _event("refused: " + exc.report.problems[0].message[:40])
        return "invalid"
    try:
        result = load(con, parsed, by="fuzz")
    except LoadRefused as exc:
        assert_readable(str(exc))
        assert table_contents(con) == before
        return "refused"
    assert_readable(result.message)
    now = table_contents(con)
    if result.status != "loaded":
        assert now == before
    elif not parsed.restore_dir:
        again = load(con, read_files(paths, names, today=TODAY), by="fuzz")
        assert again.status == "already_loaded", again.message
        assert table_contents(con) == now
    _event(f"load: {result.status}")
    return result.status


# ----------------------------------------------------------------------------- building blocks

cell_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
number_text = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1,234", "12.5%", " 7 ", "1e309", "-0", "0x10", "١٢", "½", "nan", "inf", "--1"]),
)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])


def mostly(valid, odd, odds: int = 8):
    """Usually a value from ``valid``; one time in ``odds + 1``, one from ``odd``: near-valid input."""
    return st.integers(0, odds).flatmap(lambda n: valid if n else odd)


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


RETURN_CELL = st.one_of(
    st.sampled_from(
        ["Shropshire", "shropshire", "West Mercia", "force", "Telford and Wrekin", "Birmingham", "", " "]
        + ["total_recorded_crime", "Positive outcome rate", "victim_satisfaction", "calls_999_within_10s"]
        + ["police_uk_crimes", "median_days_to_close", "2016/17 Q1", "2016/17 Q2", "2030 Q1", "2016/17 Q5"]
        + ["2099/00 Q1", "2024/25 Q3"]  # quarters that have not ended by TODAY
        + ["5", "0", "-1", "101", "50.5", "13.3%", "=1+1", "x" * 600]
    ),
    number_text,
    cell_text,
)


AREAS = ["Shropshire", "herefordshire", "North Worcestershire", "South Worcestershire", "Telford and Wrekin"]
QUARTERS = ["2016/17 Q1", "2016/17 Q2", "2015/16 Q4"]


@st.composite
def return_row(draw) -> dict[str, object]:
    """A row a return could hold: a count, a rate by its parts, or a force-only figure."""
    kind = draw(st.integers(0, 2))
    row = {"area": draw(st.sampled_from(AREAS)), "quarter": draw(st.sampled_from(QUARTERS))}
    if kind == 0:
        row["metric"] = draw(st.sampled_from(["total_recorded_crime", "open_investigations", "Outstanding suspects"]))
        row["value"] = draw(st.integers(0, 10**6))
    elif kind == 1:
        row["metric"] = draw(st.sampled_from(["positive_outcome_rate", "Victim satisfaction"]))
        row["denominator"] = draw(st.integers(1, 10**5))
        row["numerator"] = draw(st.integers(0, row["denominator"]))
    else:
        row |= {"area": "West Mercia", "metric": "calls_999_average_answer_seconds", "value": draw(st.integers(0, 60))}
    row["source"] = draw(mostly(st.just(""), cell_text, 2))
    row["note"] = draw(mostly(st.just(""), cell_text, 2))
    return row


@st.composite
def return_tables(draw) -> list[list[str]]:
    """A return's header (any order and case, now and then a column odd or missing) and near-valid rows."""
    header = draw(st.permutations(COLUMNS))
    header = [draw(st.sampled_from([h, h.upper(), f" {h} "])) for h in header]
    if draw(st.integers(0, 5)) == 0:
        header = header[: draw(st.integers(3, len(header)))]
    if draw(st.integers(0, 5)) == 0:
        header.append(draw(cell_text))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        valid = draw(return_row())
        cells = [draw(mostly(st.just(str(valid.get(h.strip().lower(), ""))), RETURN_CELL, 12)) for h in header]
        if draw(st.integers(0, 12)) == 0:
            cells = cells[: draw(st.integers(0, len(cells)))] + draw(st.lists(RETURN_CELL, max_size=2))
        rows.append(cells)
    return [header, *rows]


# ----------------------------------------------------------------------------- quarterly return, CSV


@fuzz(60)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".CSV", ".txt", ".xls", ""]))
def test_any_bytes_as_a_file_give_a_result_or_a_clean_refusal(fresh, tmp_path, data, suffix):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(data)
    with fresh() as con:
        import_or_refuse(con, [path])


@fuzz(80)
@given(table=return_tables(), delimiter=st.sampled_from([",", ";", "\t"]), encoding=encodings)
def test_a_return_header_with_random_rows_loads_or_is_refused_cleanly(fresh, tmp_path, table, delimiter, encoding):
    with fresh() as con:
        outcome = import_or_refuse(con, [write_csv(tmp_path / "return.csv", table, delimiter, encoding)])
    assert outcome in ("invalid", "refused", "loaded", "unchanged", "already_loaded")


# ----------------------------------------------------------------------------- quarterly return, XLSX

XLSX_VALUE = st.one_of(
    RETURN_CELL,
    st.sampled_from(AREAS + QUARTERS + ["total_recorded_crime"]),
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
)


def write_xlsx(path: Path, rows: list[list], sheet: str = "Return") -> Path:
    """A workbook as Excel would save it (control characters, which Excel cannot store either, removed)."""
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def valid_xlsx(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("xlsx") / "return.xlsx"
    rows = [COLUMNS, ["Shropshire", "total_recorded_crime", "2016/17 Q1", 5], ["force", "victim_satisfaction"]]
    return write_xlsx(
        path, rows + [["Herefordshire", "Positive outcome rate", "2016/17 Q1", None, 13, 100]]
    ).read_bytes()


@fuzz(40)
@given(data=st.binary(max_size=3000))
def test_any_bytes_named_xlsx_give_a_clean_refusal(fresh, tmp_path, data):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    with fresh() as con:
        assert import_or_refuse(con, [path]) == "invalid"


@fuzz(40)
@given(
    header=st.permutations(COLUMNS),
    rows=st.lists(st.lists(XLSX_VALUE, max_size=10), max_size=8),
    sheet=st.sampled_from(["Return", "Sheet1", "return", "Données"]),
)
def test_a_workbook_with_random_cells_loads_or_is_refused_cleanly(fresh, tmp_path, header, rows, sheet):
    with fresh() as con:
        import_or_refuse(con, [write_xlsx(tmp_path / "return.xlsx", [header, *rows], sheet)])


# Positions are drawn independently of the file's length and taken modulo it: a strategy must not depend on
# state outside hypothesis (a zip's compressed size changes with its members' year).
EDITS = st.lists(st.tuples(st.integers(0, 2**20), st.binary(max_size=8)), min_size=1, max_size=6)
CUT = st.one_of(st.none(), st.integers(0, 2**20))


def edited(data: bytes, edits: list[tuple[int, bytes]], cut: int | None = None) -> bytes:
    """data with a few bytes overwritten (or deleted, for an empty replacement) here and there, perhaps cut short."""
    out = bytearray(data)
    for position, replacement in edits:
        at = position % max(len(out), 1)
        out[at : at + max(len(replacement), 1)] = replacement
    return bytes(out if cut is None else out[: cut % (len(out) + 1)])


@fuzz(60)
@given(data=st.data())
def test_a_damaged_workbook_is_refused_cleanly(fresh, tmp_path, valid_xlsx, data):
    """Bytes of a valid workbook changed here and there (headers, compressed data) or cut short."""
    edits, cut = data.draw(EDITS), data.draw(CUT)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(edited(valid_xlsx, edits, cut))
    with fresh() as con:
        import_or_refuse(con, [path])


@fuzz(60)
@given(data=st.data())
def test_a_workbook_with_damaged_xml_is_refused_cleanly(fresh, tmp_path, valid_xlsx, data):
    """A valid zip whose XML parts (sheet, workbook, shared strings, content types) are changed: the XML parsers."""
    source = zipfile.ZipFile(io.BytesIO(valid_xlsx))
    names = source.namelist()
    victim = data.draw(st.sampled_from(names))
    xml = source.read(victim)
    changed = data.draw(
        st.one_of(
            EDITS.map(lambda e: edited(xml, e)),
            st.integers(0, 2**20).map(lambda n: xml[: n % (len(xml) + 1)]),
            st.sampled_from([b"", b"<x/>", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', b"\xff\xfe<"]),
        )
    )
    path = tmp_path / "xml.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            if name != victim or data.draw(st.integers(0, 9)) > 0:  # sometimes the part is missing altogether
                target.writestr(name, changed if name == victim else source.read(name))
    with fresh() as con:
        import_or_refuse(con, [path])


# ----------------------------------------------------------------------------- police.uk CSV files


def _lsoa_codes() -> list[str]:
    with open(LSOA_LOOKUP_CSV, encoding="utf-8-sig", newline="") as handle:
        return [row["LSOA21CD"] for row, _ in zip(csv.DictReader(handle), range(5), strict=False)]


LSOA = mostly(st.sampled_from(_lsoa_codes()), st.sampled_from(["E01009999", "", " ", "W01000001"]), 3)
MONTH = mostly(
    st.sampled_from(["2016-04", "2016-05", "2016-06"]),
    st.one_of(st.sampled_from(["2016-13", "2016-4", "", "2016/04", " 2016-05 ", "2099-01"]), cell_text),
    20,
)
CRIME_TYPE = mostly(
    st.sampled_from(["Burglary", "Anti-social behaviour", "Vehicle crime"]), st.one_of(st.just(""), cell_text), 20
)
OUTCOME = mostly(
    st.sampled_from([*POSITIVE_CATEGORIES, "Unable to prosecute suspect"]), st.one_of(st.just(""), cell_text), 20
)


@st.composite
def police_rows(draw, columns: list[str], category: str, categories) -> list[list[str]]:
    """Rows of a police.uk file: mostly as published, now and then a bad month, category, LSOA or row length."""
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        row = {c: draw(mostly(st.just(""), st.one_of(cell_text, number_text), 1)) for c in columns}
        row["Month"] = draw(MONTH)
        row["LSOA code"] = draw(LSOA)
        row[category] = draw(categories)
        values = [row[c] for c in columns]
        shape = draw(st.integers(0, 30))
        if shape == 0:
            values = values[: draw(st.integers(0, len(values) - 1))]
        elif shape == 1:
            values.append(draw(cell_text))
        rows.append(values)
    return rows


@fuzz(35)
@given(rows=police_rows(STREET_COLUMNS, "Crime type", CRIME_TYPE), encoding=encodings)
def test_a_street_file_with_random_rows_loads_or_is_refused_cleanly(fresh, tmp_path, rows, encoding):
    path = write_csv(tmp_path / "2016-04-west-mercia-street.csv", [STREET_COLUMNS, *rows], encoding=encoding)
    with fresh() as con:
        import_or_refuse(con, [path])


@fuzz(35)
@given(rows=police_rows(OUTCOME_COLUMNS, "Outcome type", OUTCOME), encoding=encodings)
def test_an_outcomes_file_with_random_rows_loads_or_is_refused_cleanly(fresh, tmp_path, rows, encoding):
    path = write_csv(tmp_path / "2016-04-west-mercia-outcomes.csv", [OUTCOME_COLUMNS, *rows], encoding=encoding)
    with fresh() as con:
        import_or_refuse(con, [path])


@fuzz(40)
@given(
    header=st.sampled_from([STREET_COLUMNS, OUTCOME_COLUMNS]),
    body=st.binary(max_size=1500),
)
def test_any_bytes_after_a_police_uk_header_give_a_result_or_a_clean_refusal(fresh, tmp_path, header, body):
    path = tmp_path / "2016-04-west-mercia.csv"
    path.write_bytes((",".join(header) + "\n").encode() + body)
    with fresh() as con:
        import_or_refuse(con, [path])


# ----------------------------------------------------------------------------- the police.uk archive

MEMBER_NAME = st.one_of(
    st.sampled_from(
        ["2016-04/2016-04-west-mercia-street.csv", "2016-05/2016-05-west-mercia-outcomes.csv", "return.xlsx"]
        + ["../evil.csv", "/etc/evil.csv", "a/../../b.csv", "C:\\evil.csv", "..\\evil.csv", "notes.txt", "dir/"]
        + ["2016-06/2016-06-west-mercia-stop-and-search.csv", "nested.zip", "é/ü.csv"]
    ),
    st.text(alphabet=string.ascii_letters + "./\\-_ ", min_size=1, max_size=20).map(lambda s: s + ".csv"),
)


@st.composite
def member_contents(draw, valid_xlsx: bytes) -> bytes:
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return draw(st.binary(max_size=500))
    if kind == 1:
        return edited(valid_xlsx, draw(EDITS))
    if kind == 2:
        return valid_xlsx
    columns, category, categories = draw(
        st.sampled_from([(STREET_COLUMNS, "Crime type", CRIME_TYPE), (OUTCOME_COLUMNS, "Outcome type", OUTCOME)])
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([columns, *draw(police_rows(columns, category, categories))])
    return buffer.getvalue().encode("utf-8")


@fuzz(40)
@given(data=st.data())
@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # two members of one name: drawn on purpose
def test_a_police_uk_archive_loads_or_is_refused_cleanly(fresh, tmp_path, valid_xlsx, data):
    path = tmp_path / "police-uk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for _ in range(data.draw(st.integers(0, 3))):
            method = data.draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]))
            contents = data.draw(member_contents(valid_xlsx))
            archive.writestr(data.draw(MEMBER_NAME), contents, compress_type=method)
    if data.draw(st.integers(0, 3)) == 0:  # and sometimes damaged, or cut short
        raw = path.read_bytes()
        path.write_bytes(edited(raw, data.draw(EDITS), data.draw(CUT)))
    with fresh() as con:
        import_or_refuse(con, [path])


# ----------------------------------------------------------------------------- an export folder


@pytest.fixture(scope="module")
def export_folder(seeded_db, tmp_path_factory) -> Path:
    """An export of a database holding one real load, as `python -m assurance export` writes it."""
    base = tmp_path_factory.mktemp("export")
    path = base / "source.duckdb"
    shutil.copyfile(seeded_db, path)
    source = base / "return.csv"
    write_csv(source, [COLUMNS, ["Shropshire", "total_recorded_crime", "2016/17 Q1", "5"]])
    connection = connect(path)
    try:
        assert load(connection, read_files([source]), by="fuzz").status == "loaded"
        export(connection, base / "export")
    finally:
        connection.close()
    return base / "export"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | cell_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(cell_text, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def manifests(draw, real: dict) -> bytes:
    """The real manifest with fields changed, removed or retyped; or any JSON; or any bytes."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return json.dumps(draw(JSON)).encode()
    manifest = json.loads(json.dumps(real))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(["export_version", "schema_version", "tables", "exported_at"]))
        if draw(st.booleans()):
            manifest.pop(key, None)
        else:
            manifest[key] = draw(JSON)
    if kind == 3 and isinstance(manifest.get("tables"), dict) and manifest["tables"]:
        table = draw(st.sampled_from(sorted(manifest["tables"])))
        manifest["tables"][table] = draw(JSON)
    return json.dumps(manifest).encode()


@fuzz(40)
@given(data=st.data())
def test_an_export_folder_restores_or_is_refused_cleanly(seeded_db, tmp_path, export_folder, data):
    """A restore needs a database without loads: each example gets a fresh copy, so each can reach the restore."""
    folder = tmp_path / "export"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(export_folder, folder)
    real = json.loads((export_folder / "manifest.json").read_text(encoding="utf-8"))
    damage = data.draw(st.sampled_from(["manifest", "cut short", "not parquet", "missing", "swapped", "none"]))
    if damage == "manifest":
        (folder / "manifest.json").write_bytes(data.draw(manifests(real)))
    elif damage != "none":
        victim = folder / data.draw(st.sampled_from(sorted(p.name for p in folder.glob("*.parquet"))))
        if damage == "missing":
            victim.unlink()
        elif damage == "swapped":  # another table's file in its place
            other = data.draw(st.sampled_from(sorted(p.name for p in folder.glob("*.parquet"))))
            victim.write_bytes((folder / other).read_bytes())
        elif damage == "cut short":
            raw = victim.read_bytes()
            victim.write_bytes(raw[: data.draw(st.integers(0, 2**20)) % len(raw)])
        else:
            victim.write_bytes(data.draw(st.binary(max_size=300)))
    shutil.copyfile(seeded_db, tmp_path / "restore.duckdb")
    con = connect(tmp_path / "restore.duckdb")
    try:
        import_or_refuse(con, [folder])
    finally:
        con.close()


# ----------------------------------------------------------------------------- the minutes reader


def read_or_refuse(read) -> object | None:
    """The proposal, or None after a clean MinutesError."""
    try:
        proposal = read()
    except MinutesError as exc:
        assert_readable(str(exc))
        return None
    describe(proposal)  # what the command prints: never fails on what the reader proposed
    return proposal


def apply_or_refuse(con, record: dict) -> str | None:
    """Save through minutes.apply (and so load_meeting_file); a refusal leaves every table as it was."""
    before = table_contents(con)
    try:
        mid = apply(con, record, changed_by="fuzz")
    except MinutesError as exc:
        assert_readable(str(exc))
        assert table_contents(con) == before
        event("refused: " + str(exc)[:40])
        return None
    event("saved")
    return mid


@fuzz(80)
@given(data=st.binary(max_size=3000), named=st.booleans())
def test_any_bytes_as_minutes_give_a_proposal_or_a_clean_refusal(data, named):
    source = "minutes-2024-05-01.txt" if named else None
    read_or_refuse(lambda: read_minutes(decode_minutes(data, source=source), source=source))


@fuzz(80)
@given(text=st.text(max_size=2000))
def test_any_text_as_minutes_gives_a_proposal_or_a_clean_refusal(text):
    read_or_refuse(lambda: read_minutes(text))


MINUTES_LINE = st.one_of(
    cell_text,
    st.sampled_from(
        [
            "Date: 31 February 2024",
            "Date: Wednesday 27th November",
            "Chair: ",
            "ACTION:",
            "Action: XX to",
            "- – ()",
            "Recommendation 0:",
            "Recommendation 99999999999999999999:",
            "Ref 99/99/99/9999 x",
            "Present:",
            "Apologies:",
            "Q5 performance",
            "reduce burglary by 10% over the next 9999999999 months",
            "Action: CC to report by spring 99999",
            "Minute taker:",
            "crime fell by 1e309% year to date",
            "published on the 31st of June 2024",
            "by 29th February 2023",
            "A&A performance 2024/25 Q9",
        ]
    ),  # fmt: skip
)


@st.composite
def mutated_minutes(draw) -> str:
    """A real set of minutes with lines deleted, repeated, swapped, inserted or changed character by character."""
    lines = draw(st.sampled_from(MINUTES)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.integers(0, 4))
        if operation == 0:
            del lines[at]
        elif operation == 1:
            lines.insert(at, lines[at])
        elif operation == 2:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == 3:
            lines.insert(at, draw(MINUTES_LINE))
        elif lines[at]:
            position = draw(st.integers(0, len(lines[at]) - 1))
            lines[at] = lines[at][:position] + draw(st.text(max_size=3)) + lines[at][position + 1 :]
    return "\n".join(lines)


@fuzz(50)
@given(text=mutated_minutes(), meeting_date=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2090, 12, 31))))
def test_mutated_minutes_are_read_and_saved_or_refused_cleanly(fresh_empty, text, meeting_date):
    proposal = read_or_refuse(lambda: read_minutes(text, source="minutes.txt", meeting_date=meeting_date))
    if proposal is not None:
        with fresh_empty() as con:
            apply_or_refuse(con, proposal.to_meeting_json())


def _paths(value, prefix=()):
    """Every path into a JSON value (dict keys and list positions)."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


ODD_VALUE = st.one_of(
    JSON,
    st.sampled_from(
        [
            "",
            " ",
            "2024-02-30",
            "2024/25 Q5",
            "10000-01-01",
            10**12,
            -1,
            0,
            1e308,
            float("nan"),
            float("inf"),
            True,
            "increase",
            "open",
            "shropshire",
            "total_recorded_crime",
            "x" * 5000,
            [],
            {},
        ]
    ),  # fmt: skip
)


@fuzz(80)
@given(data=st.data())
def test_an_edited_proposal_is_saved_or_refused_cleanly(fresh_empty, data):
    """The proposal as the review page hands it over: any field set to any value, removed, or its list emptied."""
    record = json.loads(SEED_MEETING.read_text(encoding="utf-8"))
    record["id"] = f"{record['id']}-{data.draw(st.integers(0, 10**6))}"  # a new meeting each time, unless changed
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from([p for p in _paths(record) if p]))
        parent = record
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.integers(0, 4)) == 0:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = data.draw(ODD_VALUE)
    with fresh_empty() as con:
        apply_or_refuse(con, record)


# ----------------------------------------------------------------------------- what the fuzzing found


def test_a_return_saved_with_semicolons_is_recognised(tmp_path):
    """Excel in many locales saves CSV with ';'. The reader took it, but detection split the header on commas
    only and refused the file as 'the header is not one this program reads'."""
    path = tmp_path / "return.csv"
    path.write_text("area;metric;quarter;value\nShropshire;total_recorded_crime;2016/17 Q1;5\n", encoding="utf-8")
    assert [(o["area"], o["value"]) for o in read_files([path]).observations] == [("shropshire", 5.0)]


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"attendees": 5}, "Meeting: the attendees must be a list of records, not int"),
        ({"attendees": [None]}, "Attendee 1: not a record of fields (name, role, abbreviation, organisation)"),
        ({"title": ["A&A"]}, "Meeting: the title must be text, not list"),
        ({"held_on": 20241127}, "Meeting: the held on must be text, not int"),
        ({"held_on": "20241127"}, "Meeting: the date: '20241127' is not a date (YYYY-MM-DD)"),
        ({"held_on": "9999-12-01"}, "Meeting: the date: 9999-12-01 is not a year from 1990 to 2100"),
    ],
)
def test_a_proposal_of_the_wrong_shape_is_refused_with_what_is_wrong(empty_con, change, problem):
    """Found by fuzzing: validate() assumed lists of records and text fields, and raised TypeError or
    AttributeError, or let the database (or load_meeting_file) fail on a list, an int or the year 9999."""
    record = json.loads(SEED_MEETING.read_text(encoding="utf-8")) | change
    before = table_contents(empty_con)
    with pytest.raises(MinutesError) as caught:
        apply(empty_con, record)
    assert problem in caught.value.problems
    assert table_contents(empty_con) == before


@pytest.mark.parametrize(
    "section, field, value, problem",
    [
        (
            "pledges",
            "horizon_months",
            10**12,
            "Pledge 1: a time frame of 1000000000000 months; at most 120 (ten years)",
        ),
        ("claims", "stated_value", float("nan"), "Claim 1: the stated value is not a number"),
        ("claims", "tolerance", float("inf"), "Claim 1: the tolerance must be a number ≥ 0"),
        ("recommendations", "number", 2**40, "Recommendation 1099511627776: the number must be from 1 to 9999"),
        ("actions", "due_text", 31, "Action 1: the due text must be text, not int"),
    ],
)
def test_figures_the_database_cannot_hold_are_refused_before_it_is_asked(empty_con, section, field, value, problem):
    """Found by fuzzing: these passed validation and failed inside the transaction with a database error."""
    record = json.loads(SEED_MEETING.read_text(encoding="utf-8"))
    record[section][0][field] = value
    with pytest.raises(MinutesError) as caught:
        apply(empty_con, record)
    assert problem in caught.value.problems


def test_fields_a_proposal_does_not_have_are_ignored_and_optional_ones_may_be_left_out(empty_con):
    """Found by fuzzing: an extra key (a data editor's column, a hand-edited JSON) reached the INSERT as a
    parameter, and a missing optional one (a claim's speaker) was a parameter not given: database errors."""
    record = json.loads(SEED_MEETING.read_text(encoding="utf-8"))
    record["attendees"][0]["colour"] = "blue"
    record["claims"][0]["Accept"] = True
    del record["claims"][1]["speaker"]
    del record["recommendations"][0]["status"]
    record["recommendations"][1]["status"] = "open"
    assert apply(empty_con, record) == record["id"]
    assert empty_con.execute("SELECT count(*) FROM attendees").fetchone()[0] == len(record["attendees"])
    speakers = empty_con.execute("SELECT speaker FROM claims ORDER BY id").fetchall()
    assert speakers[1] == (None,) and speakers[0] == (record["claims"][0]["speaker"],)
    statuses = empty_con.execute("SELECT status FROM recommendations ORDER BY number").fetchall()
    assert statuses[:2] == [("in progress",), ("open",)]


def test_reloading_a_month_beside_a_new_one_is_not_a_database_error(con, tmp_path):
    """Found by fuzzing: January loaded, then January and February together (an archive with one more month)."""

    def month_file(name: str, month: str) -> Path:
        row = ["", month, "", "", "", "", "", _lsoa_codes()[0], "", "Burglary", "", ""]
        return write_csv(tmp_path / name, [STREET_COLUMNS, row])

    january = month_file("2016-01-west-mercia-street.csv", "2016-01")
    assert load(con, read_files([january]), by="fuzz").status == "loaded"
    result = load(con, read_files([january, month_file("2016-02-west-mercia-street.csv", "2016-02")]), by="fuzz")
    assert result.status == "loaded"
    assert con.execute("SELECT count(*) FROM monthly_counts WHERE month = '2016-02'").fetchone()[0] == 1


@pytest.mark.parametrize("digests", [True, False], ids=["manifest-with-digests", "older-manifest-without"])
@pytest.mark.parametrize("damage", ["a byte gone from the start", "another table's file in its place"])
def test_a_damaged_parquet_file_in_an_export_is_refused_not_a_database_error(
    seeded_db, tmp_path, export_folder, damage, digests
):
    """Found by fuzzing: the footer still says how many rows there are, so the check passed and the restore failed.
    Now the manifest's SHA-256 catches it; an export written before digests is read in full, and a file that
    does not fit its table is refused by the restore, rolled back whole."""
    folder = tmp_path / "export"
    shutil.copytree(export_folder, folder)
    if not digests:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        del manifest["sha256"]
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if damage == "a byte gone from the start":
        (folder / "load_files.parquet").write_bytes((export_folder / "load_files.parquet").read_bytes()[1:])
    else:  # both have no rows, so the row counts agree
        shutil.copyfile(export_folder / "unplaced_counts.parquet", folder / "monthly_counts.parquet")
    shutil.copyfile(seeded_db, tmp_path / "restore.duckdb")
    con = connect(tmp_path / "restore.duckdb")
    try:
        assert import_or_refuse(con, [folder]) in ("invalid", "refused")
    finally:
        con.close()


def test_a_manifest_with_values_of_the_wrong_type_is_refused_plainly(tmp_path, export_folder):
    """Found by fuzzing: {"schema_version": null} raised TypeError from int() in read_export."""
    folder = tmp_path / "export"
    shutil.copytree(export_folder, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = None
    manifest["tables"]["observations"] = "many"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ImportInvalid) as caught:
        read_files([folder])
    assert caught.value.report.lines() == [
        "export/manifest.json, column 'schema_version': 'None' is not a version number; expected a whole number",
        "export/manifest.json, column 'tables': 'observations': 'many' rows; expected a number of rows",
    ]
