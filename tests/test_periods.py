from datetime import date

import pytest

from assurance.core.periods import PeriodError, Quarter, month_to_quarter, quarter_range


@pytest.mark.parametrize(
    ("label", "start_year", "number"),
    [("2024/25 Q2", 2024, 2), ("2018/19 Q1", 2018, 1), ("1999/00 Q4", 1999, 4), (" 2024/25  q3 ", 2024, 3)],
)
def test_parse_reads_financial_quarter_labels(label, start_year, number):
    assert Quarter.parse(label) == Quarter(start_year, number)


@pytest.mark.parametrize("bad", ["", "2024 Q2", "2024/26 Q2", "2024/25 Q5", "2024/25", "Q2 2024/25", "24/25 Q1"])
def test_parse_refuses_what_is_not_a_quarter_with_the_expected_form(bad):
    with pytest.raises(PeriodError, match="2024/25 Q2|financial year runs"):
        Quarter.parse(bad)


def test_label_round_trips_and_sorts_in_time_order_as_text():
    quarters = quarter_range("2018/19 Q1", "2024/25 Q2")
    assert len(quarters) == 26
    labels = [q.label for q in quarters]
    assert labels[0] == "2018/19 Q1" and labels[-1] == "2024/25 Q2"
    assert sorted(labels) == labels
    assert [Quarter.parse(x) for x in labels] == quarters


@pytest.mark.parametrize(
    ("label", "start", "end", "months"),
    [
        ("2024/25 Q1", date(2024, 4, 1), date(2024, 6, 30), ("2024-04", "2024-05", "2024-06")),
        ("2024/25 Q2", date(2024, 7, 1), date(2024, 9, 30), ("2024-07", "2024-08", "2024-09")),
        ("2024/25 Q3", date(2024, 10, 1), date(2024, 12, 31), ("2024-10", "2024-11", "2024-12")),
        ("2023/24 Q4", date(2024, 1, 1), date(2024, 3, 31), ("2024-01", "2024-02", "2024-03")),
    ],
)
def test_quarter_dates_and_months(label, start, end, months):
    q = Quarter.parse(label)
    assert (q.start, q.end, q.months) == (start, end, months)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2024, 11, 27), "2024/25 Q3"),
        (date(2025, 3, 31), "2024/25 Q4"),
        (date(2025, 4, 1), "2025/26 Q1"),
        (date(2024, 1, 1), "2023/24 Q4"),
    ],
)
def test_containing_places_a_date_in_its_financial_quarter(day, label):
    assert Quarter.containing(day).label == label


def test_previous_and_same_quarter_last_year_cross_financial_years():
    q = Quarter.parse("2024/25 Q1")
    assert q.previous().label == "2023/24 Q4"
    assert q.same_quarter_last_year().label == "2023/24 Q1"
    assert Quarter.parse("2023/24 Q4").shift(1).label == "2024/25 Q1"


def test_year_to_date_and_same_period_last_year_compare_like_with_like():
    q = Quarter.parse("2024/25 Q2")
    assert [x.label for x in q.year_to_date()] == ["2024/25 Q1", "2024/25 Q2"]
    assert [x.label for x in q.same_period_last_year()] == ["2023/24 Q1", "2023/24 Q2"]
    assert [x.label for x in Quarter.parse("2024/25 Q1").year_to_date()] == ["2024/25 Q1"]
    assert len(Quarter.parse("2023/24 Q4").year_to_date()) == 4


def test_rolling_12_months_is_the_four_quarters_to_the_one_named():
    assert [x.label for x in Quarter.parse("2024/25 Q2").rolling_12_months()] == [
        "2023/24 Q3",
        "2023/24 Q4",
        "2024/25 Q1",
        "2024/25 Q2",
    ]


@pytest.mark.parametrize(
    ("month", "label"), [("2024-01", "2023/24 Q4"), ("2024-03", "2023/24 Q4"), ("2024-04", "2024/25 Q1")]
)
def test_police_uk_months_map_to_quarters(month, label):
    assert month_to_quarter(month).label == label


@pytest.mark.parametrize("bad", ["2024-13", "2024/01", "Jan 2024", ""])
def test_bad_months_are_refused_with_the_expected_form(bad):
    with pytest.raises(PeriodError, match="YYYY-MM"):
        month_to_quarter(bad)


def test_empty_range_when_first_is_after_last():
    assert quarter_range("2024/25 Q2", "2024/25 Q1") == []
