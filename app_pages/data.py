"""Data: import quarterly returns and police.uk files, see what will be loaded, confirm; every load with its
provenance and an audited undo; the blank template; attribution for real data.

The page uses the same functions as `python -m assurance import`: read_files (parse and validate in memory),
check_against (conflicts with data already loaded) and load (one transaction). It does not depend on the
sidebar's quarter or LPA.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from assurance.commands.inbox import pending
from assurance.core.downloads import to_csv_bytes
from assurance.core.paths import database_path
from assurance.domain.imports import load_batch, undo_load
from assurance.domain.loads import (
    LoadRefused,
    check_against,
    load_files,
    load_history,
    monthly_totals,
    unplaced_counts,
)
from assurance.sources import ImportInvalid, ValidationReport, read_any
from assurance.sources.files import MAX_FILE_BYTES
from assurance.sources.national.batch import NationalBatch
from assurance.sources.quarterly_template import write_template
from assurance.sources.reference import ONS_ATTRIBUTION, POLICE_UK_ATTRIBUTION
from ui import auth, errors, session
from ui.tables import headed
from ui.text import plain

MAX_UPLOAD_MB = MAX_FILE_BYTES // 1024**2  # the importers' own limit per file, as the browser's
PARSED_KEY = "_data_import"
LOAD_HEADERS = {
    "load_id": "Load", "status": "Status", "files": "Files", "sha256_short": "SHA-256 (first 12)",
    "rows_read": "Rows read", "rows_loaded": "Rows loaded", "rows_rejected": "Rows not placed",
    "observations_in_place": "Figures in place", "finished_at": "When", "loaded_by": "By", "importer": "Importer",
}  # fmt: skip
RESULT_KEY = "_data_import_result"

con = session.connection()
st.title("Data: imports and loads")
st.caption(
    "Load the force's quarterly return (CSV or Excel), police.uk street-level and outcomes files for West Mercia "
    "(one, several, or the archive zip), or police.uk's street-level archives for any forces (the national "
    "comparison). Everything is checked before anything is written, and a load is all or nothing."
)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[:120] or "upload"


def _parse(uploads) -> dict:
    """Parse the uploaded files once per set of files (kept in the session while they stay the same)."""
    key = tuple((u.name, u.size, getattr(u, "file_id", "")) for u in uploads)
    cached = st.session_state.get(PARSED_KEY)
    if cached and cached["key"] == key:
        return cached
    with tempfile.TemporaryDirectory(prefix="assurance-upload-") as tmp:
        paths = []
        for index, upload in enumerate(uploads):
            path = Path(tmp) / f"{index:03d}-{_safe_name(upload.name)}"
            path.write_bytes(upload.getvalue())
            paths.append(path)
        bar = st.progress(0.0, text="Reading the files…")

        def progress(done: int, of: int, name: str) -> None:
            bar.progress(done / of, text=f"Checked and counted {done} of {of} files: {Path(name).name}")

        try:
            parsed, report = read_any(paths, [u.name for u in uploads], progress=progress), None
        except ImportInvalid as exc:
            parsed, report = None, exc.report
        except Exception as exc:  # a fault reading the files is shown as a problem, never as a traceback
            parsed, report = None, ValidationReport()
            report.add(
                ", ".join(u.name for u in uploads),
                None,
                None,
                f"the files could not be read ({type(exc).__name__}: {str(exc)[:200]}); nothing was written",
                "files this program reads; if these are, report this fault with the files",
            )
        bar.empty()
    entry = {"key": key, "parsed": parsed, "report": report}
    st.session_state[PARSED_KEY] = entry
    return entry


def _preview_national(batch: NationalBatch) -> None:
    st.markdown(f"**What will be loaded:** {plain(batch.summary(), 400)}, for the national comparison.")
    files = pd.DataFrame([{"Month": f.month, "Force": f.force, "Rows": f.rows} for f in batch.files])
    st.dataframe(
        files.pivot_table(index="Force", columns="Month", values="Rows", aggfunc="sum").reset_index(),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "A force's month loaded before is replaced (undoing this load puts it back). Rows with no location, or an "
        "LSOA outside the force's area, count to the force but to no area; the National page says how many."
    )
    for warning in batch.warnings:
        st.caption(f"Note: {warning}")


def _preview(parsed) -> None:
    if isinstance(parsed, NationalBatch):
        _preview_national(parsed)
        return
    st.markdown(f"**What will be loaded:** {plain(parsed.summary(), 400)}")
    if parsed.observations:
        obs = pd.DataFrame(parsed.observations)
        table = obs.pivot_table(index=["metric", "quarter"], columns="area", values="value", aggfunc="sum")
        st.markdown("Quarterly figures (per area, metric and quarter)")
        st.dataframe(table.reset_index(), hide_index=True, width="stretch")
    if parsed.monthly:
        monthly = pd.DataFrame(parsed.monthly)
        st.markdown("Monthly counts (police.uk), per LPA")
        st.dataframe(
            monthly.pivot_table(index=["measure", "month"], columns="area", values="count", aggfunc="sum")
            .reset_index()
            .rename_axis(columns=None),
            hide_index=True,
            width="stretch",
        )
    for partial in parsed.partial_quarters:
        st.warning(
            f"{partial['quarter']} {partial['measure']}: only {', '.join(partial['months'])} in these files, a "
            "partial quarter. The months are stored; no quarterly figure is written until all three months are "
            "loaded together.",
            icon="⚠️",
        )
    if parsed.unplaced:
        st.markdown(
            f"**{parsed.rows_rejected:,} police.uk rows could not be placed in an LPA** (counted and kept in the load "
            "report, not in any LPA's figures):"
        )
        st.dataframe(pd.DataFrame(parsed.unplaced), hide_index=True, width="stretch")
    for note in parsed.notes:
        st.caption(note)
    for warning in parsed.warnings:
        st.caption(f"Note: {warning}")


st.subheader("Import files")
editing = not auth.read_only("import files or undo a load")
errors.show_kept(RESULT_KEY)
if editing:
    uploads = st.file_uploader(
        f"Quarterly return (.csv, .xlsx) or police.uk files (.csv, .zip); up to {MAX_UPLOAD_MB} MB in all",
        type=["csv", "xlsx", "zip"],
        accept_multiple_files=True,
        max_upload_size=MAX_UPLOAD_MB,
        key="data_uploads",
    )

    if uploads:
        total = sum(u.size for u in uploads)
        if total > MAX_UPLOAD_MB * 1024 * 1024:
            st.error(f"The files come to {total / 1024 / 1024:,.0f} MB; the limit is {MAX_UPLOAD_MB} MB. "
                     "Use `python -m assurance import` for larger files.")  # fmt: skip
        else:
            entry = _parse(uploads)
            if entry["report"] is not None:
                report = entry["report"]
                st.error(
                    f"Nothing can be loaded: {len(report.problems) + report.omitted} problems. Fix them and upload again.",
                    icon="⚠️",
                )
                problems = pd.DataFrame(report.to_rows())
                st.dataframe(problems, hide_index=True, width="stretch")
                st.download_button(
                    "Download the problems (CSV)",
                    data=to_csv_bytes(problems),  # file text may begin with = + - @: never a formula
                    file_name="import-problems.csv",
                    mime="text/csv",
                )
                if report.omitted:
                    st.caption(f"… and {report.omitted} more of the same kinds.")
            else:
                parsed = entry["parsed"]
                _preview(parsed)
                conflicts = [] if isinstance(parsed, NationalBatch) else check_against(con, parsed)
                replace = False
                if conflicts:
                    st.warning(
                        f"{len(conflicts)} figures differ from data already loaded (or replace illustrative demo figures):",
                        icon="⚠️",
                    )
                    st.dataframe(
                        pd.DataFrame([c.__dict__ for c in conflicts]).rename(
                            columns={
                                "table": "Table",
                                "key": "Figure",
                                "old": "Now",
                                "new": "In the file",
                                "reason": "Why",
                            }
                        ),
                        hide_index=True,
                        width="stretch",
                    )
                    replace = st.checkbox(
                        "Replace existing figures (the replaced ones are kept: undoing the load puts them back)",
                        key="data_replace",
                    )
                name = auth.editor_name()
                blocked = not name or (conflicts and not replace)
                if st.button("Load these files", type="primary", disabled=bool(blocked), key="data_load"):
                    try:
                        with session.writer() as writable:
                            result = load_batch(writable, parsed, replace=replace, by=name)
                    except Exception as exc:  # the transaction is rolled back; say so plainly
                        errors.keep(RESULT_KEY, exc, "Nothing was loaded: ")
                    else:
                        done = result.status in ("loaded", "already_loaded", "unchanged")
                        errors.keep(RESULT_KEY, errors.Message("success" if done else "error", result.message))
                    st.session_state.pop(PARSED_KEY, None)
                    st.rerun()
                if not name:
                    st.caption("Enter your name above to load: it is recorded with the load.")

st.subheader("Loads")
loads = load_history(con)
if loads.empty:
    st.info("Nothing has been loaded yet.")
else:
    shown = headed(loads, LOAD_HEADERS).astype(object)
    for column in ("Load", "Rows read", "Rows loaded", "Rows not placed", "Figures in place"):
        shown[column] = [f"{v:,.0f}" if pd.notna(v) else "–" for v in shown[column]]
    # The shipped demo figures have no load of their own: say so rather than show empty cells.
    shown = shown.where(shown.notna(), "–")
    # Eleven columns scroll sideways on a laptop screen: the load number stays pinned so each row keeps its label.
    st.dataframe(
        shown, hide_index=True, width="stretch", column_config={"Load": st.column_config.TextColumn(pinned=True)}
    )
    for row in loads[loads["load_id"].notna()].head(20).itertuples():
        load_id = int(row.load_id)
        label = f"Load {load_id}: {plain(row.files, 80)} ({row.status})"
        with st.expander(label):
            st.text(f"{row.summary}\nImporter {row.importer} {row.importer_version}; by {row.loaded_by}.")
            st.dataframe(load_files(con, load_id), hide_index=True, width="stretch")
            lost = unplaced_counts(con, load_id)
            if not lost.empty:
                st.markdown("Rows not placed in an LPA, by reason")
                st.dataframe(lost.drop(columns=["load_id"]), hide_index=True, width="stretch")
            months = monthly_totals(con, load_id)
            if not months.empty:
                st.markdown("Monthly counts in place from this load")
                st.dataframe(months, hide_index=True, width="stretch")
            if row.status == "loaded" and row.importer != "export":
                who = auth.actor()
                if not editing:
                    st.caption("Undoing a load needs the editor role.")
                elif st.button(f"Undo load {load_id}", key=f"undo_{load_id}", disabled=not who):
                    try:
                        with session.writer() as writable:
                            said = undo_load(writable, load_id, who)
                        errors.keep(RESULT_KEY, errors.Message("success", said))
                    except LoadRefused as exc:
                        errors.keep(RESULT_KEY, exc, "Not undone: ")
                    st.rerun()
                if editing and not who:
                    st.caption("Enter your name in the import section above to undo: the undo is audited.")
            elif row.status == "undone":
                st.caption(f"Undone {row.undone_at} by {row.undone_by}.")

queued = pending(Path(database_path()))
if queued:
    st.info(f"{len(queued)} batches from the command line are waiting; the dashboard loads them within seconds.")

st.subheader("Blank quarterly return")
st.markdown(
    "One row per area, metric and quarter: `area, metric, quarter, value, numerator, denominator, source, note`. "
    "Rates need their numerator and denominator. The Excel template lists the metrics and areas on its other sheets."
)


@st.cache_data(show_spinner=False)
def _template_bytes(suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"quarterly-return-template{suffix}"
        write_template(path)
        return path.read_bytes()


left, right = st.columns(2)
left.download_button(
    "Download the template (Excel)",
    _template_bytes(".xlsx"),
    file_name="quarterly-return-template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
right.download_button("Download the template (CSV)", _template_bytes(".csv"), file_name="quarterly-return-template.csv")

st.subheader("Attribution")
st.caption(
    f"police.uk figures: {POLICE_UK_ATTRIBUTION} They are the crimes published on police.uk, not the force's "
    f"recorded crime. LSOA to district lookup: {ONS_ATTRIBUTION}"
)
