"""Pledge status and claim verdicts, from the data."""

from datetime import date

import pytest

from assurance.domain.performance import load_dataset
from assurance.domain.setup import init_database
from assurance.domain.verdicts import check_claim, pledge_status
from assurance.store import queries
from assurance.store.connection import connect


@pytest.fixture()
def ds(seeded_con):
    return load_dataset(seeded_con)


def pledges(con):
    return {p["metric"]: p for p in queries.frame(con, "pledges").to_dict("records")}


def test_pledges_are_not_yet_due_before_their_quarter_ends(seeded_con, ds):
    p = pledges(seeded_con)["outstanding_suspects"]
    status = pledge_status(ds, p, date(2025, 1, 15))
    assert status.status == "not yet due"
    assert status.baseline_value == 505
    assert "Due with the 2024/25 Q4 figures (quarter ends 31 Mar 2025)" in status.explanation


def test_pledges_past_due_without_figures_have_no_data_yet(seeded_con, ds):
    for p in pledges(seeded_con).values():
        assert pledge_status(ds, p, date(2026, 11, 26)).status == "no data yet"


@pytest.mark.parametrize(
    ("metric", "quarter", "value", "numerator", "denominator", "status"),
    [
        ("outstanding_suspects", "2024/25 Q4", 470, None, None, "met"),
        ("outstanding_suspects", "2024/25 Q4", 505, None, None, "not met"),
        ("positive_outcome_rate", "2025/26 Q1", 12.0, 480, 4000, "met"),
        ("sickness_days_per_officer", "2025/26 Q1", 2.5, 1500, 600, "not met"),
    ],
)
def test_pledges_are_judged_on_the_due_quarter_against_the_baseline(
    tmp_path, metric, quarter, value, numerator, denominator, status
):
    path = tmp_path / "p.duckdb"
    init_database(path, demo=True)
    con = connect(path)
    con.execute(
        "INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source)"
        " VALUES ('shropshire', ?, ?, ?, ?, ?, TRUE, 'test')",
        [metric, quarter, value, numerator, denominator],
    )
    ds = load_dataset(con)
    result = pledge_status(ds, pledges(con)[metric], date(2026, 11, 26))
    assert result.status == status
    assert result.due_value == value
    assert quarter in result.explanation


def test_the_three_figures_quoted_on_27_november_stand_up(seeded_con, ds):
    checks = [check_claim(ds, c) for c in queries.frame(seeded_con, "claims").to_dict("records")]
    assert [(c.verdict, c.stated_text, c.data_text) for c in checks] == [
        ("agrees", "−9.0%", "−9.0%"),
        ("agrees", "13.3%", "13.3%"),
        ("agrees", "+1.0 pp", "+1.0 pp"),
    ]


def test_a_figure_the_data_do_not_support_differs_by_how_much(ds):
    claim = {
        "metric": "total_recorded_crime",
        "area": "force",
        "quarter": "2024/25 Q2",
        "period": "year_to_date",
        "comparison": "same_period_last_year",
        "stated_value": -12.0,
        "tolerance": 0.5,
    }
    check = check_claim(ds, claim)
    assert check.verdict == "differs"
    assert check.difference == pytest.approx(3.0, abs=0.01)
    assert (
        check.explanation
        == "The data give −9.0%: 3.0 percentage points away from the −12.0% stated (tolerance ±0.5 percentage points)."
    )


def test_rolling_12_month_claims_pool_four_quarters(ds):
    claim = {
        "metric": "victim_satisfaction",
        "area": "force",
        "quarter": "2024/25 Q2",
        "period": "rolling_12_months",
        "comparison": "previous_12_months",
        "stated_value": -0.8,
        "tolerance": 0.1,
    }
    check = check_claim(ds, claim)
    assert check.verdict == "agrees"
    assert -1.5 < check.data_value < -0.3


def test_a_claim_about_a_median_over_a_year_cannot_be_checked(ds):
    claim = {
        "metric": "median_days_to_close",
        "area": "force",
        "quarter": "2024/25 Q2",
        "period": "year_to_date",
        "comparison": "same_period_last_year",
        "stated_value": -2,
        "tolerance": 0.5,
    }
    assert check_claim(ds, claim).verdict == "cannot be checked"
