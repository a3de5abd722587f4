"""Every page runs under AppTest and shows the figures a policy officer relies on."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import database_held_by_another_process
from ui import pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = [entry.path for entry in pages.PAGES]  # navigation order; the default page first


@pytest.fixture()
def app(app_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(app_db))

    def make(**query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make


def texts(at):
    return [e.value for kind in ("title", "caption", "markdown", "info", "warning") for e in getattr(at, kind)]


def shown_table(at, n: int = 0):
    """An st.table as a reader sees it: its cells are escaped Markdown (ui.text.literal)."""
    frame = at.table[n].value
    return frame.map(lambda v: re.sub(r"\\(.)", r"\1", str(v)))


def metric(at, label):
    (found,) = [m for m in at.metric if m.label == label]
    return found


def test_every_page_is_in_the_registry():
    on_disk = sorted(str(p.relative_to(Path(APP).parent)) for p in (Path(APP).parent / "app_pages").glob("*.py"))
    assert sorted(PAGES) == [p for p in on_disk if not p.endswith("__init__.py")], "a page is missing from ui/pages.py"
    assert [entry.default for entry in pages.PAGES].count(True) == 1 and pages.PAGES[0].default
    assert len({entry.url_path for entry in pages.PAGES}) == len(pages.PAGES)


@pytest.mark.parametrize(
    ("role", "missing"),
    [("viewer", {"minutes_import", "data"}), ("editor", set()), ("admin", set())],
)
def test_each_role_gets_its_pages_by_section_in_navigation_order(role, missing):
    sections = pages.for_role(role)
    assert list(sections) == ["Performance", "Commitments", "Meeting", "Data"]
    got = [entry.name for entries in sections.values() for entry in entries]
    assert got == [entry.name for entry in pages.PAGES if entry.name not in missing]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(app, page):
    at = app()
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "page shows no title"


def test_overview_shows_the_minutes_figures_for_2024_25_q2(app):
    at = app(quarter="2024/25 Q2")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Force performance, 2024/25 Q2"
    por = metric(at, "Positive outcome rate")
    assert por.value == "13.3%"
    assert por.delta == "+1.0 pp"
    assert "Year to date: −9.0% on the same period last year (better)" in texts(at)
    table = shown_table(at).set_index("Metric")
    assert table.loc["Total recorded crime", "Year to date on same period last year"] == "−9.0% (better)"
    assert table.loc["Positive outcome rate", "On 2023/24 Q2"] == "+1.0 pp (better)"


def cell_colours(table) -> dict[tuple[int, int], str]:
    """(row, column) -> CSS colour of an st.table's cells, from the Styler the page gave it."""
    found = {}
    for selectors, colour in re.findall(r"([^{}]+)\{\s*color: (#[0-9a-f]{6})", table.proto.arrow_data.styler.styles):
        for row, col in re.findall(r"_row(\d+)_col(\d+)", selectors):
            found[(int(row), int(col))] = colour
    return found


def test_overview_colours_each_verdict_from_the_data_and_says_it_in_words(app, seeded_con):
    """Blue for better and met, orange for worse and not met, from the judgement and status (not the words shown);
    every coloured cell also says its verdict in words or a symbol."""
    from assurance.domain.performance import FORCE, headline_table, load_dataset

    at = app(quarter="2024/25 Q2")
    at.run()
    headline = headline_table(load_dataset(seeded_con), "2024/25 Q2", FORCE)
    colour = {"better": "#005a8c", "met": "#005a8c", "worse": "#a63d00", "not met": "#a63d00"}
    judged = {2: "prev_judgement", 3: "yoy_judgement", 5: "ytd_judgement", 7: "status"}
    expected = {
        (row, col): colour[verdict]
        for col, source in judged.items()
        for row, verdict in enumerate(headline[source])
        if verdict in colour
    }
    found = cell_colours(at.table[0])
    assert found == expected and len(found) > 20
    shown = shown_table(at)
    for (row, col), css in found.items():
        words = ("(better)", "✓") if css == "#005a8c" else ("(worse)", "✗")
        assert any(w in shown.iat[row, col] for w in words), (row, col, shown.iat[row, col])


def test_overview_cards_use_the_short_name_with_the_full_name_in_their_help(app):
    at = app(quarter="2024/25 Q2")
    at.run()
    days = metric(at, "Days to close (median)")
    assert days.value == "34.0 days"
    assert days.proto.help.startswith("**Median days to close an investigation**. Median number of days from")
    assert metric(at, "999 answered in 10 s").proto.help.startswith("**999 calls answered within 10 seconds**.")
    assert metric(at, "Positive outcome rate").proto.help.startswith("**Positive outcome rate**. Positive outcomes")
    # The table under the cards keeps the full names.
    assert "Median days to close an investigation" in shown_table(at)["Metric"].tolist()


def test_overview_says_the_figures_are_illustrative(app):
    at = app()
    at.run()
    assert any("Illustrative demo figures" in i.value for i in at.info)


def test_overview_trend_chart_draws_force_and_five_lpas_with_target(app):
    at = app()
    at.run()
    charts = at.get("plotly_chart")
    assert charts, "no chart on the Overview"
    spec = json.loads(charts[0].proto.spec)
    names = [trace["name"] for trace in spec["data"] if trace.get("yaxis") != "y2"]
    assert "West Mercia (force)" in names and "Shropshire" in names and len(names) == 6
    markers = {trace["name"]: trace for trace in spec["data"] if trace.get("yaxis") == "y2"}
    # Force and Shropshire (the focus LPA): the action and figures about the force, the detection-rate pledge.
    assert set(markers) == {"Action raised", "Action due", "Figure quoted", "Pledge made", "Pledge due"}
    assert "Positive outcomes stand at 13.3%" in " ".join(markers["Figure quoted"]["hovertext"])
    assert any("14.0%" in (a.get("text") or "") for a in spec["layout"].get("annotations", []))


def test_quarter_and_lpa_come_from_the_url_and_go_back_into_it(app):
    at = app(quarter="2023/24 Q2", lpa="herefordshire")
    at.run()
    assert at.title[0].value == "Force performance, 2023/24 Q2"
    assert metric(at, "Positive outcome rate").value == "12.3%"
    assert at.sidebar.selectbox[0].value == "2023/24 Q2"
    assert at.sidebar.selectbox[1].value == "herefordshire"
    assert at.query_params["quarter"] == ["2023/24 Q2"] or at.query_params["quarter"] == "2023/24 Q2"


def test_lpa_names_in_the_url_are_understood(app):
    at = app(lpa="Telford & Wrekin")
    at.run()
    at.switch_page(pages.path("lpa"))
    at.run()
    assert at.title[0].value == "Telford & Wrekin against the force"


def test_unknown_quarter_and_lpa_fall_back_with_a_plain_message(app):
    at = app(quarter="2099/00 Q9", lpa="Atlantis")
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "is not in the data; showing 2024/25 Q2" in warnings
    assert "There is no LPA called “Atlantis”; showing Shropshire" in warnings
    assert at.title[0].value == "Force performance, 2024/25 Q2"


def test_hostile_url_text_is_escaped_not_rendered(app):
    at = app(lpa="**bold** [link](http://example.com) <b>x</b>")
    at.run()
    warning = " ".join(w.value for w in at.warning)
    assert "\\*\\*bold\\*\\*" in warning and "\\[link\\]" in warning and "\\<b\\>" in warning


def test_lpa_page_compares_the_focus_lpa_with_the_force(app):
    at = app(lpa="shropshire", quarter="2024/25 Q2")
    at.run()
    at.switch_page(pages.path("lpa"))
    at.run()
    assert at.title[0].value == "Shropshire against the force"
    table = at.dataframe[0].value.set_index("Metric")
    assert table.loc["Positive outcome rate", "West Mercia (force)"] == "13.3%"
    assert len(at.get("plotly_chart")) == 10
    assert any("Illustrative demo figures" in i.value for i in at.info)


def test_commitments_page_lists_the_seeded_meeting(app):
    at = app()
    at.run()
    at.switch_page(pages.path("commitments"))
    at.run()
    assert not at.exception
    frames = [t.value for t in at.table]
    actions = next(f for f in frames if "Action" in f.columns)
    assert len(actions) == 3
    assert actions["Due (as agreed)"].tolist() == [
        "Q3 Performance A&A meeting",
        "No due date stated",
        "A&A Q4 Performance meeting",
    ]
    recs = next(f for f in frames if "Deadline (as written)" in f.columns)
    assert recs["Resolves to"].tolist() == [
        "31 May 2025 (approx.)",
        "30 Sep 2025",
        "31 Mar 2025",
        "31 Jan 2025 (approx.)",
    ]
    assert actions["Due date"].tolist() == ["when that meeting is scheduled", "–", "when that meeting is scheduled"]
    pledges = next(f for f in frames if "Pledge (as said)" in f.columns)
    assert pledges["Shows by"].tolist() == ["2024/25 Q4", "2025/26 Q1", "2025/26 Q1"]
    assert pledges["Due"].tolist() == [
        "27 Feb 2025 (approx.) — “over the next three months”",
        "27 May 2025 (approx.) — “over the next six months”",
        "27 May 2025 (approx.) — “over the next six months”",
    ]


def test_empty_database_shows_how_to_load_data(tmp_path, monkeypatch):
    from assurance.domain.setup import init_database

    path = tmp_path / "empty.duckdb"
    init_database(path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "holds no quarterly figures yet" in at.warning[0].value


def test_missing_database_is_created_with_demo_data_on_first_start(tmp_path, monkeypatch):
    path = tmp_path / "first.duckdb"
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert path.exists()
    assert metric(at, "Positive outcome rate").value == "13.3%"


def test_database_held_by_another_process_is_a_plain_message(tmp_path, monkeypatch):
    from assurance.domain.setup import init_database

    path = tmp_path / "held.duckdb"
    init_database(path)
    with database_held_by_another_process(path):
        monkeypatch.setenv("ASSURANCE_DB", str(path))
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception
        assert "in use by another program" in at.error[0].value


def test_the_sidebar_says_local_single_user_mode_without_sign_in_or_roles(app, tmp_path, monkeypatch):
    from assurance.domain import access

    monkeypatch.delenv(access.ROLES_ENV, raising=False)
    monkeypatch.setattr(access, "DEFAULT_ROLES_FILE", tmp_path / "no-roles.toml")
    monkeypatch.setattr(access, "SECRETS_FILES", (tmp_path / "no-secrets.toml",))
    at = app()
    at.run()
    assert not at.exception
    assert any(c.value.startswith("Local single-user mode") for c in at.sidebar.caption)


def test_about_the_data_names_each_target_and_counts_the_figures_of_each_source(app, seeded_con):
    from assurance.domain.performance import load_dataset

    at = app()
    at.run()
    at.switch_page(pages.path("about_data")).run()
    assert not at.exception
    ds = load_dataset(seeded_con)
    targets = shown_table(at, 2)
    area_names = dict(zip(ds.areas["code"], ds.areas["name"], strict=True))
    assert targets["Metric"].tolist() == [ds.metrics[code].name for code in ds.targets["metric"]]
    assert targets["Area"].tolist() == [area_names.get(a) or "Every area" for a in ds.targets["area"]]
    assert targets["Area"].tolist().count("Every area") == 7
    assert targets["Real or illustrative"].tolist()[:2] == ["Real", "Illustrative"]
    sources = at.dataframe[0].value
    counted = ds.observations.groupby(["source", "illustrative"]).size()
    assert sources["Figures"].tolist() == counted.tolist() and sources["Figures"].sum() == len(ds.observations)
    assert set(sources["Real or illustrative"]) <= {"Real", "Illustrative"}
