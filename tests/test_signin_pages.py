"""Sign-in and roles as the pages show them (AppTest, st.user seeded as the identity provider would fill it).

With sign-in configured nothing is shown before signing in; a viewer reads every page and finds no control
that writes; an editor (by email or by group claim) gets the controls and their change is audited under the
identity the provider gave; an admin manages roles on the Access page. The real sign-in round trip through an
OpenID Connect provider and a browser is in tests/e2e/test_signin_browser.py.
"""

from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assurance.domain import access
from assurance.domain.setup import init_database
from assurance.store.connection import connect
from ui import pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
VIEWER = "viewer@opcc.example"
EDITOR = "charity.pearce@opcc.example"
ADMIN = "infosec@opcc.example"
ROLES = f"""
default_role = "viewer"

[users]
"{EDITOR}" = "editor"
"{ADMIN}" = "admin"

[groups]
"OPCC Policy Officers" = "editor"
"""
EDITOR_PAGES = {entry.path for entry in pages.PAGES if entry.role != pages.VIEWER}
# Every page that changes something, and the labels of the controls that would change it.
WRITE_PAGES = {
    pages.path("actions"): ["Add action", "Add update", "Save changes", "Change status", "Schedule"],
    pages.path("recommendations"): ["Save changes", "Add recommendation"],
    pages.path("minutes_import"): ["Read the minutes", "Save accepted items"],
    pages.path("data"): ["Load these files", "Undo load"],
    pages.path("meeting"): ["Save item", "Add item", "Move up", "Move down", "Remove from the agenda"],
    pages.path("trend"): ["Add rebase point", "Remove"],
    pages.path("access"): ["Give this role", "Remove the entry"],
}


@pytest.fixture()
def signed_in_setup(tmp_path, monkeypatch) -> Path:
    """Sign-in configured ([auth] in a secrets file), a roles file, and a database of the test's own."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "test-cookie-secret-32-bytes-long!!"\n'
        'client_id = "dashboard"\nclient_secret = "x"\n'
        'server_metadata_url = "http://localhost:9/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setattr(access, "SECRETS_FILES", (secrets,))
    monkeypatch.setenv(access.ROLES_ENV, str(roles))
    db = tmp_path / "signin.duckdb"
    init_database(db, demo=True)
    monkeypatch.setenv("ASSURANCE_DB", str(db))
    return db


def app(user: dict | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.user = {"is_logged_in": True, **user}
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_nothing_is_shown_before_signing_in(signed_in_setup):
    at = app(None)
    assert labels(at) == ["Sign in"]
    assert "Sign in with your organisation account" in at.markdown[0].value
    assert not at.metric and not at.dataframe  # no figure of any kind before sign-in
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["mode"] = "meeting"
    at.run()
    assert labels(at) == ["Sign in"]  # the meeting display too


def write_controls(at: AppTest, page: str) -> list[str]:
    found = [label for label in labels(at) if any(label.startswith(w) for w in WRITE_PAGES[page])]
    return (
        found
        + ["file uploader"] * len(at.get("file_uploader"))
        + ["name field"] * ("editor_name" in [t.key for t in at.text_input])
    )


@pytest.mark.parametrize("page", list(WRITE_PAGES))
def test_a_viewer_finds_no_control_that_writes(signed_in_setup, page):
    if page in EDITOR_PAGES:  # not in a viewer's navigation at all (the next test), so no control either
        at = app({"email": VIEWER})
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        at.run()
    else:
        at = app({"email": VIEWER}, page)
        shown = " ".join(m.value for m in at.info) + " ".join(c.value for c in at.caption)
        assert "viewer" in shown
    assert write_controls(at, page) == [], f"{page} offers a viewer {write_controls(at, page)}"
    # The same page offers the controls to the role that may use them (so this test can see them).
    allowed = app({"email": ADMIN if page.endswith("access.py") else EDITOR}, page)
    assert write_controls(allowed, page), f"{page} shows no write control to an editor either"


def test_a_viewer_s_navigation_lacks_the_editor_pages_and_a_link_to_one_opens_no_page(signed_in_setup):
    """The navigation is built from ui/pages.py for the person's role; Streamlit runs no page outside it."""
    assert {pages.page("minutes_import").path, pages.page("data").path} <= EDITOR_PAGES
    viewer = app({"email": VIEWER})
    for page in sorted(EDITOR_PAGES):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            viewer.switch_page(page)
    for entry in pages.PAGES:
        if entry.path not in EDITOR_PAGES:
            viewer.switch_page(entry.path)  # every other page is there for a viewer to read
    for person in (EDITOR, ADMIN):
        for page in sorted(EDITOR_PAGES):
            at = app({"email": person}, page)
            assert at.title[0].value == pages.page(Path(page).stem).title


def test_the_viewer_is_named_in_the_sidebar_and_can_sign_out(signed_in_setup):
    at = app({"email": VIEWER})
    assert f"Signed in as `{VIEWER}` (viewer)" in [m.value for m in at.sidebar.markdown]
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_a_viewer_can_open_the_meeting_display(signed_in_setup):
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": VIEWER}
    at.query_params["mode"] = "meeting"
    at.run()
    assert not at.exception
    assert "Sign in" not in labels(at)
    assert at.title[0].value.startswith("Accountability & Assurance meeting")
    assert not at.text_input and not at.get("form")  # the display has no editing controls for anyone


def _add_action(at: AppTest, text: str) -> None:
    form = "add_action"
    [a for a in at.text_area if a.label == "Action" and form in str(a.proto.form_id)][0].input(text)
    [t for t in at.text_input if t.label.startswith("Owner") and form in str(t.proto.form_id)][0].input("T/CC")
    next(b for b in at.button if b.label == "Add action").click().run()


@pytest.mark.parametrize(
    ("claims", "identity"),
    [
        ({"email": EDITOR.upper()}, EDITOR.upper()),  # listed by email, any case
        (
            {"preferred_username": "p.officer@opcc.example", "groups": ["OPCC Policy Officers"]},
            "p.officer@opcc.example",
        ),
    ],
    ids=["by-email", "by-group-claim"],
)
def test_an_editor_s_change_is_audited_under_the_identity_the_provider_gave(signed_in_setup, claims, identity):
    at = app(claims, pages.path("actions"))
    assert "editor_name" not in [t.key for t in at.text_input]  # the name comes from the sign-in, not typed
    assert any(f"recorded in the audit trail as `{identity}`" in c.value for c in at.caption)
    _add_action(at, "Share the Op Presence dates")
    assert not at.exception and not at.error
    con = connect(signed_in_setup)  # the app's own configuration: DuckDB shares the open file
    try:
        who = con.execute(
            "SELECT changed_by FROM audit_log WHERE entity = 'action' AND operation = 'create' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        text = con.execute("SELECT text FROM actions ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()
    assert who == (identity,)
    assert text == "Share the Op Presence dates"


def test_an_admin_sees_who_holds_which_role_and_grants_one(signed_in_setup, tmp_path):
    at = app({"email": ADMIN}, pages.path("access"))
    table = at.dataframe[0].value
    assert list(table["Name"]) == ["anyone else signed in", EDITOR, ADMIN, "opcc policy officers"]
    at.selectbox(key="access_kind").set_value("user")
    at.text_input(key="access_name").input("New.Officer@OPCC.example")
    at.selectbox(key="access_role").set_value("editor")
    next(b for b in at.button if b.label == "Give this role").click().run()
    assert not at.exception
    # The address as written, in a code span: Markdown would otherwise make it a mailto link.
    assert "`new.officer@opcc.example` now has the role editor (was not listed)" in unescape(at.success[0].value)
    roles = tomllib.loads(Path(access.roles_path()).read_text(encoding="utf-8"))
    assert roles["users"]["new.officer@opcc.example"] == "editor"
    history = at.dataframe[-1].value
    assert list(history["By"]) == [ADMIN]
    assert list(history["Entry"]) == ["user:new.officer@opcc.example"]


def test_an_editor_does_not_see_the_role_table(signed_in_setup):
    at = app({"email": EDITOR}, pages.path("access"))
    assert f"Signed in as `{EDITOR}` with the **editor** role." in [m.value for m in at.markdown]
    assert not at.dataframe
    assert any("Only an admin sees who holds which role" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("auth", "buttons"),
    [
        ({"client_id": "x", "client_kwargs": {"prompt": "select_account"}}, ["Sign in"]),
        (
            {"microsoft": {"client_id": "a"}, "okta": {"client_id": "b"}},
            ["Sign in with microsoft", "Sign in with okta"],
        ),
    ],
    ids=["one-provider", "named-providers"],
)
def test_one_sign_in_button_per_configured_provider(signed_in_setup, auth, buttons):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = auth
    at.run()
    assert not at.exception
    assert labels(at) == buttons


def test_each_signed_in_session_is_logged_once_with_its_role(signed_in_setup, caplog):
    caplog.set_level("INFO", logger="assurance.security")
    at = app({"email": EDITOR}, pages.path("actions"))
    at.run()  # a rerun in the same session is not logged again
    app({"email": "someone.else@opcc.example"})
    sign_ins = [r.getMessage() for r in caplog.records if r.name == "assurance.security"]
    assert sign_ins == [
        f"session: '{EDITOR}' signed in, role editor, 0 group claim(s)",
        "session: 'someone.else@opcc.example' signed in, role viewer, 0 group claim(s)",
    ]


def test_a_sign_in_older_than_a_working_day_must_be_made_again(signed_in_setup, caplog):
    """Streamlit keeps the sign-in cookie 30 days; the app asks again after 12 hours (ASSURANCE_MAX_SIGN_IN_HOURS)."""
    caplog.set_level("INFO", logger="assurance.security")
    at = app({"email": EDITOR, "iat": int(time.time()) - 13 * 3600})
    assert labels(at) == ["Sign in again"]
    assert "You signed in more than 12 hours ago" in at.markdown[0].value
    assert not at.metric and not at.dataframe  # no figure until signed in again
    assert any("asked to sign in again (signed in 13.0 h ago, limit 12 h)" in r.getMessage() for r in caplog.records)
    at = app({"email": EDITOR, "iat": int(time.time()) - 11 * 3600})  # within the day: the dashboard
    assert "Sign in again" not in labels(at) and at.metric


def test_the_sign_in_age_limit_is_configurable(signed_in_setup, monkeypatch):
    issued = int(time.time()) - 2 * 3600
    monkeypatch.setenv(access.MAX_SIGN_IN_ENV, "1")
    assert labels(app({"email": EDITOR, "iat": issued})) == ["Sign in again"]
    for off_or_default in ("0", "not a number"):  # 0 turns the check off; nonsense keeps the 12 hours
        monkeypatch.setenv(access.MAX_SIGN_IN_ENV, off_or_default)
        assert app({"email": EDITOR, "iat": issued}).metric
    monkeypatch.setenv(access.MAX_SIGN_IN_ENV, "0")
    assert app({"email": EDITOR, "iat": 0}).metric  # off: even a sign-in from 1970 is accepted
