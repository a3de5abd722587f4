"""The shared state of a dashboard session: database, cached dataset, quarter and focus LPA.

The quarter and the focus LPA live in the URL query string (``?quarter=2024/25+Q2&lpa=shropshire``)
so a copied link reopens the same view. Values that are not in the data fall back to the
default with a plain message, never a traceback.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import duckdb
import streamlit as st

from assurance.core.paths import database_path
from assurance.domain.performance import ILLUSTRATIVE_NOTE, Dataset, load_dataset
from assurance.domain.setup import ensure_database, upgrade
from assurance.store.connection import connect

DEFAULT_LPA = "shropshire"


@st.cache_resource(show_spinner="Opening the database…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One connection per server process; the file is created with demo data on first start."""
    ensure_database(path)
    con = connect(path)
    upgrade(con)  # a file from an older version of the program is migrated, never rebuilt
    return con


@st.cache_resource(show_spinner=False)
def _inbox_watcher(path: str):
    """One thread per server process loading the batches `python -m assurance import` queues while the app
    holds the database (see assurance/commands/inbox.py), through the same load function, on the app's connection."""

    from assurance.commands.inbox import start_watcher

    return start_watcher(_connection(path), Path(path))


def connection() -> duckdb.DuckDBPyConnection:
    path = str(database_path())
    con = _connection(path)
    _inbox_watcher(path)
    return con


def _data_stamp(con: duckdb.DuckDBPyConnection) -> tuple:
    cursor = con.cursor()
    try:
        return cursor.execute(
            "SELECT count(*), max(loaded_at), (SELECT count(*) FROM targets) FROM observations"
        ).fetchone()
    finally:
        cursor.close()


@st.cache_resource(show_spinner=False, max_entries=4)
def _dataset(path: str, stamp: tuple) -> Dataset:
    """Shared, not copied per session (cache_resource): the Dataset is read-only and keeps its own
    look-up indexes and SPC results, which a per-session copy would rebuild on every run."""
    return load_dataset(_connection(path))


def commitments_stamp() -> tuple:
    """Changes whenever actions, recommendations, pledges, claims, meetings, agendas or rebase points change."""
    from assurance.store import queries

    cursor = connection().cursor()
    try:
        return tuple(cursor.execute(queries.sql("commitments_stamp")).fetchone())
    finally:
        cursor.close()


def stamp() -> tuple:
    """The data and the commitments together: a cache keyed on this is never stale."""
    return _data_stamp(connection()), commitments_stamp()


def dataset() -> Dataset:
    """The observations, catalogue, areas and targets, re-read whenever the data change."""
    con = connection()
    return _dataset(str(database_path()), _data_stamp(con))


def plain(text: object, limit: int = 60) -> str:
    """User-supplied text made safe to show inside Markdown: shortened, with Markdown characters escaped."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit] + "…"
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~>])", r"\\\1", value)


def literal(frame):
    """A copy of a DataFrame for st.table, whose cells render Markdown: every cell as escaped text, so what was
    recorded shows exactly as written (an empty cell as –; $ escaped too, which Markdown would read as LaTeX)."""
    shown = frame.astype(object).where(frame.notna(), "–").astype(str)
    return shown.map(lambda v: plain(v, 4000).replace("$", "\\$"))


def plain_with_identities(text: object, limit: int = 600) -> str:
    """A sentence about people for Markdown: every email-like word as code (shown as written, never a mailto
    link, which Markdown makes of an address even with its punctuation escaped), the rest as plain()."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit] + "…"
    parts = re.split(r"(\S+@\S+)", value)
    return "".join(identity(part) if i % 2 else plain(part, limit) for i, part in enumerate(parts))


@dataclass(frozen=True)
class Selection:
    quarter: str
    lpa: str
    lpa_name: str


def lpa_code(ds: Dataset, text: str) -> str | None:
    """The LPA code for a code or name as written in a URL (case, spaces, & and hyphens forgiven); None if unknown."""
    wanted = text.strip().lower().replace("-", "_").replace(" ", "_").replace("&", "and")
    for row in ds.lpas.itertuples():
        name = row.name.lower().replace(" ", "_").replace("&", "and")
        if wanted in (row.code, name):
            return row.code
    return None


def sidebar(ds: Dataset) -> Selection:
    """The quarter and focus LPA chosen in the sidebar, read from and written back to the URL."""
    quarters = ds.quarters[::-1]  # latest first
    lpas = ds.lpas
    codes = lpas["code"].tolist()
    names = dict(zip(lpas["code"], lpas["name"], strict=True))
    params = st.query_params

    if "quarter" not in st.session_state:
        wanted = params.get("quarter")
        if wanted and wanted not in quarters:
            st.session_state["_notice_quarter"] = (
                f"Quarter “{plain(wanted)}” is not in the data; showing {quarters[0] if quarters else 'none'}. "
                "Quarters are written like 2024/25 Q2."
            )
            wanted = None
        st.session_state["quarter"] = wanted or (quarters[0] if quarters else None)
    if "lpa" not in st.session_state:
        wanted = params.get("lpa")
        code = lpa_code(ds, wanted) if wanted else DEFAULT_LPA
        if code is None:
            st.session_state["_notice_lpa"] = (
                f"There is no LPA called “{plain(wanted)}”; showing {names[DEFAULT_LPA]}. "
                f"The LPAs are {', '.join(names.values())}."
            )
            code = DEFAULT_LPA
        st.session_state["lpa"] = code

    with st.sidebar:
        quarter = st.selectbox(
            "Quarter", quarters, key="quarter", help="Financial quarter: Q1 = Apr–Jun … Q4 = Jan–Mar"
        )
        lpa = st.selectbox("Focus LPA", codes, key="lpa", format_func=names.get)
        st.caption("The link in the address bar reopens this view.")

    for key in ("_notice_quarter", "_notice_lpa"):
        if key in st.session_state:
            st.warning(st.session_state.pop(key), icon="ℹ️")
    if quarter is not None:
        params["quarter"] = quarter
    params["lpa"] = lpa
    return Selection(quarter=quarter, lpa=lpa, lpa_name=names[lpa])


def illustrative_banner(ds: Dataset, quarter: str | None = None) -> None:
    if ds.observations.empty:
        return
    from assurance.domain.performance import any_illustrative

    if any_illustrative(ds, quarter):
        st.info(ILLUSTRATIVE_NOTE, icon="🧪")


# Static: written here, never built from user text. Streamlit cuts a metric's label, value, delta and delta
# description, and a page link's label, to one line ending in "…" (or in nothing at all): on a 1366 px screen
# with the sidebar open that hid words that matter ("Median days to close an inv…", "better than 2023/…",
# "Common cau"). Here they wrap instead; the flex row that holds a delta and its description wraps too, so a
# description that does not fit beside its delta goes under it. Tested by tests/e2e/test_screens_browser.py.
PAGE_CSS = """<style>
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] [data-testid="stCaptionContainer"],
[data-testid="stMetric"] [data-testid="stMetricDeltaDescription"], [data-testid="stMetric"] p,
[data-testid="stPageLink-NavLink"] span, [data-testid="stPageLink-NavLink"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) {
  flex-wrap: wrap; overflow: visible !important; row-gap: 0.2rem; }
</style>"""


def page_styles() -> None:
    """The dashboard pages' own CSS (PAGE_CSS); the meeting display has its own (ui/meeting.py)."""
    st.html(PAGE_CSS)


def selection() -> Selection:
    """The selection made by the sidebar in dashboard.py for this run."""
    return st.session_state["_selection"]


def table_height(rows: int) -> int:
    """Pixels for st.dataframe to show every row without an inner scroll bar."""
    return 38 + 35 * rows + 2


# Who is acting. With sign-in configured ([auth] in .streamlit/secrets.toml) the person is whoever the
# identity provider says (st.user) and their role comes from the roles file; without it the app runs in
# local single-user mode and asks for a name to record. Pages pass actor() (an access.Actor, identity and
# groups) to the library, which refuses a viewer whatever the page shows (assurance.store.audit.who).


def _streamlit_has_auth() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets file at all (not configured), or one Streamlit cannot read
        # A secrets file that exists but cannot be read never means "local mode, everyone edits": fail closed.
        return any(Path(p).expanduser().is_file() for p in st.get_option("secrets.files") or [])


def sign_in_enabled() -> bool:
    """Whether sign-in is configured; once seen, the library never falls back to local single-user mode."""
    from assurance.domain import access

    enabled = access.auth_configured() or _streamlit_has_auth()
    if enabled:
        access.declare_sign_in()
    return enabled


def _providers() -> list[str | None]:
    """Named providers ([auth.microsoft], [auth.okta] ...) or [None] for one provider configured in [auth]."""
    try:
        section = dict(st.secrets.get("auth") or {})
    except Exception:  # as above: no secrets, the default provider
        return [None]
    # A provider section has its own client id (client_kwargs is a table too, but not a provider).
    named = [name for name, value in section.items() if hasattr(value, "keys") and "client_id" in value]
    return named or [None]


def _security_log_to_stderr() -> None:
    """The app prints the library's security log (sign-ins, refused changes, role changes) to the server's
    stderr, once per process, for the organisation's log collection."""
    log = logging.getLogger("assurance.security")
    if any(getattr(handler, "assurance_app", False) for handler in log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.assurance_app = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def _sign_in_screen(text: str, buttons: list[tuple[str, str | None]]) -> NoReturn:
    """Stop this run showing only the way (back) in: a sentence and a button per (label, provider)."""
    st.session_state.pop("_actor", None)
    st.title("West Mercia A&A performance")
    st.markdown(text)
    for label, provider in buttons:
        st.button(label, type="primary", on_click=st.login, args=(provider,), key=f"sign_in_{provider}")
    st.stop()
    raise AssertionError("st.stop() ends the run")  # pragma: no cover


def require_sign_in() -> None:
    """With sign-in configured, stop this run with a sign-in screen until the person has signed in.

    A sign-in older than the limit (12 hours unless ``ASSURANCE_MAX_SIGN_IN_HOURS`` says otherwise) must be made
    again: Streamlit keeps a signed-in person's cookie for 30 days whatever the identity provider says since, so
    without this a disabled account or a changed group would go on working.
    """
    from assurance.domain.access import (
        AccessDenied,
        actor_from_claims,
        max_sign_in_age_hours,
        role_of,
        security_log,
        sign_in_age_hours,
    )

    _security_log_to_stderr()
    if not sign_in_enabled():
        st.session_state.pop("_actor", None)
        return
    claims = st.user.to_dict()  # no is_logged_in at all when Streamlit itself sees no [auth]: not signed in
    if not claims.get("is_logged_in"):
        _sign_in_screen(
            "Sign in with your organisation account to see the performance dashboard. "
            "What you may change depends on your role (viewer, editor or admin).",
            [("Sign in" if provider is None else f"Sign in with {provider}", provider) for provider in _providers()],
        )
    person = actor_from_claims(claims)
    limit, age = max_sign_in_age_hours(), sign_in_age_hours(claims)
    if limit is not None and age is not None and age > limit:
        if not st.session_state.get("_sign_in_expiry_logged"):  # once per session, not every rerun
            st.session_state["_sign_in_expiry_logged"] = True
            security_log.info(
                "session: %r asked to sign in again (signed in %.1f h ago, limit %g h)", person.identity, age, limit
            )
        provider = claims.get("provider")
        _sign_in_screen(
            f"You signed in more than {limit:g} hours ago. Sign in again to go on: the dashboard asks every "
            f"{limit:g} hours, so that an account the organisation has closed stops working.",
            [("Sign in again", provider if provider in _providers() else None)],
        )
    st.session_state["_actor"] = person
    if st.session_state.get("_sign_in_logged") != person.identity:  # once per session, not every rerun
        st.session_state["_sign_in_logged"] = person.identity
        try:
            held = role_of(person)
        except AccessDenied:
            held = "none (the roles file cannot be read)"
        security_log.info(
            "session: %r signed in, role %s, %d group claim(s)", person.identity, held, len(person.groups)
        )


def identity(person) -> str:
    """An identity for Markdown: as code, so an email is shown as written, never turned into a link."""
    return "`" + str(person).replace("`", "'")[:120] + "`"


def actor():
    """The person acting in this session: the signed-in Actor, or (local mode) the name given, else None."""
    from assurance.domain.access import Actor

    if "_actor" in st.session_state:
        return st.session_state["_actor"]
    name = st.session_state.get("editor_name", "").strip()
    return Actor(name) if name else None


def role() -> str:
    """This session's role; viewer when the roles file cannot be read (every write is refused then)."""
    from assurance.domain.access import AccessDenied, role_of

    try:
        return role_of(actor())
    except AccessDenied:
        return "viewer"


def can_edit(need: str = "editor") -> bool:
    from assurance.domain.access import ROLES

    return ROLES.index(role()) >= ROLES.index(need)


def read_only(what: str = "make changes here") -> bool:
    """True, after saying why in one line, when this session may not make changes (a viewer)."""
    if can_edit():
        return False
    person = actor()
    who = f"You are signed in as {identity(person)}" if person else "You are not signed in"
    st.info(
        f"{who} with the **{role()}** role: you can read everything here. To {what} you need the editor role; "
        "an admin grants roles on the Access page.",
        icon="🔒",
    )
    return True


def editor_name():
    """Who the changes made on this page are recorded as: the signed-in person, or (local single-user mode)
    a name asked once and kept for the session. Returns an access.Actor, or the name typed (maybe empty)."""
    person = st.session_state.get("_actor")
    if person is not None:
        st.caption(f"Changes are recorded in the audit trail as {identity(person)}.")
        return person
    return st.text_input(
        "Your name (recorded in the audit trail with every change)",
        key="editor_name",
        max_chars=120,
        placeholder="e.g. Charity Pearce",
    ).strip()


def acting_user():
    """Who this session acts as for writes without a name field of their own (the name given on another page)."""
    return actor()


def signed_in_sidebar() -> None:
    """The signed-in person, their role and a sign-out button, in the sidebar (nothing in local mode)."""
    person = st.session_state.get("_actor")
    if person is None:
        return
    with st.sidebar:
        st.markdown(f"Signed in as {identity(person)} ({role()})")
        st.button("Sign out", on_click=st.logout, key="sign_out")


def access_note() -> str:
    """One sentence on who may change what here: local single-user mode, or where the roles come from."""
    from assurance.domain.access import AccessDenied, describe_mode

    try:
        return describe_mode()
    except AccessDenied as exc:  # a roles file that cannot be read: every write is refused, say why
        return str(exc)
