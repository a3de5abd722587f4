"""The question rules, each on small hand-made facts: when it fires, when it does not, and what it names."""

from datetime import date

import pytest

from assurance.products.briefing.questions import (
    RULE_TITLES,
    RULES,
    WORST_RANKS_THRESHOLD,
    ActionFact,
    ClaimFact,
    Facts,
    LpaRanking,
    PledgeFact,
    SeriesSignal,
    claim_not_supported,
    concern_signal,
    lpa_at_bottom,
    overdue_action,
    pledge_not_met,
    suggested_questions,
    target_consistently_failed,
)

Q = "2024/25 Q2"
TODAY = date(2025, 4, 15)


def signal(area="force", classification="common cause", special=False, assurance=None, value="34.0 days", **kw):
    names = {"force": "West Mercia", "shropshire": "Shropshire", "herefordshire": "Herefordshire"}
    return SeriesSignal(
        metric=kw.get("metric", "median_days_to_close"),
        metric_name=kw.get("metric_name", "Median days to close an investigation"),
        area=area,
        area_name=names[area],
        is_force=area == "force",
        value_text=value,
        classification=classification,
        special_cause=special,
        assurance_icon=assurance,
        spc_text=kw.get("spc_text", "the last 15 quarters have all been above the mean, a worsening shift"),
        target_text=kw.get("target_text", "≤ 30.0 days"),
        limits_text=kw.get("limits_text", "31.0 days to 34.2 days"),
    )


def pledge(status, baseline="505", due_value="–", change="–"):
    return PledgeFact(
        text="Reducing the number of outstanding suspects over the next three months",
        owner="T/CC",
        area_name="Shropshire",
        metric_name="Outstanding suspects",
        status=status,
        baseline_quarter="2024/25 Q2",
        due_quarter="2024/25 Q4",
        baseline_text=baseline,
        due_value_text=due_value,
        change_text=change,
    )


def action(overdue, due_on=date(2025, 1, 31)):
    return ActionFact(
        id=7,
        text="T/CC to report on Op Presence",
        owner="T/CC",
        raised_on=date(2024, 11, 27),
        due_on=due_on,
        due_text="end of Jan 2025",
        overdue=overdue,
    )


def claim(verdict):
    return ClaimFact(
        text="Total recorded crime had seen a 9% reduction so far this year.",
        speaker="T/CC",
        said_on=date(2024, 11, 27),
        area_name="West Mercia",
        metric_name="Total recorded crime",
        quarter=Q,
        verdict=verdict,
        stated_text="−9.0%",
        data_text="−4.2%",
    )


def ranking(worst):
    return LpaRanking(
        area="shropshire",
        area_name="Shropshire",
        worst_count=worst,
        rankable=10,
        lpa_count=5,
        quarter=Q,
        example_metric_name="Positive outcome rate",
        example_value_text="11.4%",
        example_gap_text="1.9 pp below the force",
        before="the Q4 meeting",
    )


def facts(**kw) -> Facts:
    return Facts(quarter=Q, today=TODAY, **kw)


CASES = [
    # rule, facts, number of questions, words every question must contain
    (concern_signal, facts(), 0, []),
    (concern_signal, facts(signals=[signal(special=True, classification="concern")]), 1, ["34.0 days", Q, "shift"]),
    (
        concern_signal,
        facts(
            signals=[
                signal(special=True, classification="concern"),
                signal("shropshire", special=True, classification="concern", value="38.9 days"),
            ]
        ),
        1,
        ["for the force: 34.0 days", "Shropshire (38.9 days)"],
    ),
    (
        concern_signal,
        facts(signals=[signal("herefordshire", special=True, classification="concern", value="1,568")]),
        1,
        ["in Herefordshire: 1,568"],
    ),
    (concern_signal, facts(signals=[signal(special=True, classification="improvement")]), 0, []),
    (concern_signal, facts(signals=[signal(special=False, classification="common cause", assurance="fail")]), 0, []),
    (target_consistently_failed, facts(), 0, []),
    (
        target_consistently_failed,
        facts(signals=[signal(assurance="fail")]),
        1,
        ["≤ 30.0 days", "31.0 days to 34.2 days", "34.0 days in 2024/25 Q2", "consistently be missed"],
    ),
    (
        target_consistently_failed,
        facts(signals=[signal("shropshire", assurance="fail", value="72.5%", target_text="≥ 75.0%")]),
        1,
        ["Shropshire (72.5%)", "≥ 75.0%", "although the force as a whole does not"],
    ),
    (target_consistently_failed, facts(signals=[signal(assurance="hit_and_miss")]), 0, []),
    (target_consistently_failed, facts(signals=[signal(assurance="pass")]), 0, []),
    (target_consistently_failed, facts(signals=[signal(special=True, classification="concern")]), 0, []),
    (pledge_not_met, facts(), 0, []),
    (
        pledge_not_met,
        facts(pledges=[pledge("not met", due_value="530", change="+5.0%")]),
        1,
        ["was not met", "505 in 2024/25 Q2", "530 in 2024/25 Q4", "+5.0%"],
    ),
    (pledge_not_met, facts(pledges=[pledge("no data yet")]), 1, ["not loaded yet", "baseline 505", "2024/25 Q4"]),
    (pledge_not_met, facts(pledges=[pledge("no data yet", baseline="–")]), 1, ["cannot be judged", "baseline quarter"]),
    (pledge_not_met, facts(pledges=[pledge("met", due_value="480", change="−5.0%")]), 0, []),
    (pledge_not_met, facts(pledges=[pledge("not yet due")]), 0, []),
    (overdue_action, facts(), 0, []),
    (overdue_action, facts(actions=[action(True)]), 1, ["Action 7", "74 days overdue", "31 Jan 2025", "Op Presence"]),
    (overdue_action, facts(actions=[action(False)]), 0, []),
    (overdue_action, facts(actions=[action(True, due_on=None)]), 0, []),
    (claim_not_supported, facts(), 0, []),
    (claim_not_supported, facts(claims=[claim("differs")]), 1, ["−9.0%", "−4.2%", "27 Nov 2024", "9% reduction"]),
    (claim_not_supported, facts(claims=[claim("agrees")]), 0, []),
    (claim_not_supported, facts(claims=[claim("cannot be checked")]), 0, []),
    (lpa_at_bottom, facts(), 0, []),
    (
        lpa_at_bottom,
        facts(rankings=[ranking(6)]),
        1,
        ["Shropshire ranks worst of the five LPAs on 6 of 10 metrics in 2024/25 Q2", "11.4%", "1.9 pp below the force"],
    ),
    (lpa_at_bottom, facts(rankings=[ranking(WORST_RANKS_THRESHOLD)]), 1, ["on 3 of 10 metrics"]),
    (lpa_at_bottom, facts(rankings=[ranking(WORST_RANKS_THRESHOLD - 1)]), 0, []),
    (lpa_at_bottom, facts(rankings=[ranking(0)]), 0, []),
]


@pytest.mark.parametrize(("rule", "given", "count", "words"), CASES)
def test_each_rule_fires_only_on_its_condition(rule, given, count, words):
    questions = rule(given)
    assert len(questions) == count
    for question in questions:
        assert question.rule == rule.__name__
        assert question.text.endswith("?")
        assert question.figures, "every question names the figures it rests on"
        for word in words:
            assert word in question.text, (word, question.text)


def test_the_example_question_reads_as_a_pcc_would_ask_it():
    (question,) = lpa_at_bottom(facts(rankings=[ranking(6)]))
    assert question.text == (
        "Shropshire ranks worst of the five LPAs on 6 of 10 metrics in 2024/25 Q2 (positive outcome rate 11.4%, "
        "1.9 pp below the force). What will change in Shropshire before the Q4 meeting?"
    )
    assert question.rule_title == "An LPA at the bottom on several metrics"


def test_a_concern_in_several_areas_is_one_question_naming_each_area():
    given = facts(
        signals=[
            signal("shropshire", special=True, classification="concern", value="38.9 days"),
            signal("herefordshire", special=True, classification="concern", value="38.1 days"),
        ]
    )
    (question,) = concern_signal(given)
    assert "Shropshire (38.9 days) and Herefordshire (38.1 days)" in question.text
    assert "though not for the force" in question.text


def test_every_rule_has_a_title_and_suggested_questions_runs_them_in_order():
    assert list(RULE_TITLES) == list(RULES)
    given = facts(
        signals=[signal(special=True, classification="concern", assurance="fail")],
        pledges=[pledge("no data yet")],
        actions=[action(True)],
        claims=[claim("differs")],
        rankings=[ranking(6)],
    )
    assert [q.rule for q in suggested_questions(given)] == list(RULES)
    assert suggested_questions(facts()) == []
