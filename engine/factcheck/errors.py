"""Errors meant for the person running factcheck. Each has a kind, which decides its exit code, and
renders as one line per problem (cli/errors.py prints them): `file:line:col: message` when it stands
somewhere in the input, `factcheck: error: message` otherwise, with an optional hint after `; `."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class ErrorKind(StrEnum):
    input = "input"  # a claim, rule or workspace file says something wrong, or cannot be read
    usage = "usage"  # a command's arguments: an unknown id, a missing reason, ...
    store = "store"  # the review database: busy, read-only, damaged, from a newer factcheck
    engine = "engine"  # the rule engine died while evaluating
    environment = "environment"  # where output goes: a closed or full stdout


class ExitCode:
    """What `factcheck` exits with; one definition for every command."""

    ok = 0
    found = 1  # tensions at or above --fail-on; findings of `rules validate`; failing rule tests
    error = 2  # any FactcheckError: bad input, usage, store, engine, environment
    internal = 3  # a bug of ours
    interrupted = 130  # Ctrl-C, as shells report it


class FactcheckError(Exception):
    kind = ErrorKind.usage

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message}; {hint}")
        self.message = message
        self.hint = hint

    @property
    def exit_code(self) -> int:
        return ExitCode.error

    def lines(self) -> list[str]:
        return [f"factcheck: error: {self}"]


class UsageError(FactcheckError):
    """A command was given something it cannot use (an unknown or ambiguous tension id, ...)."""

    kind = ErrorKind.usage


class StoreError(FactcheckError):
    """The review database cannot be used (not SQLite, damaged, from a newer factcheck, busy)."""

    kind = ErrorKind.store


class EngineCrash(FactcheckError):
    """The rule engine died (e.g. the durable_rules C extension segfaulted) while evaluating."""

    kind = ErrorKind.engine


class OutputError(FactcheckError):
    """The output cannot be written (standard output closed, disk full)."""

    kind = ErrorKind.environment


class InputError(FactcheckError):
    """One problem in the user's input, tied to where it is."""

    kind = ErrorKind.input

    def __init__(self, location: Location, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.location = location
        self.args = (f"{location}: {self.text}",)

    @property
    def text(self) -> str:
        return self.message if self.hint is None else f"{self.message}; {self.hint}"

    def lines(self) -> list[str]:
        return [str(self)]


class UnreadableInput(InputError):
    """The file cannot be read as YAML or JSON at all (missing, not UTF-8, syntax), as opposed to content
    that does not follow the schema."""


class InputErrors(FactcheckError):
    """Several input problems found in one pass, so the user can fix them all at once."""

    kind = ErrorKind.input

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.location)
        super().__init__("\n".join(str(e) for e in self.errors))

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]
