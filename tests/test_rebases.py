"""Rebase points: stored, listed and removed; every bad request refused with a message and nothing written."""

import pytest

from assurance.core.errors import InvalidInput, Refused
from assurance.domain.rebases import add_rebase, list_rebases, remove_rebase

POR = "positive_outcome_rate"


@pytest.fixture()
def con(seeded_copy_con):
    """A writable copy of the seeded database, one per test (tests/conftest.py)."""
    return seeded_copy_con


def stored(con) -> list[tuple]:
    return con.execute("SELECT area, metric, quarter, reason, created_by FROM spc_rebases ORDER BY ALL").fetchall()


def test_add_list_remove_round_trip(con):
    assert list_rebases(con, "shropshire", POR) == []
    assert add_rebase(con, "shropshire", POR, "2021/22 Q2", "  New crime recording rules  ", by="analyst") == (
        "2021/22 Q2"
    )
    add_rebase(con, "shropshire", POR, "2019/20 Q1", "New case system")
    add_rebase(con, "herefordshire", POR, "2019/20 Q1", "Not Shropshire")
    listed = list_rebases(con, "shropshire", POR)
    assert [(r["quarter"], r["reason"], r["created_by"]) for r in listed] == [
        ("2019/20 Q1", "New case system", "local user"),  # no name given: the local user
        ("2021/22 Q2", "New crime recording rules", "analyst"),
    ]
    assert all(r["area"] == "shropshire" and r["metric"] == POR and r["created_at"] is not None for r in listed)
    remove_rebase(con, "shropshire", POR, "2019/20 Q1")
    assert [r["quarter"] for r in list_rebases(con, "shropshire", POR)] == ["2021/22 Q2"]
    assert [r["quarter"] for r in list_rebases(con, "herefordshire", POR)] == ["2019/20 Q1"]


def test_a_quarter_written_loosely_is_stored_as_its_label(con):
    assert add_rebase(con, "force", "calls_999_within_10s", " 2021/22 q3 ", "New telephony") == "2021/22 Q3"
    assert [r["quarter"] for r in list_rebases(con, "force", "calls_999_within_10s")] == ["2021/22 Q3"]


def test_stored_rebases_are_what_the_library_reads(con):
    from assurance.domain.compare import rebases_by_series

    add_rebase(con, "shropshire", POR, "2021/22 Q2", "New crime recording rules")
    assert rebases_by_series(con) == {("shropshire", POR): ["2021/22 Q2"]}


@pytest.mark.parametrize(
    ("area", "metric", "quarter", "reason", "message"),
    [
        ("atlantis", POR, "2021/22 Q2", "x", "Unknown area 'atlantis'"),
        ("shropshire", "happiness_index", "2021/22 Q2", "x", "Unknown metric 'happiness_index'"),
        ("shropshire", POR, "2021 Q2", "x", "Bad quarter: '2021 Q2' is not a financial quarter"),
        ("shropshire", POR, "2021/23 Q2", "x", "Bad quarter: '2021/23 Q2': a financial year runs"),
        ("shropshire", POR, "2018/19 Q1", "x", "2018/19 Q1 is the first quarter of the positive_outcome_rate series"),
        ("shropshire", POR, "2030/31 Q1", "x", "No positive_outcome_rate figure for shropshire in 2030/31 Q1"),
        ("shropshire", "calls_999_within_10s", "2021/22 Q2", "x", "No calls_999_within_10s figure for shropshire"),
        ("shropshire", POR, "2021/22 Q2", "", "The reason is empty"),
        ("shropshire", POR, "2021/22 Q2", "   ", "The reason is empty"),
        ("shropshire", POR, "2021/22 Q2", "x" * 501, "The reason is 501 characters long"),
    ],
)
def test_bad_requests_are_refused_with_a_message_naming_the_problem_and_write_nothing(
    con, area, metric, quarter, reason, message
):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        add_rebase(con, area, metric, quarter, reason)
    assert stored(con) == []


def test_a_duplicate_is_refused_and_the_first_kept(con):
    add_rebase(con, "shropshire", POR, "2021/22 Q2", "First")
    with pytest.raises(ValueError, match="There is already a rebase at 2021/22 Q2 for positive_outcome_rate"):
        add_rebase(con, "shropshire", POR, "2021/22 q2", "Second")
    assert stored(con) == [("shropshire", POR, "2021/22 Q2", "First", "local user")]


def test_a_failed_add_leaves_no_transaction_open(con):
    with pytest.raises(ValueError):
        add_rebase(con, "shropshire", POR, "2021/22 Q2", "")
    add_rebase(con, "shropshire", POR, "2021/22 Q2", "Now with a reason")
    assert len(stored(con)) == 1


def test_removing_a_rebase_that_is_not_there_says_so(con):
    with pytest.raises(ValueError, match="There is no rebase at 2021/22 Q2 for positive_outcome_rate in shropshire"):
        remove_rebase(con, "shropshire", POR, "2021/22 Q2")
    with pytest.raises(ValueError, match="Bad quarter"):
        remove_rebase(con, "shropshire", POR, "last spring")


def test_a_rebase_already_there_is_refused_and_a_wrong_request_is_bad_input(con):
    """A second rebase at a quarter is Refused (a warning on the Trend page); naming what is not there is
    InvalidInput (an error). Both exit 2 from the command line."""
    add_rebase(con, "shropshire", POR, "2021/22 Q2", "First")
    with pytest.raises(Refused, match="There is already a rebase at 2021/22 Q2") as caught:
        add_rebase(con, "shropshire", POR, "2021/22 Q2", "Second")
    assert (caught.value.exit_code, caught.value.page_kind) == (2, "warning")
    for request in (
        lambda: add_rebase(con, "atlantis", POR, "2021/22 Q2", "x"),
        lambda: add_rebase(con, "shropshire", POR, "2030/31 Q1", "x"),
        lambda: remove_rebase(con, "shropshire", POR, "2019/20 Q1"),
        lambda: remove_rebase(con, "shropshire", POR, "last spring"),
    ):
        with pytest.raises(InvalidInput) as caught:
            request()
        assert (caught.value.exit_code, caught.value.page_kind) == (2, "error")
    assert stored(con) == [("shropshire", POR, "2021/22 Q2", "First", "local user")]


def test_hostile_text_is_stored_as_text(con):
    reason = "'); DROP TABLE spc_rebases; --"
    add_rebase(con, "shropshire", POR, "2021/22 Q2", reason)
    assert list_rebases(con, "shropshire", POR)[0]["reason"] == reason
