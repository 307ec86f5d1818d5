"""The options several commands share: what to evaluate (--claims, --rules, --engine, limits, --config)
and where the review store is (--db)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck.api import CheckResult, Engine, check
from factcheck.errors import UsageError
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES
from factcheck.evaluate.workers import Workers
from factcheck.load.corpus import Undeclared
from factcheck.load.packaged import default_rules
from factcheck.report.progress import Progress
from factcheck.report.rules import render_load_errors

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Inputs:
    """The options every evaluating command shares."""

    claims: tuple[Path, ...]
    rules: tuple[Path, ...]
    engine: str
    max_candidates: int
    config: Path | None
    max_tensions: int = DEFAULT_MAX_TENSIONS
    undeclared: str = Undeclared.error.value

    def check(self, cache_dir: Path | None = None, workers: Workers | None = None) -> CheckResult:
        progress = Progress()
        try:
            result = check(
                self.claim_paths,
                self.rule_paths,
                Engine(self.engine),
                self.max_candidates,
                self.config,
                progress,
                cache_dir,
                max_tensions=self.max_tensions,
                undeclared=Undeclared(self.undeclared),
                workers=workers,
            )
        finally:
            progress.done()
        # A command is a short-lived process: what the run leaves (the corpus, its columns) is moved out of
        # the cycle collector's reach, or its first collections while rendering walk every object again (~1 s
        # at a million claims). Not in the library: gc.freeze() would also freeze a host program's objects.
        gc.freeze()
        if result.warnings:  # a corpus in progress: say what is undeclared, then go on
            click.echo(render_load_errors(result.warnings, "warning"), err=True)
        return result

    @property
    def claim_paths(self) -> list[Path]:
        return list(self.claims) or [Path("claims")]

    @property
    def rule_paths(self) -> list[Path]:
        """--rules, else ./rules, else the rule pack installed with factcheck."""
        if self.rules:
            return list(self.rules)
        packaged = default_rules()
        return [packaged] if not Path("rules").exists() and packaged is not None else [Path("rules")]

    def require_claims(self) -> None:
        """A folder that is not a workspace gets told how to start one, not 'claims: no such file'."""
        if not self.claims and not Path("claims").exists():
            raise UsageError(
                "no claims here (no ./claims folder)",
                "run `factcheck init` to start a workspace in this folder, or give --claims FILE_OR_FOLDER",
            )


def write_output(text: str, output: Path | None) -> None:
    """To standard output, or whole to a file (written beside it, then moved into place)."""
    if output is None:
        click.echo(text)
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_text(text + "\n", encoding="utf-8")
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}", "choose another --output") from exc


def output_option(help_text: str) -> Callable[[F], F]:
    """`--output/-o` for a command whose report `write_output` writes."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path, dir_okay=False, writable=True),
        default=None,
        help=help_text,
    )


def claims_option(help_text: str = "Claims file or folder (repeatable). Default: ./claims") -> Callable[[F], F]:
    return click.option("--claims", "claims", multiple=True, type=click.Path(path_type=Path), help=help_text)


config_option = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Workspace file with severity overrides and exclusions (default: ./factcheck.yaml).",
)


def inputs_options(fn: F) -> F:
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
        undeclared: str,
        **kwargs: Any,
    ) -> Any:
        inputs = Inputs(claims, rules, engine, max_candidates, config, max_tensions, undeclared)
        return fn(*args, inputs=inputs, **kwargs)

    options = [
        claims_option(),
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
        click.option(
            "--undeclared",
            type=click.Choice([u.value for u in Undeclared]),
            default=Undeclared.error.value,
            show_default=True,
            help="A predicate the vocabulary does not declare: an error, or (for a corpus in progress) a warning.",
        ),
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
