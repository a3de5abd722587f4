"""The figures sections of the briefing: headline metrics, exceptions, the focus LPA, and where they come from.

Every value is asked of the library the dashboard pages use (performance, compare, spc, charts), so the pack and
the screen agree to the digit; the facts the question rules read are in facts.py.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from assurance.core.metrics import Metric
from assurance.core.periods import Quarter
from assurance.core.spc import CONCERN, FAIL
from assurance.core.targets import threshold
from assurance.domain.commitments.markers import markers_for
from assurance.domain.compare import (
    ASSURANCE_LABELS,
    VARIATION_LABELS,
    comparison_table,
    rank_among_lpas,
    reading,
    spc_series,
)
from assurance.domain.performance import FORCE, Dataset, police_uk_note, series, target_for, with_judgement
from assurance.products.briefing.common import ILLUSTRATIVE_NOTE, as_text
from assurance.products.briefing.model import (
    Block,
    Bullets,
    Chart,
    Paragraph,
    Subheading,
    Table,
)
from assurance.products.briefing.questions import (
    SeriesSignal,
)
from assurance.products.charts.markers import add_markers
from assurance.products.charts.trend import trend_figure
from assurance.products.charts.xmr import RULES_CAPTION, xmr_figure

MAX_EXCEPTION_CHARTS = 6
MAX_FOCUS_CHARTS = 3
KEY_CHART_METRIC = "positive_outcome_rate"
NO_ASSURANCE = "–"
UNIT_WORDS = {"count": "number", "percent": "per cent"}  # the y axis in print; the chart's title names the metric
XMR_KEY = (
    "Key to the XmR charts: grey line, the values; grey circles, common cause; blue diamonds, special-cause "
    "improvement; orange squares, special-cause concern; purple stars, special cause that is neither; solid black "
    "line, the mean; dashed lines, the process limits; dark red dash-dot line, the target; along the foot, diamonds "
    "mark actions, stars pledges and open circles figures quoted."
)


def _area_name(ds: Dataset, area: str) -> str:
    return "West Mercia" if area == FORCE else ds.area_name(area)


def _target_label(ds: Dataset, metric: Metric, area: str, quarter: str) -> tuple[float | None, str | None]:
    """The target line for a chart, labelled as the Trend page labels it."""
    target = target_for(ds, metric.code, area, quarter)
    return threshold(target), target.line_label(metric) if target else None


# --- the sections -----------------------------------------------------------------------------------------------


def _exceptional(signal: SeriesSignal) -> bool:
    return (signal.special_cause and signal.classification == CONCERN) or signal.assurance_icon == FAIL


def headline_section(ds: Dataset, quarter: str, focus: str, headline: pd.DataFrame, rebases: dict) -> list[Block]:
    q = Quarter.parse(quarter)
    rows = []
    for row in headline.to_dict("records"):
        metric = ds.metrics[row["metric"]]
        _, result = spc_series(ds, metric, FORCE, quarter, rebases.get((FORCE, metric.code), ()))
        target = row["target_text"] + ("*" if row["target_illustrative"] and row["target_text"] != "–" else "")
        assurance = NO_ASSURANCE if result.assurance_icon is None else ASSURANCE_LABELS[result.assurance_icon]
        rows.append(
            (
                row["name"],
                row["value_text"],
                with_judgement(row["prev_text"], row["prev_judgement"]),
                with_judgement(row["yoy_text"], row["yoy_judgement"]),
                target,
                row["status_text"],
                VARIATION_LABELS[result.variation_icon],
                assurance,
            )
        )
    table = Table(
        key="headline",
        caption=f"West Mercia Police, headline metrics, {quarter}",
        columns=(
            "Metric",
            quarter,
            f"On {q.previous().label}",
            f"On {q.same_quarter_last_year().label}",
            "Target",
            "Status",
            "SPC variation",
            "SPC assurance",
        ),
        rows=tuple(rows),
        widths=(2.3, 1.0, 1.35, 1.35, 1.35, 1.0, 1.55, 1.5),
        numeric=(1,),
    )
    blocks: list[Block] = [
        Paragraph(
            f"West Mercia Police, financial quarter {quarter} ({q.start:%-d %b %Y} to {q.end:%-d %b %Y}). Changes "
            f"compare with {q.previous().label} and with {q.same_quarter_last_year().label}: counts in per cent, "
            "rates in percentage points (pp), durations in their own units; 'better' or 'worse' by the metric's "
            "direction. SPC variation is the latest quarter on the force's XmR chart; SPC assurance says whether "
            "the target lies outside the process limits (consistently passing or failing) or inside (hit and miss)."
        ),
        table,
        Paragraph(
            "* illustrative target, not an adopted one. – in SPC assurance: no assurance icon (no target, a target "
            "relative to last year, or too few quarters).",
            kind="note",
        ),
    ]
    metric = ds.metrics[KEY_CHART_METRIC]
    areas = [*ds.lpas["code"], FORCE]
    data = series(ds, metric.code, areas, up_to=quarter)
    target = target_for(ds, metric.code, FORCE, quarter)
    label = target.named_label(metric) if target else None
    figure = trend_figure(data, metric, focus=focus, target=threshold(target), target_label=label, height=380)
    force_value = headline.set_index("metric").loc[metric.code, "value_text"]
    blocks.append(
        Chart(
            key="trend-positive_outcome_rate",
            title=f"{metric.name} by area, to {quarter}",
            alt=(
                f"Line chart of the {metric.name.lower()} for every LPA and the force, quarter by quarter to {quarter}; "
                f"the force {force_value} in {quarter}, {ds.area_name(focus)} drawn thicker."
            ),
            figure=figure,
            width=900,
            height=380,
        )
    )
    return blocks


def exceptions_section(
    ds: Dataset, quarter: str, signals: list[SeriesSignal], rebases: dict, commitments
) -> tuple[list[Block], int, int]:
    exceptions = [s for s in signals if _exceptional(s)]
    order = {code: i for i, code in enumerate(ds.metrics)}
    exceptions.sort(key=lambda s: (order[s.metric], not s.is_force, s.area_name))
    concerns = sum(1 for s in exceptions if s.special_cause and s.classification == CONCERN)
    fails = sum(1 for s in exceptions if s.assurance_icon == FAIL)
    if not exceptions:
        return [Paragraph(f"No special-cause concerns and no targets consistently failed in {quarter}.")], 0, 0
    rows = tuple(
        (
            s.metric_name,
            s.area_name,
            s.value_text,
            "Special-cause concern" if (s.special_cause and s.classification == CONCERN) else "",
            "✗ Consistently failing" + (f" ({s.target_text})" if s.target_text else "")
            if s.assurance_icon == FAIL
            else "",
            s.spc_text[:1].upper() + s.spc_text[1:] + ".",
        )
        for s in exceptions
    )
    blocks: list[Block] = [
        Paragraph(
            f"Every area and metric whose latest quarter ({quarter}) is a special-cause concern on its XmR chart, "
            "and every target that lies outside the process limits on the wrong side, so that on the current process "
            f"it will consistently be failed: {concerns} concern{'s' if concerns != 1 else ''} and {fails} "
            f"target{'s' if fails != 1 else ''} consistently failed."
        ),
        Table(
            key="exceptions",
            caption=f"Exceptions, {quarter}",
            columns=("Metric", "Area", quarter, "Concern", "Target", "What the XmR chart says"),
            rows=rows,
            widths=(1.9, 1.4, 0.9, 1.2, 1.6, 3.2),
            numeric=(2,),
        ),
    ]
    force_metrics = [s.metric for s in exceptions if s.is_force]
    if force_metrics:
        blocks.append(Subheading("The force's exceptions on XmR charts"))
    for code in force_metrics[:MAX_EXCEPTION_CHARTS]:
        blocks.append(_xmr_chart(ds, ds.metrics[code], FORCE, quarter, rebases, commitments, wide=False))
    if len(force_metrics) > MAX_EXCEPTION_CHARTS:
        blocks.append(
            Paragraph(
                f"{len(force_metrics) - MAX_EXCEPTION_CHARTS} more force exception charts are on the dashboard's "
                "Trend (SPC) page.",
                kind="note",
            )
        )
    if force_metrics:
        blocks.append(Paragraph(XMR_KEY + " " + RULES_CAPTION, kind="note"))
    return blocks, concerns, fails


def _xmr_chart(ds: Dataset, metric: Metric, area: str, quarter: str, rebases: dict, commitments, wide: bool) -> Chart:
    """The Trend page's XmR chart for one metric and area, with the same target line and commitment markers."""
    name = _area_name(ds, area)
    _, result = spc_series(ds, metric, area, quarter, rebases.get((area, metric.code), ()))
    target, label = _target_label(ds, metric, area, quarter)
    figure = xmr_figure(result, metric, name, target=target, target_label=label, height=380)
    add_markers(figure, markers_for(commitments, metric.code, area), [p.label for p in result.points])
    sentence = reading(ds, metric, area, quarter, result)
    return Chart(
        key=f"xmr-{area}-{metric.code}",
        title=f"{metric.name}: {name}",
        alt=f"XmR chart of {metric.name.lower()} for {name}, quarter by quarter to {quarter}. {sentence}",
        figure=figure,
        caption=sentence,
        width=560 if not wide else 900,
        height=330,
        wide=wide,
        # In print the key below the charts replaces each chart's legend, leaving room for the plot.
        print_layout={
            "showlegend": False,
            "margin": {"t": 40, "r": 120 if target is not None else 20},
            "yaxis": {"title": {"text": UNIT_WORDS.get(metric.unit, metric.unit)}},
        },
    )


def focus_section(
    ds: Dataset, quarter: str, focus: str, signals: list[SeriesSignal], rebases: dict, commitments
) -> list[Block]:
    name = ds.area_name(focus)
    frame = comparison_table(ds, quarter, focus)
    others = [ds.area_name(c) for c in ds.lpas["code"] if c != focus]
    q = Quarter.parse(quarter)
    values_cols = ["Metric", name, "Per 1,000 people", *others, "West Mercia (force)", "Rank of 5"]
    movement_cols = [
        "Metric",
        "Gap to force",
        f"On {q.previous().label}",
        f"On {q.same_quarter_last_year().label}",
        "SPC",
    ]
    values = Table(
        key="focus-values",
        caption=f"{name} against the other LPAs and the force, {quarter}",
        columns=tuple(values_cols),
        rows=tuple(tuple(as_text(row[c]) for c in values_cols) for row in frame.to_dict("records")),
        widths=(2.2, 1.1, 1.0, *([1.1] * len(others)), 1.1, 1.1),
        numeric=tuple(range(1, len(values_cols) - 1)),
    )
    movement = Table(
        key="focus-movement",
        caption=f"{name}: gap to the force, movement and SPC, {quarter}",
        columns=tuple(movement_cols),
        rows=tuple(tuple(as_text(row[c]) for c in movement_cols) for row in frame.to_dict("records")),
        widths=(2.2, 2.2, 1.2, 1.2, 1.8),
    )
    mine = {s.metric: s for s in signals if s.area == focus}
    key_metrics = []
    for metric in ds.metrics.values():
        if metric.level != "lpa":
            continue
        rank = rank_among_lpas(ds, metric, focus, quarter)
        signal = mine.get(metric.code)
        flagged = signal is not None and (signal.special_cause or signal.assurance_icon == FAIL)
        if (rank and rank[0] == rank[1]) or flagged:
            key_metrics.append(metric)
    if not key_metrics:
        key_metrics = [m for m in ds.metrics.values() if m.level == "lpa" and m.headline][:4]
    readings = []
    for metric in key_metrics:
        _, result = spc_series(ds, metric, focus, quarter, rebases.get((focus, metric.code), ()))
        readings.append(reading(ds, metric, focus, quarter, result))
    blocks: list[Block] = [
        Paragraph(
            "Rank is among the LPAs, 1 = best by the metric's direction. Counts are compared per 1,000 people; the "
            "gap to the force is in percentage points (pp) for rates, per cent per head for counts, and days or "
            f"minutes for durations. SPC is the variation icon of {name}'s XmR chart at {quarter}."
        ),
        values,
        movement,
        Subheading(f"What the figures say about {name}"),
        Paragraph(
            f"The metrics on which {name} ranks worst of the LPAs, shows special-cause variation, or consistently "
            "fails its target:",
            kind="note",
        ),
        Bullets(tuple(readings)),
    ]
    concern_codes = [s.metric for s in signals if s.area == focus and s.special_cause and s.classification == CONCERN]
    if concern_codes:
        blocks.append(Subheading(f"{name}'s special-cause concerns on XmR charts"))
    for code in concern_codes[:MAX_FOCUS_CHARTS]:
        blocks.append(_xmr_chart(ds, ds.metrics[code], focus, quarter, rebases, commitments, wide=False))
    if concern_codes:
        blocks.append(Paragraph(XMR_KEY, kind="note"))
    return blocks


def about_section(ds: Dataset, quarter: str, loaded_at: datetime | None, illustrative: bool) -> list[Block]:
    por = ds.metrics.get(KEY_CHART_METRIC)
    items = [
        "Every figure comes from the same database and the same calculations as the dashboard; a page of the "
        f"dashboard set to {quarter} shows the same values.",
        "Force rates are the sum of the LPAs' numerators over the sum of their denominators, never the mean of LPA "
        "rates; medians are supplied for the force on their own; 999 call handling is force-wide.",
        RULES_CAPTION,
    ]
    if por is not None and por.definition:
        items.append(f"{por.name}: {por.definition}")
    sources = sorted({as_text(s) for s in ds.observations["source"].unique() if as_text(s)})
    if sources:
        items.append("Sources: " + "; ".join(sources) + ".")
    if loaded_at:
        items.append(f"The figures were last loaded on {loaded_at:%-d %B %Y at %H:%M}.")
    blocks: list[Block] = []
    if illustrative:
        blocks.append(Paragraph(ILLUSTRATIVE_NOTE, kind="notice"))
    if real := police_uk_note(ds):
        blocks.append(Paragraph(real, kind="notice"))
    blocks.append(Bullets(tuple(items)))
    return blocks
