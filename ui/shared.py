"""One computation per data version, shared by every session: ``version()`` and the ``@shared`` decorator.

A page reads ``version()`` once, at the top of its run, and passes it as the first argument of every shared function
it calls. A shared function runs once per distinct set of arguments in this server process; every session that asks
with the same arguments gets the very same object back (``st.cache_resource``), and when two sessions ask at once
one computes while the other waits for its result. A rerun of a view already computed costs the drawing only.

The rules for a shared function (``@shared(max_entries=N)`` over a function whose first parameter is ``version``):

1. **Pure in (version, plain parameters).** The version is the database file and its data version
   (``session.run_version()``: read once per run), which every committed write raises (figures, targets, loads,
   national data, actions, commitments, rebase points). The other arguments are plain and hashable: codes,
   quarters, flags, a date. Everything the result depends on is an argument: a result that depends on the day
   takes ``today``; one that depends on a widget takes its value. The function reads the data only through
   ``ui.session`` (``connection()``, ``dataset()``), never session state, the URL or the person signed in.
2. **Never mutated after it is returned.** Sessions run in threads of one process and share the object. Build the
   whole result inside the function (a figure's markers too) and treat it as read-only after. What may be handed
   to Streamlit as it is (checked in Streamlit 1.67's source): a Plotly Figure, and a DataFrame (``st.dataframe``
   and ``st.table`` serialise it without changing it). Not a pandas Styler: ``st.table`` sets its uuid and computes
   its styles in place, so a page builds its Styler per run from shared frames.
   ``st.plotly_chart`` never changes the Figure it is given: it reads it through ``Figure.to_dict()``, a deep copy,
   and removes trace uids from that copy. That copy is most of a warm chart's cost (Plotly deep-copies the figure
   and walks every array to base64-encode it: 1.1-1.8 ms a chart), so a shared function returns
   ``frozen_figure(figure)``: the same Figure whose ``to_dict()`` parses the JSON made once, a fresh dict every
   call (0.2-0.5 ms). A dict instead of the Figure would be worse: Plotly validates a dict again on every call
   (14-20 ms a chart). Figures measured on the Compare page's small multiples, machine under load.
3. **Nothing about the person.** No role, name or permission in a shared result unless it is part of the key; the
   page adds those when it draws.
4. **What it read is remembered.** The result is kept with the tables its computation read, and a run that reuses
   it counts them as read (``session.remembering_reads``), so the page redraws after a write to any of them, however its
   figures reached it (``ui/live.py``).
5. **Memory is bounded.** Each function keeps at most ``max_entries`` results; the least recently used goes first.
   A new version is a new key, so every entry of an old version is simply never asked for again and falls out as
   new ones arrive: nothing is ever stale and nothing needs clearing. Size ``max_entries`` to the views people
   look at at once (quarters x LPAs x metrics in use), not to every combination.

The database path is in the version beside the number: two files (a test's copy, a restored backup beside the
original) can carry equal numbers, and their results must never be mixed.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from assurance.core.paths import database_path
from ui import session

F = TypeVar("F", bound=Callable)


class Version(NamedTuple):
    """What a shared result is of: the database file and its data version when it was read."""

    database: str
    number: int  # session.run_version(): raised by every committed write


def version() -> Version:
    """The data version for this run: read it once at the top of a page and pass it to each shared function."""
    return Version(str(database_path()), session.run_version())


def shared(max_entries: int) -> Callable[[F], F]:
    """Share a view computation between sessions, once per (version, arguments), at most ``max_entries`` kept."""
    if max_entries < 1:
        raise ValueError("max_entries must be at least 1: an unbounded shared cache would grow with every version")

    def decorate(fn: F) -> F:
        first = next(iter(inspect.signature(fn).parameters), None)
        if first != "version":
            raise TypeError(f"{fn.__qualname__}: a shared function takes the data version as its first parameter")
        return session.remembering_reads(fn, max_entries)

    return decorate


def frozen_figure(figure):
    """The figure, made cheap to draw again and again: ``to_dict()`` (all ``st.plotly_chart`` reads) parses its JSON,
    made here once, into a fresh dict. Only for a finished figure: a change made after this would not be drawn."""
    import plotly.io as pio

    spec = pio.to_json(figure, validate=False)  # the dict Streamlit would make, uids removed as Streamlit does
    figure.__class__ = _frozen_class()
    figure._frozen_spec = spec
    return figure


@functools.cache
def _frozen_class():
    import plotly.graph_objects as go  # imported when the first figure is frozen, not with this module

    class FrozenFigure(go.Figure):
        """A finished Plotly figure whose dict is read from the JSON made when it was frozen."""

        def to_dict(self) -> dict:
            return json.loads(self._frozen_spec)

    return FrozenFigure
