"""The ILLUSTRATIVE demo series, one designed trend per metric - not official West Mercia Police data.

Each series is a designed trend (levels, seasonality, the 2020 lockdown) plus seeded noise, then calibrated
so that the figures agree with every statement in the minutes of the A&A performance meeting of 27 November
2024 (see ``demo``). Counts and rates are drawn per LPA (numerators and denominators for rates); medians are
drawn per LPA and for the force on its own, inside the LPAs' range.
"""

from __future__ import annotations

from assurance.sources import demo_shapes as shape
from assurance.sources.demo_shapes import (
    CRIME_YTD_CHANGE,
    FORCE,
    HEREFORDSHIRE,
    LAST_12M,
    LOCKDOWN,
    LPAS,
    NORTH_WORCS,
    POPULATION_K,
    POR_LAST_YEAR,
    POR_NOW,
    PREVIOUS_12M,
    SHROPSHIRE,
    SOUTH_WORCS,
    TELFORD,
    VICTIM_SATISFACTION_12M_CHANGE,
    VIOLENCE_YTD_CHANGE,
    YTD_LAST_YEAR,
    YTD_NOW,
    N,
)


def _total_recorded_crime() -> dict[str, list[int]]:
    annual = shape.interp(
        {
            "2018/19 Q2": 81_500,
            "2019/20 Q3": 84_000,
            "2020/21 Q3": 79_500,
            "2021/22 Q3": 85_500,
            "2022/23 Q2": 88_000,
            "2023/24 Q1": 87_000,
            "2023/24 Q3": 84_000,
            "2024/25 Q2": 79_000,
        }
    )
    season = shape.seasonal((1.00, 1.05, 0.99, 0.96))
    noise = shape.noise(("crime", FORCE), 0.012)
    force = [annual[t] / 4 * season[t] * (1 + noise[t]) for t in range(N)]
    force[LOCKDOWN] *= 0.88
    force = [round(x) for x in force]
    # Calibrate the year to date so that it is exactly 9% below the same period last year.
    target = round(sum(force[t] for t in YTD_LAST_YEAR) * (1 + CRIME_YTD_CHANGE))
    ytd = shape.split(target, [force[t] for t in YTD_NOW])
    for t, v in zip(YTD_NOW, ytd, strict=True):
        force[t] = v
    # Crimes per 1,000 residents a year: Telford highest, rural Shropshire lowest.
    per_head = {TELFORD: 80, SOUTH_WORCS: 66, NORTH_WORCS: 64, HEREFORDSHIRE: 60, SHROPSHIRE: 52}
    noise_lpa = {lpa: shape.noise(("crime", lpa), 0.02) for lpa in LPAS}
    out = {lpa: [0] * N for lpa in LPAS}
    for t in range(N):
        weights = [POPULATION_K[lpa] * per_head[lpa] * (1 + noise_lpa[lpa][t]) for lpa in LPAS]
        for lpa, v in zip(LPAS, shape.split(force[t], weights), strict=True):
            out[lpa][t] = v
    return out


def _violence(crime: dict[str, list[int]]) -> dict[str, list[int]]:
    force_crime = [sum(crime[lpa][t] for lpa in LPAS) for t in range(N)]
    share = shape.interp({"2018/19 Q1": 0.381, "2021/22 Q1": 0.384, "2023/24 Q2": 0.388})
    noise = shape.noise(("violence", FORCE), 0.008)
    force = [round(force_crime[t] * share[t] * (1 + noise[t])) for t in range(N)]
    target = round(sum(force[t] for t in YTD_LAST_YEAR) * (1 + VIOLENCE_YTD_CHANGE))
    for t, v in zip(YTD_NOW, shape.split(target, [force[t] for t in YTD_NOW]), strict=True):
        force[t] = v
    lpa_share = {TELFORD: 1.05, SOUTH_WORCS: 1.02, NORTH_WORCS: 1.01, HEREFORDSHIRE: 0.97, SHROPSHIRE: 0.96}
    noise_lpa = {lpa: shape.noise(("violence", lpa), 0.015) for lpa in LPAS}
    out = {lpa: [0] * N for lpa in LPAS}
    for t in range(N):
        weights = [crime[lpa][t] * lpa_share[lpa] * (1 + noise_lpa[lpa][t]) for lpa in LPAS]
        for lpa, v in zip(LPAS, shape.split(force[t], weights), strict=True):
            out[lpa][t] = v
    return out


def _open_investigations() -> dict[str, list[int]]:
    # Open investigations per 1,000 residents on the last day of the quarter.
    per_head = {SHROPSHIRE: 9.4, TELFORD: 8.6, HEREFORDSHIRE: 8.3, SOUTH_WORCS: 7.7, NORTH_WORCS: 7.5}
    trend = shape.interp({"2018/19 Q1": 0.86, "2021/22 Q1": 1.0, "2022/23 Q4": 1.08, "2024/25 Q2": 0.98})
    # Shropshire: "concerns ... although improvements have been seen" - easing over the last year.
    shropshire_extra = shape.interp({"2023/24 Q1": 1.0, "2023/24 Q2": 1.06, "2024/25 Q2": 1.0})
    noise = {lpa: shape.noise(("open_investigations", lpa), 0.02) for lpa in LPAS}

    def value(lpa: str, t: int) -> int:
        extra = shropshire_extra[t] if lpa == SHROPSHIRE else 1.0
        return round(POPULATION_K[lpa] * per_head[lpa] * trend[t] * extra * (1 + noise[lpa][t]))

    return shape.lpa_table(value)


def _outstanding_suspects() -> dict[str, list[int]]:
    per_head = {SHROPSHIRE: 1.50, TELFORD: 1.06, HEREFORDSHIRE: 1.04, SOUTH_WORCS: 0.98, NORTH_WORCS: 0.95}
    trend = shape.interp({"2018/19 Q1": 0.80, "2021/22 Q1": 1.0, "2023/24 Q1": 1.05, "2024/25 Q2": 1.02})
    noise = {lpa: shape.noise(("outstanding_suspects", lpa), 0.035) for lpa in LPAS}
    return shape.lpa_table(lambda lpa, t: round(POPULATION_K[lpa] * per_head[lpa] * trend[t] * (1 + noise[lpa][t])))


# --------------------------------------------------------------------------- rates


def _positive_outcomes(crime: dict[str, list[int]]) -> dict[str, list[int]]:
    """Positive outcomes (numerator); the denominator is the LPA's recorded crime that quarter."""
    path = shape.interp(
        {
            "2018/19 Q1": 11.4,
            "2020/21 Q1": 10.3,
            "2021/22 Q1": 10.0,
            "2021/22 Q2": 10.0,
            "2021/22 Q3": 10.1,
            "2023/24 Q2": POR_LAST_YEAR,
            "2023/24 Q3": 12.9,
            "2023/24 Q4": 13.15,
            "2024/25 Q1": 13.35,
            "2024/25 Q2": POR_NOW,
        }
    )
    noise = shape.noise(("positive_outcome_rate", FORCE), 0.12)
    fixed = {
        shape.index("2023/24 Q2"),
        shape.index("2023/24 Q3"),
        shape.index("2023/24 Q4"),
        shape.index("2024/25 Q1"),
        shape.index("2024/25 Q2"),
    }
    rate = [path[t] + (0.0 if t in fixed else noise[t]) for t in range(N)]
    relative = {TELFORD: 1.10, HEREFORDSHIRE: 1.04, NORTH_WORCS: 1.01, SOUTH_WORCS: 0.99, SHROPSHIRE: 0.86}
    noise_lpa = {lpa: shape.noise(("positive_outcome_rate", lpa), 0.015) for lpa in LPAS}
    out = {lpa: [0] * N for lpa in LPAS}
    for t in range(N):
        crimes = sum(crime[lpa][t] for lpa in LPAS)
        target = round(rate[t] / 100 * crimes)
        weights = [crime[lpa][t] * relative[lpa] * (1 + noise_lpa[lpa][t]) for lpa in LPAS]
        for lpa, v in zip(LPAS, shape.split(target, weights), strict=True):
            out[lpa][t] = v
    return out


def _emergencies() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """(attended within target, emergency incidents) per LPA."""
    per_head = {TELFORD: 12.0, SOUTH_WORCS: 10.0, NORTH_WORCS: 10.0, HEREFORDSHIRE: 9.0, SHROPSHIRE: 9.0}
    volume = shape.interp({"2018/19 Q1": 0.92, "2022/23 Q1": 1.0, "2024/25 Q2": 1.05})
    season = shape.seasonal((1.02, 1.05, 0.98, 0.95))
    noise_n = {lpa: shape.noise(("emergency_incidents", lpa), 0.03) for lpa in LPAS}
    incidents = shape.lpa_table(
        lambda lpa, t: round(POPULATION_K[lpa] * per_head[lpa] * volume[t] * season[t] * (1 + noise_n[lpa][t]))
    )
    base = {TELFORD: 86.0, NORTH_WORCS: 85.0, SOUTH_WORCS: 83.5, HEREFORDSHIRE: 78.5, SHROPSHIRE: 77.0}
    shift = shape.interp(
        {"2018/19 Q1": -1.0, "2021/22 Q1": -1.5, "2022/23 Q2": -2.0, "2023/24 Q4": -0.5, "2024/25 Q2": 0.5}
    )
    shift[LOCKDOWN] += 1.5
    noise = {lpa: shape.noise(("emergency_within_target", lpa), 0.6) for lpa in LPAS}
    rate = shape.lpa_table(lambda lpa, t: base[lpa] + shift[t] + noise[lpa][t])
    # Shropshire: steady for a year, then "a recent improvement in emergencies responded to within target".
    for label, value in (
        ("2023/24 Q2", 76.6),
        ("2023/24 Q3", 76.9),
        ("2023/24 Q4", 76.4),
        ("2024/25 Q1", 76.8),
        ("2024/25 Q2", 79.6),
    ):
        rate[SHROPSHIRE][shape.index(label)] = value
    within = shape.lpa_table(lambda lpa, t: round(rate[lpa][t] / 100 * incidents[lpa][t]))
    return within, incidents


def _victim_satisfaction() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """(satisfied respondents, respondents) per LPA."""
    per_head = {SHROPSHIRE: 1.04, SOUTH_WORCS: 1.04, NORTH_WORCS: 1.04, HEREFORDSHIRE: 1.04, TELFORD: 1.04}
    noise_n = {lpa: shape.noise(("victim_respondents", lpa), 0.05) for lpa in LPAS}
    respondents = shape.lpa_table(lambda lpa, t: round(POPULATION_K[lpa] * per_head[lpa] * (1 + noise_n[lpa][t])))
    base = {HEREFORDSHIRE: 77.5, SOUTH_WORCS: 76.5, TELFORD: 77.0, NORTH_WORCS: 76.0, SHROPSHIRE: 72.0}
    shift = shape.interp({"2018/19 Q1": -0.5, "2021/22 Q1": 1.0, "2023/24 Q1": 0.5, "2024/25 Q2": -0.5})
    noise = {lpa: shape.noise(("victim_satisfaction", lpa), 0.7) for lpa in LPAS}
    rate = shape.lpa_table(lambda lpa, t: base[lpa] + shift[t] + noise[lpa][t])

    def pooled(ts: list[int], sat: dict[str, list[int]]) -> float:
        return sum(sat[lpa][t] for lpa in LPAS for t in ts) / sum(respondents[lpa][t] for lpa in LPAS for t in ts)

    satisfied = shape.lpa_table(lambda lpa, t: round(rate[lpa][t] / 100 * respondents[lpa][t]))
    # Calibrate the last 12 months to a minor reduction on the previous 12 months.
    factor = (pooled(PREVIOUS_12M, satisfied) + VICTIM_SATISFACTION_12M_CHANGE / 100) / pooled(LAST_12M, satisfied)
    for lpa in LPAS:
        for t in LAST_12M:
            satisfied[lpa][t] = round(rate[lpa][t] * factor / 100 * respondents[lpa][t])
    return satisfied, respondents


def _sickness() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """(working days lost, officers FTE) per LPA."""
    fte_now = {SHROPSHIRE: 640, SOUTH_WORCS: 620, NORTH_WORCS: 560, TELFORD: 420, HEREFORDSHIRE: 400}
    uplift = shape.interp({"2018/19 Q1": 0.88, "2019/20 Q3": 0.90, "2023/24 Q1": 1.0, "2024/25 Q2": 1.0})
    noise_n = {lpa: shape.noise(("officers_fte", lpa), 0.006) for lpa in LPAS}
    fte = shape.lpa_table(lambda lpa, t: round(fte_now[lpa] * uplift[t] * (1 + noise_n[lpa][t])))
    base = {SHROPSHIRE: 2.45, NORTH_WORCS: 2.22, HEREFORDSHIRE: 2.18, SOUTH_WORCS: 2.15, TELFORD: 2.10}
    season = shape.seasonal((-0.06, -0.10, 0.06, 0.10))
    noise = {lpa: shape.noise(("sickness", lpa), 0.04) for lpa in LPAS}

    def days(lpa: str, t: int) -> float:
        covid = 0.12 if t == LOCKDOWN else 0.0
        return base[lpa] + season[t] + covid + noise[lpa][t]

    lost = shape.lpa_table(lambda lpa, t: round(days(lpa, t) * fte[lpa][t]))
    return lost, fte


# --------------------------------------------------------------------------- medians


def _lpa_and_force_median(key: str, base: dict[str, float], shift: list[float], sd: float) -> dict[str, list[float]]:
    """LPA medians plus a force median supplied on its own, inside the LPAs' range."""
    noise = {area: shape.noise((key, area), sd) for area in (*LPAS, FORCE)}
    out = shape.lpa_table(lambda lpa, t: base[lpa] + shift[t] + noise[lpa][t])
    total_pop = sum(POPULATION_K.values())
    centre = sum(base[lpa] * POPULATION_K[lpa] for lpa in LPAS) / total_pop
    force = []
    for t in range(N):
        lows, highs = min(out[lpa][t] for lpa in LPAS), max(out[lpa][t] for lpa in LPAS)
        force.append(min(max(centre + shift[t] + noise[FORCE][t] / 2, lows), highs))
    out[FORCE] = force
    return out


def _median_days_to_close() -> dict[str, list[float]]:
    base = {SHROPSHIRE: 37.5, HEREFORDSHIRE: 36.0, SOUTH_WORCS: 29.5, NORTH_WORCS: 28.5, TELFORD: 25.0}
    shift = shape.interp({"2018/19 Q1": -5.0, "2020/21 Q1": 0.0, "2022/23 Q2": 4.5, "2024/25 Q2": 2.0})
    return _lpa_and_force_median("median_days_to_close", base, shift, 0.8)


def _emergency_response_minutes() -> dict[str, list[float]]:
    base = {HEREFORDSHIRE: 18.0, SHROPSHIRE: 17.0, SOUTH_WORCS: 13.5, NORTH_WORCS: 12.6, TELFORD: 12.0}
    shift = shape.interp(
        {"2018/19 Q1": 0.0, "2021/22 Q1": 0.3, "2022/23 Q2": 0.7, "2023/24 Q2": 0.2, "2024/25 Q2": 0.1}
    )
    shift[LOCKDOWN] -= 0.6
    out = _lpa_and_force_median("emergency_response_median_minutes", base, shift, 0.35)
    # Shropshire: "overall emergency response times had remained broadly consistent over the last 12 months".
    centre = sum(out[SHROPSHIRE][t] for t in LAST_12M) / len(LAST_12M)
    for t in LAST_12M:
        out[SHROPSHIRE][t] = centre + max(-0.25, min(0.25, out[SHROPSHIRE][t] - centre))
    return out


# --------------------------------------------------------------------------- force-only 999


def _calls_999() -> tuple[list[int], list[int], list[float]]:
    """(answered within 10 s, answered, average answer seconds) for the force contact centre."""
    volume = shape.interp({"2018/19 Q1": 66_000, "2024/25 Q2": 67_500})
    season = shape.seasonal((1.02, 1.06, 0.98, 0.95))
    noise_n = shape.noise(("calls_999_answered", FORCE), 0.015)
    answered = [round(volume[t] * season[t] * (1 + noise_n[t])) for t in range(N)]
    # "A slow but steady improvement": a steady climb over the last six quarters, noisier before.
    steady_from = shape.index("2022/23 Q4")
    start = 85.7
    steps = (0.35, 0.5, 0.4, 0.6, 0.45, 0.5)
    trend = shape.interp({"2018/19 Q1": 78.0, "2022/23 Q3": start - 0.3})
    noise = shape.noise(("calls_999_within_10s", FORCE), 0.45)
    rate = [trend[t] + noise[t] for t in range(N)]
    rate[LOCKDOWN] += 1.2  # fewer calls during the first lockdown
    rate[steady_from] = start
    for k, step in enumerate(steps, start=1):
        rate[steady_from + k] = rate[steady_from + k - 1] + step
    within = [round(rate[t] / 100 * answered[t]) for t in range(N)]
    noise_s = shape.noise(("calls_999_average_answer_seconds", FORCE), 0.2)
    seconds = [12.8 - (rate[t] - 78.0) * 0.45 + (noise_s[t] if t < steady_from else 0.0) for t in range(N)]
    return within, answered, seconds


def series() -> dict[str, dict]:
    """Raw series per metric code: {'count': {lpa: [...]}} / {'ratio': ...} / {'median': ...}."""
    crime = _total_recorded_crime()
    within, incidents = _emergencies()
    satisfied, respondents = _victim_satisfaction()
    lost, fte = _sickness()
    calls_within, calls, seconds = _calls_999()
    return {
        "total_recorded_crime": {"count": crime},
        "violence_against_the_person": {"count": _violence(crime)},
        "positive_outcome_rate": {"ratio": (_positive_outcomes(crime), crime)},
        "median_days_to_close": {"median": _median_days_to_close()},
        "open_investigations": {"count": _open_investigations()},
        "outstanding_suspects": {"count": _outstanding_suspects()},
        "emergency_within_target": {"ratio": (within, incidents)},
        "emergency_response_median_minutes": {"median": _emergency_response_minutes()},
        "calls_999_within_10s": {"ratio": ({FORCE: calls_within}, {FORCE: calls})},
        "calls_999_average_answer_seconds": {"median": {FORCE: seconds}},
        "victim_satisfaction": {"ratio": (satisfied, respondents)},
        "sickness_days_per_officer": {"ratio": (lost, fte)},
    }
