"""ui/errors.py: the one way a page shows what went wrong — the error's kind decides error or warning, its details
are listed, and a message kept by a form's callback shows once on the next run."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page(kind: str) -> None:
    from assurance.core.errors import DatabaseError, InvalidInput, Refused
    from ui import errors

    class Report(InvalidInput):
        def details(self) -> list[str]:
            return ["row 3, column value: expected a number, found 'n/a'", "row 9, column quarter: expected 2024/25 Q2"]

    raised = {
        "invalid": Report("nothing can be loaded: 2 problems"),
        "refused": Refused("load 2 must be undone first"),
        "database": DatabaseError("the database is in use by another program"),
        "value": ValueError("say who is making the change"),
        "fault": OSError("disk full"),
    }[kind]
    errors.show(raised, "Not saved: ")


@pytest.mark.parametrize(
    ("kind", "shown_as", "text"),
    [
        ("invalid", "error", "Not saved: nothing can be loaded: 2 problems"),
        ("refused", "warning", "Not saved: load 2 must be undone first"),
        ("database", "error", "Not saved: the database is in use by another program"),
        ("value", "error", "Not saved: say who is making the change"),
        ("fault", "error", "Not saved: OSError: disk full"),  # a fault is named by its type
    ],
)
def test_the_kind_of_error_decides_how_a_page_shows_it(kind, shown_as, text):
    at = AppTest.from_function(_page, args=(kind,), default_timeout=30).run()
    assert not at.exception
    other = "warning" if shown_as == "error" else "error"
    (shown,) = getattr(at, shown_as)
    assert not getattr(at, other)
    assert shown.value.split("\n")[0] == text
    assert shown.icon == "⚠️"


def test_the_details_of_an_error_are_listed_under_it():
    at = AppTest.from_function(_page, args=("invalid",), default_timeout=30).run()
    assert at.error[0].value.split("\n")[1:] == [
        "- row 3, column value: expected a number, found 'n/a'",
        "- row 9, column quarter: expected 2024/25 Q2",
    ]


def _kept_page() -> None:
    import streamlit as st

    from ui import errors
    from ui.text import plain

    def save() -> None:
        errors.keep("_message", ValueError("there is no user **x**"), "Not changed: ")

    st.button("Save", on_click=save)
    errors.show_kept("_message", text=plain)


def test_a_kept_message_shows_once_on_the_next_run_with_its_words_escaped():
    at = AppTest.from_function(_kept_page, default_timeout=30).run()
    assert not at.error
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Not changed: there is no user \\*\\*x\\*\\*"]
    at.run()
    assert not at.error  # shown once
