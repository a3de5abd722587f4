"""About the data: the metric catalogue, the areas and their populations, sources and honesty notes.

The reference tables are small and their cells are sentences (definitions, sources, wording): st.table wraps them
and shows every column at any window width, where a data grid would cut them or scroll them out of sight.
"""

import streamlit as st

from assurance.domain.reference import reference
from ui import session, style
from ui.tables import data_table, text_table

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
text_table(
    catalogue,
    {c: c.capitalize() for c in ("name", "short", "unit", "direction", "combine", "level", "definition", "source")},
)

st.subheader("Areas")
areas = tables.areas
text_table(
    areas.assign(
        population=[f"{p:,.0f}" for p in areas["population"]],
        kind=areas["kind"].map({"lpa": "LPA", "force": "Force"}),
    ),
    {"name": "Area", "kind": "Kind", "districts": "Districts", "population": "Population"}
    | {"population_source": "Population source"},
)

st.subheader("Targets")
targets = tables.targets.assign(illustrative=tables.targets["illustrative"].map(REAL_OR_ILLUSTRATIVE))
text_table(
    targets,
    {"metric": "Metric", "area": "Area", "name": "Target", "basis": "Wording"}
    | {"illustrative": "Real or illustrative", "source": "Source"},
)

st.subheader("Sources")
sources = tables.sources.assign(illustrative=tables.sources["illustrative"].map(REAL_OR_ILLUSTRATIVE))
data_table(sources, {"source": "Source", "illustrative": "Real or illustrative", "figures": "Figures"})
st.caption(
    "Real public data, where loaded: police.uk — Contains public sector information licensed under the Open "
    "Government Licence v3.0 (data.police.uk). ONS geography — Source: Office for National Statistics licensed "
    "under the Open Government Licence v.3.0. Contains OS data © Crown copyright and database right."
)
