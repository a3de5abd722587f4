"""One computation per data version, shared by every session (ui/shared.py): a shared function gives every caller
the very same result for the same version and parameters, keeps at most max_entries results, and its figures draw
the same as the originals."""

from __future__ import annotations

import pytest


def test_a_shared_function_keeps_at_most_max_entries_results():
    from ui.shared import Version, shared

    calls = []

    @shared(max_entries=2)
    def square(version: Version, n: int) -> list[int]:
        calls.append((version.stamp, n))
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
