"""The product's errors: one base, a few kinds, and what each kind means to a person.

Every error the library raises on purpose is an ``AssuranceError`` carrying a message in the user's words.
Its kind decides, in this one place, how the command line exits and how a page shows it:

| kind | meaning | command line | page |
| --- | --- | --- | --- |
| ``InvalidInput`` | a file, a text or a value given is wrong (the person can fix it) | exit 2 | error |
| ``Refused`` | a well-formed request the data or the person's role does not allow now | exit 2 | warning |
| ``DatabaseError`` | the database cannot be opened or used | exit 1 | error |
| any other ``AssuranceError`` | a failure with a plain message | exit 1 | error |

The kinds also derive from the built-in exception they refine (``ValueError``, ``PermissionError``,
``RuntimeError``), so code that catches those keeps working.
"""

from __future__ import annotations


class AssuranceError(Exception):
    """A failure with a message for a person; subclasses set how it is reported."""

    exit_code = 1
    page_kind = "error"  # how a page shows it: "error" or "warning"

    def details(self) -> list[str]:
        """Further lines to show under the message (e.g. every problem of a validation report)."""
        return []


class InvalidInput(AssuranceError, ValueError):
    """Something the person gave is wrong: a file, a text, a value. Nothing was changed."""

    exit_code = 2


class Refused(AssuranceError, ValueError):
    """A request that is well formed but not allowed now (conflicts, order of undos, a role). Nothing was changed."""

    exit_code = 2
    page_kind = "warning"


class DatabaseError(AssuranceError, RuntimeError):
    """The database cannot be opened or used (in use by another program, damaged, too new)."""

    exit_code = 1
