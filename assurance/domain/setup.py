"""Creating and upgrading the product's database: schema, reference data, and (on request) the demo data.

``init_database`` builds a new file beside its destination and moves it into place only when complete, so a
failure never leaves a half-written database; on an existing file it migrates and refreshes the reference data
without losing rows. The dashboard calls ``ensure_database`` on its first start and ``upgrade`` on every start.

Seeding the demo world is deterministic and takes about a second, most of it before the first page can draw. So
``ensure_database`` seeds it once into a template in the user's cache folder, named by the schema version and a hash
of everything that decides its rows (the library's code, the SQL, the shipped data, DuckDB's version), and copies
that for each new database. A change to any of them names a new template: a stale one is never served.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from assurance.core.errors import DatabaseError
from assurance.core.paths import DATA_DIR, QUERIES_DIR
from assurance.domain.commitments.meeting_file import fill_deadlines
from assurance.store.connection import connect
from assurance.store.schema import LATEST_VERSION, build_new, migrate, schema_version, table_counts
from assurance.store.transaction import Tx, transaction

# Values a migration's new columns need that SQL cannot work out, run after its SQL in the same transaction.
AFTER_MIGRATION = {("deadlines", 6): fill_deadlines}
_init_lock = threading.Lock()


@dataclass
class InitReport:
    path: Path
    created: bool
    migrations_applied: list[int] = field(default_factory=list)
    demo_loaded: bool = False
    rows: dict[str, int] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_reference(tx: Tx) -> None:
    """Insert or refresh the five LPAs, the force, the metric catalogue and the national comparison's geography."""
    tx.executemany(
        "upsert_area",
        [
            {**row, "population": int(row["population"]), "sort_order": int(row["sort_order"])}
            for row in _read_csv(DATA_DIR / "areas.csv")
        ],
    )
    from assurance.core.metrics import catalogue_rows
    from assurance.domain.national.reference import load_national_reference

    tx.executemany("upsert_metric", catalogue_rows())
    load_national_reference(tx)


def _prepare(con: duckdb.DuckDBPyConnection, demo: bool) -> list[int]:
    applied = migrate(con, after=AFTER_MIGRATION)
    with transaction(con) as tx:
        load_reference(tx)
        if demo:
            from assurance.domain.seed import load_demo

            load_demo(tx)
    return applied


def init_database(path: str | os.PathLike[str], demo: bool = False) -> InitReport:
    """Create the database (or migrate an existing one); with demo, also load the demo data and seeded meeting."""
    path = Path(path)
    if path.exists():
        con = connect(path)
        try:
            applied = _prepare(con, demo)
            return InitReport(path, False, applied, demo, table_counts(con))
        finally:
            con.close()
    report = InitReport(path, True, [], demo)

    def prepare(con: duckdb.DuckDBPyConnection) -> None:
        report.migrations_applied = _prepare(con, demo)
        report.rows = table_counts(con)

    build_new(path, prepare)
    return report


def upgrade(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring an older database up to this program's schema (the app does this on start); never loses rows."""
    if schema_version(con) >= LATEST_VERSION:
        return []
    return _prepare(con, demo=False)


def ensure_database(path: str | os.PathLike[str]) -> Path:
    """Create the database with demo data when the file is missing (the app's first start), from the demo template
    when there is one (see the module's docstring), else seeded in place."""
    path = Path(path)
    with _init_lock:
        if not path.exists():
            template = demo_template()
            if template is not None:
                try:
                    copy_template(template, path)
                    return path
                except (DatabaseError, duckdb.Error):  # a damaged template: never used again, seeded in place
                    template.unlink(missing_ok=True)
            init_database(path, demo=True)
    return path


# --- The demo template ---------------------------------------------------------------------------------------------

CACHE_ENV = "ASSURANCE_CACHE_DIR"  # where templates are kept; default $XDG_CACHE_HOME/assurance, ~/.cache/assurance
TEMPLATE_ENV = "ASSURANCE_DEMO_TEMPLATE"  # "off": seed every new database in place (the benchmark's "before")
TEMPLATES_KEPT = 4  # a template per program version; older ones are removed when a new one is built


def cache_dir() -> Path:
    """The folder for demo templates: $ASSURANCE_CACHE_DIR, else $XDG_CACHE_HOME/assurance, else ~/.cache/assurance.

    A per-user cache, not beside the database: it is derived and disposable (never backed up or committed with the
    data folder), and every database path and every checkout of the same program version shares one template."""
    if explicit := os.environ.get(CACHE_ENV, "").strip():
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "assurance"


def _shipped(relative: Path) -> bool:
    """A file of the data folder that ships with the program, not a database, its log, inbox or backups."""
    return not any(part.startswith(".") or ".duckdb" in part or part == "__pycache__" for part in relative.parts)


def seed_inputs() -> dict[str, Path]:
    """Every file whose content decides what a new demo database holds, by a name that does not depend on where the
    checkout is: the library's code, every SQL file, the shipped data, and the demo files the seed names (read now,
    so that a seed pointed elsewhere is keyed by what it reads)."""
    from assurance.domain import seed

    found: dict[str, Path] = {}
    package = Path(__file__).resolve().parents[1]  # assurance/, wherever it is installed
    for label, folder, pattern in (("assurance", package, "*.py"), ("queries", QUERIES_DIR, "*.sql"),
                                   ("data", DATA_DIR, "*")):  # fmt: skip
        for path in folder.rglob(pattern):
            if path.is_file() and _shipped(relative := path.relative_to(folder)):
                found[f"{label}/{relative.as_posix()}"] = path
    for path in map(Path, (seed.DEMO_OBSERVATIONS, seed.DEMO_TARGETS, *seed.SEED_MEETINGS)):
        inside = path.is_relative_to(DATA_DIR)
        found.setdefault(f"data/{path.relative_to(DATA_DIR).as_posix()}" if inside else str(path), path)
    return dict(sorted(found.items()))


def template_key() -> str:
    """A hash of the seed's inputs, the schema version and DuckDB's version (which decides the file format)."""
    digest = hashlib.sha256(f"schema {LATEST_VERSION}\nduckdb {duckdb.__version__}\n".encode())
    for name, path in seed_inputs().items():
        content = path.read_bytes()
        digest.update(f"{name}\n{len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()[:20]


def template_enabled() -> bool:
    return os.environ.get(TEMPLATE_ENV, "").strip().lower() not in ("off", "0", "no", "false")


def demo_template() -> Path | None:
    """The complete demo database for this program, built once; None when templates are off or the cache folder
    cannot be written (the caller then seeds in place, as before)."""
    if not template_enabled():
        return None
    folder = cache_dir()
    template = folder / f"demo-v{LATEST_VERSION}-{template_key()}.duckdb"
    if template.exists():
        return template
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None
    # Built beside itself and moved into place whole (os.replace), never opened again read-write: two processes
    # building at once each write their own file and the last to finish replaces an identical one.
    build_new(template, lambda con: _prepare(con, demo=True))
    template.chmod(0o444)
    _remove_old_templates(folder, keep=template)
    return template


def _remove_old_templates(folder: Path, keep: Path) -> None:
    """Keep the newest few templates (other versions of the program may still be running), remove the rest."""
    templates = sorted(folder.glob("demo-v*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [t for t in templates if t != keep][TEMPLATES_KEPT - 1 :]:
        old.unlink(missing_ok=True)


def copy_template(template: Path, path: Path) -> None:
    """A new database at path, copied from the template, with the seeding's times moved to now.

    Copied beside path and linked into place only when complete; if another process created path meanwhile, its
    database stands (os.link never replaces), so two servers starting at once never each hold a different file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".building", dir=path.parent)
    os.close(fd)
    os.unlink(name)  # copied with the usual permissions, not mkstemp's owner-only ones
    tmp = Path(name)
    try:
        shutil.copyfile(template, tmp)
        con = connect(tmp)
        try:
            if schema_version(con) != LATEST_VERSION:
                raise DatabaseError(f"the demo template {template} is not at schema version {LATEST_VERSION}")
            with transaction(con) as tx:
                tx.execute("restamp_template_copy")
            con.checkpoint()
        finally:
            con.close()
        _place(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)


def _place(tmp: Path, path: Path) -> None:
    """Give the complete file at tmp the name path, unless path exists by now."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return
    except OSError:  # a file system without hard links: replace, unless path appeared meanwhile
        if not path.exists():
            os.replace(tmp, path)
