"""Where every failure of a command becomes what the user sees: one line per problem and the exit code
of its kind (errors.py), never a traceback. Commands raise; this renders."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from factcheck.errors import ExitCode, FactcheckError, OutputError
from factcheck.report.safe_text import one_line

F = TypeVar("F", bound=Callable[..., Any])
DEBUG_ENV = "FACTCHECK_DEBUG"


def fail(lines: list[str], code: int = ExitCode.error) -> None:
    for line in lines:  # one line each, whatever the ids and keys it echoes hold
        click.echo(one_line(line), err=True)
    sys.exit(code)


def user_errors(fn: F) -> F:
    """Turn every failure into one line per problem and an exit code, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            if sys.stdout is None:  # started with `>&-`: whatever it reports would be lost
                raise OutputError(
                    "cannot write the output: standard output is closed", "redirect it to a file or /dev/null"
                )
            try:
                result = fn(*args, **kwargs)
            except SystemExit:
                _flush_output()  # `--fail-on` exits 1 after a report that must reach its reader whole
                raise
            _flush_output()
            return result
        except FactcheckError as exc:
            fail(exc.lines(), exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click prints these itself, with exit code 2 for usage errors
        except BrokenPipeError:  # e.g. `factcheck run | head`: the reader left, nothing to report
            _discard_output()
            sys.exit(ExitCode.ok)
        except OSError as exc:  # the environment: a full disk, an output that cannot be written
            _discard_output()
            where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
            fail([f"factcheck: error: {where}{exc.strerror or exc}"])
        except KeyboardInterrupt:
            fail(["factcheck: interrupted; nothing was written"], ExitCode.interrupted)
        except Exception as exc:  # a bug of ours: still one line, with a way to get details
            if os.environ.get(DEBUG_ENV):
                raise
            fail(
                [
                    f"factcheck: internal error: {type(exc).__name__}: {exc} "
                    f"(set {DEBUG_ENV}=1 for a traceback and please report it)"
                ],
                ExitCode.internal,
            )

    return wrapper  # type: ignore[return-value]


def _flush_output() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _discard_output() -> None:
    """Point stdout at /dev/null, so that the interpreter's own flush at exit cannot fail again."""
    if sys.stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):  # not a real file (a test runner's buffer)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
