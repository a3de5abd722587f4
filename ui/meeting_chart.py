"""The meeting display's LPA focus chart: each LPA's figure as a bar, drawn to be read from the back of the room."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assurance.domain.performance import FORCE, Dataset, observation
from assurance.products.meeting.content import FOCUS_CHART_METRIC
from ui.style import CHART_HEIGHT_PX, MIN_TEXT_PX

CHART_FONT_PX = MIN_TEXT_PX
INK = "#111111"  # on white: contrast 18.9:1
CHART_FAMILY = "Source Sans, Source Sans Pro, Arial, sans-serif"  # the page's own web font first


def focus_chart(data: pd.DataFrame, ds: Dataset, quarter: str) -> go.Figure:
    """Each LPA's figure as a bar, best at the top, the focus LPA dark and named with a marker, the force a line."""
    metric = ds.metrics[FOCUS_CHART_METRIC]
    names = [f"<b>▶ {n} (focus)</b>" if f else n for n, f in zip(data["name"], data["focus"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=names,
            orientation="h",
            marker=dict(color=["#08306b" if f else "#9ecae1" for f in data["focus"]], line=dict(color=INK, width=1)),
            text=[metric.format_value(v) for v in data["value"]],
            textposition="outside",
            textfont=dict(size=CHART_FONT_PX + 4, color=INK),  # the figure each bar stands for
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    force = observation(ds, FORCE, metric.code, quarter)
    if force is not None and force["value"] == force["value"]:
        fig.add_vline(
            x=float(force["value"]),
            line=dict(color=INK, width=3, dash="dash"),
            annotation=dict(
                text=f"West Mercia (force) {metric.format_value(float(force['value']))}",
                font=dict(size=CHART_FONT_PX, color=INK),
                yanchor="bottom",
            ),
            annotation_position="top",
        )
    top = max([*data["value"], 1.0]) * 1.18
    fig.update_layout(
        font=dict(size=CHART_FONT_PX, color=INK, family=CHART_FAMILY),
        height=CHART_HEIGHT_PX,
        margin=dict(l=20, r=40, t=64, b=20),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
        xaxis=dict(
            title=dict(text=f"{metric.name} (%), {quarter}", font=dict(size=CHART_FONT_PX)),
            range=[0, top],
            gridcolor="#d0d0d0",
            tickfont=dict(size=CHART_FONT_PX),
            automargin=True,
        ),
        yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=CHART_FONT_PX + 2), ticksuffix="  "),
    )
    return fig
