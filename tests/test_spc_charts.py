"""The XmR chart draws exactly what the SPC engine computed: lines per part, points by class, target, reasons."""

import pytest

from assurance.core.metrics import catalogue_by_code
from assurance.core.spc import COMMON_CAUSE, CONCERN, IMPROVEMENT, NEITHER, xmr
from assurance.products.charts.xmr import CLASS_STYLE, rules_text, xmr_figure

METRICS = catalogue_by_code()
POR = METRICS["positive_outcome_rate"]  # higher is better, percent
STEADY = [10.0, 12.0] * 6 + [10.0]  # 13 points, no special cause
SPIKE = [10.0, 14.0] * 6 + [10.0, 30.0]  # 13 common-cause points, then one far above the upper limit
LABELS_20 = [f"{2015 + i // 4}/{(16 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(20)]


def traces(fig, name):
    return [trace for trace in fig.data if trace.name == name]


def names(fig):
    return [trace.name for trace in fig.data]


def test_mean_and_limit_traces_carry_the_engines_values_over_every_point():
    labels = LABELS_20[:13]
    result = xmr(STEADY, direction="higher", labels=labels)
    fig = xmr_figure(result, POR, "Shropshire")
    part = result.parts[0]
    for name, value in (("Mean", part.mean), ("Upper process limit", part.upper), ("Lower process limit", part.lower)):
        (trace,) = traces(fig, name)
        assert list(trace.x) == labels
        assert list(trace.y) == [value] * 13
    (values,) = traces(fig, "Values")
    assert list(values.y) == STEADY
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.yaxis.title.text == "Positive outcome rate (%)"


def test_limit_lines_are_dashed_and_the_mean_solid():
    result = xmr(STEADY, labels=LABELS_20[:13])
    fig = xmr_figure(result, POR, "Shropshire")
    assert traces(fig, "Mean")[0].line.dash == "solid"
    assert traces(fig, "Upper process limit")[0].line.dash == "dash"
    assert traces(fig, "Lower process limit")[0].line.dash == "dash"


def test_points_are_coloured_and_shaped_by_classification_each_class_its_own_legend_entry():
    # A jump far above the limits: improvement for "higher", concern for "lower", neither for "neutral".
    values = SPIKE
    labels = LABELS_20[:14]
    for direction, expected in (("higher", IMPROVEMENT), ("lower", CONCERN), ("neutral", NEITHER)):
        result = xmr(values, direction=direction, labels=labels)
        fig = xmr_figure(result, POR, "Shropshire")
        name, colour, symbol = CLASS_STYLE[expected]
        (special,) = traces(fig, name)
        assert list(special.x) == [labels[-1]]
        assert list(special.y) == [30.0]
        assert special.marker.color == colour
        assert special.marker.symbol == symbol
        common_name, common_colour, common_symbol = CLASS_STYLE[COMMON_CAUSE]
        (common,) = traces(fig, common_name)
        assert len(common.x) == 13 and common.marker.color == common_colour
        assert common.marker.symbol != symbol
    assert {style[1] for style in CLASS_STYLE.values()} == {"#00b0f0", "#e46c0a", "#490092", "#a6a6a6"}
    assert len({style[2] for style in CLASS_STYLE.values()}) == 4


def test_every_point_is_drawn_once_in_exactly_one_class_trace():
    values = [9.8, 9.6, 9.4, 9.5, 9.2, 9.3, 9.4, 9.0, 9.1, 8.8, 8.5, 8.7, 8.4, 8.5, 8.6, 8.9, 9.1, 9.2, 9.7, 9.9]
    result = xmr(values, direction="higher", labels=LABELS_20)
    fig = xmr_figure(result, POR, "Shropshire")
    drawn = {}
    for classification, (name, _, _) in CLASS_STYLE.items():
        for trace in traces(fig, name):
            for x in trace.x:
                drawn[x] = classification
    assert drawn == {point.label: point.classification for point in result.points}


def test_hover_text_gives_quarter_formatted_value_and_rules():
    result = xmr(SPIKE, direction="higher", labels=LABELS_20[:14])
    fig = xmr_figure(result, POR, "Shropshire")
    (special,) = traces(fig, CLASS_STYLE[IMPROVEMENT][0])
    (text,) = special.hovertext
    assert LABELS_20[13] in text and "30.0%" in text and rules_text(result.points[-1].rules) in text
    assert "beyond a process limit" in text


def test_target_is_its_own_labelled_dashdot_line():
    result = xmr(STEADY, labels=LABELS_20[:13])
    fig = xmr_figure(result, POR, "Shropshire", target=14.0, target_label="Target ≥ 14.0%")
    (target,) = traces(fig, "Target")
    assert list(target.y) == [14.0] * 13
    assert target.line.dash == "dashdot" and target.line.color == "#7f0000"
    assert any(a.text == "Target ≥ 14.0%" for a in fig.layout.annotations)
    assert traces(xmr_figure(result, POR, "Shropshire"), "Target") == []


def test_default_target_label_uses_the_metrics_format():
    result = xmr(STEADY, labels=LABELS_20[:13])
    fig = xmr_figure(result, POR, "Shropshire", target=14.0)
    assert any(a.text == "Target 14.0%" for a in fig.layout.annotations)


@pytest.mark.parametrize("n", [1, 2, 12])
def test_a_short_series_has_values_only_and_says_why(n):
    values = STEADY[:n]
    result = xmr(values, labels=LABELS_20[:n])
    fig = xmr_figure(result, POR, "Shropshire", target=14.0)
    assert not {"Mean", "Upper process limit", "Lower process limit"} & set(names(fig))
    assert list(traces(fig, "Values")[0].y) == values
    assert result.reason and "Fewer than 13 points" in result.reason
    assert any(a.text == result.reason for a in fig.layout.annotations)


def test_an_empty_series_draws_no_points_and_says_so():
    result = xmr([])
    fig = xmr_figure(result, POR, "Shropshire")
    assert [a.text for a in fig.layout.annotations] == [result.reason]
    assert list(traces(fig, "Values")[0].y) == []


def test_a_rebased_series_draws_two_parts_with_their_own_means_and_a_rebase_line():
    values = [10.0, 12.0] * 7 + [20.0, 22.0] * 7  # 28 points, the second 14 at a higher level
    labels = [f"P{i:02d}" for i in range(28)]
    result = xmr(values, direction="higher", labels=labels, rebase_at=[14])
    fig = xmr_figure(result, POR, "Shropshire")
    means = traces(fig, "Mean")
    assert [list(m.y) for m in means] == [[result.parts[0].mean] * 14, [result.parts[1].mean] * 14]
    assert [list(m.x) for m in means] == [labels[:14], labels[14:]]
    assert means[0].y[0] != means[1].y[0]
    for name, attr in (("Upper process limit", "upper"), ("Lower process limit", "lower")):
        assert [t.y[0] for t in traces(fig, name)] == [getattr(part, attr) for part in result.parts]
    # one legend entry per line however many parts
    assert [m.showlegend for m in means] == [True, False]
    (shape,) = fig.layout.shapes
    assert shape.x0 == shape.x1 == 13.5 and shape.line.dash == "dot"
    assert any(a.text == "Rebased" for a in fig.layout.annotations)


def test_a_rebased_part_too_short_for_limits_draws_no_lines_and_is_marked():
    values = [10.0, 12.0] * 7 + [20.0, 22.0, 21.0]
    labels = [f"P{i:02d}" for i in range(17)]
    result = xmr(values, labels=labels, rebase_at=[14])
    fig = xmr_figure(result, POR, "Shropshire")
    assert len(traces(fig, "Mean")) == 1
    assert list(traces(fig, "Mean")[0].x) == labels[:14]
    assert any("No limits: 3 points, 13 needed" == a.text for a in fig.layout.annotations)


def test_rules_text_names_every_rule_in_words():
    assert rules_text(()) == "none"
    assert rules_text(("outside_limits", "shift")) == (
        "beyond a process limit; shift (7+ points on one side of the mean)"
    )
