"""One computation per data version, shared by every session (ui/shared.py, ui/views/): sessions on the same page and
parameters reuse one result, a committed write is on the page at the next run, and the memory each view keeps is
bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assurance.domain.commitments import actions
from assurance.domain.loads import load
from assurance.sources import read_files
from ui import pages

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
CORRECTED = ROOT / "tests" / "fixtures" / "imports" / "conflicts_with_demo.csv"  # Shropshire's crime, 2024/25 Q2: 1234
SEED = "2024-11-27-aa-performance"
Q = "2024/25 Q2"


def open_page(page: str, **query) -> AppTest:
    """A new session (as a new browser tab) on a page, with the quarter and LPA in its address."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(pages.path(page))
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def counting_figures(monkeypatch) -> list:
    """Count the Plotly figures built from here on (each still built for real)."""
    import plotly.graph_objects as go

    built = []
    real = go.Figure.__init__

    def counted(self, *args, **kwargs):
        built.append(type(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(go.Figure, "__init__", counted)
    return built


def specs(at) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def test_two_sessions_on_the_same_page_and_parameters_share_one_computation(own_app_db, monkeypatch):
    built = counting_figures(monkeypatch)
    first = open_page("compare", lpa="herefordshire", quarter=Q)
    drawn = len(built)
    assert drawn >= 10  # the page's ten small multiples (and the Overview's chart, opened first)
    second = open_page("compare", lpa="herefordshire", quarter=Q)
    assert len(built) == drawn  # the second session drew the first one's figures: it built none
    assert specs(second) == specs(first) and len(specs(second)) == 10
    assert second.dataframe[0].value.equals(first.dataframe[0].value)
    second.run()
    assert len(built) == drawn  # a rerun costs the drawing only

    second.selectbox(key="lpa").set_value("telford_and_wrekin").run()  # another focus LPA in the sidebar
    assert second.title[0].value == "Telford & Wrekin against the other LPAs, 2024/25 Q2"
    assert len(built) == drawn + 10  # another view, computed once
    first.selectbox(key="lpa").set_value("telford_and_wrekin").run()
    assert len(built) == drawn + 10 and specs(first) == specs(second)


def test_the_lpa_page_shows_a_corrected_figure_at_the_next_run(own_app_db):
    from ui.session import _connection

    at = open_page("lpa", lpa="shropshire", quarter=Q)
    column = f"Shropshire, {Q}"
    before = at.dataframe[0].value.set_index("Metric").loc["Total recorded crime", column]
    assert before != "1,234"
    # A corrected return loaded through the domain, on the app's own connection (the file's one writer), as the
    # inbox watcher does for `python -m assurance import --replace`.
    result = load(_connection(str(own_app_db)), read_files([CORRECTED]), replace=True, by="test")
    assert result.status == "loaded"
    at.run()
    assert at.dataframe[0].value.set_index("Metric").loc["Total recorded crime", column] == "1,234"
    # And in a session opened before the change on another page that shares the figure's view.
    compare = open_page("compare", lpa="shropshire", quarter=Q)
    assert compare.dataframe[0].value.set_index("Metric").loc["Total recorded crime", "Shropshire"].startswith("1,234")


def test_a_new_action_is_on_the_trend_chart_at_the_next_run(own_app_db):
    from ui.session import _connection

    at = open_page("trend", metric="positive_outcome_rate", area="shropshire", quarter=Q, lpa="shropshire")
    text = "Explain the fall in Shropshire's positive outcomes"

    def hovers(at) -> list[str]:
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return [h for trace in spec["data"] for h in trace.get("hovertext") or []]

    assert not any(text in h for h in hovers(at))
    actions.add_action(
        _connection(str(own_app_db)), meeting_id=SEED, text=text, owner="T/CC", by="Lucy Milner",
        metric="positive_outcome_rate", area="shropshire",
    )  # fmt: skip
    at.run()
    assert any(text in h for h in hovers(at))


def test_the_meeting_display_shows_an_action_added_after_it_opened(own_app_db):
    from ui.session import _connection

    room = AppTest.from_file(APP, default_timeout=60)
    room.query_params.update({"mode": "meeting", "meeting": SEED, "slide": "8"})
    room.run()
    second_screen = AppTest.from_file(APP, default_timeout=60)
    second_screen.query_params.update({"mode": "meeting", "meeting": SEED, "slide": "8"})
    second_screen.run()
    assert len(room.table[0].value) == len(second_screen.table[0].value) == 3
    actions.add_action(_connection(str(own_app_db)), meeting_id=SEED, text="Brief the panel", owner="PCC", by="LM")
    room.run()
    second_screen.run()
    assert len(room.table[0].value) == len(second_screen.table[0].value) == 4


def test_a_shared_function_keeps_at_most_max_entries_results():
    from ui.shared import Version, shared

    calls = []

    @shared(max_entries=2)
    def square(version: Version, n: int) -> list[int]:
        calls.append((version.number, n))
        return [n * n]

    one, two, three = (Version("bounded.duckdb", (stamp,)) for stamp in (1, 2, 3))
    first = square(one, 4)
    assert square(one, 4) is first and len(calls) == 1  # the very same object, computed once
    square(two, 4)
    square(three, 4)  # a third entry: the least recently used (version one) goes
    assert len(calls) == 3
    assert square(three, 4) is square(three, 4) and len(calls) == 3
    again = square(one, 4)
    assert len(calls) == 4 and again == first and again is not first  # computed again: it had been dropped


def test_a_shared_function_must_take_the_version_first_and_be_bounded():
    from ui.shared import shared

    with pytest.raises(TypeError, match="data version as its first parameter"):

        @shared(max_entries=4)
        def unkeyed(quarter: str) -> str:
            return quarter

    with pytest.raises(ValueError, match="at least 1"):
        shared(max_entries=0)


def test_a_frozen_figure_draws_the_same_and_hands_out_a_fresh_dict_each_time():
    import plotly.graph_objects as go
    import plotly.io as pio

    from ui.shared import frozen_figure

    figure = go.Figure(go.Scatter(x=["2024/25 Q1", "2024/25 Q2"], y=[11.4, float("nan")], name="Shropshire"))
    drawn = pio.to_json(figure, validate=False)
    frozen = frozen_figure(figure)
    assert isinstance(frozen, go.Figure)
    assert pio.to_json(frozen, validate=False) == drawn  # what st.plotly_chart sends is unchanged
    first = frozen.to_dict()
    first["data"][0]["name"] = "changed by a caller"
    assert frozen.to_dict()["data"][0]["name"] == "Shropshire"
