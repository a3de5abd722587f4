"""The Where-to-look view: what stands out in a quarter, and every metric by every area as SPC readings."""

from __future__ import annotations

from dataclasses import dataclass

from assurance.domain.compare import rebases_by_series, where_to_look_cells, where_to_look_summary
from assurance.domain.performance import FORCE
from ui import session
from ui.shared import Version, shared

_SHORT_ASSURANCE = {"pass": " · ✓", "fail": " · ✗", "hit_and_miss": " · ≈", None: ""}  # nosec B105 # an SPC assurance label, not a password
# Colour beside the shape and the word (never instead of them): the NHS "Making data count" blue for improvement and
# orange for concern, safe for colour-blind readers; purple for a signal with no good direction; grey for no signal.
_COLOURS = {"improvement": "blue", "concern": "orange", "neutral": "violet"}


@dataclass(frozen=True)
class Cell:
    label: str  # Markdown: the variation in words, its colour, and the assurance mark
    help: str


@dataclass(frozen=True)
class Row:
    metric: str
    name: str
    cells: tuple[Cell | None, ...]  # one per area, in the order of WhereToLook.areas; None where it has no figure


@dataclass(frozen=True)
class WhereToLook:
    summary: tuple[str, ...]
    areas: tuple[str, ...]  # the LPAs, then the force
    names: dict  # area code: its name in the header
    rows: tuple[Row, ...]


@shared(max_entries=32)
def where_to_look(version: Version, quarter: str) -> WhereToLook:
    """The SPC reading of every metric in every area at the quarter (rebase points applied), and the summary."""
    ds = session.dataset()
    rebases = rebases_by_series(session.connection())
    cells = where_to_look_cells(ds, quarter, rebases)
    areas = (*ds.lpas["code"], FORCE)
    names = {code: ("West Mercia (force)" if code == FORCE else ds.area_name(code)) for code in areas}
    rows = []
    for metric in ds.metrics.values():
        shown = []
        for code in areas:
            cell = cells.get((metric.code, code))
            if cell is None:
                shown.append(None)
                continue
            label = cell["variation"].replace(" (higher)", "").replace(" (lower)", "")
            assurance = cell["assurance_icon"] if isinstance(cell["assurance_icon"], str) else None
            label += _SHORT_ASSURANCE.get(assurance, "")
            icon = cell["variation_icon"] if isinstance(cell["variation_icon"], str) else ""
            colour = _COLOURS.get(icon.split("_")[0], "gray")
            help_text = f"{metric.name}, {names[code]}: {cell['variation']}; {cell['assurance']}"
            shown.append(Cell(f":{colour}[{label}]", help_text))
        rows.append(Row(metric.code, metric.name, tuple(shown)))
    summary = tuple(where_to_look_summary(ds, quarter, rebases))
    return WhereToLook(summary, areas, names, tuple(rows))
