"""Commitments on the chart: which markers a metric and area get, and where they sit."""

import plotly.graph_objects as go

from assurance.domain.commitments.markers import load_commitments, markers_for
from assurance.products.charts.markers import add_markers


def test_shropshire_outstanding_suspects_gets_the_pledge_and_its_deadline(seeded_con):
    marks = markers_for(load_commitments(seeded_con), "outstanding_suspects", "shropshire")
    assert [(m.quarter, m.kind) for m in marks] == [("2024/25 Q2", "Pledge made"), ("2024/25 Q4", "Pledge due")]
    assert "Reducing the number of outstanding suspects" in marks[1].hover


def test_an_action_about_an_area_in_general_is_not_put_on_every_chart_of_that_area(seeded_con):
    # Action 3 (Shropshire's performance concerns) names no metric.
    for metric in ("total_recorded_crime", "victim_satisfaction"):
        assert markers_for(load_commitments(seeded_con), metric, "shropshire") == []


def test_looking_back_shows_nothing_said_about_later_quarters(seeded_con):
    assert markers_for(load_commitments(seeded_con), "positive_outcome_rate", "force", as_of="2023/24 Q2") == []


def test_force_positive_outcomes_gets_its_action_and_the_two_figures_quoted(seeded_con):
    marks = markers_for(load_commitments(seeded_con), "positive_outcome_rate", "force")
    assert sorted(m.kind for m in marks) == ["Action due", "Action raised", "Figure quoted", "Figure quoted"]


def test_a_metric_nobody_spoke_about_gets_no_markers(seeded_con):
    assert markers_for(load_commitments(seeded_con), "victim_satisfaction", "herefordshire") == []


def test_markers_extend_the_quarter_axis_to_the_deadline(seeded_con):
    marks = markers_for(load_commitments(seeded_con), "sickness_days_per_officer", "shropshire")
    fig = add_markers(go.Figure(), marks, ["2024/25 Q1", "2024/25 Q2"])
    assert list(fig.layout.xaxis.categoryarray) == [
        "2024/25 Q1",
        "2024/25 Q2",
        "2024/25 Q3",
        "2024/25 Q4",
        "2025/26 Q1",
    ]
    assert {t.name for t in fig.data} == {"Pledge made", "Pledge due"}
    assert all(t.yaxis == "y2" for t in fig.data)
