"""Commitments on the chart: which markers a metric and area get, and where they sit."""

import plotly.graph_objects as go

from assurance.markers import add_markers, load_commitments, markers_for


def test_shropshire_outstanding_suspects_gets_the_pledge_and_the_shropshire_action(seeded_con):
    marks = markers_for(load_commitments(seeded_con), "outstanding_suspects", "shropshire")
    assert [(m.quarter, m.kind) for m in marks] == [
        ("2024/25 Q2", "Action raised"),
        ("2024/25 Q2", "Pledge made"),
        ("2024/25 Q4", "Action due"),
        ("2024/25 Q4", "Pledge due"),
    ]
    assert "A&A Q4 Performance meeting" in marks[2].hover


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
    assert {t.name for t in fig.data} == {"Action raised", "Action due", "Pledge made", "Pledge due"}
    assert all(t.yaxis == "y2" for t in fig.data)
