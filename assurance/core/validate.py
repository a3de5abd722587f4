"""Checks on what people type, shared by every change the library makes."""

from __future__ import annotations

from assurance.core.errors import InvalidInput

MAX_TEXT = 2000


def text(value: str | None, what: str, required: bool = True) -> str | None:
    """Trimmed text; empty is refused when required (else None); over MAX_TEXT characters is refused."""
    body = (value or "").strip()
    if not body:
        if required:
            raise InvalidInput(f"the {what} is empty")
        return None
    if len(body) > MAX_TEXT:
        raise InvalidInput(f"the {what} is {len(body):,} characters; at most {MAX_TEXT:,} are allowed")
    return body
