"""Commitments drawn on a chart: the markers of ``assurance.domain.commitments.markers`` in a strip of their own.

Each kind has a colour from the Okabe-Ito palette and a symbol of its own (filled when made, open when due), so
colour is never the only signal; each family sits on its own row of the strip, and the hover says what was said.
"""

from __future__ import annotations

import plotly.graph_objects as go

from assurance.core.periods import quarter_range
from assurance.domain.commitments.markers import Marker

# One style per kind (assurance.domain.commitments.markers.KINDS), in the kinds' order: the legend's.
STYLE = {
    "Action raised": dict(symbol="diamond", color="#0072B2"),
    "Action due": dict(symbol="diamond-open", color="#0072B2"),
    "Pledge made": dict(symbol="star", color="#009E73"),
    "Pledge due": dict(symbol="star-open", color="#009E73"),
    "Figure quoted": dict(symbol="circle-open", color="#CC79A7"),
}

# Each family on its own row along the foot of the chart (fractions of the plot's height).
_ROW = {"Action raised": 0.8, "Action due": 0.8, "Pledge made": 0.5, "Pledge due": 0.5, "Figure quoted": 0.2}


def add_markers(fig: go.Figure, markers: list[Marker], data_quarters: list[str]) -> go.Figure:
    """Draw the markers in a strip under the chart (a second y axis of their own), one legend entry per kind.

    Quarters after the data (a pledge due next year) extend the quarter axis so the deadline shows.
    """
    if not markers:
        return fig
    order = sorted(set(data_quarters))
    latest = max(m.quarter for m in markers)
    if order and latest > order[-1]:
        order += [q.label for q in quarter_range(order[-1], latest)[1:]]
    traces = []
    for kind, style in STYLE.items():
        mine = [m for m in markers if m.kind == kind and m.quarter in order]
        if not mine:
            continue
        traces.append(
            dict(
                type="scatter",
                x=[m.quarter for m in mine],
                y=[_ROW[kind] for _ in mine],
                yaxis="y2",
                mode="markers",
                name=kind,
                marker=dict(
                    symbol=style["symbol"], color=style["color"], size=13, line=dict(width=2, color=style["color"])
                ),
                hovertext=[m.hover for m in mine],
                hoverinfo="text+x",
                legendgroup="commitments",
            )
        )
    fig.add_traces(traces)
    # A strip of its own under the plot, so a marker is never mistaken for a value.
    fig.update_layout(
        yaxis=dict(domain=[0.17, 1]),
        yaxis2=dict(
            domain=[0, 0.12],
            range=[0, 1],
            fixedrange=True,
            showticklabels=False,
            showgrid=False,
            zeroline=False,
            title=dict(text="Said", font=dict(size=11)),
        ),
        xaxis=dict(categoryorder="array", categoryarray=order, anchor="y2"),
    )
    return fig
