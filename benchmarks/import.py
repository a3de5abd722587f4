"""How fast the police.uk street-level importer parses and aggregates, against a plain pandas baseline.

    python benchmarks/import.py                # 1M rows (median of 3) and 5M rows (1 run)
    python benchmarks/import.py --sizes 1000000 --runs 1

Generates police.uk-format street files (the 12 published columns, LSOA codes from the shipped ONS lookup,
with some rows having no location or an LSOA outside the force, and ~15% anti-social behaviour) in a
temporary folder, then times, each in a fresh subprocess so peak memory (ru_maxrss) is its own:

- this importer: ``assurance.sources.read_files([file])`` (header detection, SHA-256 of the file, DuckDB
  read_csv with typed columns joined to the lookup and counted in DuckDB, validation, quarters);
- a plain pandas baseline doing the same aggregation: ``pd.read_csv`` of the file, a merge with the lookup,
  ``groupby(month, lpa, crime type).size()`` and the unplaced rows counted by reason.

Never part of the test suite; prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CRIME_TYPES = [
    "Violence and sexual offences", "Anti-social behaviour", "Shoplifting", "Criminal damage and arson",
    "Other theft", "Public order", "Burglary", "Vehicle crime", "Drugs", "Other crime", "Possession of weapons",
    "Robbery", "Bicycle theft", "Theft from the person",
]  # fmt: skip


def generate(path: Path, rows: int) -> None:
    """A street-level file of ``rows`` rows, written by DuckDB (seconds, not minutes)."""
    import duckdb

    from assurance.sources.reference import LSOA_LOOKUP_CSV

    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE l AS SELECT row_number() OVER () - 1 AS i, LSOA21CD AS code, LSOA21NM AS name"
        " FROM read_csv($p, header = true, all_varchar = true)",
        {"p": str(LSOA_LOOKUP_CSV)},
    )
    n_lsoa = con.execute("SELECT count(*) FROM l").fetchall()[0][0]
    con.execute("CREATE TABLE t (i INTEGER, crime_type TEXT)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(CRIME_TYPES)))
    target = str(path).replace("'", "''")
    con.execute(
        f"""COPY (
        SELECT md5(r::VARCHAR) AS "Crime ID", '2024-0' || (1 + r % 3)::VARCHAR AS "Month",
               'West Mercia Police' AS "Reported by", 'West Mercia Police' AS "Falls within",
               CASE WHEN r % 50 = 0 THEN NULL ELSE -2.5 + (r % 1000) / 1000.0 END AS "Longitude",
               CASE WHEN r % 50 = 0 THEN NULL ELSE 52.1 + (r % 997) / 1000.0 END AS "Latitude",
               CASE WHEN r % 50 = 0 THEN 'No Location' ELSE 'On or near High Street' END AS "Location",
               CASE WHEN r % 50 = 0 THEN NULL WHEN r % 97 = 0 THEN 'E01009110' ELSE l.code END AS "LSOA code",
               CASE WHEN r % 50 = 0 THEN NULL WHEN r % 97 = 0 THEN 'Birmingham 128B' ELSE l.name END AS "LSOA name",
               CASE WHEN r % 7 = 1 THEN 'Anti-social behaviour' ELSE t.crime_type END AS "Crime type",
               CASE WHEN r % 7 = 1 THEN NULL ELSE 'Under investigation' END AS "Last outcome category",
               NULL AS "Context"
        FROM range({int(rows)}) AS g(r)
        JOIN l ON l.i = (r * 7919) % {n_lsoa}
        JOIN t ON t.i = r % {len(CRIME_TYPES)}
        ) TO '{target}' (HEADER, DELIMITER ',')"""  # noqa: S608  # nosec B608 (numbers and a temp path)
    )
    con.close()


def measure_ours(path: Path) -> dict:
    started = time.perf_counter()
    from assurance.sources import read_files

    parsed = read_files([path])
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": parsed.rows_read, "placed": parsed.rows_loaded}


def measure_pandas(path: Path) -> dict:
    started = time.perf_counter()
    import pandas as pd

    from assurance.sources.reference import LSOA_LOOKUP_CSV, reference

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    lookup = pd.read_csv(LSOA_LOOKUP_CSV, dtype=str, encoding="utf-8-sig")[["LSOA21CD", "LAD22NM"]]
    lookup["lpa"] = lookup["LAD22NM"].map(reference().district_to_lpa)
    merged = frame.merge(lookup[["LSOA21CD", "lpa"]], how="left", left_on="LSOA code", right_on="LSOA21CD")
    placed = merged[merged["lpa"].notna()]
    counts = placed.groupby(["Month", "lpa", "Crime type"]).size()
    reason = merged["LSOA code"].eq("").map({True: "no_lsoa", False: "outside"})[merged["lpa"].isna()]
    unplaced = reason.groupby([merged["Month"], reason]).size()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": len(frame), "placed": int(counts.sum()), "unplaced": int(unplaced.sum())}


def _child(kind: str, path: str) -> None:
    result = (measure_ours if kind == "ours" else measure_pandas)(Path(path))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(kind: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs for sizes up to 1M (larger: 1 run)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    import duckdb
    import pandas

    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; {platform.processor() or platform.machine()};"
        f" Python {platform.python_version()}; DuckDB {duckdb.__version__}; pandas {pandas.__version__}"
    )
    print("| rows | file MB | importer | rows/s | peak MB | pandas baseline | rows/s | peak MB | speed-up |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="assurance-bench-") as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"2024-01-bench-{size}-street.csv"
            generate(path, size)
            megabytes = path.stat().st_size / 1024 / 1024
            runs = args.runs if size <= 1_000_000 else 1
            ours = [run_child("ours", path) for _ in range(runs)]
            theirs = [run_child("pandas", path) for _ in range(runs)]
            assert ours[0]["placed"] == theirs[0]["placed"], (ours[0], theirs[0])
            t_ours = statistics.median(r["seconds"] for r in ours)
            t_pandas = statistics.median(r["seconds"] for r in theirs)
            print(
                f"| {size:,} | {megabytes:,.0f} | {t_ours:.2f} s | {size / t_ours / 1e6:.2f} M |"
                f" {max(r['peak_mb'] for r in ours):,.0f} | {t_pandas:.2f} s | {size / t_pandas / 1e6:.2f} M |"
                f" {max(r['peak_mb'] for r in theirs):,.0f} | {t_pandas / t_ours:.1f}× |",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
