"""Where the project's shipped files live, and which database file to open."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # assurance/core/paths.py -> the checkout
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "assurance.duckdb"
DB_ENV_VAR = "ASSURANCE_DB"


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit path, else $ASSURANCE_DB, else data/assurance.duckdb."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(env).expanduser() if env else DEFAULT_DB
