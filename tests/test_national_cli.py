"""The national comparison from the command line: import archives as police.uk lays them out (exit 0, progress,
provenance), refuse bad ones (exit 2, the member named, nothing written), export the stable CSV, and the briefing."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from assurance.domain.national.figures import EXPORT_COLUMNS
from tests.support import FIXTURES, STREET_FILES, run_cli, table_contents

NATIONAL = FIXTURES / "police_uk_national"


def archive(folder: Path, month: str, *, extra: dict[str, bytes] | None = None, skip: set[str] = frozenset()) -> Path:
    """A month's archive laid out as police.uk lays it out: 2024-01/2024-01-<force>-street.csv."""
    path = folder / f"police-uk-street-{month}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for source in [*sorted(NATIONAL.glob(f"{month}-*-street.csv")), *[p for p in STREET_FILES if month in p.name]]:
            if source.name not in skip:
                zf.writestr(f"{month}/{source.name}", source.read_bytes())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


@pytest.fixture()
def db(seeded_db, tmp_path) -> Path:
    path = tmp_path / "national.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


@pytest.fixture()
def archives(tmp_path) -> list[Path]:
    return [archive(tmp_path, f"2024-0{m}") for m in (1, 2, 3)]


def test_three_monthly_archives_import_with_progress_and_their_provenance(db, archives):
    result = run_cli("import", *archives, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "[15/15]" in result.stderr  # five forces' files a month, counted one by one
    assert "police.uk street-level crime for the national comparison: 5 forces, 2024-01 to 2024-03" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Loaded as load 1:")
    again = run_cli("import", *archives, "--db", db)
    assert again.returncode == 0 and "already loaded (load 1); nothing changed" in again.stdout
    listed = run_cli("list", "meetings", "--db", db)  # the database is whole and readable
    assert listed.returncode == 0


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("corrupt", "damaged"),
        ("not-street", "not a police.uk street-level file by its name"),
        ("unknown-force", "police.uk has no force 'atlantis'"),
        ("zip-in-zip", "a zip inside the zip"),
        ("cut-mid-row", "the row has"),
        ("wrong-month", "rows for 2024-02 in the file for 2024-01"),
    ],
)
def test_a_damaged_archive_is_refused_naming_the_member_and_nothing_is_written(db, tmp_path, damage, words):
    january = NATIONAL / "2024-01-suffolk-street.csv"
    data = january.read_bytes()
    extra = {
        "not-street": {"2024-01/readme.csv": b"a,b\n1,2\n"},
        "unknown-force": {"2024-01/2024-01-atlantis-street.csv": data},
        "zip-in-zip": {"2024-01/inner.zip": b"PK\x05\x06" + b"\x00" * 18},
        "cut-mid-row": {"2024-01/2024-01-suffolk-street.csv": data[: len(data) // 2]},
        "wrong-month": {"2024-01/2024-01-suffolk-street.csv": data.replace(b",2024-01,", b",2024-02,", 1)},
    }.get(damage, {})
    path = archive(
        tmp_path, "2024-01", extra=extra, skip={january.name} if damage in ("cut-mid-row", "wrong-month") else set()
    )
    if damage == "corrupt":  # flip bytes inside the first member's compressed data
        raw = bytearray(path.read_bytes())
        raw[400:420] = bytes(20)
        path.write_bytes(bytes(raw))
    before = table_contents(db)
    result = run_cli("import", path, "--db", db)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "nothing was loaded" in result.stderr and words in result.stderr
    assert "police-uk-street-2024-01.zip/" in result.stderr and "Traceback" not in result.stderr
    assert table_contents(db) == before


def test_the_export_writes_the_stable_columns(db, archives, tmp_path):
    assert run_cli("import", *archives, "--db", db).returncode == 0
    out = tmp_path / "national.csv"
    result = run_cli("export", "national", "--format", "csv", "-o", out, "--db", db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == EXPORT_COLUMNS
    suffolk = [r for r in rows if r["level"] == "force" and r["force"] == "suffolk" and r["crime_type"] == "All crime"]
    assert [(s["quarter"], s["area_code"], s["area_name"], s["months_loaded"]) for s in suffolk] == [
        ("2023/24 Q4", "suffolk", "Suffolk Constabulary", "3")
    ]
    assert {r["level"] for r in rows} == {"force", "csp"}
    assert not [r for r in rows if r["crime_type"] == "Anti-social behaviour"]
    stdout = run_cli("export", "national", "--format", "csv", "--db", db)
    assert stdout.returncode == 0 and stdout.stdout.lstrip("\ufeff").startswith(",".join(EXPORT_COLUMNS))


def test_an_export_with_no_national_data_says_so(db):
    result = run_cli("export", "national", "--format", "csv", "--db", db)
    assert result.returncode == 2 and "there is no national data to export" in result.stderr


def test_undoing_a_national_load_takes_its_rows_out(db, archives):
    assert run_cli("import", *archives, "--db", db).returncode == 0
    undone = run_cli("undo", "1", "--db", db, "--by", "tester")
    assert undone.returncode == 0 and undone.stdout.startswith("Load 1 undone:"), undone.stderr
    exported = run_cli("export", "national", "--format", "csv", "--db", db)
    assert exported.returncode == 2


def test_the_briefing_places_west_mercia_among_the_forces(db, archives, tmp_path):
    assert run_cli("import", *archives, "--db", db).returncode == 0
    pdf = tmp_path / "briefing.pdf"
    result = run_cli("briefing", "--meeting", "2024-11-27", "-o", pdf, "--db", db, "--no-charts")
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "West Mercia beside England and Wales (police.uk)" in text
    assert "West Mercia Police (focus)" in text and "Shropshire (focus)" in text
    assert "Proxy: not the positive outcome rate." in text
    assert "Recorded crime for 2023/24 Q4 is real: police.uk's street-level crimes for West Mercia" in text
