"""Ranks, gaps to the force, SPC per series and the plain-English reading, on the seeded demo data."""

import pandas as pd
import pytest

from assurance.core.downloads import to_csv_bytes
from assurance.core.spc import xmr
from assurance.domain import compare
from assurance.domain.performance import FORCE, load_dataset

Q = "2024/25 Q2"


@pytest.fixture()
def ds(seeded_con):
    return load_dataset(seeded_con)


def test_shropshire_ranks_worst_on_positive_outcomes_and_telford_best(ds):
    por = ds.metrics["positive_outcome_rate"]
    assert compare.rank_among_lpas(ds, por, "shropshire", Q) == (5, 5)
    assert compare.rank_among_lpas(ds, por, "telford_and_wrekin", Q) == (1, 5)


def test_counts_rank_per_head_and_lower_is_better(ds):
    crime = ds.metrics["total_recorded_crime"]
    per_head = {c: compare.comparable_value(ds, crime, c, Q) for c in ds.lpas["code"]}
    best = min(per_head, key=per_head.get)
    assert compare.rank_among_lpas(ds, crime, best, Q) == (1, 5)
    assert per_head["shropshire"] == pytest.approx(4191 / 327000 * 1000)


def test_force_only_metrics_are_not_ranked(ds):
    assert compare.rank_among_lpas(ds, ds.metrics["calls_999_within_10s"], FORCE, Q) is None


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("positive_outcome_rate", "1.9 pp below the force"),
        ("median_days_to_close", "4.9 days above the force"),
        ("outstanding_suspects", "35.1% above the force per head"),
    ],
)
def test_gap_to_force_is_in_the_metrics_own_terms(ds, metric, expected):
    m = ds.metrics[metric]
    assert compare.format_gap(m, compare.gap_to_force(ds, m, "shropshire", Q)) == expected


def test_gap_for_a_rate_is_the_difference_of_rates(ds):
    m = ds.metrics["positive_outcome_rate"]
    obs = ds.observations.set_index(["area", "metric", "quarter"])["value"]
    expected = obs[("shropshire", m.code, Q)] - obs[(FORCE, m.code, Q)]
    assert compare.gap_to_force(ds, m, "shropshire", Q) == pytest.approx(expected)


def test_spc_series_runs_the_engine_on_the_quarters_up_to_the_chosen_one(ds):
    m = ds.metrics["positive_outcome_rate"]
    series, result = compare.spc_series(ds, m, "shropshire", "2023/24 Q2")
    assert series["quarter"].iloc[-1] == "2023/24 Q2" and len(series) == 22
    expected = xmr(series["value"].tolist(), direction="higher", target=14.0)
    assert result.parts[0].upper == pytest.approx(expected.parts[0].upper)
    assert result.parts[0].lower == pytest.approx(expected.parts[0].lower)


def test_rebase_splits_the_series(ds):
    m = ds.metrics["total_recorded_crime"]
    _, result = compare.spc_series(ds, m, FORCE, Q, ["2021/22 Q1"])
    assert len(result.parts) == 2
    assert result.points[12].part == 1 and result.parts[1].n == 14


def test_reading_of_shropshire_positive_outcomes(ds):
    m = ds.metrics["positive_outcome_rate"]
    _, result = compare.spc_series(ds, m, "shropshire", Q)
    sentence = compare.reading(ds, m, "shropshire", Q, result)
    assert sentence.startswith(
        "Shropshire's positive outcome rate was 11.4% in 2024/25 Q2, 1.9 points below the force and the lowest "
        "of the five LPAs; "
    )
    assert sentence.endswith(".")
    assert "special cause improvement" in sentence or "improving" in sentence


def test_reading_of_a_common_cause_series_says_so(ds):
    m = ds.metrics["total_recorded_crime"]
    _, result = compare.spc_series(ds, m, FORCE, Q)
    assert result.variation_icon == "common_cause"
    assert compare.reading(ds, m, FORCE, Q, result) == (
        "West Mercia's total recorded crime was 20,122 in 2024/25 Q2; the latest quarter is within the normal "
        "range of variation (common cause)."
    )


def test_reading_with_too_few_quarters_gives_the_reason(ds):
    m = ds.metrics["positive_outcome_rate"]
    _, result = compare.spc_series(ds, m, "shropshire", "2019/20 Q4")
    assert "too few quarters for SPC limits" in compare.reading(ds, m, "shropshire", "2019/20 Q4", result)


def test_comparison_table_has_every_lpa_metric_with_rank_gap_and_icon(ds):
    table = compare.comparison_table(ds, Q, "shropshire").set_index("Metric")
    assert len(table) == 10
    row = table.loc["Positive outcome rate"]
    assert row["Shropshire"] == "11.4%" and row["West Mercia (force)"] == "13.3%"
    assert row["Rank of 5"] == "5 of 5 (worst)"
    assert row["Gap to force"] == "1.9 pp below the force"
    assert row["On 2023/24 Q2"] == "+1.0 pp"
    assert row["SPC"].endswith("Improvement (higher)")
    assert table.loc["Total recorded crime", "Per 1,000 people"] == "12.82"
    assert "Shropshire" in table.columns and "Herefordshire" in table.columns


def test_where_to_look_shows_force_positive_outcomes_levelled_off_and_shropshire_standing_out(ds):
    summary = compare.where_to_look_summary(ds, Q)
    assert summary[0].startswith("Shropshire ranks worst of the five LPAs on 6 of 10 metrics")
    por = next(s for s in summary if s.startswith("Force positive outcome rate"))
    assert "special cause improvement" in por and "levelled off" in por
    matrix = compare.where_to_look(ds, Q)
    assert len(matrix) == 10 * 6 + 2
    cell = matrix[(matrix["metric"] == "positive_outcome_rate") & (matrix["area"] == FORCE)].iloc[0]
    assert cell["variation_icon"] == "improvement_high" and cell["assurance_icon"] == "fail"


def test_csv_export_neutralises_formulas():
    text = to_csv_bytes(pd.DataFrame({"Change": ["+8.3%", "=HYPERLINK(1)", "@x", "-1", "ok", "+1+cmd|' /C calc'!A0"]}))
    # A change written as a plain number stays as it is (a spreadsheet reads it as that number, nothing else);
    # anything a spreadsheet would evaluate gets the apostrophe.
    assert text.decode("utf-8-sig").splitlines() == [
        "Change", "+8.3%", "'=HYPERLINK(1)", "'@x", "-1", "ok", "'+1+cmd|' /C calc'!A0"
    ]  # fmt: skip
