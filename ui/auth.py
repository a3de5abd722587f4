"""Who is acting: the sign-in screen, the signed-in person and their role, and what a page says to a viewer.

With sign-in configured ([auth] in .streamlit/secrets.toml) the person is whoever the identity provider says
(st.user) and their role comes from the roles file; without it the app runs in local single-user mode and asks
for a name to record. Pages pass actor() (an access.Actor, identity and groups) to the library, which refuses a
viewer whatever the page shows (assurance.domain.access.who).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import NoReturn

import streamlit as st

from assurance.domain import access
from ui.text import identity


def _streamlit_has_auth() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets file at all (not configured), or one Streamlit cannot read
        # A secrets file that exists but cannot be read never means "local mode, everyone edits": fail closed.
        return any(Path(p).expanduser().is_file() for p in st.get_option("secrets.files") or [])


def sign_in_enabled() -> bool:
    """Whether sign-in is configured; once seen, the library never falls back to local single-user mode."""
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
    person = access.actor_from_claims(claims)
    limit, age = access.max_sign_in_age_hours(), access.sign_in_age_hours(claims)
    if limit is not None and age is not None and age > limit:
        if not st.session_state.get("_sign_in_expiry_logged"):  # once per session, not every rerun
            st.session_state["_sign_in_expiry_logged"] = True
            access.security_log.info(
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
            held = access.role_of(person)
        except access.AccessDenied:
            held = "none (the roles file cannot be read)"
        access.security_log.info(
            "session: %r signed in, role %s, %d group claim(s)", person.identity, held, len(person.groups)
        )


def actor():
    """The person acting in this session: the signed-in Actor, or (local mode) the name given, else None."""
    if "_actor" in st.session_state:
        return st.session_state["_actor"]
    name = st.session_state.get("editor_name", "").strip()
    return access.Actor(name) if name else None


def role() -> str:
    """This session's role; viewer when the roles file cannot be read (every write is refused then)."""
    try:
        return access.role_of(actor())
    except access.AccessDenied:
        return "viewer"


def can_edit(need: str = "editor") -> bool:
    return access.ROLES.index(role()) >= access.ROLES.index(need)


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
    try:
        return access.describe_mode()
    except access.AccessDenied as exc:  # a roles file that cannot be read: every write is refused, say why
        return str(exc)
