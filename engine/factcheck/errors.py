"""Errors about the user's input: each renders as one `file:line:col: message` line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class InputError(Exception):
    """One problem in the user's input, tied to where it is."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class UnreadableInput(InputError):
    """The file cannot be read as YAML at all (missing, not UTF-8, syntax), as opposed to content that
    does not follow the schema; `rules validate` exits 2 for these and 1 for the rest."""


class InputErrors(Exception):
    """Several input problems found in one pass, so the user can fix them all at once."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.location)
        super().__init__("\n".join(str(e) for e in self.errors))


class EngineCrash(Exception):
    """The rule engine died (e.g. the durable_rules C extension segfaulted) while evaluating."""
