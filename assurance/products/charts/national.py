"""The national comparison drawn: a ranked "ski slope" of rates, and a funnel plot against size.

Drawing only; every number comes from ``assurance.domain.national.figures`` and ``assurance.core.funnel``. The
focus area is blue, outlined and named "(focus)", its peers orange, hatched (or square on the funnel) and named
"(peer)", the rest grey: colour never carries the meaning alone (Okabe-Ito colours). An area far above the rest
(the City of London: few residents, many visitors) would flatten everyone else, so the axis stops above the
others and that area is drawn at the top with its value written beside it.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assurance.core.funnel import funnel_curves, share_curves
from assurance.domain.national.figures import Comparison
from assurance.products.charts.trend import FONT

FOCUS_COLOUR = "#0072B2"  # Okabe-Ito blue
PEER_COLOUR = "#E69F00"  # Okabe-Ito orange
OTHER_COLOUR = "#BBBBBB"
LIMIT_COLOUR = "#555555"
RATE_AXIS = "Recorded crimes per 1,000 residents"
PROXY_AXIS = "Charged, summonsed or out of court (%)"
PROXY_LABEL = "Positive-outcome proxy (police.uk)"
STILL_OPEN_LABEL = "Still open (under investigation or no outcome yet)"
MANY = 60  # more areas than this (CSPs): bars unnamed, except the focus and its peers


def _role(code: str, focus: str | None, peers: set[str]) -> str:
    return "focus" if code == focus else "peer" if code in peers else "other"


def _axis_top(values: pd.Series) -> float | None:
    """Where the axis stops: above every value, unless the highest is more than twice the next (then above that)."""
    ordered = sorted((float(v) for v in values.dropna()), reverse=True)
    if len(ordered) < 3 or ordered[0] <= 2.0 * ordered[1]:
        return None
    return ordered[1] * 1.25


def _measure(comparison: Comparison, proxy: bool) -> tuple[pd.DataFrame, str, float | None, str]:
    if proxy:
        return comparison.ranked_by_proxy, "proxy", comparison.national_proxy, "%"
    return comparison.ranked, "per_1000", comparison.national_rate, " per 1,000"


def ski_slope(
    comparison: Comparison, focus: str | None, peers: list[str], *, measure: str = "rate", height: int = 520
) -> go.Figure:
    """The ranked areas as bars, highest first, with the value of all areas shown as a dashed line.

    ``measure`` 'rate': recorded crimes per 1,000 residents. 'proxy': the positive-outcome proxy (per cent), with
    each area's still-open share as a black dash above or on its bar.
    """
    proxy = measure == "proxy"
    ranked, column, overall, unit = _measure(comparison, proxy)
    peer_set = set(peers)
    roles = [_role(c, focus, peer_set) for c in ranked["code"]]
    many = len(ranked) > MANY
    names = [
        f"{name} ({role})" if role != "other" else ("" if many else name)
        for name, role in zip(ranked["name"], roles, strict=True)
    ]
    top = _axis_top(ranked[column])
    positions = list(range(1, len(ranked) + 1))
    traces: list[dict] = []
    for role, label, colour in (("other", "Other areas", OTHER_COLOUR), ("peer", "Peers", PEER_COLOUR),
                                ("focus", "Focus", FOCUS_COLOUR)):  # fmt: skip
        chosen = [i for i, r in enumerate(roles) if r == role]
        if not chosen:
            continue
        part = ranked.iloc[chosen]
        traces.append(
            dict(
                type="bar",
                x=[positions[i] for i in chosen],
                y=[min(v, top) if top else v for v in part[column]],
                name=label,
                marker=dict(
                    color=colour,
                    pattern=dict(shape="/" if role == "peer" else "", fillmode="overlay", solidity=0.35),
                    line=dict(color="#000000" if role == "focus" else colour, width=2 if role == "focus" else 0),
                ),
                customdata=list(
                    zip(part["name"], part[column], part["crimes"], part["population"], part["still_open"], strict=True)
                ),  # fmt: skip
                hovertemplate="%{customdata[0]}<br>Rank %{x}: %{customdata[1]:.1f}"
                + unit
                + "<br>%{customdata[2]:,} crimes, %{customdata[3]:,} residents; %{customdata[4]:.0f}% still open"
                "<extra></extra>",
            )
        )
    if proxy:
        traces.append(
            dict(
                type="scatter",
                mode="markers",
                x=positions,
                y=list(ranked["still_open"]),
                name=STILL_OPEN_LABEL,
                marker=dict(symbol="line-ew-open", size=14, color="#000000", line=dict(width=2)),
                hovertemplate="%{y:.0f}% still open<extra></extra>",
            )  # fmt: skip
        )
    annotations = []
    if top:
        annotations += [
            dict(
                x=x, y=top, text=f"{value:.0f}{unit} ▲", showarrow=False, yanchor="bottom", font=dict(size=12)
            )  # fmt: skip
            for x, value in zip(positions, ranked[column], strict=True)
            if value > top
        ]
    if many:  # name the focus above its bar (the peers are hatched and listed beside the chart)
        annotations += [
            dict(
                x=x,
                y=min(v, top) if top else v,
                text=name,
                showarrow=True,
                arrowhead=0,
                ax=0,
                ay=-24 - 18 * (n % 3),
                font=dict(size=12, color="#000000"),
            )  # fmt: skip
            for n, (x, v, name) in enumerate(
                (x, v, name)
                for x, v, name, r in zip(positions, ranked[column], names, roles, strict=True)
                if r == "focus"
            )
        ]
    shapes = []
    if overall is not None:
        shapes.append(dict(type="line", xref="x domain", x0=0, x1=1, y0=overall, y1=overall,
                           line=dict(color=LIMIT_COLOUR, dash="dash", width=2)))  # fmt: skip
        annotations.append(dict(xref="x domain", x=0.995, y=overall, xanchor="right", yanchor="bottom",
                                showarrow=False, bgcolor="rgba(255,255,255,0.8)",
                                text=f"All areas shown: {overall:.1f}{unit}"))  # fmt: skip
    xaxis = dict(title=dict(text="Ranked, highest first"), automargin=True)
    if not many:
        xaxis |= dict(tickmode="array", tickvals=positions, ticktext=names, tickangle=-60)
    else:
        xaxis |= dict(showticklabels=False)
    layout = dict(
        height=height,
        font=FONT,
        margin=dict(l=60, r=20, t=40, b=10),
        plot_bgcolor="white",
        bargap=0.15,
        barmode="overlay",
        xaxis=xaxis,
        yaxis=dict(
            title=dict(text=PROXY_AXIS if proxy else RATE_AXIS),
            gridcolor="#e5e5e5",
            automargin=True,
            range=[0, top * 1.08] if top else None,
            rangemode="tozero",
        ),  # fmt: skip
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        annotations=annotations,
        shapes=shapes,
    )
    return go.Figure(dict(data=traces, layout=layout))


def funnel(
    comparison: Comparison, focus: str | None, peers: list[str], *, measure: str = "rate", height: int = 560
) -> go.Figure:
    """Each ranked area against its size (log scale), inside the 95% and 99.8% limits around all areas' value.

    'rate': crimes per 1,000 against residents, Poisson limits. 'proxy': the proxy (per cent) against recorded
    crimes, binomial limits.
    """
    proxy = measure == "proxy"
    ranked, value, national, unit = _measure(comparison, proxy)
    if ranked.empty or national is None:
        return go.Figure(dict(data=[], layout=dict(height=height, font=FONT)))
    across, where = ("crimes", "proxy_position") if proxy else ("population", "position")
    low, high = float(ranked[across].min()), float(ranked[across].max())
    curves = share_curves(national, int(low), int(high)) if proxy else funnel_curves(national, low, high)
    top = _axis_top(ranked[value])
    traces: list[dict] = []
    for name, dash in (("99.8%", "dot"), ("95%", "dash")):
        for side in ("upper", "lower"):
            traces.append(
                dict(
                    type="scatter",
                    x=curves["population"],
                    y=curves[f"{side} {name}"],
                    mode="lines",
                    line=dict(color=LIMIT_COLOUR, dash=dash, width=1.5),
                    name=f"{name} limits",
                    legendgroup=name,
                    showlegend=side == "upper",
                    hoverinfo="skip",
                )  # fmt: skip
            )
    traces.append(
        dict(
            type="scatter",
            x=[curves["population"][0], curves["population"][-1]],
            y=[national, national],
            mode="lines",
            line=dict(color="#000000", width=1.5),
            name=f"All areas shown ({national:.1f}{unit})",
            hoverinfo="skip",
        )  # fmt: skip
    )
    peer_set = set(peers)
    styles = {
        "other": ("Other areas", OTHER_COLOUR, "circle", 7),
        "peer": ("Peers (listed beside the chart)", PEER_COLOUR, "square", 11),
        "focus": ("Focus", FOCUS_COLOUR, "diamond", 16),
    }
    annotations = []
    for role, (label, colour, symbol, marker_size) in styles.items():
        part = ranked[[_role(c, focus, peer_set) == role for c in ranked["code"]]]
        if part.empty:
            continue
        shown = [min(v, top) if top else v for v in part[value]]
        traces.append(
            dict(
                type="scatter",
                x=list(part[across]),
                y=shown,
                mode="markers",
                name=label,
                marker=dict(
                    color=colour,
                    symbol=symbol,
                    size=marker_size,
                    line=dict(color="#000000", width=0 if role == "other" else 1),
                ),
                customdata=list(zip(part["name"], part[value], part["crimes"], part[where].fillna(""), strict=True)),
                hovertemplate="%{customdata[0]}<br>%{customdata[1]:.1f}"
                + unit
                + "; %{x:,} "
                + ("crimes" if proxy else "residents")
                + "<br>%{customdata[3]}<extra></extra>",
            )  # fmt: skip
        )
        if role == "focus":  # named beside its marker (the peers are square and listed beside the chart)
            annotations += [
                dict(x=_log10(x), y=y, text=name, showarrow=True, arrowhead=0, ax=30 + 10 * (n % 2),
                     ay=-28 - 16 * (n % 3), font=dict(size=12, color="#000000"), bgcolor="rgba(255,255,255,0.8)")
                for n, (x, y, name) in enumerate(zip(part[across], shown, part["name"], strict=True))
            ]  # fmt: skip
    if top:
        annotations += [
            dict(
                x=_log10(x),
                y=top,
                text=f"{name}: {v:.0f}{unit} ▲",
                showarrow=False,
                yanchor="bottom",
                font=dict(size=12),
            )  # fmt: skip
            for x, v, name in zip(ranked[across], ranked[value], ranked["name"], strict=True)
            if v > top
        ]
    layout = dict(
        height=height,
        font=FONT,
        margin=dict(l=60, r=20, t=30, b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
        xaxis=dict(type="log", gridcolor="#e5e5e5", automargin=True,
                   title=dict(text="Recorded crimes (log scale)" if proxy else "Residents (Census 2021, log scale)")),
        yaxis=dict(title=dict(text=PROXY_AXIS if proxy else RATE_AXIS), gridcolor="#e5e5e5", automargin=True,
                   range=[0, top * 1.1] if top else None),
        annotations=annotations,
    )  # fmt: skip
    return go.Figure(dict(data=traces, layout=layout))


def _log10(x: float) -> float:
    """Annotations on a log axis are placed by the logarithm of their value."""
    import math

    return math.log10(max(float(x), 1e-9))
