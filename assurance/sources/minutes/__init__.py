"""Minutes text -> a proposed meeting record: attendees, agenda, actions, recommendations, pledges, claims.

Rule-based and deliberately forgiving: minutes are written by different people in different
styles (``ACTION:`` or ``Action:`` lines, ``Ref 03/21/06/2023`` item headings, owners by role or
by initials, dates with or without a year). Everything found is a *proposal*: a person reviews it
(page "Import minutes", or ``python -m assurance minutes FILE``) before :func:`apply` writes it,
after :func:`validate`, in one transaction. What the reader could not place is listed in
``Proposal.warnings`` rather than guessed silently.

The output of :meth:`Proposal.to_meeting_json` is exactly the format of ``data/meetings/*.json``.

The package, in the order a text passes through it (each module imports only those before it):

- ``model``: the proposal's dataclasses, the errors, the checks on bad input (size, encoding, binary).
- ``vocabulary``: the words and patterns of minutes; :func:`find_metric`, :func:`find_area`.
- ``text``: dates, times and deadlines (:func:`deadline_phrase`); line and sentence helpers.
- ``people``: attendee lines (:func:`parse_attendee`) and the owners of actions.
- ``reader``: one pass over the lines, collecting header, agenda items, action lines, recommendation blocks, prose.
- ``actions``, ``recommendations``, ``claims``: what the reader collected -> actions, recommendations,
  pledges and claims.
- ``meeting``: the meeting's date, kind and agenda; :func:`read_minutes` puts the proposal together.

Checking a proposal against the database and saving it (:func:`describe`, :func:`validate`, :func:`apply`) is the
domain's job: ``assurance.domain.commitments.minutes``.
"""

from assurance.sources.minutes.meeting import read_minutes
from assurance.sources.minutes.model import (
    COMPARISONS,
    DIRECTIONS,
    IMPORTED_BY,
    LOOSE_DEADLINE_NOTE,
    MAX_MINUTES_BYTES,
    PERIODS,
    RECOMMENDATION_STATUSES,
    Action,
    AgendaItem,
    Attendee,
    Claim,
    Meeting,
    MinutesError,
    Pledge,
    Proposal,
    ProposalInvalid,
    Recommendation,
    decode_minutes,
)
from assurance.sources.minutes.people import parse_attendee
from assurance.sources.minutes.text import deadline_phrase
from assurance.sources.minutes.vocabulary import find_area, find_metric

__all__ = [
    "COMPARISONS",
    "DIRECTIONS",
    "IMPORTED_BY",
    "LOOSE_DEADLINE_NOTE",
    "MAX_MINUTES_BYTES",
    "PERIODS",
    "RECOMMENDATION_STATUSES",
    "Action",
    "AgendaItem",
    "Attendee",
    "Claim",
    "Meeting",
    "MinutesError",
    "Pledge",
    "Proposal",
    "ProposalInvalid",
    "Recommendation",
    "decode_minutes",
    "deadline_phrase",
    "find_area",
    "find_metric",
    "parse_attendee",
    "read_minutes",
]
