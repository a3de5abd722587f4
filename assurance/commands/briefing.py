"""`python -m assurance briefing`: the PCC's briefing pack for a meeting, as a PDF (and optionally HTML).

Exit codes: 0 written, 2 an unknown meeting or LPA (the known ones are listed) or a meeting the pack cannot be
built for, 1 anything else, always with a plain message and never a traceback (``assurance.commands.cli.main``
reports what this raises).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from assurance.commands.context import require_database
from assurance.core.errors import InvalidInput


def _lpas(con) -> dict[str, str]:
    """The LPAs' codes and names, in the areas query's order."""
    from assurance.store import queries

    areas = queries.frame(con, "areas")
    lpas = areas[areas["kind"] == "lpa"]
    return dict(zip(lpas["code"], lpas["name"], strict=True))


def _lpa_code(lpas: dict[str, str], text: str) -> str | None:
    """An LPA by code or name, as the sidebar reads it ('Telford & Wrekin', 'telford_and_wrekin')."""
    wanted = text.strip().lower().replace("-", "_").replace(" ", "_").replace("&", "and")
    for code, name in lpas.items():
        if wanted in (code, name.lower().replace(" ", "_").replace("&", "and")):
            return code
    return None


def run_briefing(db: Path, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from assurance.products.briefing import images
    from assurance.products.briefing.content import build_briefing, find_meeting
    from assurance.store.connection import connect
    from assurance.store.schema import schema_version

    require_database(db)
    con = connect(db, read_only=True)
    try:
        schema_version(con)
        lpas = _lpas(con)
        focus = _lpa_code(lpas, args.lpa)
        if focus is None:
            raise InvalidInput(f"there is no LPA {args.lpa!r}; the LPAs are {', '.join(lpas.values())}")
        meeting = find_meeting(con, args.meeting)
        if not args.no_charts:
            images.warm_up()  # the browser starts (~2 s) while the content is assembled
        briefing = build_briefing(con, meeting, focus=focus, today=args.as_of or date.today())
    finally:
        con.close()
    built = time.perf_counter()

    from assurance.products.briefing.render import render

    result = render(briefing, pdf=True, draw_charts=not args.no_charts)
    output = Path(args.output or f"briefing-{briefing.cover.meeting_id}.pdf")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(result.pdf)
    written = [str(output)]
    if args.html:
        html_path = Path(args.html)
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(result.html, encoding="utf-8")
        written.append(str(html_path))
    total = time.perf_counter() - started
    print(
        f"Wrote {' and '.join(written)}: {briefing.cover.meeting_title}, {briefing.cover.held_on:%-d %b %Y}, "
        f"{briefing.cover.quarter}; {result.pages} A4 pages, {len(briefing.questions)} suggested questions."
    )
    print(
        f"Built in {total:.1f} s (content {built - started:.1f} s, charts {result.seconds['charts']:.1f} s, "
        f"PDF {result.seconds['pdf']:.1f} s)."
    )
    if result.chart_problems and not args.no_charts:
        reasons = sorted(set(result.chart_problems.values()))
        print(
            f"note: {len(result.chart_problems)} chart(s) not drawn, a note stands in for each: {'; '.join(reasons)}",
            file=sys.stderr,
        )
    return 0
