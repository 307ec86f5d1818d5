"""The `factcheck` group and its evaluating commands: `run`, `show`, `schema`. Commands parse options
and call the library (factcheck.api); rendering is report/'s, error display cli/errors.py's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from factcheck import __version__
from factcheck.api import find_tension, record, select_tensions
from factcheck.cli.errors import user_errors
from factcheck.cli.options import Inputs, claims_option, db_option, inputs_options, output_option, write_output
from factcheck.errors import ExitCode
from factcheck.evaluate.workers import workers_for
from factcheck.load.corpus import Undeclared, load_corpus
from factcheck.model.rule import Severity
from factcheck.report.formats import TENSION_FORMATS, Format, render_tensions
from factcheck.report.tensions import render_detail
from factcheck.report.terminal import Terminal
from factcheck.report.vocabulary import render_vocabulary
from factcheck.review.store import ReviewStore, default_db_path

LEVELS = [s.value for s in Severity]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factcheck")
def main() -> None:
    """Flag tensions between attributed claims with declarative YAML rules."""


@main.command()
@inputs_options
@click.option(
    "--format", "fmt", type=click.Choice([f.value for f in TENSION_FORMATS]), default="table", show_default=True
)
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
@output_option("Write the report to this file instead of standard output (e.g. report.html).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Evaluate on up to this many cores of this machine, each share of the partitions in its own durable_rules "
    "worker (default: one per core, for runs with 10,000 facts per core or more). Same tensions as one.",
)
@click.option(
    "--on",
    "on",
    metavar="MASTER",
    default=None,
    help="Run the durable_rules workers on Spark executors: a master URL (local[2], spark://HOST:7077, yarn, "
    "k8s://...) or 'spark' for the one spark-submit configures. Needs pip install 'factcheck[spark]' and "
    "Java 17; same tensions as a local run (docs/distributed.md).",
)
@db_option
@user_errors
def run(
    inputs: Inputs,
    fmt: str,
    min_severity: str,
    fail_on: str | None,
    new_only: bool,
    cache: bool,
    output: Path | None,
    jobs: int | None,
    on: str | None,
    db: Path | None,
) -> None:
    """Evaluate the rules over the claims, record the run in the review store, report the tensions
    (the table fits $COLUMNS or the terminal; colour on a terminal unless NO_COLOR is set)."""
    inputs.require_claims()
    db_path = db or default_db_path()
    workers = workers_for(on, jobs)  # a bad --on is an error before any work
    ReviewStore(db_path, verify=True).close()  # a bad database is an error before any work, not after
    result = inputs.check(cache_dir=db_path.parent / "cache" if cache else None, workers=workers)
    _, reviews = record(result, db_path)
    shown = select_tensions(result.tensions, reviews, Severity(min_severity), new_only)
    terminal = Terminal(colour=False) if output else Terminal.detect()
    write_output(render_tensions(Format(fmt), shown, reviews, terminal), output)
    if fail_on is not None and any(t.severity.rank >= Severity(fail_on).rank for t in shown):
        sys.exit(ExitCode.found)


@main.command()
@click.argument("tension_id")
@inputs_options
@user_errors
def show(inputs: Inputs, tension_id: str) -> None:
    """Show one tension in full; TENSION_ID may be a unique prefix of its id."""
    # the run cache beside the default review database: unchanged inputs are not evaluated again
    inputs.require_claims()
    tension = find_tension(inputs.check(default_db_path().parent / "cache").tensions, tension_id)
    click.echo(render_detail(tension, Terminal.detect()))


@main.command()
@claims_option()
@user_errors
def vocab(claims: tuple[Path, ...]) -> None:
    """List the declared vocabulary: each term's label, broader terms, family and flags, how many claims use
    it, and the predicates claims use without declaring them."""
    corpus = load_corpus(list(claims) or [Path("claims")], Undeclared.warn)
    click.echo(render_vocabulary(corpus))


@main.command()
@click.argument("what", type=click.Choice(["claims", "rules"]))
def schema(what: str) -> None:
    """Print the JSON Schema of claim files or rule files (for editor validation and completion)."""
    from factcheck.model.schema import corpus_file_schema, rule_file_schema

    document = corpus_file_schema() if what == "claims" else rule_file_schema()
    click.echo(json.dumps(document, indent=2))
