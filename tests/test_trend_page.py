"""The Trend (SPC) page under AppTest: reading, icons, the XmR chart's numbers, deep links and rebase points."""

import base64
import json
from pathlib import Path

import duckdb
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from assurance.domain import compare
from assurance.domain.compare import ASSURANCE_LABELS, VARIATION_LABELS
from assurance.domain.performance import load_dataset
from assurance.store.connection import connect
from ui import pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = pages.path("trend")
Q = "2024/25 Q2"
POR = "positive_outcome_rate"
PREFIX = (
    "Shropshire's positive outcome rate was 11.4% in 2024/25 Q2, 1.9 points below the force "
    "and the lowest of the five LPAs"
)


def open_trend(**query) -> AppTest:
    """The app opened on the Overview with the query string, then switched to the Trend page."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    # Keep the deep link as a browser would send it, whatever switch_page does to the query string.
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture()
def trend(app_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(app_db))
    return open_trend


@pytest.fixture()
def own_db(own_app_db) -> Path:
    """A database of its own for the tests that write rebase points (the shared app_db stays untouched)."""
    return own_app_db


@pytest.fixture(scope="module")
def seeded(seeded_db):
    con = connect(seeded_db, read_only=True)
    yield load_dataset(con)
    con.close()


def param(at, key):
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def array(value) -> list:
    """A Plotly array from the chart spec: a plain list, or a base64 typed array {dtype, bdata}."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def chart(at) -> dict:
    (found,) = [c for c in at.get("plotly_chart") if json.loads(c.proto.spec)["data"]]
    return json.loads(found.proto.spec)


def lines(spec: dict, name: str) -> list[list]:
    return [array(trace["y"]) for trace in spec["data"] if trace.get("name") == name]


def button(at, label):
    (found,) = [b for b in at.button if b.label == label]
    return found


def shown_text(at) -> str:
    kinds = ("title", "caption", "markdown", "info", "warning", "error", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_shropshire_positive_outcome_rate_reads_as_the_library_says(trend, seeded):
    at = trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    assert at.title[0].value == "Positive outcome rate: Shropshire"
    metric = seeded.metrics[POR]
    _, result = compare.spc_series(seeded, metric, "shropshire", Q)
    expected = compare.reading(seeded, metric, "shropshire", Q, result)
    assert expected.startswith(PREFIX)
    readings = [i.value for i in at.info if i.value.startswith("Shropshire's")]
    assert readings == [expected]
    assert any("Illustrative demo figures" in i.value for i in at.info)


def test_the_chart_draws_the_engines_mean_and_limits(trend, seeded):
    at = trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    metric = seeded.metrics[POR]
    series, result = compare.spc_series(seeded, metric, "shropshire", Q)
    spec = chart(at)
    (part,) = result.parts
    n = len(series)
    assert lines(spec, "Mean") == [[part.mean] * n]
    assert lines(spec, "Upper process limit") == [[part.upper] * n]
    assert lines(spec, "Lower process limit") == [[part.lower] * n]
    assert lines(spec, "Values") == [series["value"].tolist()]
    assert lines(spec, "Target") == [[14.0] * n]
    x = array(next(t for t in spec["data"] if t["name"] == "Values")["x"])
    assert x[0] == "2018/19 Q1" and x[-1] == Q


def test_the_icons_are_shown_in_words_with_their_explanations(trend, seeded):
    at = trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    _, result = compare.spc_series(seeded, seeded.metrics[POR], "shropshire", Q)
    text = shown_text(at)
    assert f"Variation: {VARIATION_LABELS[result.variation_icon]}" in text
    assert f"Assurance: {ASSURANCE_LABELS[result.assurance_icon]}" in text
    assert "▲ Improvement (higher)" in text and "✗ Consistently failing" in text
    assert result.variation_text in text and result.assurance_text in text
    assert "2.66" in text and "13 points" in text  # the rules caption


def test_special_cause_points_are_listed_latest_first(trend, seeded):
    at = trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    _, result = compare.spc_series(seeded, seeded.metrics[POR], "shropshire", Q)
    table = at.dataframe[0].value
    special = [p for p in result.points if p.special_cause]
    assert table["Quarter"].tolist() == [p.label for p in reversed(special)]
    first = table.iloc[0]
    assert (first["Value"], first["Reading"]) == ("11.4%", "Special cause improvement")
    assert "beyond a process limit" in first["Rules"]


def test_a_series_too_short_for_limits_shows_values_and_says_why(trend):
    at = trend(lpa="shropshire", metric=POR, area="shropshire", quarter="2019/20 Q1")
    spec = chart(at)
    assert lines(spec, "Values") and not lines(spec, "Mean") and not lines(spec, "Upper process limit")
    reason = "Fewer than 13 points in this part (n=5): limits would not be reliable"
    assert reason in [a["text"] for a in spec["layout"]["annotations"]]
    text = shown_text(at)
    assert "Variation: ○ Too few points" in text and "Assurance: – No assurance icon" in text
    assert "there are too few quarters for SPC limits" in text


def test_every_metric_and_area_draws_without_an_exception(trend, seeded):
    at = trend(lpa="shropshire", quarter=Q)
    for code, metric in seeded.metrics.items():
        at.selectbox(key="trend_metric").set_value(code).run()
        areas = ["force"] if metric.level == "force" else [*seeded.lpas["code"], "force"]
        for area in areas:
            at.selectbox(key="trend_area").set_value(area).run()
            assert not at.exception, (code, area, [e.value for e in at.exception])
            assert lines(chart(at), "Values"), (code, area)


def test_the_view_goes_back_into_the_url(trend):
    at = trend(lpa="herefordshire", quarter="2023/24 Q2")
    assert at.title[0].value == "Positive outcome rate: Herefordshire"  # defaults: POR, the focus LPA
    assert (param(at, "metric"), param(at, "area")) == (POR, "herefordshire")
    assert (param(at, "quarter"), param(at, "lpa")) == ("2023/24 Q2", "herefordshire")
    at.selectbox(key="trend_metric").set_value("median_days_to_close").run()
    at.selectbox(key="trend_area").set_value("force").run()
    assert at.title[0].value == "Median days to close an investigation: West Mercia (force)"
    assert (param(at, "metric"), param(at, "area")) == ("median_days_to_close", "force")
    assert param(at, "quarter") == "2023/24 Q2"
    assert any(i.value.startswith("West Mercia's median days to close an investigation was") for i in at.info)


def test_a_force_only_metric_shows_the_force_with_a_note(trend):
    at = trend(lpa="shropshire", metric="calls_999_within_10s", area="shropshire", quarter=Q)
    assert at.title[0].value.endswith(": West Mercia (force)")
    assert "reported for the force as a whole only" in shown_text(at)
    assert param(at, "area") == "force"
    assert at.selectbox(key="trend_area").options == ["West Mercia (force)"]
    # Back to an LPA metric: the chosen LPA comes back.
    at.selectbox(key="trend_metric").set_value(POR).run()
    assert at.title[0].value == "Positive outcome rate: Shropshire"


@pytest.mark.parametrize(
    ("query", "warning", "title"),
    [
        (
            {"metric": "happiness"},
            "There is no metric “happiness”; showing Positive outcome rate",
            "Positive outcome rate",
        ),
        ({"area": "Atlantis"}, "There is no area “Atlantis”; showing Shropshire", "Positive outcome rate: Shropshire"),
        (
            {"metric": "**x** <b>", "area": "[y](z)"},
            "There is no metric “\\*\\*x\\*\\* \\<b\\>”",
            "Positive outcome rate",
        ),
    ],
)
def test_unknown_metric_or_area_in_the_url_falls_back_with_a_plain_warning(trend, query, warning, title):
    at = trend(lpa="shropshire", quarter=Q, **query)
    assert any(warning in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.title[0].value.startswith(title)
    assert param(at, "metric") == POR


def test_names_in_the_url_are_understood(trend):
    at = trend(metric="Positive outcome rate", area="Telford & Wrekin", quarter=Q)
    assert at.title[0].value == "Positive outcome rate: Telford & Wrekin"
    assert not at.warning


@pytest.mark.parametrize("written", ["force", "West Mercia", "west-mercia", "West Mercia (force)"])
def test_the_force_is_understood_in_the_url_by_code_or_name(trend, written):
    at = trend(metric="Positive outcome rate", area=written, quarter=Q)
    assert at.title[0].value == "Positive outcome rate: West Mercia (force)"
    assert not at.warning


def test_a_rebase_added_through_the_form_is_stored_listed_and_charted(own_db):
    at = open_trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    assert "No rebase points stored" in shown_text(at)
    assert at.selectbox(key="trend_rebase_quarter").options[0] == "2018/19 Q2"  # never the first quarter
    at.selectbox(key="trend_rebase_quarter").set_value("2021/22 Q2")
    at.text_input(key="trend_rebase_reason").input("New crime recording standard")
    button(at, "Add rebase point").click().run()
    assert not at.exception
    assert "Rebase at 2021/22 Q2 stored." in [s.value for s in at.success]
    assert at.text_input(key="trend_rebase_reason").value == ""
    spec = chart(at)
    means = lines(spec, "Mean")
    assert [len(m) for m in means] == [13, 13] and means[0][0] != means[1][0]

    # Stored in the file, not in the session: a new session reads it back, and so does a connection of
    # this process (the same settings as the app's, so DuckDB shares its open database).
    again = open_trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    assert "2021/22 Q2" in shown_text(again) and "New crime recording standard" in shown_text(again)
    assert len(lines(chart(again), "Mean")) == 2
    con = duckdb.connect(str(own_db))
    try:
        rows = con.execute("SELECT area, metric, quarter, reason FROM spc_rebases").fetchall()
    finally:
        con.close()
    assert rows == [("shropshire", POR, "2021/22 Q2", "New crime recording standard")]

    button(again, "Remove").click().run()
    assert "Rebase at 2021/22 Q2 removed." in [s.value for s in again.success]
    assert len(lines(chart(again), "Mean")) == 1
    assert "No rebase points stored" in shown_text(again)


def test_an_empty_reason_is_refused_and_nothing_is_stored(own_db):
    at = open_trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    at.selectbox(key="trend_rebase_quarter").set_value("2021/22 Q2")
    at.text_input(key="trend_rebase_reason").input("   ")
    button(at, "Add rebase point").click().run()
    assert not at.exception
    assert any("The reason is empty" in e.value for e in at.error)
    assert "No rebase points stored" in shown_text(at)
    assert len(lines(chart(at), "Mean")) == 1
    con = duckdb.connect(str(own_db))
    try:
        assert con.execute("SELECT count(*) FROM spc_rebases").fetchone()[0] == 0
    finally:
        con.close()


def test_a_viewer_sees_rebase_points_but_no_control_to_change_them(own_db, tmp_path, monkeypatch):
    from assurance.domain import access

    roles = tmp_path / "roles.toml"
    roles.write_text('default_role = "viewer"\n[users]\n"editor@opcc.example" = "editor"\n', encoding="utf-8")
    monkeypatch.setenv(access.ROLES_ENV, str(roles))
    at = open_trend(lpa="shropshire", metric=POR, area="shropshire", quarter=Q)
    assert not at.exception
    assert any(c.value.startswith("Roles from") for c in at.sidebar.caption)
    assert "No rebase points stored" in shown_text(at)
    assert "trend_rebase_quarter" not in [s.key for s in at.selectbox]
    assert not [b for b in at.button if b.label in ("Add rebase point", "Remove")]
    assert any("added and removed by editors" in c.value and "viewer role" in c.value for c in at.caption)
