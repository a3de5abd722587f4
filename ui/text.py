"""Text from users and files made safe to show: escaped Markdown, identities as code, tables cell by cell.

Streamlit renders Markdown in st.markdown, captions, alerts and st.table cells; recorded words must show exactly
as written, never as formatting or a link (and never as HTML, which these elements do not render).
"""

from __future__ import annotations

import re

LONG = 5000  # plain() shortens to this many characters: effectively never


def plain(text: object, limit: int = 60) -> str:
    """User-supplied text made safe to show inside Markdown: shortened, with Markdown characters escaped."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit] + "…"
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~>])", r"\\\1", value)


def safe(text: object, limit: int = LONG) -> str:
    """User text for st.markdown and friends: Markdown characters and $ (LaTeX) escaped, never HTML."""
    return plain(text, limit).replace("$", "\\$")


def literal(frame):
    """A copy of a DataFrame for st.table, whose cells render Markdown: every cell as escaped text, so what was
    recorded shows exactly as written (an empty cell as –; $ escaped too, which Markdown would read as LaTeX)."""
    shown = frame.astype(object).where(frame.notna(), "–").astype(str)
    return shown.map(lambda v: safe(v, 4000))


def identity(person) -> str:
    """An identity for Markdown: as code, so an email is shown as written, never turned into a link."""
    return "`" + str(person).replace("`", "'")[:120] + "`"


def plain_with_identities(text: object, limit: int = 600) -> str:
    """A sentence about people for Markdown: every email-like word as code (shown as written, never a mailto
    link, which Markdown makes of an address even with its punctuation escaped), the rest as plain()."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit] + "…"
    parts = re.split(r"(\S+@\S+)", value)
    return "".join(identity(part) if i % 2 else plain(part, limit) for i, part in enumerate(parts))
