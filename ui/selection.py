"""The quarter and the focus LPA: chosen in the sidebar, read from and written back to the URL.

The quarter and the focus LPA live in the URL query string (``?quarter=2024/25+Q2&lpa=shropshire``)
so a copied link reopens the same view. Values that are not in the data fall back to the
default with a plain message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from assurance.domain.performance import Dataset
from ui.text import plain

DEFAULT_LPA = "shropshire"


@dataclass(frozen=True)
class Selection:
    quarter: str
    lpa: str
    lpa_name: str


def _simple(text: str) -> str:
    return text.strip().lower().replace("&", "and").replace("-", "_").replace(" ", "_")


def code_from_url(text: str, names: Mapping[str, str]) -> str | None:
    """The code for a code or a name as written in a URL (case, spaces, & and hyphens forgiven); None if unknown."""
    wanted = _simple(text)
    return next((code for code, name in names.items() if wanted in (code, _simple(name))), None)


def lpa_code(ds: Dataset, text: str) -> str | None:
    """The LPA code for a code or name as written in a URL; None if unknown."""
    return code_from_url(text, dict(zip(ds.lpas["code"], ds.lpas["name"], strict=True)))


def sidebar(ds: Dataset) -> Selection:
    """The quarter and focus LPA chosen in the sidebar, read from and written back to the URL."""
    quarters = ds.quarters[::-1]  # latest first
    lpas = ds.lpas
    codes = lpas["code"].tolist()
    names = dict(zip(lpas["code"], lpas["name"], strict=True))
    params = st.query_params

    if "quarter" not in st.session_state:
        wanted = params.get("quarter")
        if wanted and wanted not in quarters:
            st.session_state["_notice_quarter"] = (
                f"Quarter “{plain(wanted)}” is not in the data; showing {quarters[0] if quarters else 'none'}. "
                "Quarters are written like 2024/25 Q2."
            )
            wanted = None
        st.session_state["quarter"] = wanted or (quarters[0] if quarters else None)
    if "lpa" not in st.session_state:
        wanted = params.get("lpa")
        code = code_from_url(wanted, names) if wanted else DEFAULT_LPA
        if code is None:
            st.session_state["_notice_lpa"] = (
                f"There is no LPA called “{plain(wanted)}”; showing {names[DEFAULT_LPA]}. "
                f"The LPAs are {', '.join(names.values())}."
            )
            code = DEFAULT_LPA
        st.session_state["lpa"] = code

    with st.sidebar:
        quarter = st.selectbox(
            "Quarter", quarters, key="quarter", help="Financial quarter: Q1 = Apr–Jun … Q4 = Jan–Mar"
        )
        lpa = st.selectbox("Focus LPA", codes, key="lpa", format_func=names.get)
        st.caption("The link in the address bar reopens this view.")

    for key in ("_notice_quarter", "_notice_lpa"):
        if key in st.session_state:
            st.warning(st.session_state.pop(key), icon="ℹ️")
    if quarter is not None:
        params["quarter"] = quarter
    params["lpa"] = lpa
    return Selection(quarter=quarter, lpa=lpa, lpa_name=names[lpa])


def selection() -> Selection:
    """The selection made by the sidebar in dashboard.py for this run."""
    return st.session_state["_selection"]
