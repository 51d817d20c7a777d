"""The one exception root of factcheck.

Every failure a user can cause or meet (a bad file, a stale write, a missing API key)
is a FactcheckError. The CLI and the web layer turn it into a readable message; only
genuine bugs show a traceback.
"""

from __future__ import annotations


class FactcheckError(Exception):
    """Base of every user-facing error. `str(err)` is the message shown to the user."""

    exit_code = 1

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class UsageError(FactcheckError):
    """The command line or the configuration asks for something impossible."""

    exit_code = 2


class ConfigError(UsageError):
    """Settings are missing or invalid (no API key for the LLM extractor, bad scale file)."""


class InputError(FactcheckError):
    """An input file or record cannot be read: empty, binary, undecodable, malformed.

    `location` names the file and, for JSONL, the line ("exports/day.jsonl:17").
    """


class ExtractionError(FactcheckError):
    """An extractor failed on one article; the batch records it and goes on."""


class LLMError(ExtractionError):
    """The language model could not produce a valid, grounded extraction."""


class DatabaseError(FactcheckError):
    """The database is unreachable, out of date, or refused a write."""


class NotFoundError(FactcheckError):
    """A claim, article, source, run or user asked for by id or name does not exist."""


class TransitionError(FactcheckError):
    """A status change that the review state machine forbids."""


class ConflictError(FactcheckError):
    """A stale write: someone else changed the row since it was read (optimistic locking)."""


class LeaseHeldError(ConflictError):
    """The claim is leased to another reviewer. Carries who holds it and who asked, so the
    CLI can name the way out when both are the same person under two names."""

    def __init__(self, message: str, *, holder: str, actor: str) -> None:
        super().__init__(message)
        self.holder = holder
        self.actor = actor


class AuthError(FactcheckError):
    """Missing or wrong credentials for the web UI or the API."""
