"""Peer groups: a named, editable list of areas to compare the focus with, and how it was chosen.

Without a saved list, the peers are the default: the ten areas nearest the focus in population and in crime per
1,000 for the quarter shown (``assurance.core.peers``), worked out again for each quarter. An editor may save a
list instead (audited); it then stays until changed or reset, and the page says who chose it and when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from assurance.core.errors import InvalidInput
from assurance.core.peers import DEFAULT_SIZE, Candidate, basis_text, nearest
from assurance.domain.access import who
from assurance.domain.national.figures import Comparison
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import transaction

MAX_PEERS = 20
LEVEL_WORDS = {"force": "forces", "unit": "areas"}


@dataclass(frozen=True)
class PeerGroup:
    members: list[str]
    basis: str  # how the list was chosen, in words
    saved: bool  # chosen by a person (False: the default)
    chosen_by: str | None = None
    chosen_at: datetime | None = None


def default_peers(comparison: Comparison, focus: str, size: int = DEFAULT_SIZE) -> PeerGroup:
    """The nearest areas by population and crime per 1,000 among those ranked in this comparison."""
    candidates = {
        row.code: Candidate(row.code, float(row.population), float(row.per_1000))
        for row in comparison.ranked.itertuples()
    }
    members = nearest(focus, candidates, size)
    return PeerGroup(members, basis_text(LEVEL_WORDS[comparison.level], size, comparison.quarter), saved=False)


def peer_group(con: duckdb.DuckDBPyConnection, comparison: Comparison, focus: str) -> PeerGroup:
    """The saved peer group of the focus, else the default for this comparison."""
    row = queries.one(con, "peer_group", level=comparison.level, focus=focus)
    if row is None:
        return default_peers(comparison, focus)
    members, basis, chosen_by, chosen_at = row
    return PeerGroup(json.loads(members), basis, True, chosen_by, chosen_at)


def save_peers(
    con: duckdb.DuckDBPyConnection, level: str, focus: str, members: list[str], known: set[str], by
) -> PeerGroup:
    """Save a peer list chosen by a person (an editor); audited. ``known`` are the codes the level has."""
    by = who(by)
    if level not in LEVEL_WORDS:
        raise InvalidInput(f"no level {level!r}: peers are chosen for a force or an area")
    chosen = list(dict.fromkeys(members))
    if focus in chosen:
        chosen.remove(focus)
    if not chosen:
        raise InvalidInput("choose at least one peer (or reset to the default)")
    if len(chosen) > MAX_PEERS:
        raise InvalidInput(f"{len(chosen)} peers chosen; at most {MAX_PEERS}")
    if unknown := [m for m in chosen if m not in known]:
        raise InvalidInput(f"not {LEVEL_WORDS[level]} the comparison has: {', '.join(unknown[:5])}")
    basis = f"Chosen by {by}."
    with transaction(con) as tx:
        before = queries.one(tx, "peer_group", level=level, focus=focus)
        tx.execute("save_peer_group", level=level, focus=focus, members=json.dumps(chosen), basis=basis, chosen_by=by)
        audit(tx, "peer_group", f"{level}:{focus}", "update" if before else "create", by, "members",
              before[0] if before else None, json.dumps(chosen))  # fmt: skip
    return PeerGroup(chosen, basis, True, by)


def reset_peers(con: duckdb.DuckDBPyConnection, level: str, focus: str, by) -> None:
    """Back to the default peers (audited)."""
    by = who(by)
    with transaction(con) as tx:
        before = queries.one(tx, "peer_group", level=level, focus=focus)
        if before is None:
            return
        tx.execute("forget_peer_group", level=level, focus=focus)
        audit(tx, "peer_group", f"{level}:{focus}", "delete", by, "members", before[0], None)
