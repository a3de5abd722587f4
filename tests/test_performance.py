"""Headline figures computed from the seeded database agree with the minutes of 27 Nov 2024."""

import pytest

from assurance.core.periods import Quarter
from assurance.domain.performance import FORCE, area_metric_table, headline_table, load_dataset, period_value, series
from tests.support import AREA_NAMES


@pytest.fixture()
def ds(seeded_con):
    return load_dataset(seeded_con)


def row(table, metric):
    return table.set_index("metric").loc[metric]


def test_force_positive_outcome_rate_13_3_and_up_1_pp(ds):
    por = row(headline_table(ds, "2024/25 Q2"), "positive_outcome_rate")
    assert por["value_text"] == "13.3%"
    assert por["yoy_text"] == "+1.0 pp" and por["yoy_judgement"] == "better"
    assert row(headline_table(ds, "2023/24 Q2"), "positive_outcome_rate")["value_text"] == "12.3%"


def test_recorded_crime_down_9_per_cent_so_far_this_year(ds):
    crime = row(headline_table(ds, "2024/25 Q2"), "total_recorded_crime")
    assert crime["ytd_change_text"] == "−9.0%"
    assert crime["ytd_judgement"] == "better"
    assert round(crime["ytd_change"]) == -9


def test_year_to_date_rate_is_pooled_not_averaged(ds):
    q = Quarter.parse("2024/25 Q2")
    obs = ds.observations
    force = obs[
        (obs["area"] == FORCE)
        & (obs["metric"] == "positive_outcome_rate")
        & obs["quarter"].isin(["2024/25 Q1", "2024/25 Q2"])
    ]
    pooled = force["numerator"].sum() / force["denominator"].sum() * 100
    assert period_value(ds, FORCE, "positive_outcome_rate", q.year_to_date()) == pytest.approx(pooled)


def test_medians_and_stocks_have_no_year_to_date(ds):
    table = headline_table(ds, "2024/25 Q2")
    assert row(table, "median_days_to_close")["ytd_change_text"] == "–"
    assert row(table, "open_investigations")["ytd_change_text"] == "–"


def test_999_answering_is_judged_against_the_real_national_standard(ds):
    calls = row(headline_table(ds, "2024/25 Q2"), "calls_999_within_10s")
    assert calls["target_text"] == "≥ 90.0%"
    assert not calls["target_illustrative"]
    assert calls["status_text"] == "✗ Not met"


def test_illustrative_targets_say_so(ds):
    table = headline_table(ds, "2024/25 Q2")
    assert row(table, "positive_outcome_rate")["target_illustrative"]
    assert row(table, "positive_outcome_rate")["status_text"] == "✗ Not met"  # 13.3% against 14%
    assert row(table, "total_recorded_crime")["status_text"] == "✓ Met"  # fewer crimes than a year ago


def test_lpa_headline_leaves_out_force_only_metrics(ds):
    table = headline_table(ds, "2024/25 Q2", "shropshire")
    assert "calls_999_within_10s" not in set(table["metric"])
    assert len(table) == 10


def test_first_quarter_has_no_previous_or_last_year(ds):
    crime = row(headline_table(ds, "2018/19 Q1"), "total_recorded_crime")
    assert crime["prev_text"] == "–" and crime["yoy_text"] == "–"


def test_area_metric_table_has_every_area_and_dash_for_force_only_metrics(ds):
    table = area_metric_table(ds, "2024/25 Q2").set_index("Metric")
    assert list(table.columns) == AREA_NAMES
    assert table.loc["Positive outcome rate", "West Mercia"] == "13.3%"
    assert table.loc["999 calls answered within 10 seconds", "Shropshire"] == "–"


def test_series_per_1000_people_divides_by_population(ds):
    raw = series(ds, "total_recorded_crime", ["shropshire"])
    per = series(ds, "total_recorded_crime", ["shropshire"], per_1000=True)
    assert len(raw) == 26
    assert per["value"].iloc[-1] == pytest.approx(raw["value"].iloc[-1] / 327000 * 1000)


@pytest.mark.parametrize("up_to", ["2024/25 Q2", "2023/24 Q2", "2010/11 Q1"])
def test_a_series_looked_at_from_a_quarter_stops_there(ds, up_to):
    everything = series(ds, "positive_outcome_rate", ["shropshire", FORCE])
    shown = series(ds, "positive_outcome_rate", ["shropshire", FORCE], up_to=up_to)
    assert shown.to_dict("records") == everything[everything["quarter"] <= up_to].to_dict("records")
    assert all(shown["quarter"] <= up_to) and (up_to != "2023/24 Q2" or len(shown) < len(everything))
    assert list(dict.fromkeys(shown["area"])) in ([], ["shropshire", FORCE])  # the areas in the order asked


def test_each_area_names_where_its_population_comes_from(ds):
    assert ds.population_source("shropshire").startswith("ONS mid-year population estimate")
    assert ds.population_source("force") == "Sum of the five LPAs"
    assert ds.population_source("atlantis") is None
