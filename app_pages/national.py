"""England and Wales: every force and every CSP per 1,000 residents, from police.uk, with funnels and peers."""

import streamlit as st

from assurance.domain.national.peers import reset_peers, save_peers
from assurance.sources.national.geography import POPULATION_NOTE
from assurance.sources.national.outcomes import ALL_CRIME, ASB, CRIME_TYPES, PROXY_CAVEAT
from assurance.sources.reference import ONS_ATTRIBUTION, POLICE_UK_ATTRIBUTION
from ui import auth, errors, live, national, selection, session
from ui.selection import code_from_url
from ui.tables import data_table

RESULT_KEY = "_national_result"
DEFAULT_FORCE = "west-mercia"
TYPES = [ALL_CRIME, *[t for t in CRIME_TYPES if t != ASB], ASB]

st.title("England and Wales: recorded crime per 1,000 residents")
st.caption(
    "From police.uk's street-level files for every force that publishes them; residents from the "
    f"{POPULATION_NOTE}. Recorded crimes leave out anti-social behaviour (incidents, not crimes). "
    "A force's figure counts every row of its own file; a CSP's, the force's rows whose LSOA lies in that CSP."
)
errors.show_kept(RESULT_KEY)

version = national.version()  # read once: every figure below is of this data version
available = national.quarters(version)
if available.empty:
    st.info(
        "No national data is loaded yet. Import police.uk's street-level archives (any months, any forces) with "
        "`python -m assurance import police-uk-street-2024-01.zip …`, or upload them on Data: imports and loads.",
        icon="ℹ️",
    )
    st.caption(POLICE_UK_ATTRIBUTION)
    live.stop()


def _quarter_label(row) -> str:
    if row.most_months < 3:
        return f"{row.quarter} (partial: {row.most_months} of 3 months loaded)"
    short = f"; {row.forces - row.full_forces} forces partial" if row.full_forces < row.forces else ""
    return f"{row.quarter} ({row.full_forces} forces{short})"


labels = {row.quarter: _quarter_label(row) for row in available.itertuples()}
params = st.query_params
left, middle, right = st.columns([2, 2, 2])
with left:
    wanted = params.get("nq")
    quarter = st.selectbox(
        "Quarter", list(labels), index=list(labels).index(wanted) if wanted in labels else 0, format_func=labels.get,
        key="national_quarter", help="Financial quarters (Q4 = January to March). A partial quarter is never ranked.",
    )  # fmt: skip
with middle:
    wanted = params.get("crime")
    crime_type = st.selectbox(
        "Crime type", TYPES, index=TYPES.index(wanted) if wanted in TYPES else 0, key="national_crime_type",
        format_func=lambda t: "Anti-social behaviour (incidents, not in All crime)" if t == ASB else t,
    )  # fmt: skip
is_asb = crime_type == ASB
what = "incidents" if is_asb else "crimes"
forces = national.forces(version, quarter, crime_type, what)
force_names = forces.names
with right:
    wanted = code_from_url(params.get("force", ""), force_names) if params.get("force") else None
    default = wanted or (DEFAULT_FORCE if DEFAULT_FORCE in force_names else next(iter(force_names), None))
    focus = st.selectbox(
        "Focus force", list(force_names), index=list(force_names).index(default) if default else 0,
        format_func=force_names.get, key="national_focus",
    )  # fmt: skip
params["nq"], params["crime"] = quarter, crime_type
if focus:
    params["force"] = focus

for note in forces.notes:
    st.info(note, icon="ℹ️")

peer_group = national.peers(version, "force", quarter, crime_type, focus) if focus else None
peers = peer_group.members if peer_group else []

st.header("Forces")
rate_tab, proxy_tab, table_tab = st.tabs(["Per 1,000 residents", "Positive-outcome proxy", "Table"])
peer_words = ", ".join(force_names.get(p, p) for p in peers)
with rate_tab:
    st.plotly_chart(
        national.figure(version, "slope", "force", quarter, crime_type, focus, peers),
        key="national_force_slope",
        width="stretch",
    )
    if peer_words:
        st.caption(f"{force_names[focus]} in blue; its peers in orange, hatched (squares on the funnel): {peer_words}.")
    st.caption(
        "Ranked bars alone mislead for areas of different size: a small area's rate jumps about by chance. The funnel "
        "below places each force against its population, inside the 95% and 99.8% Poisson limits around the rate of "
        "all forces shown (Spiegelhalter 2005). With counts this large, most forces lie outside: their differences are "
        "more than chance."
    )
    st.plotly_chart(
        national.figure(version, "funnel", "force", quarter, crime_type, focus, peers),
        key="national_force_funnel",
        width="stretch",
    )
with proxy_tab:
    if is_asb:
        st.info("Anti-social behaviour incidents have no outcomes on police.uk: there is no proxy for them.")
    else:
        st.warning(
            "Not the positive outcome rate. " + PROXY_CAVEAT + " The black dash on each bar is its still-open share.",
            icon="⚠️",
        )
        st.plotly_chart(
            national.figure(version, "slope", "force", quarter, crime_type, focus, peers, "proxy"),
            key="national_proxy_slope",
            width="stretch",
        )
        st.plotly_chart(
            national.figure(version, "funnel", "force", quarter, crime_type, focus, peers, "proxy"),
            key="national_proxy_funnel",
            width="stretch",
        )
with table_tab:
    data_table(forces.table, column_config={"Force": st.column_config.TextColumn(pinned=True)})

sel = selection.selection()
units = national.units(version, quarter, crime_type, sel.lpa)
lpa_unit = units.unit
st.header(f"{sel.lpa_name} among every CSP")
if lpa_unit is None:
    st.info(f"{sel.lpa_name}'s CSP has no national data for {quarter}: import West Mercia's street files too.")
else:
    unit_peers_group = units.peers
    unit_peers = unit_peers_group.members
    st.caption(
        f"{sel.lpa_name} (the focus LPA in the sidebar; each West Mercia LPA is a CSP) against the "
        f"{len(units.ranked_names)} CSPs of the forces with the whole quarter. A district in several CSPs (East "
        "Suffolk; Bournemouth, Christchurch and Poole) or newer than the 2019 lookup (Buckinghamshire, North and "
        "West Northamptonshire) is compared whole."
    )
    rate_tab, proxy_tab, peers_tab = st.tabs(["Per 1,000 residents", "Positive-outcome proxy", "Against its peers"])
    unit_names = units.names
    with rate_tab:
        st.plotly_chart(
            national.figure(version, "slope", "unit", quarter, crime_type, lpa_unit, unit_peers),
            key="national_unit_slope",
            width="stretch",
        )
        st.caption(
            f"{sel.lpa_name} in blue; its peer CSPs in orange, hatched (squares on the funnel): "
            + ", ".join(unit_names.get(p, p) for p in unit_peers)
            + "."
        )
        st.plotly_chart(
            national.figure(version, "funnel", "unit", quarter, crime_type, lpa_unit, unit_peers),
            key="national_unit_funnel",
            width="stretch",
        )
    with proxy_tab:
        if not is_asb:
            st.caption("Not the positive outcome rate: " + PROXY_CAVEAT)
            st.plotly_chart(
                national.figure(version, "funnel", "unit", quarter, crime_type, lpa_unit, unit_peers, "proxy"),
                key="national_unit_proxy",
                width="stretch",
            )
    with peers_tab:
        data_table(units.peer_table)
        st.caption(unit_peers_group.basis)

st.header("Peers")


def peer_editor(level: str, focus: str, names: dict[str, str], group) -> None:
    """The peers of a force or a CSP in words, how they were chosen, and (for an editor) a form to change them."""
    chosen = ", ".join(names.get(p, p) for p in group.members) or "none"
    saved = f" (saved by {group.chosen_by})" if group.saved else " (the default)"
    st.markdown(f"**{names[focus]}'s peers{saved}:** {chosen}.")
    st.caption(group.basis)
    if not auth.can_edit():
        return
    with st.form(f"national_peers_{level}"):
        picked = st.multiselect(
            f"Choose the peers of {names[focus]}", [c for c in names if c != focus],
            default=[p for p in group.members if p in names], format_func=names.get, max_selections=20,
        )  # fmt: skip
        save, reset = st.columns(2)
        if save.form_submit_button("Save these peers"):
            try:
                with session.writer() as writable:
                    save_peers(writable, level, focus, picked, set(names), auth.actor())
                errors.keep(RESULT_KEY, errors.Message("success", f"Peers of {names[focus]} saved."))
            except Exception as exc:  # refused or invalid: shown, nothing written
                errors.keep(RESULT_KEY, exc, "Not saved: ")
            st.rerun()
        if reset.form_submit_button("Back to the default"):
            try:
                with session.writer() as writable:
                    reset_peers(writable, level, focus, auth.actor())
                errors.keep(RESULT_KEY, errors.Message("success", f"{names[focus]}: back to the default peers."))
            except Exception as exc:
                errors.keep(RESULT_KEY, exc, "Not changed: ")
            st.rerun()


if auth.can_edit():
    auth.editor_name()  # who a saved peer group is recorded as (audited)
if focus and peer_group:
    peer_editor("force", focus, force_names, peer_group)
if lpa_unit is not None and lpa_unit in units.ranked_names:
    peer_editor("unit", lpa_unit, units.ranked_names, unit_peers_group)

with st.expander("Counted to a force but to no CSP"):
    lost = national.unplaced(version, quarter)
    if lost.empty:
        st.caption("Every crime of the quarter lies in a CSP of its own force.")
    else:
        st.caption(
            "These crimes count in their force's figure but in no CSP's: rows with no location, with an LSOA outside "
            "the force's area, or an LSOA code not in the ONS lookup."
        )
        data_table(lost.rename(columns={"force": "Force", "reason": "Why", "crimes": "Crimes"}))

with st.expander("Definitions and sources"):
    st.markdown(
        "- **Recorded crimes**: police.uk street-level rows whose crime type is not anti-social behaviour.\n"
        "- **Per 1,000 residents**: recorded crimes ÷ Census 2021 usual residents × 1,000.\n"
        "- **Positive-outcome proxy**: the share of the quarter's recorded crimes whose last outcome is a charge or "
        "summons (awaiting or past court) or an out-of-court disposal (caution, penalty notice, drugs possession "
        "warning, local resolution). **Still open**: under investigation, or no outcome yet.\n"
        "- A quarter with fewer than three months loaded is partial: never ranked or placed on a funnel.\n"
        "- **Peers**: the default is stated beside them; the Home Office's most similar groups are not open data."
    )
    st.caption(POLICE_UK_ATTRIBUTION + " " + ONS_ATTRIBUTION)
