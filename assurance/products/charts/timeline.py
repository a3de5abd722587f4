"""The HMICFRS recommendations' deadlines as a Plotly timeline: drawing only, no statistics.

One row per recommendation: a line from the report's publication to the deadline, and a marker at
the deadline coloured AND shaped by its status (Okabe-Ito colours; colour is never the only signal).
Today is a labelled vertical line, the next 90 days a shaded band.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from assurance.core.deadlines import as_date, date_text, deadline_date_text
from assurance.domain.commitments.recommendations import DUE_SOON_DAYS
from assurance.products.charts.trend import FONT

# status -> (legend name, colour, marker symbol)
STATUS_STYLE = {
    "overdue": ("Overdue", "#D55E00", "x"),
    "due within 90 days": ("Due within 90 days", "#E69F00", "diamond"),
    "later": ("Later", "#0072B2", "circle"),
    "complete": ("Complete", "#999999", "circle-open"),
}
SPAN_COLOUR = "#BBBBBB"
TODAY_COLOUR = "#000000"
BAND_COLOUR = "#E69F00"
LABEL_CHARS = 45
MARGIN_TOP, MARGIN_BOTTOM = 40, 95


def _plain(value) -> str:
    """User text for Plotly's hover and labels, which read a few HTML tags: shown literally."""
    return html.escape(str(value), quote=False)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def row_labels(table: pd.DataFrame) -> list[str]:
    """'Rec 1: Recording of ASB incidents…', one per row; with several reports, the report leads."""
    several = table["report"].nunique() > 1
    labels = []
    for row in table.itertuples():
        label = f"Rec {row.number}: {row.subject}"
        if several:
            label = f"{_short(str(row.report), 20)} · {label}"
        labels.append(_short(label, LABEL_CHARS + (23 if several else 0)))
    return labels


def _hover(row, label_full: str) -> str:
    written = row.deadline_text if isinstance(row.deadline_text, str) else "none stated"
    resolved = deadline_date_text(row.deadline_date, getattr(row, "deadline_approximate", False), row.deadline_text)
    return "<br>".join(
        [
            f"<b>{_plain(label_full)}</b>",
            f"{_plain(row.report)}",
            f"Deadline as written: {_plain(written)}",
            f"Resolves to: {resolved}",
            f"Status: {_plain(row.status)}; {_plain(row.deadline_words)}",
        ]
    )


def deadline_timeline(table: pd.DataFrame, today: date, height: int | None = None) -> go.Figure:
    """A horizontal timeline of deadlines (x = date), one row per recommendation, today and the next 90 days marked.

    `table` is ``recommendations_table(con, today)``: report, report_published, number, subject,
    deadline_text, deadline_date, status, deadline_status, deadline_words.
    """
    fig = go.Figure()
    labels = row_labels(table)
    full = [f"Rec {row.number}: {row.subject}" for row in table.itertuples()]
    deadlines = [as_date(d) for d in table["deadline_date"]]
    published = [as_date(d) for d in table["report_published"]]

    # Publication -> deadline spans, one trace with gaps, drawn first so the markers sit on top.
    xs, ys = [], []
    for label, start, end in zip(labels, published, deadlines, strict=True):
        if start is not None and end is not None:
            xs += [start, end, None]
            ys += [label, label, None]
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color=SPAN_COLOUR, width=3),
                name="Report published → deadline",
                hoverinfo="skip",
            )
        )
    starts = [(label, start) for label, start in zip(labels, published, strict=True) if start is not None]
    if starts:
        fig.add_trace(
            go.Scatter(
                x=[s for _, s in starts],
                y=[label for label, _ in starts],
                mode="markers",
                marker=dict(symbol="line-ns-open", size=14, color="#666666", line=dict(width=2)),
                name="Report published",
                showlegend=False,
                hovertemplate="Report published %{x|%-d %b %Y}<extra></extra>",
            )
        )

    for status, (name, colour, symbol) in STATUS_STYLE.items():
        rows = [i for i, s in enumerate(table["deadline_status"]) if s == status and deadlines[i] is not None]
        if not rows:
            continue
        fig.add_trace(
            go.Scatter(
                x=[deadlines[i] for i in rows],
                y=[labels[i] for i in rows],
                mode="markers",
                name=name,
                marker=dict(
                    symbol=symbol,
                    size=16,
                    color=colour,
                    line=dict(width=2.5 if symbol.endswith("open") else 1, color=colour if symbol != "x" else "white"),
                ),
                hovertext=[_hover(row, full[i]) for i, row in enumerate(table.itertuples()) if i in rows],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    undated = [i for i, d in enumerate(deadlines) if d is None]
    if undated:
        fig.add_trace(
            go.Scatter(
                x=[today] * len(undated),
                y=[labels[i] for i in undated],
                mode="text",
                text=["no date  "] * len(undated),
                textposition="middle left",
                name="No date",
                showlegend=False,
                hovertext=[_hover(row, full[i]) for i, row in enumerate(table.itertuples()) if i in undated],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    # From today, the full height of the plot: the next 90 days shaded behind the rows, today a dashed line,
    # each labelled above the plot (today's label to the left of the line, the band's to the right).
    band_end = today + timedelta(days=DUE_SOON_DAYS)
    full_height = dict(xref="x", yref="paper", x0=today, y0=0, y1=1)
    fig.add_shape(
        type="rect",
        **full_height,
        x1=band_end,
        fillcolor=BAND_COLOUR,
        opacity=0.15,
        line_width=0,
        layer="below",
        name="Next 90 days",
    )
    fig.add_shape(
        type="line", **full_height, x1=today, line=dict(color=TODAY_COLOUR, width=2, dash="dash"), name="Today"
    )
    for text, side, shift, colour in (
        (f"Today, {date_text(today)}", "right", -4, TODAY_COLOUR),
        ("Next 90 days", "left", 4, "#8a5a00"),
    ):
        fig.add_annotation(
            x=today, y=1, xref="x", yref="paper", text=text, showarrow=False, xanchor=side, yanchor="bottom",
            xshift=shift, font=dict(size=13, color=colour),
        )  # fmt: skip

    known = [d for d in [*deadlines, *published] if d is not None]
    low = min([*known, today]) - timedelta(days=30)
    high = max([*known, band_end]) + timedelta(days=30)
    height = height or 200 + 48 * max(len(table), 1)
    plot_height = max(height - MARGIN_TOP - MARGIN_BOTTOM, 40)
    fig.update_layout(
        height=height,
        font=FONT,
        autosize=True,
        # The bottom margin holds the date ticks and, below them, the legend (placed in pixels, not fractions,
        # so it never runs into the ticks whatever the number of rows).
        margin=dict(l=10, r=20, t=MARGIN_TOP, b=MARGIN_BOTTOM),
        legend=dict(orientation="h", yanchor="top", y=-34 / plot_height, x=0, font=dict(size=13)),
        hovermode="closest",
        plot_bgcolor="white",
        showlegend=True,
    )
    fig.update_xaxes(
        type="date",
        range=[low, high],
        tickformat="%b %Y",
        gridcolor="#e5e5e5",
        automargin=True,
        tickfont=dict(size=13, color="#262730"),
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
        automargin=True,
        gridcolor="#f0f0f0",
        tickfont=dict(size=13, color="#262730"),
    )
    return fig
