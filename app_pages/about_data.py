"""About the data: the metric catalogue, the areas and their populations, sources and honesty notes.

The reference tables are small and their cells are sentences (definitions, sources, wording): st.table wraps them
and shows every column at any window width, where a data grid would cut them or scroll them out of sight.
"""

import streamlit as st

from assurance.domain.reference import reference
from ui import session, style
from ui.text import literal

REAL_OR_ILLUSTRATIVE = {True: "Illustrative", False: "Real"}

ds = session.dataset()
tables = reference(session.connection())
st.title("About the data")
style.illustrative_banner(ds)
st.markdown(
    "Every figure comes from the `quarterly_metrics` view of the database. Quarters are financial quarters "
    "(Q1 = April–June, Q2 = July–September, Q3 = October–December, Q4 = January–March). A change in a count is "
    "a **per cent** change; a change in a rate is a **percentage-point (pp)** change."
)

st.subheader("Metrics")
catalogue = tables.catalogue
catalogue["direction"] = catalogue["direction"].map(
    {"higher": "Higher is better", "lower": "Lower is better", "neutral": "Neutral"}
)
catalogue["combine"] = catalogue["combine"].map(
    {"sum": "Sum of LPAs", "ratio": "Ratio of summed numerators and denominators", "none": "Not combinable"}
)
catalogue["level"] = catalogue["level"].map({"lpa": "LPA and force", "force": "Force only"})
catalogue["short"] = [s if s != n else "–" for s, n in zip(catalogue["short_name"], catalogue["name"], strict=True)]
st.table(
    literal(
        catalogue[["name", "short", "unit", "direction", "combine", "level", "definition", "source"]].rename(
            columns={"short": "Short name (metric cards)"} | {c: c.capitalize() for c in catalogue.columns}
        )
    ),
    hide_index=True,
)

st.subheader("Areas")
areas = tables.areas
st.table(
    literal(
        areas.assign(
            population=[f"{p:,.0f}" for p in areas["population"]],
            kind=areas["kind"].map({"lpa": "LPA", "force": "Force"}),
        )[["name", "kind", "districts", "population", "population_source"]].rename(
            columns={
                "name": "Area",
                "kind": "Kind",
                "districts": "Districts",
                "population": "Population",
                "population_source": "Population source",
            }
        )
    ),
    hide_index=True,
)

st.subheader("Targets")
targets = tables.targets.assign(illustrative=tables.targets["illustrative"].map(REAL_OR_ILLUSTRATIVE))
st.table(
    literal(
        targets[["metric", "area", "name", "basis", "illustrative", "source"]].rename(
            columns={
                "metric": "Metric",
                "area": "Area",
                "name": "Target",
                "basis": "Wording",
                "illustrative": "Real or illustrative",
                "source": "Source",
            }
        )
    ),
    hide_index=True,
)

st.subheader("Sources")
sources = tables.sources.assign(illustrative=tables.sources["illustrative"].map(REAL_OR_ILLUSTRATIVE))
st.dataframe(
    sources.rename(columns={"source": "Source", "illustrative": "Real or illustrative", "figures": "Figures"}),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Real public data, where loaded: police.uk — Contains public sector information licensed under the Open "
    "Government Licence v3.0 (data.police.uk). ONS geography — Source: Office for National Statistics licensed "
    "under the Open Government Licence v.3.0. Contains OS data © Crown copyright and database right."
)
