"""Plotly figures for the pages (and later the briefing): drawing only, no statistics.

Colours are the Okabe-Ito palette, safe for colour-blind readers; every line also has its
own marker and dash and a label at its end, so colour never carries meaning alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assurance.core.metrics import Metric

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
FORCE_COLOUR = "#000000"
MARKERS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star"]
DASHES = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot", "solid"]
BETTER_COLOUR = "#0072B2"  # blue
WORSE_COLOUR = "#D55E00"  # vermillion
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14)


def axis_title(metric: Metric, per_1000: bool = False) -> str:
    if per_1000:
        return f"{metric.name} per 1,000 people"
    return {"count": metric.name, "percent": f"{metric.name} (%)"}.get(metric.unit, f"{metric.name} ({metric.unit})")


def trend_figure(
    data: pd.DataFrame,
    metric: Metric,
    *,
    focus: str | None = None,
    target: float | None = None,
    target_label: str | None = None,
    per_1000: bool = False,
    height: int = 420,
    y_title: str | None = None,
) -> go.Figure:
    """Lines over quarters, one per area; the force in black, the focus area thicker.

    Built as one dict and validated by Plotly once: a page draws ten of these, and adding traces and
    layout piece by piece validated the figure again at every step.
    """
    traces: list[dict] = []
    annotations: list[dict] = []
    shapes: list[dict] = []
    decimals = max(metric.decimals, 1 if per_1000 else 0)
    colour_index = 0
    for area, part in data.groupby("area", sort=False):
        name = str(part["area_name"].iloc[0])
        is_force = area == "force"
        if is_force:
            colour, dash, marker = FORCE_COLOUR, "solid", "circle"
            name = f"{name} (force)"
        else:
            colour = OKABE_ITO[colour_index % len(OKABE_ITO)]
            dash = DASHES[colour_index % len(DASHES)]
            marker = MARKERS[colour_index % len(MARKERS)]
            colour_index += 1
        width = 4 if (area == focus or is_force) else 2
        traces.append(
            dict(
                type="scatter",
                x=list(part["quarter"]),
                y=list(part["value"]),
                name=name,
                mode="lines+markers",
                line=dict(color=colour, width=width, dash=dash),
                marker=dict(symbol=marker, size=7 if width > 2 else 5),
                hovertemplate=f"{name}<br>%{{x}}: %{{y:,.{decimals}f}}<extra></extra>",
            )
        )
        if area == focus or is_force:  # groupby gives no empty part
            annotations.append(
                dict(
                    x=part["quarter"].iloc[-1],
                    y=part["value"].iloc[-1],
                    text=name.replace(" (force)", ""),
                    showarrow=False,
                    xanchor="left",
                    xshift=8,
                    font=dict(color=colour, size=12),
                )
            )
    if target is not None and not per_1000:
        # What fig.add_hline(annotation_position="top left") draws, written out.
        shapes.append(
            dict(
                type="line",
                xref="x domain",
                x0=0,
                x1=1,
                yref="y",
                y0=target,
                y1=target,
                line=dict(color="#555555", dash="dash", width=2),
            )
        )
        annotations.append(
            dict(
                text=target_label or "Target",
                xref="x domain",
                x=0,
                yref="y",
                y=target,
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
            )
        )
    layout = dict(
        height=height,
        font=FONT,
        autosize=True,
        margin=dict(l=55, r=110, t=30, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0),
        hovermode="x unified",
        xaxis=dict(type="category", tickangle=-45, nticks=14, automargin=True),
        yaxis=dict(
            title=dict(text=axis_title(metric, per_1000) if y_title is None else y_title),
            automargin=True,
            gridcolor="#e5e5e5",
            zeroline=False,
            rangemode="tozero" if metric.unit == "count" else "normal",
        ),
        plot_bgcolor="white",
        annotations=annotations,
        shapes=shapes,
    )
    return go.Figure(dict(data=traces, layout=layout))


OTHER_GREY = "#9a9a9a"


SHORT_NAMES = {
    "herefordshire": "Herefs",
    "north_worcestershire": "N Worcs",
    "shropshire": "Shrops",
    "south_worcestershire": "S Worcs",
    "telford_and_wrekin": "Telford",
    "force": "Force",
}
END_LABEL_MARGIN = 62  # pixels to the right of the plot for the end labels
END_LABEL_GAP = 0.085  # the least vertical gap between two end labels, as a share of the value range


def end_labels(parts: dict, ordered: list[str], focus: str) -> list[dict]:
    """A short name at the right end of every line, so a grey line can be told apart without hovering;
    labels that would overlap are spread apart vertically, keeping their order."""
    # Plain lists, not pandas selections: ten charts a page made dropna() here a noticeable cost.
    known = {
        area: [(q, float(v)) for q, v in zip(part["quarter"].tolist(), part["value"].tolist(), strict=True) if v == v]
        for area, part in parts.items()
    }  # v == v is False only for NaN
    ends = [(known[area][-1][1], area, str(known[area][-1][0])) for area in ordered if known[area]]
    if not ends:
        return []
    values = [v for points in known.values() for _, v in points]
    gap = (max(values) - min(values) or abs(max(values)) or 1.0) * END_LABEL_GAP
    ends.sort()
    placed: list[float] = []
    for value, _, _ in ends:
        placed.append(max(value, placed[-1] + gap) if placed else value)
    # Spread upwards past the highest value, the stack is pulled back down so no label leaves the chart.
    top = max(values)
    for i in range(len(placed) - 1, -1, -1):
        placed[i] = min(placed[i], top if i == len(placed) - 1 else placed[i + 1] - gap)
    labels = []
    for (value, area, quarter), y in zip(ends, placed, strict=True):
        colour = OKABE_ITO[0] if area == focus else FORCE_COLOUR if area == "force" else "#595959"
        name = SHORT_NAMES.get(area, str(parts[area]["area_name"].iloc[0])[:8])
        labels.append(
            dict(
                x=quarter, y=y, xref="x", yref="y", text=f"<b>{name}</b>" if area == focus else name,
                showarrow=False, xanchor="left", xshift=6, font=dict(size=12, color=colour),
                hovertext=f"{parts[area]['area_name'].iloc[0]}: {value:,.2f}",
            )
        )  # fmt: skip
    return labels


def small_multiple_figure(
    data: pd.DataFrame,
    metric: Metric,
    *,
    focus: str,
    per_1000: bool = False,
    height: int = 300,
    y_title: str | None = None,
) -> go.Figure:
    """All LPAs over time for one metric: the focus LPA bold and coloured, the others grey, the force dashed.

    Built as one dict and validated once: ten of these on a page made Plotly's per-call validation the
    page's main cost.
    """
    decimals = max(metric.decimals, 1 if per_1000 else 0)
    parts = {area: part for area, part in data.groupby("area", sort=False)}
    ordered = [a for a in parts if a not in (focus, "force")] + [a for a in ("force", focus) if a in parts]
    traces = []
    for area in ordered:  # the focus and the force last, so they are drawn on top
        part = parts[area]
        name = str(part["area_name"].iloc[0])
        if area == focus:
            style, marker = dict(color=OKABE_ITO[0], width=4, dash="solid"), dict(symbol="circle", size=6)
        elif area == "force":
            name = f"{name} (force)"
            style, marker = dict(color=FORCE_COLOUR, width=2.5, dash="dash"), dict(symbol="square", size=4)
        else:
            style, marker = dict(color=OTHER_GREY, width=1.5, dash="solid"), dict(symbol="circle", size=3)
        traces.append(
            dict(
                type="scatter",
                x=part["quarter"].tolist(),
                y=part["value"].tolist(),
                name=name,
                mode="lines+markers",
                line=style,
                marker=marker,
                showlegend=area in (focus, "force"),
                hovertemplate=f"{name}<br>%{{x}}: %{{y:,.{decimals}f}}<extra></extra>",
            )
        )
    layout = dict(
        height=height,
        font=FONT,
        autosize=True,
        margin=dict(l=45, r=10 + END_LABEL_MARGIN, t=10, b=10),
        annotations=end_labels(parts, ordered, focus),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        hovermode="closest",
        xaxis=dict(type="category", tickangle=-45, nticks=8, automargin=True),
        yaxis=dict(
            title=dict(text=y_title if y_title is not None else axis_title(metric, per_1000)),
            automargin=True,
            gridcolor="#e5e5e5",
            zeroline=False,
        ),
        plot_bgcolor="white",
    )
    fig = go.Figure(data=traces, layout=layout)
    return fig
