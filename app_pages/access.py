"""Access: who you are signed in as and your role; for an admin, who holds which role and a way to change it."""

import pandas as pd
import streamlit as st

from assurance.domain import access
from ui import auth, errors, live, session, style
from ui.tables import HISTORY_HEADERS, data_table
from ui.text import identity, plain, plain_with_identities

con = session.connection()
st.title("Access and roles")
st.caption(
    "Viewers read every page and can open the meeting display. Editors (OPCC policy officers) change actions, "
    "recommendations, pledges, claims, imports and agendas. Admins also decide who holds which role. "
    "Every change is recorded in the audit trail under the person's identity."
)

person = auth.actor()
role = auth.role()
if access.mode() == access.LOCAL_MODE:
    st.info(auth.access_note(), icon="💻")
    st.markdown(
        "To let colleagues sign in with their organisation accounts, configure sign-in (the `[auth]` section of "
        "`.streamlit/secrets.toml`) and a roles file: see the README, “Sign-in and roles”."
    )
    live.stop()

st.markdown(f"Signed in as {identity(person) if person else 'nobody'} with the **{role}** role.")
groups = getattr(person, "groups", ())
st.caption("Groups and app roles from your sign-in: " + (", ".join(plain(g, 60) for g in groups) if groups else "none"))
st.caption(auth.access_note())

if role != "admin":
    st.info("Only an admin sees who holds which role. Ask one if your role is wrong.", icon="🔒")
    live.stop()

MESSAGE_KEY = "_access_message"
# The sentence carries the name as typed: shown as text, never as Markdown; an email as code, never a link.
errors.show_kept(MESSAGE_KEY, text=plain_with_identities)

st.subheader("Who holds which role")
rows = access.role_rows()
KIND_WORDS = {"default": "Everyone else", "user": "Person", "group": "Group or app role"}
if rows:
    st.dataframe(
        pd.DataFrame(
            {
                "Applies to": [KIND_WORDS[r["kind"]] for r in rows],
                "Name": [r["name"] for r in rows],
                "Role": [r["role"] for r in rows],
            }
        ),
        hide_index=True,
        width="stretch",
        height=style.table_height(len(rows)) if len(rows) < 15 else 560,
    )
else:
    st.info(f"There is no roles file yet ({access.roles_path()}): everyone signed in may only view.")


def _change(remove: bool) -> None:
    kind = st.session_state["access_kind"]
    name = st.session_state.get("access_name", "")
    chosen = None if remove else st.session_state["access_role"]
    try:
        with session.writer() as writable:
            said = access.set_role(writable, kind, name, chosen, by=auth.actor())
    except (ValueError, OSError) as exc:
        errors.keep(MESSAGE_KEY, exc, "Not changed: ")
    else:
        errors.keep(MESSAGE_KEY, errors.Message("success", said))


st.subheader("Give or remove a role")
with st.form("access_form"):
    kind_col, name_col, role_col = st.columns([1, 3, 1])
    kind_col.selectbox("Applies to", ["user", "group", "default"], key="access_kind", format_func=KIND_WORDS.get)
    name_col.text_input(
        "Email, or group name / object id (not needed for everyone else)",
        key="access_name",
        max_chars=200,
        placeholder="e.g. charity.pearce@westmercia.pcc.police.uk",
    )
    role_col.selectbox("Role", list(access.ROLES), key="access_role")
    give, remove = st.columns(2)
    give.form_submit_button("Give this role", type="primary", on_click=_change, args=(False,))
    remove.form_submit_button("Remove the entry", on_click=_change, args=(True,))
st.caption("The change applies at the person's next page run; the roles file is rewritten whole and kept readable.")

history = access.role_changes(con)
if not history.empty:
    st.subheader("Changes to roles")
    data_table(
        history,
        HISTORY_HEADERS | {"changed_by": "By", "entity_id": "Entry", "old_value": "Was", "new_value": "Now"},
    )
