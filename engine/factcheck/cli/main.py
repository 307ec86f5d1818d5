"""`factcheck run`, `show`, `schema`, and what every command shares (error handling, input options)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck import __version__
from factcheck.api import CheckResult, Engine, check, find_tension, record
from factcheck.errors import EngineCrash, InputError, InputErrors
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES
from factcheck.model.rule import Severity
from factcheck.report.formats import FORMATS, render_detail, render_table, review_label
from factcheck.report.progress import Progress
from factcheck.report.safe_text import one_line
from factcheck.review.store import ReviewStore, StoreError, default_db_path
from factcheck.review.verdicts import Standing

EXIT_FOUND, EXIT_BAD_INPUT, EXIT_INTERNAL = 1, 2, 3
LEVELS = [s.value for s in Severity]
F = TypeVar("F", bound=Callable[..., Any])


def _fail(lines: list[str], code: int = EXIT_BAD_INPUT) -> None:
    for line in lines:  # one line each, whatever the ids and keys it echoes hold
        click.echo(one_line(line), err=True)
    sys.exit(code)


def user_errors(fn: F) -> F:
    """Turn every failure into one line per problem and an exit code, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            if sys.stdout is None:  # started with `>&-`: whatever it reports would be lost
                raise OSError(errno.EBADF, "standard output is closed; redirect it to a file or /dev/null")
            try:
                result = fn(*args, **kwargs)
            except SystemExit:
                _flush_output()  # `--fail-on` exits 1 after a report that must reach its reader whole
                raise
            _flush_output()
            return result
        except InputErrors as exc:
            _fail([str(e) for e in exc.errors])
        except InputError as exc:
            _fail([str(exc)])
        except EngineCrash as exc:
            _fail([f"factcheck: error: {exc}"])
        except LookupError as exc:
            _fail([f"factcheck: error: {exc.args[0]}"])
        except StoreError as exc:
            _fail([f"factcheck: error: {exc}"])
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click prints these itself, with exit code 2 for usage errors
        except BrokenPipeError:  # e.g. `factcheck run | head`: the reader left, nothing to report
            _discard_output()
            sys.exit(0)
        except OSError as exc:  # the environment: a full disk, an output that cannot be written
            _discard_output()
            where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
            _fail([f"factcheck: error: {where}{exc.strerror or exc}"])
        except KeyboardInterrupt:
            _fail(["factcheck: interrupted; nothing was written"], 130)
        except Exception as exc:  # a bug of ours: still one line, with a way to get details
            if os.environ.get("FACTCHECK_DEBUG"):
                raise
            _fail(
                [
                    f"factcheck: internal error: {type(exc).__name__}: {exc} "
                    "(set FACTCHECK_DEBUG=1 for a traceback and please report it)"
                ],
                EXIT_INTERNAL,
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factcheck")
def main() -> None:
    """Flag tensions between attributed claims with declarative YAML rules."""


@dataclass(frozen=True)
class Inputs:
    """The options every evaluating command shares."""

    claims: tuple[Path, ...]
    rules: tuple[Path, ...]
    engine: str
    max_candidates: int
    config: Path | None
    max_tensions: int = DEFAULT_MAX_TENSIONS

    def check(self, cache_dir: Path | None = None) -> CheckResult:
        progress = Progress()
        try:
            return check(
                self.claim_paths,
                self.rule_paths,
                Engine(self.engine),
                self.max_candidates,
                self.config,
                progress,
                cache_dir,
                max_tensions=self.max_tensions,
            )
        finally:
            progress.done()

    @property
    def claim_paths(self) -> list[Path]:
        return list(self.claims) or [Path("claims")]

    @property
    def rule_paths(self) -> list[Path]:
        return list(self.rules) or [Path("rules")]


config_option = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Workspace file with severity overrides and exclusions (default: ./factcheck.yaml).",
)


def _inputs(fn: F) -> F:
    """Add --claims/--rules/--engine/--max-candidates/--max-tensions and pass them on as one `inputs`
    argument."""

    @wraps(fn)
    def wrapper(
        *args: Any,
        claims: tuple[Path, ...],
        rules: tuple[Path, ...],
        engine: str,
        max_candidates: int,
        max_tensions: int,
        config: Path | None,
        **kwargs: Any,
    ) -> Any:
        inputs = Inputs(claims, rules, engine, max_candidates, config, max_tensions)
        return fn(*args, inputs=inputs, **kwargs)

    options = [
        click.option(
            "--claims",
            "claims",
            multiple=True,
            type=click.Path(path_type=Path),
            help="Claims file or folder (repeatable). Default: ./claims",
        ),
        click.option(
            "--rules",
            "rules",
            multiple=True,
            type=click.Path(path_type=Path),
            help="Rule file or folder (repeatable). Default: ./rules",
        ),
        click.option(
            "--engine",
            type=click.Choice([e.value for e in Engine]),
            default=Engine.durable.value,
            show_default=True,
            help="durable_rules, or the plain-Python reference evaluator.",
        ),
        click.option(
            "--max-candidates",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_CANDIDATES,
            show_default=True,
            help="Refuse a rule that would try more candidate claim tuples.",
        ),
        click.option(
            "--max-tensions",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_TENSIONS,
            show_default=True,
            help="Refuse a rule that produces more tensions (a rule flagging that much is too broad).",
        ),
        config_option,
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Review database (default: $FACTCHECK_DB or .factcheck/review.db).",
    )(fn)


@main.command()
@_inputs
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True)
@click.option(
    "--min-severity",
    type=click.Choice(LEVELS),
    default="info",
    show_default=True,
    help="Show only tensions at or above this severity.",
)
@click.option(
    "--fail-on",
    type=click.Choice(LEVELS),
    default=None,
    help="Exit 1 when a shown tension is at or above this severity (default: always exit 0).",
)
@click.option("--new-only", is_flag=True, help="Show only tensions that have no verdict yet.")
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Keep this run in a cache folder beside the review database; after claims are only appended "
    "to JSON Lines files, evaluate just the partitions the new claims join.",
)
@db_option
@user_errors
def run(
    inputs: Inputs, fmt: str, min_severity: str, fail_on: str | None, new_only: bool, cache: bool, db: Path | None
) -> None:
    """Evaluate the rules over the claims, record the run in the review store, report the tensions."""
    db_path = db or default_db_path()
    ReviewStore(db_path, verify=True).close()  # a bad database is an error before any work, not after
    result = inputs.check(cache_dir=db_path.parent / "cache" if cache else None)
    _, standing = record(result, db_path)
    floor = Severity(min_severity).rank
    shown = [t for t in result.tensions if t.severity.rank >= floor]
    if new_only:
        shown = [t for t in shown if standing[t.id].standing is Standing.new]
    if fmt == "table":
        click.echo(render_table(shown, review={t.id: review_label(standing[t.id]) for t in shown}))
    else:
        click.echo(FORMATS[fmt](shown))
    if fail_on is not None and any(t.severity.rank >= Severity(fail_on).rank for t in shown):
        sys.exit(EXIT_FOUND)


@main.command()
@click.argument("tension_id")
@_inputs
@user_errors
def show(inputs: Inputs, tension_id: str) -> None:
    """Show one tension in full; TENSION_ID may be a unique prefix of its id."""
    # the run cache beside the default review database: unchanged inputs are not evaluated again
    click.echo(render_detail(find_tension(inputs.check(default_db_path().parent / "cache").tensions, tension_id)))


@main.command()
@click.argument("what", type=click.Choice(["claims", "rules"]))
def schema(what: str) -> None:
    """Print the JSON Schema of claim files or rule files (for editor validation and completion)."""
    from factcheck.model.schema import corpus_file_schema, rule_file_schema

    document = corpus_file_schema() if what == "claims" else rule_file_schema()
    click.echo(json.dumps(document, indent=2))
