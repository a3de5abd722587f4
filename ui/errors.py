"""How a page tells a person what happened: one way to show a refusal or a failure, and messages kept for the next
run (a form's callback runs before the page draws, so what it says waits in the session until the page shows it).

The kind of an ``AssuranceError`` decides how it looks (``exc.page_kind``, assurance/core/errors.py): a
``Refused`` is a warning, anything else an error, and ``exc.details()`` is listed under the message. Any other
exception a page catches is an error: a plain ValueError from a library check says its sentence, any other fault is
named by its type too. Never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from assurance.core.errors import AssuranceError

ICONS = {"error": "⚠️", "warning": "⚠️", "success": "✅", "info": "ℹ️"}


@dataclass(frozen=True)
class Message:
    kind: str  # "error", "warning", "success" or "info"
    text: str
    details: tuple[str, ...] = ()


def sentence(text: str) -> str:
    """The text with a capital first letter (the library's messages are clauses: 'say who is making the change')."""
    return text[:1].upper() + text[1:]


def message(exc: BaseException, lead: str = "") -> Message:
    """What a page says about an exception: the lead words, then the exception's own sentence (a fault that is not
    a refusal of the input, e.g. a file that cannot be read, is named by its type too)."""
    if isinstance(exc, AssuranceError):
        return Message(exc.page_kind, lead + str(exc), tuple(exc.details()))
    said = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
    return Message("error", lead + said)


def show(what: BaseException | Message, lead: str = "", text: Callable[[str], str] = str) -> None:
    """Show an exception (or a kept message) on the page: as an error, a warning, a success or a note, with its
    details as a list. ``text`` prepares the words for Markdown where they may carry a person's input."""
    shown = what if isinstance(what, Message) else message(what, lead)
    body = text(shown.text)
    if shown.details:
        body += "\n" + "\n".join(f"- {text(line)}" for line in shown.details)
    getattr(st, shown.kind)(body, icon=ICONS[shown.kind])


def keep(key: str, what: BaseException | Message, lead: str = "") -> None:
    """Keep a message for the page to show on its next run (see show_kept)."""
    st.session_state[key] = what if isinstance(what, Message) else message(what, lead)


def show_kept(key: str, text: Callable[[str], str] = str) -> Message | None:
    """Show, once, the message kept under key; the message, or None when there was none."""
    kept = st.session_state.pop(key, None)
    if kept is not None:
        show(kept, text=text)
    return kept
