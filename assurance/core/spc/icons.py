"""What the rules make of a point (improvement, concern, neither, common cause) by the metric's direction, and
NHS England "Making Data Count" icons: variation for the latest point, assurance for a target against the limits."""

from __future__ import annotations

from assurance.core.spc.limits import Limits, Number
from assurance.core.spc.rules import Side

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEITHER = "neither"
COMMON_CAUSE = "common cause"

PASS = "pass"  # nosec B105 # the SPC assurance verdict 'pass', not a password
FAIL = "fail"
HIT_AND_MISS = "hit_and_miss"

DIRECTION_ALIASES = {
    "increase": "increase",
    "higher": "increase",
    "decrease": "decrease",
    "lower": "decrease",
    "neutral": "neutral",
}
_SIDE_WORD = {"high": "higher", "low": "lower"}


def normalise_direction(direction: str) -> str:
    """The direction in this module's words ("increase", "decrease", "neutral"), also from the catalogue's."""
    try:
        return DIRECTION_ALIASES[direction]
    except (KeyError, TypeError):
        raise ValueError(
            f"direction must be one of {', '.join(map(repr, DIRECTION_ALIASES))}, not {direction!r}"
        ) from None


def classify(side: Side | None, direction: str) -> str:
    """ "improvement" or "concern" by the metric's direction, "neither" if neutral, else "common cause"."""
    if side is None:
        return COMMON_CAUSE
    direction = normalise_direction(direction)
    if direction == "neutral":
        return NEITHER
    better = "high" if direction == "increase" else "low"
    return IMPROVEMENT if side == better else CONCERN


def variation(classification: str, side: Side | None) -> tuple[str, str]:
    """The NHS "Making Data Count" variation icon and its words, for the latest point."""
    if classification == COMMON_CAUSE or side is None:
        return "common_cause", "Common cause variation: no significant change"
    word = _SIDE_WORD[side]
    if classification == NEITHER:
        return f"neutral_{side}", f"Special cause neither improvement nor concern: {word}"
    return f"{classification}_{side}", f"Special cause {classification}: {word}"


def assurance(target: Number | None, limits: Limits | None, direction: str) -> tuple[str | None, str]:
    """The assurance icon ("pass", "fail", "hit_and_miss" or None) and its words.

    A target beyond the process limits will consistently be met (pass) or missed (fail); a target
    within them, or exactly on one, will be hit and missed. A neutral metric has no better side,
    so it gets no assurance icon even with a target.
    """
    if target is None:
        return None, "No target: no assurance icon"
    if limits is None:
        return None, "No process limits: no assurance icon"
    direction = normalise_direction(direction)
    if direction == "neutral":
        return None, "Neutral metric: a target can be neither passed nor failed"
    if limits.lower <= target <= limits.upper:
        return HIT_AND_MISS, "Hit and miss: the target is within the process limits, so it will sometimes be met"
    passes = target < limits.lower if direction == "increase" else target > limits.upper
    if passes:
        return PASS, "Consistently passing: the target is outside the process limits, on their worse side"
    return FAIL, "Consistently failing: the target is outside the process limits, on their better side"
