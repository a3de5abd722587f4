"""assurance/core/targets.py: the one rule for targets — met or not, its words, its threshold and its chart labels."""

import math

import pytest

from assurance.core import targets
from assurance.core.metrics import catalogue_by_code
from assurance.core.targets import Target, TargetStatus

CATALOGUE = catalogue_by_code()
RATE = CATALOGUE["positive_outcome_rate"]  # percent, higher is better
DAYS = CATALOGUE["median_days_to_close"]  # days, lower is better
COUNT = CATALOGUE["total_recorded_crime"]

AT_LEAST = Target("at_least", 14.0, "Safer West Mercia Plan", illustrative=True)
AT_MOST = Target("at_most", 30.0, "Force standard")
REDUCE = Target("reduce_on_last_year", None, "Reduce crime")
INCREASE = Target("increase_on_last_year", None, "Satisfaction up")


@pytest.mark.parametrize(
    ("target", "metric", "value", "last_year", "expected"),
    [
        (AT_LEAST, RATE, 14.0, None, TargetStatus("met", "≥ 14.0%", True)),  # on the line is met
        (AT_LEAST, RATE, 13.3, 99.0, TargetStatus("not met", "≥ 14.0%", True)),  # last year plays no part
        (AT_LEAST, RATE, None, 12.0, TargetStatus("no data", "≥ 14.0%", True)),
        (AT_MOST, DAYS, 30.0, None, TargetStatus("met", "≤ 30.0 days", False)),
        (AT_MOST, DAYS, 34.0, None, TargetStatus("not met", "≤ 30.0 days", False)),
        (REDUCE, COUNT, 9_000, 10_000, TargetStatus("met", "below a year ago", False)),
        (REDUCE, COUNT, 10_000, 10_000, TargetStatus("not met", "below a year ago", False)),  # level is not below
        (REDUCE, COUNT, 9_000, None, TargetStatus("no data", "below a year ago", False)),
        (INCREASE, RATE, 80.0, 79.0, TargetStatus("met", "above a year ago", False)),
        (INCREASE, RATE, 79.0, 80.0, TargetStatus("not met", "above a year ago", False)),
        (None, RATE, 14.0, 13.0, TargetStatus("no target", "–", False)),
        (None, RATE, None, None, TargetStatus("no target", "–", False)),
    ],
)
def test_status_says_whether_a_value_meets_its_target(target, metric, value, last_year, expected):
    assert targets.status(target, metric, value, last_year) == expected


def test_each_status_reads_as_words_and_a_symbol():
    labels = [TargetStatus(s, "", False).label for s in ("met", "not met", "no target", "no data")]
    assert labels == ["✓ Met", "✗ Not met", "No target", "No data"]


@pytest.mark.parametrize(
    ("target", "threshold", "line", "named"),
    [
        (AT_LEAST, 14.0, "Target ≥ 14.0%<br>(illustrative)", "Safer West Mercia Plan: 14.0%"),
        (AT_MOST, 30.0, "Target ≤ 30.0%", "Force standard: 30.0%"),
        (REDUCE, None, None, None),  # relative to last year: nothing to draw, nothing to set against limits
        (INCREASE, None, None, None),
        (Target("at_least", None), None, None, None),  # a threshold without its value
    ],
)
def test_only_a_threshold_is_drawn_and_set_against_the_limits(target, threshold, line, named):
    assert targets.threshold(target) == threshold
    assert target.line_label(RATE) == line
    assert target.named_label(RATE) == named


def test_no_target_has_no_threshold():
    assert targets.threshold(None) is None


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"comparison": "at_least", "value": 14.0, "name": "Plan", "illustrative": True},
            Target("at_least", 14.0, "Plan", True),
        ),
        (
            {"comparison": "reduce_on_last_year", "value": math.nan, "name": "Plan", "illustrative": False},
            Target("reduce_on_last_year", None, "Plan", False),
        ),
        ({"comparison": "at_most", "value": None, "illustrative": 0}, Target("at_most", None, "", False)),
        (None, None),
    ],
)
def test_a_target_is_read_from_a_row_of_the_targets_table(row, expected):
    assert Target.from_row(row) == expected
