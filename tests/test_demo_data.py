"""The illustrative demo data agree with every figure and statement in the A&A minutes of 27 Nov 2024.

Reads the committed ``data/demo/quarterly_observations.csv`` the way the dashboard would and checks
what a policy officer would see (e.g. "13.3%", "a 9% reduction"). Also checks the shape of the
file, the force-from-LPA arithmetic and that the generator is deterministic.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from assurance.core.metrics import catalogue_by_code, combine_lpas, combine_quarters, load_catalogue
from assurance.core.paths import DATA_DIR
from assurance.core.periods import quarter_range
from assurance.sources import demo

CSV = DATA_DIR / "demo" / "quarterly_observations.csv"
LPAS = ["herefordshire", "north_worcestershire", "shropshire", "south_worcestershire", "telford_and_wrekin"]
QUARTERS = [q.label for q in quarter_range("2018/19 Q1", "2024/25 Q2")]
LAST_4 = ["2023/24 Q3", "2023/24 Q4", "2024/25 Q1", "2024/25 Q2"]
NOW = "2024/25 Q2"
METRICS = catalogue_by_code()
# Decimals the CSV stores values to (rates 4, sickness 3, medians and durations 1, counts 0).
STORED_DECIMALS = {"percent": 4, "days per officer": 3, "days": 1, "minutes": 1, "seconds": 1, "count": 0}


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return pd.read_csv(CSV)


@pytest.fixture(scope="module")
def population() -> dict[str, int]:
    areas = pd.read_csv(DATA_DIR / "areas.csv")
    return dict(zip(areas["code"], areas["population"], strict=True))


def row(df: pd.DataFrame, area: str, metric: str, quarter: str) -> pd.Series:
    hit = df[(df.area == area) & (df.metric == metric) & (df.quarter == quarter)]
    assert len(hit) == 1, (area, metric, quarter)
    return hit.iloc[0]


def value(df: pd.DataFrame, area: str, metric: str, quarter: str) -> float:
    return float(row(df, area, metric, quarter)["value"])


def over_quarters(df: pd.DataFrame, area: str, metric: str, quarters: list[str]) -> float:
    """A figure over several quarters the way the product pools it (sum of counts, ratio of sums)."""
    parts = []
    for q in quarters:
        r = row(df, area, metric, q)
        parts.append((r["value"], r["numerator"], r["denominator"]))
    return combine_quarters(METRICS[metric], parts).value


def ranking(df: pd.DataFrame, population: dict[str, int], metric: str, quarter: str) -> list[str]:
    """LPAs from best to worst by the metric's direction; counts compared per 1,000 residents."""
    m = METRICS[metric]
    scores = {}
    for lpa in LPAS:
        v = value(df, lpa, metric, quarter)
        scores[lpa] = v / population[lpa] * 1000 if m.unit == "count" else v
    return sorted(LPAS, key=lambda a: scores[a], reverse=m.direction == "higher")


# --------------------------------------------------------------------------- shape and arithmetic


def test_every_area_quarter_and_metric_present_once(df: pd.DataFrame) -> None:
    assert list(df.columns) == list(demo.COLUMNS)
    assert sorted(df.quarter.unique()) == QUARTERS and len(QUARTERS) == 26
    for metric in load_catalogue():
        rows = df[df.metric == metric.code]
        if metric.level == "lpa":
            assert len(rows) == 26 * 6, metric.code
            assert sorted(rows.area.unique()) == sorted([*LPAS, "force"])
        else:
            assert len(rows) == 26, metric.code
            assert set(rows.area) == {"force"}
        assert not rows.duplicated(["area", "quarter"]).any()
    assert set(df.metric) == set(METRICS)


def test_no_missing_values_where_required(df: pd.DataFrame) -> None:
    assert df["value"].notna().all()
    for metric in load_catalogue():
        rows = df[df.metric == metric.code]
        if metric.combine == "ratio":
            assert rows["numerator"].notna().all() and rows["denominator"].notna().all(), metric.code
            assert (rows["numerator"] % 1 == 0).all() and (rows["denominator"] > 0).all()
            assert (rows["numerator"] <= rows["denominator"]).all() or metric.unit != "percent"
        else:
            assert rows["numerator"].isna().all() and rows["denominator"].isna().all(), metric.code


def test_rate_values_are_numerator_over_denominator(df: pd.DataFrame) -> None:
    for metric in load_catalogue():
        if metric.combine != "ratio":
            continue
        rows = df[df.metric == metric.code]
        expected = (rows["numerator"] / rows["denominator"] * metric.scale).round(STORED_DECIMALS[metric.unit])
        assert (rows["value"] - expected).abs().max() < 1e-6, metric.code


def test_force_rows_combine_the_lpa_rows(df: pd.DataFrame) -> None:
    for metric in load_catalogue():
        if metric.level != "lpa" or metric.combine == "none":
            continue
        for q in QUARTERS:
            parts = [
                (r["value"], r["numerator"], r["denominator"])
                for _, r in df[(df.metric == metric.code) & (df.quarter == q) & (df.area != "force")].iterrows()
            ]
            assert len(parts) == 5
            combined = combine_lpas(metric, parts)
            force = row(df, "force", metric.code, q)
            assert abs(force["value"] - round(combined.value, STORED_DECIMALS[metric.unit])) < 1e-6, (metric.code, q)
            if metric.combine == "ratio":
                assert force["numerator"] == combined.numerator and force["denominator"] == combined.denominator


def test_force_medians_inside_the_lpa_range(df: pd.DataFrame) -> None:
    for code in ("median_days_to_close", "emergency_response_median_minutes"):
        for q in QUARTERS:
            lpa_values = [value(df, lpa, code, q) for lpa in LPAS]
            assert min(lpa_values) <= value(df, "force", code, q) <= max(lpa_values)


def test_every_row_is_marked_illustrative(df: pd.DataFrame) -> None:
    assert df["illustrative"].dtype == bool and df["illustrative"].all()
    assert (df["source"] == demo.DEMO_SOURCE).all()
    assert "not official" in demo.DEMO_SOURCE


def test_generate_is_deterministic() -> None:
    first, second = demo.generate(), demo.generate()
    assert first == second
    assert all(set(r) == set(demo.COLUMNS) for r in first)
    assert all(r["illustrative"] is True for r in first)


def test_generate_force_rows_equal_combine_lpas() -> None:
    rows = demo.generate()
    for metric in load_catalogue():
        if metric.level != "lpa" or metric.combine == "none":
            continue
        for q in QUARTERS:
            here = [r for r in rows if r["metric"] == metric.code and r["quarter"] == q]
            lpa_parts = [(r["value"], r["numerator"], r["denominator"]) for r in here if r["area"] != "force"]
            (force,) = [r for r in here if r["area"] == "force"]
            combined = combine_lpas(metric, lpa_parts)
            assert abs(force["value"] - round(combined.value, STORED_DECIMALS[metric.unit])) < 1e-6
            if metric.combine == "ratio":
                assert (force["numerator"], force["denominator"]) == (combined.numerator, combined.denominator)


def test_write_csv_is_byte_identical_to_committed_file(tmp_path) -> None:
    out = tmp_path / "demo.csv"
    count = demo.write_csv(out)
    assert count == 10 * 26 * 6 + 2 * 26
    assert out.read_bytes() == CSV.read_bytes()
    assert b"\r\n" not in out.read_bytes()


def test_main_writes_the_csv_and_reports_rows(tmp_path, capsys) -> None:
    out = tmp_path / "sub" / "out.csv"
    demo.main(["--out", str(out)])
    assert out.read_bytes() == CSV.read_bytes()
    assert "1612" in capsys.readouterr().out


def test_figures_are_plausible_sizes(df: pd.DataFrame) -> None:
    for q in QUARTERS:
        assert 17_000 <= value(df, "force", "total_recorded_crime", q) <= 23_500
        assert 9_000 <= value(df, "force", "open_investigations", q) <= 12_000
        assert 1_000 <= value(df, "force", "outstanding_suspects", q) <= 1_600
        assert 60_000 <= row(df, "force", "calls_999_within_10s", q)["denominator"] <= 75_000
        share = value(df, "force", "violence_against_the_person", q) / value(df, "force", "total_recorded_crime", q)
        assert 0.37 <= share <= 0.42
        for lpa in LPAS:
            assert 20 <= value(df, lpa, "median_days_to_close", q) <= 45
            assert 11 <= value(df, lpa, "emergency_response_median_minutes", q) <= 20
            assert 74 <= value(df, lpa, "emergency_within_target", q) <= 88
            assert 1_500 <= row(df, lpa, "emergency_within_target", q)["denominator"] <= 4_000
            assert 70 <= value(df, lpa, "victim_satisfaction", q) <= 81
            assert 150 <= row(df, lpa, "victim_satisfaction", q)["denominator"] <= 400
            assert 350 <= row(df, lpa, "sickness_days_per_officer", q)["denominator"] <= 700
            assert 1.9 <= value(df, lpa, "sickness_days_per_officer", q) <= 2.7
            r = row(df, lpa, "positive_outcome_rate", q)
            assert r["denominator"] == value(df, lpa, "total_recorded_crime", q)


# --------------------------------------------------------------------------- the minutes, statement by statement


def test_1_positive_outcomes_13_3_percent_up_1_point_on_same_period_last_year(df: pd.DataFrame) -> None:
    now = value(df, "force", "positive_outcome_rate", "2024/25 Q2")
    last_year = value(df, "force", "positive_outcome_rate", "2023/24 Q2")
    assert round(now, 1) == 13.3 and abs(now - 13.3) <= 0.02
    assert round(last_year, 1) == 12.3 and abs(last_year - 12.3) <= 0.02
    change = METRICS["positive_outcome_rate"].change(now, last_year)
    assert round(change, 1) == 1.0
    assert METRICS["positive_outcome_rate"].format_change(change) == "+1.0 pp"


def test_2_total_recorded_crime_down_9_percent_so_far_this_year(df: pd.DataFrame) -> None:
    ytd = over_quarters(df, "force", "total_recorded_crime", ["2024/25 Q1", "2024/25 Q2"])
    last_year = over_quarters(df, "force", "total_recorded_crime", ["2023/24 Q1", "2023/24 Q2"])
    change = METRICS["total_recorded_crime"].change(ytd, last_year)
    assert -9.04 <= change <= -8.96
    assert round(change, 1) == -9.0 and round(change) == -9
    assert METRICS["total_recorded_crime"].format_change(change) == "−9.0%"


def test_3_positive_outcome_improvement_has_stabilised(df: pd.DataFrame) -> None:
    def year(fy: str) -> float:
        return over_quarters(df, "force", "positive_outcome_rate", [f"{fy} Q{n}" for n in range(1, 5)])

    assert year("2021/22") < year("2022/23") < year("2023/24")
    assert value(df, "force", "positive_outcome_rate", "2021/22 Q1") <= 10.5
    assert value(df, "force", "positive_outcome_rate", "2023/24 Q3") >= 12.8
    for q in ("2023/24 Q4", "2024/25 Q1", "2024/25 Q2"):
        assert abs(value(df, "force", "positive_outcome_rate", q) - 13.3) <= 0.3, q


def test_4_shropshire_lowest_positive_outcome_rate_in_each_of_last_four_quarters(df, population) -> None:
    for q in LAST_4:
        assert ranking(df, population, "positive_outcome_rate", q)[-1] == "shropshire", q


def test_4_shropshire_weakest_lpa_overall(df, population) -> None:
    metrics = [m.code for m in load_catalogue() if m.level == "lpa"]
    bottom_two = {lpa: 0 for lpa in LPAS}
    for code in metrics:
        for lpa in ranking(df, population, code, NOW)[-2:]:
            bottom_two[lpa] += 1
    assert bottom_two["shropshire"] > len(metrics) / 2  # worst or second-worst on most metrics
    assert bottom_two["shropshire"] == max(bottom_two.values())
    assert all(bottom_two[lpa] < bottom_two["shropshire"] for lpa in LPAS if lpa != "shropshire")


def test_5_herefordshire_and_shropshire_longest_case_closure(df, population) -> None:
    for q in LAST_4:
        assert set(ranking(df, population, "median_days_to_close", q)[-2:]) == {"herefordshire", "shropshire"}, q
    for q in LAST_4:
        assert value(df, "herefordshire", "positive_outcome_rate", q) > value(
            df, "shropshire", "positive_outcome_rate", q
        )


def test_6_telford_performs_well(df, population) -> None:
    assert "telford_and_wrekin" in ranking(df, population, "positive_outcome_rate", NOW)[:2]
    assert "telford_and_wrekin" in ranking(df, population, "median_days_to_close", NOW)[:2]


def test_7_shropshire_response_steady_and_recent_rise_within_target(df: pd.DataFrame) -> None:
    minutes = [value(df, "shropshire", "emergency_response_median_minutes", q) for q in LAST_4]
    assert max(minutes) - min(minutes) <= 0.6
    within = {q: value(df, "shropshire", "emergency_within_target", q) for q in QUARTERS}
    assert within["2024/25 Q2"] - within["2024/25 Q1"] >= 2.0
    for q in ("2023/24 Q2", "2023/24 Q3", "2023/24 Q4", "2024/25 Q1"):
        assert within["2024/25 Q2"] > within[q], q


def test_8_999_answering_slow_but_steady_improvement(df: pd.DataFrame) -> None:
    last_7 = QUARTERS[-7:]
    rate = [value(df, "force", "calls_999_within_10s", q) for q in last_7]
    seconds = [value(df, "force", "calls_999_average_answer_seconds", q) for q in last_7]
    for before, after in itertools.pairwise(rate):
        assert 0.2 <= after - before <= 1.0
    for before, after in itertools.pairwise(seconds):
        assert after < before
    assert rate[-1] > rate[-2]
    assert round(rate[-1], 1) < 90.0  # still below the 90% national standard: "some improvement work to be done"
    assert 7.0 <= seconds[-1] <= 9.0
    assert value(df, "force", "calls_999_within_10s", QUARTERS[0]) < 80.0


def test_9_victim_satisfaction_slightly_down_over_12_months(df: pd.DataFrame) -> None:
    last_12 = over_quarters(df, "force", "victim_satisfaction", LAST_4)
    previous_12 = over_quarters(
        df, "force", "victim_satisfaction", ["2022/23 Q3", "2022/23 Q4", "2023/24 Q1", "2023/24 Q2"]
    )
    drop = previous_12 - last_12
    assert 0.3 <= drop <= 1.5


def test_10_crime_falling_but_violence_falling_less(df: pd.DataFrame) -> None:
    def ytd_change(metric: str) -> float:
        now = over_quarters(df, "force", metric, ["2024/25 Q1", "2024/25 Q2"])
        before = over_quarters(df, "force", metric, ["2023/24 Q1", "2023/24 Q2"])
        return METRICS[metric].change(now, before)

    violence, total = ytd_change("violence_against_the_person"), ytd_change("total_recorded_crime")
    assert -5.0 <= violence <= -2.0
    assert violence > total


def test_11_shropshire_worst_on_outstanding_suspects_and_sickness(df, population) -> None:
    assert ranking(df, population, "outstanding_suspects", NOW)[-1] == "shropshire"
    assert ranking(df, population, "sickness_days_per_officer", NOW)[-1] == "shropshire"
