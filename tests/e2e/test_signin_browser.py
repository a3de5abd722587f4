"""Signing in for real: a local OpenID Connect provider (oidc-provider-mock), the dashboard with [auth]
configured, and Chromium going through the provider's authorisation page and back.

The viewer reads every page but the editor's (importing minutes, loading data: not in a viewer's navigation, and a
link to one opens no page), finds no control that writes, can open the meeting display, and a write made
through the library with the viewer's identity is refused; the editor (an editor through a group claim)
adds an action, and the audit trail records it under the identity the provider gave.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import Browser, Page, expect

from assurance.domain import access
from assurance.domain.commitments.actions import add_action
from assurance.domain.setup import init_database
from assurance.store.connection import connect
from ui import pages

from .conftest import ROOT, Server, run_streamlit

VIEWER = User(sub="viewer-1", claims={"email": "meeting.room@opcc.example", "name": "Meeting Room"})
EDITOR = User(
    sub="editor-1",
    claims={"email": "policy.officer@opcc.example", "name": "Policy Officer", "groups": ["OPCC Policy Officers"]},
)
ADMIN = User(sub="admin-1", claims={"email": "information.security@opcc.example", "name": "Information Security"})
ROLES = """
default_role = "viewer"

[users]
"information.security@opcc.example" = "admin"

[groups]
"OPCC Policy Officers" = "editor"
"""
ACTION = "Share the Op Presence dates with the OPCC before the next A&A"
TIMEOUT_MS = 30_000
EDITOR_TITLES = [entry.title for entry in pages.PAGES if entry.role != pages.VIEWER]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread(user_claims=[VIEWER, EDITOR, ADMIN]) as server:
        yield f"http://localhost:{server.server_port}"


def start_signed_in_server(
    provider: str, tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str] | None = None
):
    folder = tmp_path_factory.mktemp("signin")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-at-least-32-bytes"\n'
        'client_id = "a-and-a-dashboard"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    roles = folder / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    env = {"STREAMLIT_SECRETS_FILES": str(secrets), access.ROLES_ENV: str(roles), **(extra_env or {})}
    return run_streamlit(folder, env=env), roles


@pytest.fixture(scope="module")
def signed_in_server(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    running, roles = start_signed_in_server(provider, tmp_path_factory)
    with running as server:
        yield server, roles


def artifacts_dir() -> Path:
    return ROOT / "tests" / "artifacts"


def keep_for_docs(shot: Path) -> None:
    """With UPDATE_DOCS_SCREENSHOTS=1 the screenshot is also copied to docs/ for the README."""
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        shutil.copyfile(shot, ROOT / "docs" / shot.name)


def sign_in(browser: Browser, server: Server, user: User) -> Page:
    page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    page.goto(server.url)
    button = page.get_by_role("button", name="Sign in")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Shropshire")).to_have_count(0)  # nothing from the data before signing in
    if user is VIEWER:
        page.screenshot(path=str(artifacts_dir() / "signin.png"))
    button.click()
    page.get_by_role("button", name=user.sub).click(timeout=TIMEOUT_MS)  # the provider's authorisation page
    expect(page.get_by_text(f"Signed in as {user.claims['email']}")).to_be_visible(timeout=TIMEOUT_MS)
    return page


def test_the_viewer_reads_but_cannot_write(browser: Browser, signed_in_server, artifacts: Path, tmp_path: Path) -> None:
    server, roles = signed_in_server
    page = sign_in(browser, server, VIEWER)
    expect(page.get_by_text("Signed in as meeting.room@opcc.example (viewer)")).to_be_visible()
    # The editor's pages are not in a viewer's navigation, and a link to one opens no page: Streamlit says the page
    # is not found and runs the Overview instead.
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation.get_by_text("Action tracker")).to_be_visible(timeout=TIMEOUT_MS)
    for title in EDITOR_TITLES:
        expect(navigation.get_by_text(title, exact=True)).to_have_count(0)
    for path, what in [
        ("actions", "add, update, close or withdraw actions"),
        ("recommendations", "update or add recommendations"),
        ("import-minutes", None),
        ("data", None),
        ("meeting", "edit the agenda"),
    ]:
        page.goto(f"{server.url}/{path}")
        if what is None:
            expect(page.get_by_role("dialog").get_by_text("Page not found")).to_be_visible(timeout=TIMEOUT_MS)
            expect(page.get_by_text("Force performance").first).to_be_visible(timeout=TIMEOUT_MS)
            page.get_by_role("dialog").get_by_role("button", name="Close").click()
        else:
            expect(page.get_by_text(re.compile(f"To {re.escape(what)}.* you need the editor role"))).to_be_visible(
                timeout=TIMEOUT_MS
            )
        for label in ("Add action", "Save changes", "Save accepted items", "Add item", "Read the minutes"):
            expect(page.get_by_role("button", name=label)).to_have_count(0)
        expect(page.locator("input[type=file]")).to_have_count(0)
        expect(page.get_by_label(re.compile("Your name"))).to_have_count(0)
    page.goto(f"{server.url}/actions")
    expect(page.get_by_text("Action tracker").first).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "signin-viewer-actions.png"), full_page=False)

    # The meeting display opens for a viewer.
    page.goto(f"{server.url}/?mode=meeting")
    expect(page.get_by_text("Accountability & Assurance meeting").first).to_be_visible(timeout=TIMEOUT_MS)
    # The server's log records the sign-in, with the role, for the organisation's log collection.
    assert "assurance.security INFO session: 'meeting.room@opcc.example' signed in, role viewer" in server.log()

    # Whatever a page shows, the library refuses a write made with the viewer's identity.
    db = tmp_path / "library.duckdb"
    init_database(db, demo=True)
    con = connect(db)
    try:
        viewer = access.actor_from_claims({"sub": VIEWER.sub, **VIEWER.claims})
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(access.ROLES_ENV, str(roles))
            with pytest.raises(access.AccessDenied, match="meeting.room@opcc.example may only view"):
                add_action(con, meeting_id="2024-11-27-aa-performance", text=ACTION, owner="T/CC", by=viewer)
        assert con.execute("SELECT count(*) FROM actions WHERE text = $t", {"t": ACTION}).fetchone() == (0,)
    finally:
        con.close()

    # Signing out leaves nothing on screen but the way back in.
    page.goto(server.url)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click(timeout=TIMEOUT_MS)  # the provider's own sign-out page
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)


def test_the_editor_s_change_is_audited_under_the_editor_s_identity(
    browser: Browser, signed_in_server, artifacts: Path, tmp_path: Path
) -> None:
    server, _ = signed_in_server
    page = sign_in(browser, server, EDITOR)
    expect(page.get_by_text("Signed in as policy.officer@opcc.example (editor)")).to_be_visible()
    navigation = page.get_by_test_id("stSidebarNav")
    for title in EDITOR_TITLES:  # the pages a viewer does not get are in an editor's navigation
        expect(navigation.get_by_text(title, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    page.goto(f"{server.url}/import-minutes")
    expect(page.get_by_role("heading", name="Import minutes")).to_be_visible(timeout=TIMEOUT_MS)
    page.goto(f"{server.url}/actions")
    expect(page.get_by_text("recorded in the audit trail as policy.officer@opcc.example")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Add action"))
    form.get_by_label("Action").fill(ACTION)
    form.get_by_label("Owner (role as written, e.g. T/CC)").fill("T/CC")
    form.get_by_role("button", name="Add action").click()
    card = page.get_by_test_id("stText").filter(has_text=ACTION)  # the tracker's card, not the form's text box
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("4")  # open actions: 3 seeded + this one
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "signin-editor-actions.png"), full_page=False)

    # The audit trail, read from a consistent copy of the running dashboard's database.
    copy = tmp_path / "audit.duckdb"
    shutil.copyfile(server.db_path, copy)
    wal = server.db_path.with_name(server.db_path.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    con = connect(copy, read_only=True)
    try:
        rows = con.execute(
            "SELECT a.changed_by, CAST(a.changed_at AS DATE) FROM audit_log a JOIN actions x"
            " ON a.entity = 'action' AND a.entity_id = CAST(x.id AS VARCHAR) WHERE x.text = $t AND a.operation = 'create'",
            {"t": ACTION},
        ).fetchall()
    finally:
        con.close()
    assert rows == [("policy.officer@opcc.example", date.today())]


def test_an_admin_gives_a_role_in_the_browser(browser: Browser, signed_in_server, artifacts: Path) -> None:
    server, roles = signed_in_server
    page = sign_in(browser, server, ADMIN)
    page.goto(f"{server.url}/access")
    expect(page.get_by_text("Who holds which role", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    form = page.locator("[data-testid=stForm]")
    form.get_by_label(re.compile("^Email, or group name")).fill("Meeting.Room@OPCC.example")
    form.get_by_role("button", name="Give this role").click()  # Person / viewer are the defaults
    said = page.get_by_text("meeting.room@opcc.example now has the role viewer (was not listed)")
    expect(said).to_be_visible(timeout=TIMEOUT_MS)
    # The change raised the data version (its audit row): the live watcher must not rerun the page that shows
    # the message, which would take it away (ui/live.py). Ten of its looks later it is still there.
    page.wait_for_timeout(2_000)
    expect(said).to_be_visible()
    assert '"meeting.room@opcc.example" = "viewer"' in roles.read_text(encoding="utf-8")
    # The address typed is shown as written, never turned into a link.
    expect(page.locator('[data-testid="stAlert"] a')).to_have_count(0)
    expect(page.get_by_text("Changes to roles", exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as information.security@opcc.example (admin)")).to_be_attached()
    shot = artifacts / "access.png"
    page.screenshot(path=str(shot))
    keep_for_docs(shot)
    if (artifacts / "signin.png").exists():  # taken by the viewer's test, on the way in
        keep_for_docs(artifacts / "signin.png")


def test_an_old_sign_in_must_be_made_again(browser: Browser, provider: str, tmp_path_factory) -> None:
    """The provider's real ID token carries its issue time: past the limit the dashboard asks for a new sign-in."""
    limit_s = 12
    running, _ = start_signed_in_server(provider, tmp_path_factory, {access.MAX_SIGN_IN_ENV: str(limit_s / 3600)})
    with running as server:
        page = sign_in(browser, server, VIEWER)
        signed_in_at = time.monotonic()
        expect(page.get_by_text("Sign in again")).to_have_count(0)
        time.sleep(max(0.0, limit_s + 1 - (time.monotonic() - signed_in_at)))
        page.reload()
        again = page.get_by_role("button", name="Sign in again")
        expect(again).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_text("Shropshire")).to_have_count(0)  # nothing from the data meanwhile
        again.click()
        page.get_by_role("button", name=VIEWER.sub).click(timeout=TIMEOUT_MS)  # the provider's authorisation page
        expect(page.get_by_text(f"Signed in as {VIEWER.claims['email']}")).to_be_visible(timeout=TIMEOUT_MS)
        assert "asked to sign in again" in server.log()
