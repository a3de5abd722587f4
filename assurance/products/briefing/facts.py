"""The facts the briefing's question rules read: each series' SPC signal and target, each LPA's ranking, and
whether the pack shows illustrative figures. Asked of the same library the dashboard pages use, so they agree."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from assurance.core.metrics import Metric
from assurance.core.targets import threshold
from assurance.domain.commitments.actions import OPEN_STATUSES
from assurance.domain.compare import (
    format_gap,
    gap_to_force,
    rank_among_lpas,
    spc_series,
    spc_words,
    where_to_look,
    worst_ranked_counts,
)
from assurance.domain.performance import FORCE, Dataset, observation, target_for
from assurance.products.briefing.common import as_number, as_text
from assurance.products.briefing.questions import (
    LpaRanking,
    SeriesSignal,
)


def _limits_text(metric: Metric, result) -> str:
    part = result.parts[-1] if result.parts else None
    if part is None or part.lower is None or part.upper is None:
        return ""
    return f"{metric.format_value(part.lower)} to {metric.format_value(part.upper)}"


def data_loaded_at(ds: Dataset) -> datetime | None:
    if ds.observations.empty or "loaded_at" not in ds.observations:
        return None
    latest = ds.observations["loaded_at"].max()
    return None if pd.isna(latest) else pd.Timestamp(latest).to_pydatetime()


def shows_illustrative(ds: Dataset, quarter: str, headline: pd.DataFrame) -> bool:
    """Whether any figure or target shown (series up to the quarter) is illustrative."""
    obs = ds.observations
    shown = obs[obs["quarter"] <= quarter]
    return bool(shown["illustrative"].any()) or bool(headline["target_illustrative"].any())


# --- the facts the question rules read ------------------------------------------------------------------------


def series_signals(ds: Dataset, quarter: str, rebases: dict) -> list[SeriesSignal]:
    """One SeriesSignal per metric and area (catalogue order, LPAs then the force), as Where to look shows them."""
    matrix = where_to_look(ds, quarter, rebases)
    signals = []
    for row in matrix.to_dict("records"):
        metric = ds.metrics[row["metric"]]
        _, result = spc_series(ds, metric, row["area"], quarter, rebases.get((row["area"], metric.code), ()))
        obs = observation(ds, row["area"], metric.code, quarter)
        target = target_for(ds, metric.code, row["area"], quarter)
        target_text = target.text(metric) if threshold(target) is not None else ""
        signals.append(
            SeriesSignal(
                metric=metric.code,
                metric_name=metric.name,
                area=row["area"],
                area_name=row["area_name"],
                is_force=row["area"] == FORCE,
                value_text=metric.format_value(as_number(obs["value"]) if obs else None),
                classification=row["classification"],
                special_cause=bool(row["special_cause"]),
                assurance_icon=row["assurance_icon"],
                spc_text=spc_words(result),
                target_text=target_text,
                limits_text=_limits_text(metric, result),
            )
        )
    return signals


def _next_meeting_words(actions: pd.DataFrame, area: str, area_name: str) -> str:
    """'the Q4 meeting, when action 3 asks for an update' if an open action about the area is due at a meeting."""
    for row in actions.to_dict("records"):
        about = row.get("area") == area or area_name.lower() in as_text(row.get("text")).lower()
        if row["status"] in OPEN_STATUSES and about and isinstance(row.get("due_meeting_quarter"), str):
            q = row["due_meeting_quarter"].split()[-1]
            return f"the {q} meeting, when action {row['id']} asks for an update"
    return "the next A&A performance meeting"


def lpa_rankings(ds: Dataset, quarter: str, actions: pd.DataFrame) -> list[LpaRanking]:
    """For each LPA: on how many metrics it ranks worst, with its first such metric as the example."""
    counts = worst_ranked_counts(ds, quarter)
    rankable = [m for m in ds.metrics.values() if m.level == "lpa" and m.direction != "neutral"]
    out = []
    for code, worst in counts.items():
        example = None
        for metric in rankable:
            rank = rank_among_lpas(ds, metric, code, quarter)
            if rank and rank[0] == rank[1]:
                example = metric
                break
        name = ds.area_name(code)
        value_text = gap_text = ""
        if example is not None:
            obs = observation(ds, code, example.code, quarter)
            value_text = example.format_value(as_number(obs["value"]) if obs else None)
            gap_text = format_gap(example, gap_to_force(ds, example, code, quarter))
        out.append(
            LpaRanking(
                area=code,
                area_name=name,
                worst_count=worst,
                rankable=len(rankable),
                lpa_count=len(counts),
                quarter=quarter,
                example_metric_name=example.name if example else "",
                example_value_text=value_text,
                example_gap_text=gap_text,
                before=_next_meeting_words(actions, code, name),
            )
        )
    return out
