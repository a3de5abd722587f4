import pytest

from assurance.core.metrics import (
    CATALOGUE_CSV,
    NotCombinable,
    catalogue_by_code,
    combine,
    combine_lpas,
    combine_quarters,
    load_catalogue,
)

CATALOGUE = catalogue_by_code()


def test_catalogue_holds_every_metric_the_minutes_discuss():
    assert list(CATALOGUE) == [m.code for m in load_catalogue()]
    for code in (
        "total_recorded_crime",
        "violence_against_the_person",
        "positive_outcome_rate",
        "median_days_to_close",
        "open_investigations",
        "outstanding_suspects",
        "emergency_within_target",
        "emergency_response_median_minutes",
        "calls_999_within_10s",
        "calls_999_average_answer_seconds",
        "victim_satisfaction",
        "sickness_days_per_officer",
    ):
        assert code in CATALOGUE
    assert CATALOGUE["calls_999_within_10s"].level == "force"
    assert CATALOGUE["positive_outcome_rate"].combine == "ratio"
    assert CATALOGUE["median_days_to_close"].combine == "none"
    assert CATALOGUE["total_recorded_crime"].direction == "lower"


def test_force_rate_is_ratio_of_sums_not_mean_of_rates():
    # Two LPAs: 10/100 = 10% and 90/300 = 30%. Mean of rates would say 20%; the force is 100/400 = 25%.
    result = combine_lpas(CATALOGUE["positive_outcome_rate"], [(10.0, 10, 100), (30.0, 90, 300)])
    assert result.value == pytest.approx(25.0)
    assert (result.numerator, result.denominator) == (100, 400)


def test_counts_add_up():
    assert combine_lpas(CATALOGUE["total_recorded_crime"], [(100, None, None), (250, None, None)]).value == 350


def test_medians_cannot_be_combined():
    with pytest.raises(NotCombinable):
        combine_lpas(CATALOGUE["median_days_to_close"], [(30.0, None, None), (40.0, None, None)])


def test_stocks_cannot_be_added_over_quarters_but_flows_can():
    with pytest.raises(NotCombinable):
        combine_quarters(CATALOGUE["open_investigations"], [(10, None, None), (12, None, None)])
    assert combine_quarters(CATALOGUE["total_recorded_crime"], [(10, None, None), (12, None, None)]).value == 22


def test_sickness_pools_days_over_officers_without_percent_scale():
    result = combine_lpas(CATALOGUE["sickness_days_per_officer"], [(2.0, 1000, 500), (3.0, 600, 200)])
    assert result.value == pytest.approx(1600 / 700)


@pytest.mark.parametrize(
    ("parts", "message"),
    [([], "nothing to combine"), ([(10.0, None, 100)], "numerators and denominators"), ([(0.0, 0, 0)], "zero")],
)
def test_rates_refuse_to_combine_without_their_parts(parts, message):
    with pytest.raises(ValueError, match=message):
        combine("ratio", parts, 100)


@pytest.mark.parametrize(
    ("code", "new", "old", "change", "text", "judgement"),
    [
        ("total_recorded_crime", 91.0, 100.0, -9.0, "−9.0%", "better"),
        ("positive_outcome_rate", 13.3, 12.3, 1.0, "+1.0 pp", "better"),
        ("victim_satisfaction", 74.0, 75.0, -1.0, "−1.0 pp", "worse"),
        ("median_days_to_close", 31.5, 30.0, 1.5, "+1.5 days", "worse"),
        ("emergency_response_median_minutes", 14.0, 14.0, 0.0, "±0.0 min", "same"),
    ],
)
def test_changes_are_per_cent_for_counts_points_for_rates_units_for_durations(code, new, old, change, text, judgement):
    metric = CATALOGUE[code]
    delta = metric.change(new, old)
    assert delta == pytest.approx(change)
    assert metric.format_change(delta) == text
    assert metric.judge(delta) == judgement


def test_missing_values_give_no_change():
    metric = CATALOGUE["total_recorded_crime"]
    assert metric.change(None, 10) is None
    assert metric.change(10, 0) is None
    assert metric.format_change(None) == "–"
    assert metric.format_value(None) == "–"


@pytest.mark.parametrize(
    ("code", "value", "text"),
    [
        ("total_recorded_crime", 20122, "20,122"),
        ("positive_outcome_rate", 13.2989, "13.3%"),
        ("median_days_to_close", 34.04, "34.0 days"),
        ("calls_999_average_answer_seconds", 8.14, "8.1 s"),
        ("sickness_days_per_officer", 2.1234, "2.12 days"),
    ],
)
def test_values_are_shown_in_their_units(code, value, text):
    assert CATALOGUE[code].format_value(value) == text


def test_long_names_have_a_deliberate_short_name_for_the_metric_cards():
    """The Overview's cards show the short name (the full name is in their help); the catalogue gives one where
    the name does not fit a card at 1366 px, and leaves it empty (meaning the name itself) elsewhere."""
    assert CATALOGUE["median_days_to_close"].short_name == "Days to close (median)"
    assert CATALOGUE["calls_999_within_10s"].short_name == "999 answered in 10 s"
    assert CATALOGUE["emergency_within_target"].short_name == "Emergencies on time"
    assert CATALOGUE["positive_outcome_rate"].short_name == "Positive outcome rate"  # empty in the CSV: the name
    for metric in CATALOGUE.values():
        assert metric.short_name
        assert len(metric.short_name) <= 22 or metric.short_name == metric.name
        assert len(metric.short_name) <= len(metric.name)
    assert len({m.short_name for m in CATALOGUE.values()}) == len(CATALOGUE)  # no two cards read alike


def test_a_short_name_too_long_for_a_card_is_refused_naming_the_file_and_metric(tmp_path):
    rows = (CATALOGUE_CSV).read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace(",Total recorded crime,,", ",Total recorded crime,All crime recorded in the quarter,", 1)
    bad = tmp_path / "catalogue.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        load_catalogue(bad)
    assert str(refused.value) == (
        f"{bad}: metric total_recorded_crime: short_name 'All crime recorded in the quarter' is 33 characters; "
        "at most 22 fit a metric card (leave it empty where the name itself fits)"
    )
