"""The national comparison for the page: computed once per data version and shared by every session.

Keyed by the data stamp, so a result is never stale after an import, an undo or a saved peer group; bounded, so a
server that has seen many quarters and crime types does not keep them all.
"""

from __future__ import annotations

import streamlit as st

from assurance.core.paths import database_path
from assurance.domain.national import figures
from assurance.domain.national.peers import PeerGroup, peer_group
from ui import session


def _key() -> tuple:
    """The database and its data version: a result cached under it is never another file's or stale."""
    return str(database_path()), session.stamp()


@st.cache_resource(show_spinner=False, max_entries=32)
def _comparison(stamp: tuple, level: str, quarter: str, crime_type: str) -> figures.Comparison:
    reader = figures.forces if level == "force" else figures.units
    return reader(session.connection(), quarter, crime_type)


def comparison(level: str, quarter: str, crime_type: str) -> figures.Comparison:
    """Forces ('force') or units ('unit') for a quarter and crime type, with ranks and funnel positions."""
    return _comparison(_key(), level, quarter, crime_type)


@st.cache_resource(show_spinner=False, max_entries=8)
def _quarters(stamp: tuple):
    return figures.quarters(session.connection())


def quarters():
    """Quarters holding national data, latest first, with how many forces have all three months."""
    return _quarters(_key())


@st.cache_resource(show_spinner=False, max_entries=8)
def _missing(stamp: tuple, quarter: str) -> list[str]:
    return figures.missing_forces(session.connection(), quarter)


def missing_forces(quarter: str) -> list[str]:
    return _missing(_key(), quarter)


@st.cache_resource(show_spinner=False, max_entries=8)
def _unplaced(stamp: tuple, quarter: str):
    return figures.unplaced(session.connection(), quarter)


def unplaced(quarter: str):
    return _unplaced(_key(), quarter)


def peers(comparison_: figures.Comparison, focus: str) -> PeerGroup:
    """The focus's saved peers, else the default for this comparison (cheap: one small query)."""
    return peer_group(session.connection(), comparison_, focus)


@st.cache_resource(show_spinner=False, max_entries=4)
def _lpa_units(stamp: tuple) -> dict[str, str]:
    ds = session.dataset()
    con = session.connection()
    out = {}
    for row in ds.lpas.itertuples():
        unit = figures.unit_of_districts(con, [d for d in str(row.districts).split(";")])
        if unit:
            out[row.code] = unit
    return out


def lpa_units() -> dict[str, str]:
    """Each LPA's unit (for West Mercia, each LPA is a CSP), by LPA code."""
    return _lpa_units(_key())
