"""Minutes a person has reviewed, into the database: describe a proposal, validate it, apply it in one transaction.

Reading the minutes into a proposal is ``assurance.sources.minutes``; here the proposal (in the data/meetings JSON
format) meets the database:

- ``summary``: :func:`describe`, a readable summary of a proposal for the terminal.
- ``checks``: :func:`validate`, every problem that stops a proposal from being saved; :func:`known_codes`.
- ``saving``: :func:`apply`, which validates and then saves the meeting and all it holds, audited, in one
  transaction; :func:`saved_counts`.
"""

from assurance.domain.commitments.minutes.checks import known_codes, validate
from assurance.domain.commitments.minutes.saving import apply, saved_counts
from assurance.domain.commitments.minutes.summary import describe

__all__ = ["apply", "describe", "known_codes", "saved_counts", "validate"]
