"""Shared fixtures: one seeded DuckDB file per test session, in a temporary folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assurance.domain.setup import init_database
from assurance.store.connection import connect

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def demo_template_cache(tmp_path_factory) -> Path:
    """The demo template a new database is copied from lives in this session's temporary folder, never in the
    developer's ~/.cache; set in os.environ so the servers the browser tests start use it too."""
    from assurance.domain.setup import CACHE_ENV

    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture(autouse=True)
def local_single_user_mode(tmp_path_factory, monkeypatch) -> None:
    """Every test starts in local single-user mode, whatever roles or sign-in the developer's machine has;
    tests about roles point $ASSURANCE_ROLES (and access.SECRETS_FILES) at files of their own."""
    from assurance.domain import access

    nowhere = tmp_path_factory.getbasetemp() / "no-access-config"
    monkeypatch.delenv(access.ROLES_ENV, raising=False)
    monkeypatch.delenv(access.SECRETS_ENV, raising=False)
    monkeypatch.setattr(access, "_sign_in_declared", False)
    monkeypatch.setattr(access, "DEFAULT_ROLES_FILE", nowhere / "roles.toml")
    monkeypatch.setattr(access, "SECRETS_FILES", (nowhere / "secrets.toml",))


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """A database built by `init --demo`, shared read-only by the tests that only read."""
    path = tmp_path_factory.mktemp("db") / "assurance.duckdb"
    init_database(path, demo=True)
    return path


@pytest.fixture(scope="session")
def app_db(seeded_db, tmp_path_factory) -> Path:
    """A copy of the seeded database for the app under test.

    The app keeps one read-write connection per file for the life of the process, and DuckDB
    refuses a second, read-only connection to that file from the same process: the app gets
    its own file so the tests that read directly never collide with it.
    """
    path = tmp_path_factory.mktemp("appdb") / "assurance.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


@pytest.fixture()
def seeded_con(seeded_db):
    con = connect(seeded_db, read_only=True)
    yield con
    con.close()


@pytest.fixture()
def own_app_db(seeded_db, tmp_path, monkeypatch) -> Path:
    """A copy of the seeded database for one test, with the app ($ASSURANCE_DB) pointed at it: for the tests that
    write through a page (the app keeps its read-write connection to a file for the life of the process)."""
    path = tmp_path / "own-app.duckdb"
    shutil.copyfile(seeded_db, path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


@pytest.fixture()
def seeded_copy_con(seeded_db, tmp_path):
    """A read-write connection to a copy of the seeded database, for a test that writes."""
    path = tmp_path / "seeded-copy.duckdb"
    shutil.copyfile(seeded_db, path)
    con = connect(path)
    yield con
    con.close()


@pytest.fixture()
def fresh_db(tmp_path) -> Path:
    """A path where no database exists yet."""
    return tmp_path / "fresh.duckdb"


def pytest_collection_modifyitems(config, items) -> None:
    """With pytest-xdist (``-n``, set in pyproject.toml), the real-browser tests run one after another on one worker:
    each drives a Chromium and servers of its own, and two at once on 2 CPUs would only slow both. The other tests
    share the remaining workers."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
