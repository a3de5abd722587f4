"""How fast the three national police.uk archives (Jan-Mar 2024, 40 forces, 964,929 rows) import, against pandas.

    python benchmarks/national_import.py               # median of 5 runs each
    python benchmarks/national_import.py --runs 3 --national ../shared/data/real/national

Reads the archives from the project's shared data folder (``../shared/data/real/national`` beside the checkout,
or ``--national DIR``); says so and exits 1 when they are not there (they are 45 MB, never in the repository).
Each run is a fresh subprocess, so its peak memory (ru_maxrss) is its own and nothing is cached between runs:

- **this importer, end to end**: ``read_national`` (unzip with ISA-L, check the CRC, Arrow's CSV reader, place
  each LSOA in its district and unit, count) then ``load_national`` into a fresh database (created before the
  clock starts) in one transaction;
- **a pandas baseline** doing the same counting: each member read with ``pandas.read_csv`` (from the zip, all
  columns as text, as an analyst would), merged with the ONS LSOA lookup, each row placed (own area, outside,
  unknown, no location) and grouped by month, force, district, place, crime type and outcome. It stores nothing,
  so it is a lower bound on what pandas would take end to end.

Both load the shipped reference (the ONS lookups) and their libraries before the clock starts.

Prints rows/s and the ratio; never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NATIONAL = ROOT.parent / "shared" / "data" / "real" / "national"
ARCHIVES = [f"police-uk-street-2024-0{m}.zip" for m in (1, 2, 3)]

OURS = """
import json, resource, sys, tempfile, time
from datetime import date
from pathlib import Path
sys.path.insert(0, {root!r})
from assurance.domain.national.load import load_national
from assurance.domain.setup import init_database
from assurance.sources.national.archive import read_national
from assurance.store.connection import connect
import io, pyarrow.csv
from assurance.sources.national.geography import geography
folder = Path(tempfile.mkdtemp())
init_database(folder / "bench.duckdb")
con = connect(folder / "bench.duckdb")
geography().lad_of_lsoa  # the shipped reference, loaded before the clock, as the baseline's is
pyarrow.csv.read_csv(io.BytesIO(b"a\\n1\\n"))  # the library's first use, as pandas is imported before its clock
start = time.perf_counter()
batch = read_national({paths!r}, today=date(2026, 12, 6))
read = time.perf_counter()
result = load_national(con, batch, by="benchmark")
end = time.perf_counter()
rows = con.execute("SELECT sum(count) FROM national_counts").fetchall()[0][0]
print(json.dumps({{"seconds": end - start, "read": read - start, "store": end - read, "rows": int(rows),
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

BASELINE = """
import json, re, resource, sys, time, zipfile
sys.path.insert(0, {root!r})
import pandas as pd
from assurance.sources.national.geography import LSOA_LOOKUP, geography
geo = geography()  # the forces' areas and districts: the same reference for both, loaded before the clock
lookup = pd.read_csv(LSOA_LOOKUP, dtype=str, usecols=["LSOA21CD", "LAD22CD"], encoding="utf-8-sig")
lad_area = pd.Series(geo.lad_pfa)
start = time.perf_counter()
parts = []
for path in {paths!r}:
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            found = re.search(r"(\\d{{4}}-\\d{{2}})-([a-z0-9-]+)-street\\.csv$", member.filename)
            if not found:
                continue
            force = geo.forces[found.group(2)]
            frame = pd.read_csv(archive.open(member), dtype=str, keep_default_na=False)
            frame = frame.merge(lookup, how="left", left_on="LSOA code", right_on="LSOA21CD")
            place = pd.Series("placed", index=frame.index)
            place[frame["LAD22CD"].map(lad_area) != force.pfa_code] = "outside_force"
            place[frame["LAD22CD"].isna()] = "unknown_lsoa"
            place[frame["LSOA code"].str.strip() == ""] = "no_location"
            frame["place"] = place
            frame["force"] = force.slug
            parts.append(frame.groupby(["Month", "force", "LAD22CD", "place", "Crime type", "Last outcome category"],
                                       dropna=False).size())
counted = pd.concat(parts)
end = time.perf_counter()
print(json.dumps({{"seconds": end - start, "rows": int(counted.sum()), "groups": len(counted),
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _each(results: list[dict]) -> str:
    return ", ".join(f"{r['seconds']:.2f}" for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--national", type=Path, default=DEFAULT_NATIONAL)
    args = parser.parse_args()
    paths = [str(args.national / name) for name in ARCHIVES]
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        print(f"The national archives are not here: {', '.join(missing)}.", file=sys.stderr)
        print("They are in the project's shared data folder (shared/data/real/national/, beside the checkout);"
              " give their folder with --national DIR.", file=sys.stderr)  # fmt: skip
        return 1
    ours = [run(OURS.format(root=str(ROOT), paths=paths)) for _ in range(args.runs)]
    base = [run(BASELINE.format(root=str(ROOT), paths=paths)) for _ in range(args.runs)]
    assert {r["rows"] for r in ours} == {r["rows"] for r in base}, "the two count different rows"
    rows = ours[0]["rows"]
    ours_s = statistics.median(r["seconds"] for r in ours)
    base_s = statistics.median(r["seconds"] for r in base)
    print(f"{platform.node()} · {platform.machine()} · Python {platform.python_version()} · {args.runs} runs each")
    print(f"{rows:,} rows in {len(paths)} archives")
    read_s = statistics.median(r["read"] for r in ours)
    store_s = statistics.median(r["store"] for r in ours)
    print(
        f"this importer: median {ours_s:.3f} s end to end ({rows / ours_s:,.0f} rows/s); read and count {read_s:.3f} s,"
        f" store {store_s:.3f} s; peak RSS {max(r['rss_mb'] for r in ours):.0f} MB (runs {_each(ours)})"
    )
    print(
        f"pandas baseline: median {base_s:.3f} s ({rows / base_s:,.0f} rows/s, counting only); "
        f"peak RSS {max(r['rss_mb'] for r in base):.0f} MB (runs {_each(base)})"
    )
    print(f"ratio: {base_s / ours_s:.1f}x faster than the baseline (goals: >= 5x, >= 500,000 rows/s, <= 1 GiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
