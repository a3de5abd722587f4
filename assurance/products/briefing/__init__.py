"""The PCC's briefing pack: one content object for a meeting, drawn as PDF, HTML and on the Briefing page.

- ``content.build_briefing``: the figures, commitments and suggested questions for a meeting, from the database;
- ``questions``: the explicit rules that suggest questions for the Chief Constable;
- ``render``: the standalone HTML file and the A4 PDF (WeasyPrint), one HTML document for both;
- ``images``: the app's Plotly figures as PNG via kaleido and the system Chromium;
- ``command``: ``python -m assurance briefing``.

Names are imported lazily, so the command line can load ``command`` without pandas or DuckDB.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DEFAULT_FOCUS": "content",
    "ILLUSTRATIVE_NOTE": "content",
    "BriefingError": "content",
    "UnknownMeeting": "content",
    "build_briefing": "content",
    "find_meeting": "content",
    "meetings": "content",
    "Briefing": "model",
    "RULES": "questions",
    "Question": "questions",
    "render": "render",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f"assurance.products.briefing.{_EXPORTS[name]}")
        return module if name == "render" else getattr(module, name)
    raise AttributeError(f"module 'assurance.products.briefing' has no attribute {name!r}")
