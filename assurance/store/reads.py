"""Which tables a named query touches, and what a page run has read: so an open page redraws only when a write
changed data it shows (docs/SCALING.md, ``ui/live.py``).

**Tables of a query.** A query's tables are the schema's table names that appear as words in its SQL, with every
view it names replaced by the tables of the view's own SQL (``queries/schema/views.sql``). That errs one way only:
a word that is a table's name but not used as one (a column alias, say) adds a table, and so at worst a redraw
that was not needed; a table a query reads is never missed, because every table is created under its name in
``queries/schema/`` and every query is text in ``queries/`` (the architecture test checks there is no SQL
elsewhere). The bookkeeping tables (the data version, its change log, the migrations) are not counted: every write
raises the version, and a page that counted it would redraw on every write, as before.

**What a run read.** ``queries`` notes each read's tables into the recording open on its thread. A page run opens
one at its top and takes it at its end (``ui/live.py``); a result computed once and reused (``ui/shared.py``) keeps
the tables its computation read and notes them again whenever it is reused, so a run that reads through a cache
counts the same tables as the run that filled it (tests/test_page_reads.py checks this page by page). Outside a
recording (the CLI, a watcher's thread) nothing is kept.

**What a write changed.** A transaction collects the tables of every write it runs (reads inside it too, which only
errs towards a redraw), and ``None`` once it runs a migration script or restores a backup: anything may have
changed. ``assurance.store.transaction`` writes that into ``data_changes`` with the raised version.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from assurance.core.paths import QUERIES_DIR

BOOKKEEPING = frozenset({"data_version", "data_changes", "schema_migrations"})
R = TypeVar("R")

_TABLE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)", re.IGNORECASE)
_VIEW = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+([a-z_][a-z0-9_]*)\s+AS\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_COMMENT = re.compile(r"--[^\n]*")


def _words(sql: str) -> set[str]:
    return set(_WORD.findall(_COMMENT.sub(" ", sql).lower()))


@cache
def schema(schema_dir: Path = QUERIES_DIR / "schema") -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(every table the migrations create, each view -> the tables it reads), from ``queries/schema/``."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(schema_dir.glob("*.sql")))
    tables = frozenset(name.lower() for name in _TABLE.findall(text)) - BOOKKEEPING
    views: dict[str, str] = {}
    starts = list(_VIEW.finditer(text))
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        # A view's SQL runs to the next view (or the end): more text than the view, so more tables at worst.
        views[here.group(1).lower()] = text[here.end() : after.start() if after else len(text)]
    resolved: dict[str, frozenset[str]] = {}

    def of(view: str, seen: frozenset[str]) -> frozenset[str]:
        if view not in resolved:
            words = _words(views[view])
            inner = {v for v in words & views.keys() if v != view and v not in seen}
            found = set(words & tables)
            for v in inner:
                found |= of(v, seen | {view})
            resolved[view] = frozenset(found)
        return resolved[view]

    for view in views:
        of(view, frozenset())
    return tables, resolved


def tables_in(sql: str) -> frozenset[str]:
    """The tables a statement reads or writes (views resolved to their tables; bookkeeping left out)."""
    tables, views = schema()
    words = _words(sql)
    found = set(words & tables)
    for view in words & views.keys():
        found |= views[view]
    return frozenset(found)


# ------------------------------------------------------------------------------------------ what a run read

_local = threading.local()


def _stack() -> list[set[str]]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def note(tables: Iterable[str]) -> None:
    """Count these tables as read by the recording open on this thread (none open: nothing is kept)."""
    stack = _stack()
    if stack:
        stack[-1].update(tables)


@contextmanager
def recording() -> Iterator[set[str]]:
    """The tables read on this thread inside the block; they count for any recording around it too."""
    stack = _stack()
    seen: set[str] = set()
    stack.append(seen)
    try:
        yield seen
    finally:
        stack.pop()
        note(seen)


@contextmanager
def not_counted() -> Iterator[None]:
    """Reads inside the block count for no recording: creating or upgrading the database in a page's first run
    reads what no page shows."""
    stack = _stack()
    stack.append(set())
    try:
        yield
    finally:
        stack.pop()


def start_run() -> None:
    """A page run begins on this thread: from now its reads are kept, until ``end_run``."""
    _local.stack = [set()]


def end_run() -> frozenset[str] | None:
    """The tables this thread's page run read since ``start_run`` (None if no run was started: anything)."""
    stack = getattr(_local, "stack", None)
    _local.stack = []
    return frozenset(stack[0]) if stack else None


def with_reads(fn: Callable[..., R]) -> Callable[..., tuple[R, frozenset[str]]]:
    """``fn`` made to return (its result, the tables it read), for a cache that keeps both (``replay``)."""

    def computed(*args: Any, **kwargs: Any) -> tuple[R, frozenset[str]]:
        with recording() as seen:
            result = fn(*args, **kwargs)
        return result, frozenset(seen)

    return computed


def replay(kept: tuple[R, frozenset[str]]) -> R:
    """A kept (result, tables): the tables count as read again, here; the result."""
    result, tables = kept
    note(tables)
    return result


# ----------------------------------------------------------------------------------------- what writes changed


def changed(rows: list[tuple[int, list[str] | None]], since: int, upto: int) -> frozenset[str] | None:
    """The tables the writes after version ``since`` up to ``upto`` changed, from their ``data_changes`` rows;
    None (anything may have changed) when one of those versions has no row or a row says so."""
    if upto <= since:
        return frozenset()
    if [version for version, _ in rows] != list(range(since + 1, upto + 1)):
        return None
    found: set[str] = set()
    for _, tables in rows:
        if tables is None:
            return None
        found.update(tables)
    return frozenset(found)
