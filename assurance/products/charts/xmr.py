"""The XmR chart as a Plotly figure: drawing only, every number comes from `assurance.core.spc`.

Points are coloured by what the rules made of them, in the "Making Data Count" colours
(improvement blue, concern orange, neither purple, common cause grey), and each class also has
its own marker symbol and legend entry, so colour never carries meaning alone. Each part of a
rebased series has its own mean and process limits, drawn over its own points only.
"""

from __future__ import annotations

import plotly.graph_objects as go

from assurance.core.metrics import Metric
from assurance.core.spc import (
    COMMON_CAUSE,
    CONCERN,
    IMPROVEMENT,
    LIMIT_FACTOR,
    MIN_POINTS,
    NEITHER,
    OUTSIDE_LIMITS,
    SHIFT,
    SHIFT_N,
    TREND,
    TREND_N,
    TWO_OF_THREE,
    XmrResult,
)
from assurance.products.charts.trend import FONT, axis_title

VALUES_COLOUR = "#7f7f7f"
LINE_COLOUR = "#3c3c3c"  # mean and process limits
TARGET_COLOUR = "#7f0000"
REBASE_COLOUR = "#555555"

# name in the legend, colour, marker symbol; in legend order.
CLASS_STYLE = {
    IMPROVEMENT: ("Special cause improvement", "#00b0f0", "diamond"),
    CONCERN: ("Special cause concern", "#e46c0a", "square"),
    NEITHER: ("Special cause (neither)", "#490092", "star"),
    COMMON_CAUSE: ("Common cause", "#a6a6a6", "circle"),
}

RULE_WORDS = {
    OUTSIDE_LIMITS: "beyond a process limit",
    SHIFT: f"shift ({SHIFT_N}+ points on one side of the mean)",
    TREND: f"trend ({TREND_N}+ points rising or falling)",
    TWO_OF_THREE: "two of three points near a limit",
}

RULES_CAPTION = (
    f"Process limits are the mean ± {LIMIT_FACTOR} × the average moving range (the average quarter-to-quarter "
    f"change); about 99% of common-cause variation falls inside them. A special cause is a point beyond a limit, a "
    f"shift ({SHIFT_N} or more points in a row on one side of the mean), a trend ({TREND_N} or more points in a row "
    f"each rising or each falling), or two of three points in a row close to a limit (beyond two thirds of the way "
    f"from the mean). With fewer than {MIN_POINTS} points there are no limits and no icons."
)


def rules_text(rules: tuple[str, ...] | list[str]) -> str:
    """The rules that flagged a point, in words; 'none' for a common-cause point."""
    return "; ".join(RULE_WORDS.get(rule, rule) for rule in rules) or "none"


def _hover(point, metric: Metric) -> str:
    name = CLASS_STYLE.get(point.classification, (point.classification,))[0]
    return f"<b>{point.label}</b>: {metric.format_value(point.value)}<br>{name}<br>Rules: {rules_text(point.rules)}"


def _labels(result: XmrResult) -> list[str]:
    return [point.label if point.label is not None else str(point.index + 1) for point in result.points]


def xmr_figure(
    result: XmrResult,
    metric: Metric,
    area_name: str,
    target: float | None = None,
    target_label: str | None = None,
    height: int = 460,
) -> go.Figure:
    """An XmR chart: values, special causes by class, mean and process limits per part, target, rebase lines."""
    fig = go.Figure()
    labels = _labels(result)
    points = result.points

    fig.add_trace(
        go.Scatter(
            x=labels,
            y=[point.value for point in points],
            name="Values",
            mode="lines",
            line=dict(color=VALUES_COLOUR, width=2),
            hoverinfo="skip",
            legendrank=1,
        )
    )

    drawn_any_limits = False
    line_specs = (
        ("Mean", "mean", "solid", 2),
        ("Upper process limit", "upper", "dash", 1.5),
        ("Lower process limit", "lower", "dash", 1.5),
    )
    for number, part in enumerate(result.parts):
        if part.mean is None:
            continue
        x = labels[part.start : part.end + 1]
        for rank, (name, attr, dash, width) in enumerate(line_specs, start=2):
            value = getattr(part, attr)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[value] * len(x),
                    name=name,
                    mode="lines",
                    line=dict(color=LINE_COLOUR, dash=dash, width=width),
                    legendgroup=name,
                    showlegend=not drawn_any_limits,
                    legendrank=rank,
                    hovertemplate=f"{name}: {metric.format_value(value)}<extra></extra>",
                    meta={"part": number},
                )
            )
        drawn_any_limits = True

    if target is not None and labels:
        text = target_label or f"Target {metric.format_value(target)}"
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=[target] * len(labels),
                name="Target",
                mode="lines",
                line=dict(color=TARGET_COLOUR, dash="dashdot", width=2),
                legendrank=5,
                hovertemplate=f"{text}<extra></extra>",
            )
        )
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="left",
            xshift=6,
            y=target,
            yref="y",
            text=text,
            showarrow=False,
            align="left",
            font=dict(color=TARGET_COLOUR, size=12),
        )

    for rank, (classification, (name, colour, symbol)) in enumerate(CLASS_STYLE.items(), start=6):
        chosen = [point for point in points if point.classification == classification]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[labels[point.index] for point in chosen],
                y=[point.value for point in chosen],
                name=name,
                mode="markers",
                marker=dict(color=colour, symbol=symbol, size=11, line=dict(color="white", width=1)),
                hovertext=[_hover(point, metric) for point in chosen],
                hoverinfo="text",
                legendrank=rank,
            )
        )

    for part in result.parts[1:]:
        fig.add_shape(
            type="line",
            x0=part.start - 0.5,
            x1=part.start - 0.5,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=REBASE_COLOUR, dash="dot", width=2),
        )
        fig.add_annotation(
            x=part.start - 0.5,
            xref="x",
            y=1,
            yref="paper",
            yanchor="top",
            xanchor="right",
            xshift=-2,
            textangle=-90,
            text="Rebased",
            showarrow=False,
            font=dict(color=REBASE_COLOUR, size=12),
        )

    if not points:
        fig.add_annotation(
            text=result.reason or "No values to chart",
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
        )
    elif not drawn_any_limits:
        # Above the legend (one row: without limits there are at most three entries), under the title.
        fig.add_annotation(
            text=result.reason or "No process limits",
            x=0,
            xref="paper",
            xanchor="left",
            y=1,
            yref="paper",
            yanchor="bottom",
            yshift=34,
            showarrow=False,
            font=dict(size=13, color="#333333"),
        )
    else:
        for part in result.parts:
            if part.mean is None:
                fig.add_annotation(
                    x=labels[(part.start + part.end) // 2],
                    y=0.02,
                    yref="paper",
                    yanchor="bottom",
                    text=f"No limits: {part.n} points, {MIN_POINTS} needed",
                    showarrow=False,
                    font=dict(size=12, color="#333333"),
                    bgcolor="rgba(255,255,255,0.8)",
                )

    fig.update_layout(
        height=height,
        font=FONT,
        autosize=True,
        title=dict(
            text=f"{metric.name}: {area_name}",
            font=dict(size=16),
            x=0,
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=6),
        ),
        margin=dict(l=10, r=150 if target is not None else 20, t=100 if drawn_any_limits else 125, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left", font=dict(size=13)),
        hovermode="closest",
        plot_bgcolor="white",
        xaxis=dict(
            type="category",
            categoryorder="array",
            categoryarray=labels,
            tickangle=-45,
            automargin=True,
            showgrid=False,
            title=None,
        ),
    )
    fig.update_yaxes(
        title=axis_title(metric),
        automargin=True,
        gridcolor="#e5e5e5",
        zeroline=False,
        rangemode="tozero" if metric.unit == "count" else "normal",
    )
    return fig
