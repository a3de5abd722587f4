"""The briefing as a standalone HTML file and an A4 PDF, both from one HTML document.

The HTML is written here with every piece of text passed through ``html.escape`` (user text
included: action wording, meeting titles, names), charts embedded as PNG data URIs with their
description as alt text. WeasyPrint lays the same HTML out as a tagged A4 PDF: real text,
headings as PDF bookmarks, table rows never split across pages, header rows repeated.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from assurance.products.briefing import images
from assurance.products.briefing.model import (
    Block,
    Briefing,
    Bullets,
    Chart,
    Paragraph,
    QuestionList,
    Section,
    Subheading,
    Table,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = TEMPLATES / "briefing.css"
NEW_PAGE_SECTIONS = {"headline", "exceptions", "focus", "commitments", "questions"}
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: structure for screen readers, headings as bookmarks
GENERATOR = "West Mercia A&A dashboard (python -m assurance briefing)"


def e(text: object) -> str:
    """Escape text for HTML content and attributes (quotes too)."""
    return escape(str(text), quote=True)


@dataclass
class Rendered:
    html: str
    pdf: bytes | None = None
    pages: int | None = None
    chart_problems: dict[str, str] = field(default_factory=dict)  # chart key -> why it was not drawn
    seconds: dict[str, float] = field(default_factory=dict)  # 'charts', 'pdf', ...


# --- charts -------------------------------------------------------------------------------------------------------


def chart_images(briefing: Briefing, draw: bool = True) -> dict[str, images.Image]:
    """Every chart of the briefing as a PNG (or the reason it is missing)."""
    import plotly.graph_objects as go

    out = {}
    for chart in briefing.charts():
        if not draw:
            out[chart.key] = images.Image(None, "charts were not requested")
            continue
        figure = chart.figure
        if chart.print_layout:  # a copy: the page's preview keeps the figure as the app draws it
            figure = go.Figure(figure).update_layout(**chart.print_layout)
        out[chart.key] = images.figure_png(figure, chart.width, chart.height)
    return out


# --- HTML ---------------------------------------------------------------------------------------------------------


def _cell_class(text: str, numeric: bool) -> str:
    classes = []
    if numeric:
        classes.append("num")
    if text.startswith("✓"):
        classes.append("good")
    elif text.startswith(("✗", "⚠")):
        classes.append("bad")
    return f' class="{" ".join(classes)}"' if classes else ""


def _table(table: Table) -> str:
    total = sum(table.widths) if table.widths else 0
    cols = ""
    if table.widths and len(table.widths) == len(table.columns):
        cols = (
            "<colgroup>" + "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in table.widths) + "</colgroup>"
        )
    head = "".join(
        f'<th scope="col"{" class=num" if i in table.numeric else ""}>{e(c)}</th>' for i, c in enumerate(table.columns)
    )
    body = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0:
                cells.append(f'<th scope="row">{e(cell)}</th>')
            else:
                cells.append(f"<td{_cell_class(cell, i in table.numeric)}>{e(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table id="table-{e(table.key)}">{cols}<caption>{e(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _chart(chart: Chart, image: images.Image | None) -> str:
    if image is not None and image.ok:
        data = base64.b64encode(image.png).decode("ascii")
        return (
            f'<figure class="chart" id="chart-{e(chart.key)}"><img src="data:image/png;base64,{data}" '
            f'alt="{e(chart.alt)}"><figcaption>{e(chart.caption or chart.title)}</figcaption></figure>'
        )
    reason = image.problem if image is not None else "charts were not requested"
    return (
        f'<figure class="chart" id="chart-{e(chart.key)}"><div class="chart-missing">'
        f"<p><strong>Chart not drawn: {e(chart.title)}.</strong> {e(reason[:1].upper() + reason[1:])}. "
        f"The chart is on the dashboard.</p><p>{e(chart.alt)}</p></div></figure>"
    )


def _questions(block: QuestionList) -> str:
    items = []
    for q in block.items:
        figures = "; ".join(q.figures)
        items.append(
            f'<li class="question" data-rule="{e(q.rule)}"><p class="q">{e(q.text)}</p>'
            f'<p class="basis"><strong>Rule:</strong> {e(q.rule_title)} ({e(q.rule)}). '
            f"<strong>Figures:</strong> {e(figures)}</p></li>"
        )
    return f'<ol class="questions">{"".join(items)}</ol>'


def _blocks(blocks: tuple[Block, ...], charts: dict[str, images.Image]) -> str:
    out: list[str] = []
    pending_half: list[str] = []

    def flush() -> None:
        if pending_half:
            out.append('<div class="chart-row">' + "".join(pending_half) + "</div>")
            pending_half.clear()

    for block in blocks:
        if isinstance(block, Chart) and not block.wide:
            pending_half.append(_chart(block, charts.get(block.key)))
            if len(pending_half) == 2:
                flush()
            continue
        flush()
        if isinstance(block, Paragraph):
            role = ' role="note"' if block.kind == "notice" else ""
            out.append(f'<p class="{e(block.kind)}"{role}>{e(block.text)}</p>')
        elif isinstance(block, Subheading):
            out.append(f"<h3>{e(block.text)}</h3>")
        elif isinstance(block, Bullets):
            out.append('<ul class="readings">' + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Chart):
            out.append(_chart(block, charts.get(block.key)))
        elif isinstance(block, QuestionList):
            out.append(_questions(block))
    flush()
    return "".join(out)


def _section(section: Section, charts: dict[str, images.Image]) -> str:
    classes = "part" if section.key in NEW_PAGE_SECTIONS else "part flow"
    return (
        f'<section class="{classes}" id="{e(section.key)}" aria-labelledby="h-{e(section.key)}">'
        f'<h2 id="h-{e(section.key)}">{e(section.heading)}</h2>{_blocks(section.blocks, charts)}</section>'
    )


def _cover(briefing: Briefing) -> str:
    cover = briefing.cover
    details = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in cover.details)
    notice = "".join(
        f'<p class="notice" role="note">{e(text)}</p>'
        for text in (cover.quarter_note, cover.illustrative_notice)
        if text
    )
    brief = "".join(f"<li>{e(item)}</li>" for item in cover.in_brief)
    contents = "".join(f'<li><a href="#{e(s.key)}">{e(s.heading)}</a></li>' for s in briefing.sections)
    return (
        '<header class="cover">'
        '<p class="kicker">Office of the Police and Crime Commissioner for West Mercia · '
        "Accountability &amp; Assurance</p>"
        f"<h1>{e(Briefing.TITLE)}</h1>"
        f'<p class="subtitle">{e(cover.meeting_title)}, {e(f"{cover.held_on:%-d %B %Y}")}</p>'
        f'<dl class="details">{details}</dl>{notice}'
        f'<section class="in-brief" aria-labelledby="h-in-brief"><h2 id="h-in-brief">In brief</h2><ul>{brief}</ul>'
        "</section>"
        f'<nav class="contents" aria-labelledby="h-contents"><h2 id="h-contents">Contents</h2><ol>{contents}</ol></nav>'
        "</header>"
    )


def render_html(briefing: Briefing, charts: dict[str, images.Image] | None = None) -> str:
    """The whole briefing as one standalone HTML document (styles inline, charts embedded)."""
    charts = charts or {}
    css = STYLESHEET.read_text(encoding="utf-8")
    description = f"{briefing.cover.quarter} performance, commitments and suggested questions"
    body = _cover(briefing) + "<main>" + "".join(_section(s, charts) for s in briefing.sections) + "</main>"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(briefing.title)}</title>\n"
        '<meta name="author" content="Office of the Police and Crime Commissioner for West Mercia">\n'
        f'<meta name="description" content="{e(description)}">\n'
        f'<meta name="generator" content="{e(GENERATOR)}">\n'
        f'<meta name="dcterms.created" content="{e(briefing.cover.prepared_on.isoformat())}">\n'
        f"<style>\n{css}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# --- PDF ----------------------------------------------------------------------------------------------------------


def html_to_pdf(document: str) -> tuple[bytes, int]:
    """Lay the HTML out as a tagged A4 PDF with WeasyPrint; returns the bytes and the number of pages."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-subsetting chatter is not for the reader
    rendered = HTML(string=document, base_url=str(TEMPLATES)).render(pdf_variant=PDF_VARIANT)
    return rendered.write_pdf(pdf_variant=PDF_VARIANT), len(rendered.pages)


def render(briefing: Briefing, *, pdf: bool = True, draw_charts: bool = True) -> Rendered:
    """The HTML document and (unless pdf=False) the PDF, with the time each step took."""
    started = time.perf_counter()
    charts = chart_images(briefing, draw=draw_charts)
    charted = time.perf_counter()
    document = render_html(briefing, charts)
    result = Rendered(
        html=document,
        chart_problems={key: image.problem for key, image in charts.items() if not image.ok},
        seconds={"charts": charted - started},
    )
    if pdf:
        result.pdf, result.pages = html_to_pdf(document)
        result.seconds["pdf"] = time.perf_counter() - charted
    return result
