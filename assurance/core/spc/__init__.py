"""Statistical process control: XmR charts, special-cause rules and "Making Data Count" icons.

Is a quarter-on-quarter change real, or noise? An XmR chart answers that (NHS England's "Making
Data Count", used by many police analysts):

- each part of the series (the whole series, or the pieces between rebase points) has its own
  mean and mean moving range (mR-bar); process limits are mean ± 2.66 × mR-bar and the "2 sigma"
  lines mean ± (2/3) × 2.66 × mR-bar;
- four rules mark special causes: a point beyond a limit, a shift, a trend, two out of three
  points beyond a 2-sigma line; each special cause is an improvement or a concern by the
  metric's direction;
- the latest point gives the variation icon; a target against the last part's limits gives the
  assurance icon;
- a part with fewer than 13 points shows its values only: no limits, no special causes, no icons.

The engine is a pipeline of small pure functions: limits.py (mean, mR-bar and the lines of a part), rules.py (one
function per rule, with precedence decided in one place, `resolve_side`), icons.py (improvement or concern, and the
variation and assurance icons) and xmr.py (the pipeline, ending in a tidy `XmrResult`). Drawing is somebody else's
job (assurance/products/charts/xmr.py).

Arithmetic is exact: every value is read as the decimal it prints as (0.1 is one tenth, not the
nearest binary fraction) and means, limits and comparisons are done in rational numbers. A point
exactly on the mean, a limit or a 2-sigma line is therefore on it, never pushed across by
rounding, and adding a constant to, or scaling, a series never changes which points are flagged.
Results are returned as floats.
"""

from assurance.core.spc.icons import (
    COMMON_CAUSE,
    CONCERN,
    DIRECTION_ALIASES,
    FAIL,
    HIT_AND_MISS,
    IMPROVEMENT,
    NEITHER,
    PASS,
    assurance,
    classify,
    normalise_direction,
    variation,
)
from assurance.core.spc.limits import (
    LIMIT_FACTOR,
    MR_UPPER_FACTOR,
    ONE_SIGMA_SHARE,
    TWO_SIGMA_SHARE,
    Limits,
    mean_moving_range,
    moving_ranges,
    process_limits,
    split_parts,
    to_fraction,
)
from assurance.core.spc.rules import (
    OUTSIDE_LIMITS,
    RULE_PRECEDENCE,
    RULES,
    SHIFT,
    SHIFT_N,
    TREND,
    TREND_N,
    TWO_OF_THREE,
    resolve_side,
    rule_flags,
    rule_outside_limits,
    rule_shift,
    rule_trend,
    rule_two_of_three,
)
from assurance.core.spc.xmr import MIN_POINTS, XmrPart, XmrPoint, XmrResult, xmr

__all__ = [
    "COMMON_CAUSE", "CONCERN", "DIRECTION_ALIASES", "FAIL", "HIT_AND_MISS", "IMPROVEMENT", "LIMIT_FACTOR",
    "MIN_POINTS", "MR_UPPER_FACTOR", "NEITHER", "ONE_SIGMA_SHARE", "OUTSIDE_LIMITS", "PASS", "RULES",
    "RULE_PRECEDENCE", "SHIFT", "SHIFT_N", "TREND", "TREND_N", "TWO_OF_THREE", "TWO_SIGMA_SHARE", "Limits",
    "XmrPart", "XmrPoint", "XmrResult", "assurance", "classify", "mean_moving_range", "moving_ranges",
    "normalise_direction", "process_limits", "resolve_side", "rule_flags", "rule_outside_limits", "rule_shift",
    "rule_trend", "rule_two_of_three", "split_parts", "to_fraction", "variation", "xmr",
]  # fmt: skip
