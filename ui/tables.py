"""Tables on the pages: the columns a reader needs, in order, under the reader's words.

``text_table`` is st.table with every cell escaped (ui.text.literal): it wraps long cells and shows every column at
any window width, for sentences and short reference tables. ``data_table`` is st.dataframe across the page, for
longer tables a reader sorts and scrolls.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from ui.text import literal

# The audit trail's columns, as the history tables of the pages name them.
HISTORY_HEADERS = {"changed_at": "When", "changed_by": "Who", "operation": "What"}


def headed(frame: pd.DataFrame, headers: Mapping[str, str]) -> pd.DataFrame:
    """The frame's columns named in headers, in that order, under the headers' words."""
    return frame[list(headers)].rename(columns=dict(headers))


def text_table(frame: pd.DataFrame, headers: Mapping[str, str] | None = None) -> None:
    """An st.table of the frame (its columns named in headers, if given), every cell shown as written."""
    st.table(literal(headed(frame, headers) if headers else frame), hide_index=True)


def data_table(frame: pd.DataFrame, headers: Mapping[str, str] | None = None, **options) -> None:
    """An st.dataframe of the frame across the page (its columns named in headers, if given)."""
    st.dataframe(headed(frame, headers) if headers else frame, hide_index=True, width="stretch", **options)
