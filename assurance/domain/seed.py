"""The shipped demo data and the seeded meeting of 27 November 2024, loaded into a database.

The demo observations and targets are illustrative (marked so in every row); loading them again replaces the
illustrative ones and never touches real figures. Runs inside the caller's transaction.
"""

from __future__ import annotations

from assurance.core.paths import DATA_DIR
from assurance.domain.commitments.meeting_file import load_meeting_file
from assurance.store.transaction import Tx

DEMO_OBSERVATIONS = DATA_DIR / "demo" / "quarterly_observations.csv"
DEMO_TARGETS = DATA_DIR / "demo" / "targets.csv"
SEED_MEETINGS = sorted((DATA_DIR / "meetings").glob("*.json"))


def load_demo(tx: Tx) -> None:
    """Replace the illustrative observations and targets, and load the seeded meetings not yet held."""
    tx.execute("remove_demo_observations", path=str(DEMO_OBSERVATIONS))
    tx.execute("insert_demo_observations", path=str(DEMO_OBSERVATIONS))
    tx.execute("remove_demo_targets")
    tx.execute("insert_demo_targets", path=str(DEMO_TARGETS))
    for path in SEED_MEETINGS:
        load_meeting_file(tx, path)
