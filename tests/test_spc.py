import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assurance.core.spc import (
    LIMIT_FACTOR,
    MIN_POINTS,
    MR_UPPER_FACTOR,
    OUTSIDE_LIMITS,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    Limits,
    XmrPart,
    resolve_side,
    rule_outside_limits,
    rule_shift,
    rule_trend,
    rule_two_of_three,
    xmr,
)

# Alternating 10, 12, ...: mean 142/13 ≈ 10.92, mR-bar 2, limits ≈ 5.60 and 16.24, no special cause.
STEADY = [10.0, 12.0] * 6 + [10.0]
# mean 0, limits ±3, 2-sigma lines ±2, 1-sigma lines ±1.
UNIT_LIMITS = Limits(mean=0, lower=-3, upper=3, lower_2sigma=-2, upper_2sigma=2, lower_1sigma=-1, upper_1sigma=1)
T, F = True, False


def flags(result) -> list[tuple[tuple[str, ...], str | None]]:
    return [(point.rules, point.side) for point in result.points]


# --- the worked example and the limits --------------------------------------------------------


def test_worked_example_mean_23_20_and_mr_bar_5_43_give_limits_8_76_and_37_64():
    # 14 points alternating 20.485 and 25.915: mean (7 × 20.485 + 7 × 25.915) / 14 = 23.20, every moving range 5.43.
    values = [20.485, 25.915] * 7
    part = xmr(values).parts[0]
    assert (part.mean, part.mr_bar) == (pytest.approx(23.20), pytest.approx(5.43))
    assert (round(part.lower, 2), round(part.upper, 2)) == (8.76, 37.64)
    assert (part.lower, part.upper) == (pytest.approx(23.20 - 2.66 * 5.43), pytest.approx(23.20 + 2.66 * 5.43))
    assert part.upper_2sigma == pytest.approx(23.20 + 2 / 3 * LIMIT_FACTOR * 5.43)
    assert part.lower_2sigma == pytest.approx(23.20 - 2 / 3 * LIMIT_FACTOR * 5.43)
    assert part.upper_1sigma == pytest.approx(23.20 + 1 / 3 * LIMIT_FACTOR * 5.43)


def test_named_constants():
    assert (LIMIT_FACTOR, MR_UPPER_FACTOR, MIN_POINTS) == (2.66, 3.267, 13)


def test_every_point_carries_its_parts_lines_and_label():
    labels = [f"2022 Q{i % 4 + 1}" for i in range(13)]
    result = xmr(STEADY, labels=labels)
    point = result.points[4]
    part = result.parts[0]
    assert (point.index, point.label, point.value, point.part) == (4, labels[4], 10.0, 0)
    assert (point.mean, point.lower, point.upper) == (part.mean, part.lower, part.upper)
    assert (point.lower_2sigma, point.upper_2sigma) == (part.lower_2sigma, part.upper_2sigma)
    assert [p.moving_range for p in result.points[:3]] == [None, 2.0, 2.0]
    assert (point.rules, point.side, point.classification) == ((), None, "common cause")


def test_to_records_makes_a_tidy_data_frame():
    frame = pd.DataFrame(xmr(STEADY, labels=[str(i) for i in range(13)]).to_records())
    assert list(frame.columns) == [
        "index",
        "label",
        "value",
        "part",
        "mean",
        "lower",
        "upper",
        "lower_2sigma",
        "upper_2sigma",
        "moving_range",
        "rules",
        "side",
        "classification",
    ]
    assert frame["value"].tolist() == STEADY
    assert len(frame) == 13


# --- the rules, one table each ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "side", "expected"),
    [
        ([3.5, -3.5, 3, -3, 0, 2.9], None, [T, T, F, F, F, F]),  # on a limit is inside
        ([3.5, -3.5, 3, -3, 0, 2.9], "high", [T, F, F, F, F, F]),
        ([3.5, -3.5, 3, -3, 0, 2.9], "low", [F, T, F, F, F, F]),
        ([3.0001, -3.0001], None, [T, T]),
        ([], None, []),
    ],
)
def test_rule_outside_limits(values, side, expected):
    assert rule_outside_limits(values, UNIT_LIMITS, side) == expected


@pytest.mark.parametrize(
    ("values", "n", "side", "expected"),
    [
        ([1] * 7, 7, None, [T] * 7),
        ([1] * 6, 7, None, [F] * 6),  # 6 points are not a shift of 7
        ([1] * 6, 6, None, [T] * 6),  # ... but are when the setting is 6
        ([-1] * 7, 7, None, [T] * 7),
        ([-1] * 7, 7, "high", [F] * 7),
        ([-1] * 7, 7, "low", [T] * 7),
        ([1, 1, 1, 0, 1, 1, 1, 1], 7, None, [F] * 8),  # a point on the mean breaks the run
        ([1, 1, 1, 0, 1, 1, 1, 1], 4, None, [F, F, F, F, T, T, T, T]),
        ([1, 1, 1, 1, -1, -1, -1], 7, None, [F] * 7),  # sides do not mix
        ([-1, 2, 2, 2, 2, 2, 2, 2, -1], 7, None, [F, T, T, T, T, T, T, T, F]),
        ([1] * 9, 7, None, [T] * 9),  # longer runs are flagged whole
        ([], 7, None, []),
    ],
)
def test_rule_shift(values, n, side, expected):
    assert rule_shift(values, 0, n, side) == expected


@pytest.mark.parametrize(
    ("values", "n", "side", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7], 7, None, [T] * 7),  # 7 points, 6 rises
        ([1, 2, 3, 4, 5, 6], 7, None, [F] * 6),  # 6 points are not a trend of 7
        ([1, 2, 3, 4, 5, 6], 6, None, [T] * 6),  # ... but are when the setting is 6
        ([7, 6, 5, 4, 3, 2, 1], 7, None, [T] * 7),
        ([7, 6, 5, 4, 3, 2, 1], 7, "high", [F] * 7),
        ([1, 2, 3, 4, 5, 6, 7], 7, "high", [T] * 7),
        ([1, 2, 3, 4, 5, 6, 7], 7, "low", [F] * 7),
        ([1, 2, 3, 3, 4, 5, 6, 7], 7, None, [F] * 8),  # equal neighbours break a trend
        ([1, 2, 3, 3, 4, 5, 6, 7], 5, None, [F, F, F, T, T, T, T, T]),
        ([9, 1, 2, 3, 4, 5, 6, 7, 0], 7, None, [F, T, T, T, T, T, T, T, F]),
        ([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], 7, "high", [T] * 7 + [F] * 6),
        ([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], 7, "low", [F] * 6 + [T] * 7),  # the peak is in both
        ([-5, 1, -5, 1, -5, 1, -5], 2, None, [T] * 7),
        ([], 7, None, []),
        ([1], 7, None, [F]),
    ],
)
def test_rule_trend(values, n, side, expected):
    assert rule_trend(values, n, side) == expected


@pytest.mark.parametrize(
    ("values", "side", "expected"),
    [
        ([2.5, 2.5, 1], None, [T, T, F]),
        ([2.5, 1, 2.5], None, [T, F, T]),
        ([2.5, 2.5, 2.5], None, [T, T, T]),
        ([-2.5, -1, -2.5], None, [T, F, T]),
        ([-2.5, -1, -2.5], "high", [F, F, F]),
        ([2.5, 3.5, 1], None, [F, F, F]),  # beyond the limit is rule 1's: it does not count here
        ([2.5, 3.5, 2.5], None, [T, F, T]),  # ... but it is on this side of the mean
        ([3, 2.5, 1], None, [T, T, F]),  # on the limit is inside it, so it counts
        ([2, 2.5, 1], None, [F, F, F]),  # on the 2-sigma line is not beyond it
        ([2.5, -0.5, 2.5], None, [F, F, F]),  # all three must be on that side of the mean
        ([2.5, 0, 2.5], None, [F, F, F]),  # on the mean is on neither side
        ([2.5, -2.5, 2.5], None, [F, F, F]),  # not beyond the same line
        ([1, 2.5, 1, 2.5], None, [F, T, F, T]),
        ([2.5, 2.5], None, [F, F]),
        ([], None, []),
    ],
)
def test_rule_two_of_three(values, side, expected):
    assert rule_two_of_three(values, UNIT_LIMITS, side) == expected


@pytest.mark.parametrize(
    ("high", "low", "rises_next", "expected"),
    [
        (set(), set(), False, None),
        ({SHIFT}, set(), False, "high"),
        (set(), {TWO_OF_THREE}, True, "low"),
        ({TREND}, {OUTSIDE_LIMITS}, True, "low"),  # the limit outranks the trend
        ({SHIFT}, {TREND}, True, "low"),  # the trend outranks the shift ...
        ({TREND}, {TWO_OF_THREE}, False, "high"),  # ... and two of three
        ({TWO_OF_THREE}, {SHIFT}, False, "high"),  # two of three outranks the shift
        ({TREND}, {TREND}, False, "low"),  # a peak starts a falling trend
        ({TREND}, {TREND}, True, "high"),  # a trough starts a rising one
        ({TREND, SHIFT}, {TREND}, False, "low"),
    ],
)
def test_resolve_side_is_where_precedence_is_decided(high, low, rises_next, expected):
    assert resolve_side(high, low, rises_next) == expected


# --- the rules through the engine ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "shift_flagged"),
    [
        # mean exactly 0.2 although 0.1, 0.2 and 0.3 are not exact in binary: the 0.2 breaks the run
        ([0.3] * 6 + [0.2] + [0.1] * 6, False),
        ([0.3] * 6 + [0.21] + [0.1] * 6, True),  # mean 0.2008: 7 points above it
    ],
)
def test_a_point_exactly_on_the_mean_breaks_a_shift(values, shift_flagged):
    result = xmr(values)
    assert result.parts[0].mean == pytest.approx(2.6 / 13 if shift_flagged is False else 2.61 / 13)
    assert any(SHIFT in point.rules for point in result.points) is shift_flagged


@pytest.mark.parametrize(("shift_n", "flagged"), [(7, False), (6, True)])
def test_shift_length_is_a_setting(shift_n, flagged):
    values = [10.0, 12.0] * 3 + [20.0] * 6 + [10.0]  # six points well above the mean of 13.08
    result = xmr(values, shift_n=shift_n)
    assert [SHIFT in point.rules for point in result.points][6:12] == [flagged] * 6


@pytest.mark.parametrize(("trend_n", "flagged"), [(7, False), (6, True)])
def test_trend_length_is_a_setting(trend_n, flagged):
    values = [10.0, 12.0] * 3 + [11.0, 12.0, 13.0, 14.0, 15.0, 16.0] + [10.0]  # six rising points
    result = xmr(values, trend_n=trend_n)
    assert [TREND in point.rules for point in result.points][6:12] == [flagged] * 6


def test_a_point_lists_every_rule_it_hit():
    values = [10.0, 12.0] * 10 + [15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 60.0]
    last = xmr(values).points[-1]
    assert last.rules == (OUTSIDE_LIMITS, SHIFT, TREND)
    assert (last.side, last.classification) == ("high", "improvement")


# --- classification and icons --------------------------------------------------------------------

HIGH_SPIKE = [10.0, 12.0] * 6 + [100.0]
LOW_SPIKE = [10.0, 12.0] * 6 + [-80.0]


@pytest.mark.parametrize(
    ("values", "direction", "classification", "icon", "text"),
    [
        (HIGH_SPIKE, "increase", "improvement", "improvement_high", "Special cause improvement: higher"),
        (HIGH_SPIKE, "higher", "improvement", "improvement_high", "Special cause improvement: higher"),
        (HIGH_SPIKE, "decrease", "concern", "concern_high", "Special cause concern: higher"),
        (HIGH_SPIKE, "lower", "concern", "concern_high", "Special cause concern: higher"),
        (LOW_SPIKE, "decrease", "improvement", "improvement_low", "Special cause improvement: lower"),
        (LOW_SPIKE, "increase", "concern", "concern_low", "Special cause concern: lower"),
        (HIGH_SPIKE, "neutral", "neither", "neutral_high", "Special cause neither improvement nor concern: higher"),
        (LOW_SPIKE, "neutral", "neither", "neutral_low", "Special cause neither improvement nor concern: lower"),
        (STEADY, "increase", "common cause", "common_cause", "Common cause variation: no significant change"),
        (STEADY, "neutral", "common cause", "common_cause", "Common cause variation: no significant change"),
    ],
)
def test_classification_and_variation_icon_of_the_latest_point(values, direction, classification, icon, text):
    result = xmr(values, direction=direction)
    assert result.points[-1].classification == classification
    assert (result.variation_icon, result.variation_text) == (icon, text)


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("increase", "improvement"), ("decrease", "concern"), ("neutral", "neither")],
)
def test_a_rising_trend_is_classified_by_direction(direction, expected):
    values = [10.0, 12.0] * 3 + [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]
    trend = [point for point in xmr(values, direction=direction).points if TREND in point.rules]
    assert [point.index for point in trend] == list(range(6, 13))
    assert {(point.side, point.classification) for point in trend} == {("high", expected)}
    # the start of the trend is also below the mean in a shift of low points: the trend decides its side
    assert [(point.rules, point.side) for point in trend[:3]] == [((SHIFT, TREND), "high")] * 3


def test_variation_icon_comes_from_the_latest_point_only():
    result = xmr(HIGH_SPIKE + [11.0])
    assert result.points[-2].classification == "improvement"
    assert result.variation_icon == "common_cause"


# STEADY has limits ≈ 5.60 and 16.24.
@pytest.mark.parametrize(
    ("direction", "target", "icon"),
    [
        ("increase", 5.0, "pass"),
        ("increase", 20.0, "fail"),
        ("increase", 11.0, "hit_and_miss"),
        ("increase", None, None),
        ("higher", 5.0, "pass"),
        ("decrease", 20.0, "pass"),
        ("decrease", 5.0, "fail"),
        ("decrease", 11.0, "hit_and_miss"),
        ("decrease", None, None),
        ("lower", 5.0, "fail"),
        ("neutral", 11.0, None),  # no better side: neither pass nor fail
        ("neutral", 20.0, None),
    ],
)
def test_assurance_icon(direction, target, icon):
    result = xmr(STEADY, direction=direction, target=target)
    assert result.assurance_icon == icon
    assert result.assurance_text


@pytest.mark.parametrize(("target", "icon"), [(8.7562, "hit_and_miss"), (8.7561, "pass"), (37.6438, "hit_and_miss")])
def test_a_target_exactly_on_a_limit_is_hit_and_miss(target, icon):
    assert xmr([20.485, 25.915] * 7, direction="increase", target=target).assurance_icon == icon


# --- empty, short and bad input ----------------------------------------------------------------------


def test_empty_input_gives_an_empty_result_with_a_reason():
    result = xmr([], target=5.0)
    assert (result.points, result.parts, result.to_records()) == ([], [], [])
    assert (result.variation_icon, result.assurance_icon) == (None, None)
    assert result.reason == "No values: nothing to chart"


@pytest.mark.parametrize("n", [1, 2, 9, 12])
def test_short_input_gives_values_only(n):
    values = [float(v) for v in range(n)]
    result = xmr(values, target=3.0)
    reason = f"Fewer than 13 points in this part (n={n}): limits would not be reliable"
    assert [point.value for point in result.points] == values
    assert {(p.mean, p.lower, p.upper, p.lower_2sigma, p.upper_2sigma) for p in result.points} == {(None,) * 5}
    assert {(p.rules, p.side, p.classification) for p in result.points} == {((), None, "common cause")}
    assert (result.variation_icon, result.variation_text, result.assurance_icon) == (None, None, None)
    assert result.parts == [XmrPart(0, n - 1, n, *[None] * 8, excluded_moving_ranges=0, reason=reason)]
    assert result.reason == reason


def test_thirteen_points_get_limits():
    result = xmr([float(v % 3) for v in range(13)])
    assert result.parts[0].reason is None and result.reason is None
    assert result.parts[0].lower is not None and result.points[0].upper is not None
    assert result.variation_icon is not None


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, -math.inf, "3", pd.NA])
def test_missing_or_non_numeric_values_are_refused(bad):
    with pytest.raises(ValueError, match=r"values\[2\]"):
        xmr([1.0, 2.0, bad, 4.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "up"}, "direction"),
        ({"target": math.nan}, "target"),
        ({"shift_n": 1}, "shift_n"),
        ({"trend_n": 0}, "trend_n"),
        ({"labels": ["a", "b"]}, "labels"),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        xmr(STEADY, **kwargs)


# --- rebasing ------------------------------------------------------------------------------------------

BEFORE = [9.0, 11.0] * 6 + [9.0]  # mean 129/13, mR-bar 2
AFTER = [48.0, 52.0] * 6 + [48.0]  # mean 648/13, mR-bar 4


def test_each_part_has_its_own_limits_from_its_own_points():
    result = xmr(BEFORE + AFTER, rebase_at=(13,))
    first, second = result.parts
    assert (first.start, first.end, first.n, second.start, second.end, second.n) == (0, 12, 13, 13, 25, 13)
    assert (first.mean, first.mr_bar) == (pytest.approx(129 / 13), 2.0)
    assert (second.mean, second.mr_bar) == (pytest.approx(648 / 13), 4.0)  # the jump of 39 is not used
    alone = xmr(AFTER).parts[0]
    assert (second.lower, second.upper, second.lower_2sigma, second.upper_2sigma) == (
        alone.lower,
        alone.upper,
        alone.lower_2sigma,
        alone.upper_2sigma,
    )
    assert [point.part for point in result.points] == [0] * 13 + [1] * 13
    assert result.points[13].moving_range is None
    assert result.points[13].upper == second.upper and result.points[12].upper == first.upper


def test_without_rebasing_the_jump_counts():
    part = xmr(BEFORE + AFTER).parts[0]
    assert part.mr_bar == pytest.approx((12 * 2 + 39 + 12 * 4) / 25)


def test_a_short_part_after_rebasing_has_no_limits_while_the_earlier_keeps_its_own():
    result = xmr(BEFORE + [48.0, 52.0, 48.0, 52.0, 48.0], rebase_at=(13,), target=1.0)
    first, second = result.parts
    assert first.upper == xmr(BEFORE).parts[0].upper
    assert (second.mean, second.upper, second.reason) == (
        None,
        None,
        "Fewer than 13 points in this part (n=5): limits would not be reliable",
    )
    assert result.reason == second.reason
    assert (result.variation_icon, result.assurance_icon) == (None, None)
    assert [point.moving_range for point in result.points[13:]] == [None, 4.0, 4.0, 4.0, 4.0]


def test_runs_do_not_cross_a_rebase_point():
    # 1, 2, 3, 4 end the first part and 5, 6, 7 start the second: 7 rising points across the rebase.
    values = [5.0, 1.0] * 4 + [5.0, 1.0, 2.0, 3.0, 4.0] + [5.0, 6.0, 7.0] + [1.0, 5.0] * 5
    assert [p.index for p in xmr(values).points if TREND in p.rules] == list(range(9, 16))
    assert not any(TREND in p.rules for p in xmr(values, rebase_at=(13,)).points)


@pytest.mark.parametrize("rebase_at", [(0,), (-1,), (26,), (40,), (13, 13), (15, 13), (1.5,), ("13",)])
def test_invalid_rebase_points_are_refused(rebase_at):
    with pytest.raises(ValueError, match="rebase_at"):
        xmr(BEFORE + AFTER, rebase_at=rebase_at)


def test_rebase_point_on_an_empty_series_is_refused():
    with pytest.raises(ValueError, match="rebase_at"):
        xmr([], rebase_at=(1,))


# --- outlier screening ----------------------------------------------------------------------------------


def test_outlier_screening_is_off_by_default():
    part = xmr(HIGH_SPIKE).parts[0]  # 11 moving ranges of 2 and one of 88
    assert (part.mr_bar, part.excluded_moving_ranges) == (pytest.approx(110 / 12), 0)


def test_outlier_screening_leaves_out_moving_ranges_above_3_267_times_mr_bar():
    assert 88 > MR_UPPER_FACTOR * 110 / 12
    part = xmr(HIGH_SPIKE, screen_outliers=True).parts[0]
    assert (part.mr_bar, part.excluded_moving_ranges) == (2.0, 1)
    assert part.upper == pytest.approx(232 / 13 + 2.66 * 2)


# --- properties -------------------------------------------------------------------------------------------
# Values are decimals to 2 places (as published figures are), built from integers so that a shifted or scaled
# series is exactly the shifted or scaled decimals. With arbitrary binary floats, x + c can lose x altogether
# (1e-300 + 1 == 1), so no engine could promise unchanged flags.

# Wide values, and narrow ones that often sit exactly on the mean or a line and make runs.
hundredths = st.lists(st.integers(-(10**6), 10**6), min_size=MIN_POINTS, max_size=40) | st.lists(
    st.integers(-5, 5), min_size=MIN_POINTS, max_size=40
)
floats = st.lists(st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False), min_size=MIN_POINTS, max_size=40)
run_lengths = st.sampled_from([6, 7])
directions = st.sampled_from(["increase", "decrease", "neutral"])


def lines(part: XmrPart) -> list[float]:
    return [part.mean, part.lower, part.upper, part.lower_2sigma, part.upper_2sigma]


@settings(max_examples=100, deadline=None)
@given(hundredths, st.integers(-(10**6), 10**6), run_lengths, directions)
def test_adding_a_constant_moves_the_lines_and_keeps_the_flags(ints, c, run_n, direction):
    before = xmr([i / 100 for i in ints], direction, shift_n=run_n, trend_n=run_n)
    after = xmr([(i + c) / 100 for i in ints], direction, shift_n=run_n, trend_n=run_n)
    assert lines(after.parts[0]) == pytest.approx(
        [line + c / 100 for line in lines(before.parts[0])], rel=1e-9, abs=1e-9
    )
    assert after.parts[0].mr_bar == pytest.approx(before.parts[0].mr_bar, rel=1e-9, abs=1e-9)
    assert flags(after) == flags(before)
    assert after.variation_icon == before.variation_icon


@settings(max_examples=100, deadline=None)
@given(hundredths, st.integers(1, 1000), run_lengths, directions)
def test_scaling_scales_the_lines_and_keeps_the_flags(ints, tenths, run_n, direction):
    k = tenths / 10
    before = xmr([i / 100 for i in ints], direction, shift_n=run_n, trend_n=run_n)
    after = xmr([i * tenths / 1000 for i in ints], direction, shift_n=run_n, trend_n=run_n)
    b, a = before.parts[0], after.parts[0]
    assert a.mean == pytest.approx(k * b.mean, rel=1e-9, abs=1e-9)
    assert [line - a.mean for line in lines(a)] == pytest.approx(
        [k * (line - b.mean) for line in lines(b)], rel=1e-9, abs=1e-9
    )
    assert flags(after) == flags(before)


@settings(max_examples=100, deadline=None)
@given(hundredths)
def test_turning_the_series_upside_down_swaps_the_sides(ints):
    before = xmr([i / 100 for i in ints])
    after = xmr([-i / 100 for i in ints])
    swap = {"high": "low", "low": "high", None: None}
    assert flags(after) == [(rules, swap[side]) for rules, side in flags(before)]


@settings(max_examples=100, deadline=None)
@given(floats, st.booleans())
def test_limits_are_symmetric_about_the_mean_and_in_order(values, screen_outliers):
    part = xmr(values, screen_outliers=screen_outliers).parts[0]
    assert part.upper - part.mean == pytest.approx(part.mean - part.lower, rel=1e-9, abs=1e-9)
    assert part.upper_2sigma - part.mean == pytest.approx(part.mean - part.lower_2sigma, rel=1e-9, abs=1e-9)
    assert part.lower <= part.lower_2sigma <= part.lower_1sigma <= part.mean
    assert part.mean <= part.upper_1sigma <= part.upper_2sigma <= part.upper
    assert min(values) <= part.mean <= max(values)
    assert part.mr_bar >= 0
