"""The reference tables as a reader looks them up: the whole metric catalogue, the areas with their populations,
the targets with their metrics' and areas' names, and how many figures each source gave (the About page)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from assurance.store import queries


@dataclass(frozen=True)
class Reference:
    catalogue: pd.DataFrame  # every metric, headline or not, in display order
    areas: pd.DataFrame
    targets: pd.DataFrame  # metric and area by name ('Every area' for a target set for all of them)
    sources: pd.DataFrame  # source, illustrative, figures: the headline metrics' quarterly figures per source


QUERIES = ("metric_catalogue", "areas", "target_list", "figures_by_source")  # the fields of Reference, in order


def reference(con: duckdb.DuckDBPyConnection) -> Reference:
    return Reference(*(queries.frame(con, name) for name in QUERIES))
