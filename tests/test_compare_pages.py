"""The Compare and Where-to-look pages under AppTest, with the focus LPA set through the URL."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui import pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture()
def open_page(app_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(app_db))

    def run(page, **query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def values(trace, axis):
    data = trace[axis]
    if isinstance(data, dict) and "bdata" in data:
        import base64

        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def test_compare_page_for_herefordshire_from_the_url(open_page):
    at = open_page(pages.path("compare"), lpa="herefordshire", quarter="2024/25 Q2")
    assert at.title[0].value == "Herefordshire against the other LPAs, 2024/25 Q2"
    table = at.dataframe[0].value.set_index("Metric")
    assert table.loc["Positive outcome rate", "Herefordshire"] == "13.8%"
    assert "Shropshire" in table.columns and "Herefordshire" in table.columns
    assert table.loc["Median days to close an investigation", "Rank of 5"] == "4 of 5"
    assert any("Illustrative demo figures" in i.value for i in at.info)


def test_compare_page_small_multiples_draw_every_lpa_and_the_force(open_page):
    at = open_page(pages.path("compare"), lpa="shropshire", quarter="2024/25 Q2")
    charts = at.get("plotly_chart")
    assert len(charts) == 10
    spec = json.loads(charts[0].proto.spec)
    by_name = {t["name"]: t for t in spec["data"] if t.get("yaxis") != "y2"}
    assert set(by_name) == {
        "Herefordshire",
        "North Worcestershire",
        "South Worcestershire",
        "Telford & Wrekin",
        "West Mercia (force)",
        "Shropshire",
    }
    assert by_name["Shropshire"]["line"]["width"] == 4
    assert by_name["West Mercia (force)"]["line"]["dash"] == "dash"
    assert by_name["Herefordshire"]["line"]["color"] == "#9a9a9a"
    assert len(values(by_name["Shropshire"], "y")) == 26


def test_compare_page_offers_the_table_as_csv(open_page):
    at = open_page(pages.path("compare"), lpa="shropshire")
    buttons = at.get("download_button")
    assert buttons and "CSV" in buttons[0].proto.label


def test_where_to_look_names_what_stands_out_and_links_each_cell(open_page):
    at = open_page(pages.path("where_to_look"), lpa="shropshire", quarter="2024/25 Q2")
    assert at.title[0].value == "Where to look, 2024/25 Q2"
    bullets = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert bullets[0].startswith("- Shropshire ranks worst of the five LPAs on 6 of 10 metrics")
    assert any("Force positive outcome rate" in b and "levelled off" in b for b in bullets)
    links = at.get("page_link")
    assert len(links) == 62
    labels = [link.proto.label for link in links]
    assert labels.count(":gray[● Common cause]") > 10
    assert any(label.startswith(":blue[▲ Improvement") and label.endswith("✗]") for label in labels)
    concerns = [label for label in labels if "Concern" in label]
    assert concerns and all(label.startswith(":orange[") for label in concerns)


def test_shropshire_outstanding_suspects_chart_shows_the_pledge_and_its_deadline(open_page):
    at = open_page(pages.path("compare"), lpa="shropshire", quarter="2024/25 Q2")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if "outstanding suspects" in json.dumps(s).lower())
    markers = {t["name"]: t for t in spec["data"] if t.get("yaxis") == "y2"}
    assert values(markers["Pledge made"], "x") == ["2024/25 Q2"]
    assert values(markers["Pledge due"], "x") == ["2024/25 Q4"]
    assert "Reducing the number of outstanding suspects" in markers["Pledge due"]["hovertext"][0]
    # The axis runs on past the data to the quarter that shows the pledge.
    assert spec["layout"]["xaxis"]["categoryarray"][-2:] == ["2024/25 Q3", "2024/25 Q4"]


def test_every_line_on_the_small_multiples_is_named_at_its_end_without_overlap(open_page):
    at = open_page(pages.path("compare"), lpa="shropshire", quarter="2024/25 Q2")
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        labels = spec["layout"]["annotations"]
        names = sorted(a["text"] for a in labels)
        assert names == ["<b>Shrops</b>", "Force", "Herefs", "N Worcs", "S Worcs", "Telford"], names
        ys_data = [
            v for trace in spec["data"] if trace.get("yaxis") != "y2" for v in values(trace, "y") if v is not None
        ]
        gap = (max(ys_data) - min(ys_data)) * 0.085
        ys = sorted(a["y"] for a in labels)
        assert all(b - a >= gap * 0.999 for a, b in zip(ys, ys[1:], strict=False)), ys
        assert max(ys) <= max(ys_data) + 1e-9  # none pushed off the top of the chart
