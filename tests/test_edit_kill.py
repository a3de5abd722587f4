"""A process killed at any moment of an edit leaves the database as before that edit or as after it.

tests/edit_worker.py makes a long, fixed sequence of edits through the library (actions added, edited,
updated, closed, withdrawn and reopened; recommendations added and edited; rebase points added and
removed; agenda items added, edited, moved and removed; a meeting scheduled and given the default
agenda; minutes imported with their actions, recommendations, pledges and claims; a refused edit),
printing ``done k`` after edit k has committed. The sequence is first made in this process on a copy of
the seeded database, snapshotting the content after every edit. Then worker processes are SIGKILLed:
at chosen points (inside the first edit of every kind once it has written all its audit rows, just
before its COMMIT; just after a commit), and at random moments (half of them as soon as the next
commit starts writing the write-ahead log, which often leaves a half-written commit in it). The database left
behind must open (DuckDB replays its log), upgrade and read normally, equal the state after the last
edit the worker reported or after the next one, and have an audit row for every change and no other.
Splitting any edit's change and its audit rows into two transactions makes these tests fail.
No browser: these tests drive the library and DuckDB only.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assurance.domain import rebases
from assurance.domain.commitments import actions, recommendations
from assurance.domain.commitments import agenda as meeting
from assurance.domain.setup import upgrade
from assurance.store.connection import connect
from assurance.store.schema import LATEST_VERSION, schema_version
from tests.edit_worker import REBASE_SERIES, SEEDED, audit_problems, hook_audit, run_edits, snapshot, steps

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "edit_worker.py"
RANDOM_KILLS = 24
SEED = 8


class Reference:
    """The content after each edit k (states[0]: the seeded database), how long each edit took, and how
    many times each edit calls the library's audit writers (a worker can be made to die at any of them).
    Every state is read as after a kill, so that a state the app cannot read fails here, every time."""

    def __init__(self, path: Path) -> None:
        self.states: list[dict] = []
        self.took = [0.0]
        self.audits: dict[int, int] = {}  # edit -> the audit rows (or minutes import audits) it writes
        current = [0]
        con = connect(path)
        con.execute("SET threads = 1")  # snapshotting every edit costs less CPU on one thread
        restore = hook_audit(lambda: self.audits.__setitem__(current[0], self.audits.get(current[0], 0) + 1))
        try:
            self.states.append(snapshot(con))
            started = time.perf_counter()

            def before(k: int) -> None:
                nonlocal started
                current[0] = k
                started = time.perf_counter()

            def after(k: int) -> None:
                self.took.append(time.perf_counter() - started)
                self.states.append(snapshot(con))
                read(con)  # every state a kill can leave reads, whichever the kills hit

            run_edits(con, after, before=before)
        finally:
            restore()
            con.close()
        self.last = len(self.states) - 1

    def matching(self, state: dict) -> list[int]:
        return [k for k, s in enumerate(self.states) if s == state]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Iterator[Path]:
    """A temporary folder in memory (/dev/shm) when there is one, else on disk. A SIGKILL loses nothing
    the process has written, synced or not; in memory, the many commits' fsyncs cost nothing."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("edit-kill")
        return
    path = Path(tempfile.mkdtemp(prefix="edit-kill-", dir=shm))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def reference(seeded_db, folder) -> Reference:
    path = folder / "reference.duckdb"
    shutil.copyfile(seeded_db, path)
    return Reference(path)


class Workers:
    """tests/edit_worker.py --serve: forks a worker per run, so that no run pays for importing pandas."""

    def __init__(self) -> None:
        # One thread per numerical library, so that the processes it forks copy no thread pools.
        env = os.environ | {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        env.pop("ASSURANCE_DB", None)
        self.server = subprocess.Popen(
            [sys.executable, str(WORKER), "--serve"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def line(self) -> tuple[str, ...]:
        text = self.server.stdout.readline()
        assert text, "the worker server stopped (see its error above)"
        return tuple(text.split())

    def start(self, path: Path, *args) -> tuple[int, list[tuple[str, ...]]]:
        """Start a worker on path; its pid and the lines it printed up to 'ready'."""
        self.server.stdin.write(" ".join(map(str, (path, *args))) + "\n")
        self.server.stdin.flush()
        lines = [self.line()]
        while lines[-1][0] not in ("ready", "exited"):
            lines.append(self.line())
        assert lines[-1][0] == "ready", f"the worker did not start: {lines}"
        return int(lines[-1][1]), lines

    def reap(self, lines: list[tuple[str, ...]]) -> int:
        """Let the server reap the worker once it has ended; adds the rest of its lines, returns its exit code."""
        self.server.stdin.write("reap\n")
        self.server.stdin.flush()
        while lines[-1][0] != "exited":
            lines.append(self.line())
        return int(lines.pop()[1])

    def close(self) -> None:
        self.server.stdin.close()
        try:
            self.server.wait(timeout=30)
        finally:
            self.server.kill()
            self.server.wait()
            self.server.stdout.close()


@pytest.fixture(scope="module")
def workers():
    served = Workers()
    yield served
    served.close()


def committed(lines: list[tuple[str, ...]]) -> int:
    """The last edit the worker said it had committed (0: none)."""
    return max((int(words[1]) for words in lines if words[0] == "done"), default=0)


def read(con) -> None:
    """Read the database the ways the app does; check that its audit trail and its data agree."""
    assert not actions.tracker(con, date(2025, 6, 1)).empty
    assert not recommendations.recommendations_table(con, date(2025, 6, 1)).empty
    assert not meeting.agenda(con, SEEDED).empty
    rebases.list_rebases(con, *REBASE_SERIES)
    problems = audit_problems(con)
    assert problems == [], f"the audit trail and the data disagree: {problems}"


def reopen(path: Path) -> dict:
    """Open the database as the app would, read it, and return its snapshot."""
    con = connect(path)  # replays the write-ahead log the killed process left
    try:
        assert upgrade(con) == [] and schema_version(con) == LATEST_VERSION
        read(con)
        state = snapshot(con)
    finally:
        con.close()
    assert not Path(f"{path}.wal").exists()  # the log was replayed and checkpointed on close
    return state


def wal_size(wal: Path) -> int:
    try:
        return wal.stat().st_size
    except FileNotFoundError:
        return 0


def differs(state: dict, other: dict) -> list[str]:
    return sorted(t for t in state.keys() | other.keys() if state.get(t) != other.get(t))


def test_the_sequence_edits_every_kind_of_record_and_changes_the_database_at_most_steps(reference):
    states = reference.states
    assert reference.last > 75
    assert sum(a != b for a, b in zip(states, states[1:], strict=False)) > 0.8 * reference.last
    tables = {t for a, b in zip(states, states[1:], strict=False) for t in differs(a, b)}
    assert {"actions", "action_updates", "recommendations", "spc_rebases", "agenda_items", "agenda_slides"} <= tables
    assert {"meetings", "attendees", "pledges", "claims", "audit_log"} <= tables
    assert len(reference.audits) > 0.8 * reference.last


def test_a_process_killed_inside_an_edit_or_just_after_its_commit_leaves_the_edit_all_undone_or_done(
    seeded_db, folder, reference, workers
):
    rng = random.Random(SEED)
    names = [name for name, _ in steps()]
    first = {}
    for k in sorted(reference.audits):
        first.setdefault(names[k - 1], k)
    assert len(first) >= 15
    # Inside the first edit of every kind once it has written all its audit rows (just before its COMMIT),
    # and just after two edits drawn at random.
    chosen = [("in", k, reference.audits[k]) for k in sorted(first.values())]
    chosen += [("after", k) for k in sorted(rng.sample(range(1, reference.last + 1), 2))]
    for die, at, *nth in chosen:
        target = folder / f"{die}{at}.duckdb"
        shutil.copyfile(seeded_db, target)
        _, lines = workers.start(target, die, at, *nth)
        code = workers.reap(lines)
        assert code == -signal.SIGKILL, f"the worker did not die {die} edit {at} ({names[at - 1]}): {lines[-3:]}"
        assert committed(lines) == at - 1
        state = reopen(target)
        expected = at - 1 if die == "in" else at
        assert state == reference.states[expected], (
            f"killed {die} edit {at} ({names[at - 1]}): the database is not as after edit {expected}; it differs in "
            f"{differs(state, reference.states[expected])} (it is as after edits {reference.matching(state)})"
        )
        target.unlink()


def test_a_process_killed_at_a_random_moment_leaves_the_edit_it_was_making_all_undone_or_done(
    seeded_db, folder, reference, workers
):
    rng = random.Random(SEED)
    outcomes = []
    for attempt in range(RANDOM_KILLS):
        target = folder / f"kill{attempt}.duckdb"
        wal = Path(f"{target}.wal")
        shutil.copyfile(seeded_db, target)
        wait_for = rng.randrange(0, reference.last)  # once edit wait_for is reported, kill during the next:
        at_commit = attempt % 2 == 1  # as soon as its commit writes the log, or
        delay = rng.uniform(0, 1.5) * reference.took[wait_for + 1]  # at a moment drawn over its length
        stop = {("done", str(wait_for)), ("finished",)}
        pid, lines = workers.start(target)
        while wait_for and lines[-1] not in stop:
            lines.append(workers.line())
        if at_commit:
            size, give_up = wal_size(wal), time.monotonic() + 10
            while wal_size(wal) == size and time.monotonic() < give_up:
                pass  # no sleep: the kill follows the first bytes of the commit within microseconds
        else:
            time.sleep(delay)
        if lines[-1] != ("finished",):
            os.kill(pid, signal.SIGKILL)  # not reaped yet (see Workers.reap): still our worker, or a zombie
        code = workers.reap(lines)
        assert code == -signal.SIGKILL or (code == 0 and lines[-1] == ("finished",)), (code, lines[-3:])
        k = committed(lines)
        had_wal = Path(f"{target}.wal").exists()
        state = reopen(target)
        allowed = {k: "before", min(k + 1, reference.last): "after"}
        match = [label for j, label in allowed.items() if reference.states[j] == state]
        assert match, (
            f"attempt {attempt}: killed after edit {k} was reported, the database is as after neither edit {k} nor "
            f"edit {k + 1}; it differs from {k} in {differs(state, reference.states[k])}"
            f" (it is as after edits {reference.matching(state)})"
        )
        outcomes.append((k, match[-1], at_commit, had_wal))
        target.unlink()
    # Most kills landed before the last edit, whatever the load on the machine (the worker runs ahead of
    # this process by a few edits at most), and the write-ahead log was replayed.
    assert sum(k < reference.last for k, *_ in outcomes) >= RANDOM_KILLS // 2, outcomes
    assert any(had_wal for *_, had_wal in outcomes), outcomes
