"""`factcheck rules`: list, validate, test, explain and scaffold rules."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from factcheck.cli.errors import user_errors
from factcheck.cli.options import Inputs, claims_option, config_option, inputs_options
from factcheck.compile.lint import LintFinding, lint_rule
from factcheck.compile.pack import load_rules
from factcheck.compile.scaffold import skeleton, valid_rule_id
from factcheck.errors import ExitCode, InputError, InputErrors, UsageError
from factcheck.evaluate.claim_reading import lint_claims
from factcheck.evaluate.engine import Engine
from factcheck.evaluate.explain import explain as explain_rule
from factcheck.evaluate.rule_tests import run_rule_tests
from factcheck.evaluate.vocabulary import resolve_terms
from factcheck.load.corpus import load_corpus
from factcheck.load.files import display_name
from factcheck.load.validation import did_you_mean
from factcheck.load.workspace import load_workspace
from factcheck.model.corpus import Corpus
from factcheck.report.rules import (
    render_explanation,
    render_findings,
    render_load_errors,
    render_rule_list,
    render_rule_tests_json,
    render_rule_tests_text,
)

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


@click.group()
def rules() -> None:
    """Work on rules: list, validate, test, explain, new."""


def _workspace_corpus(claims: tuple[Path, ...]) -> Corpus:
    """The workspace's claims when given or present in ./claims; otherwise an empty corpus."""
    if claims:
        return load_corpus(list(claims))
    if Path("claims").is_dir():
        return load_corpus([Path("claims")])
    return Corpus()


@rules.command("list")
@paths_argument
@config_option
@user_errors
def list_rules(paths: tuple[Path, ...], config: Path | None) -> None:
    """List rules: id, severity, title, file, inline tests, and whether they run."""
    pack = load_rules(list(paths) or [Path("rules")])
    workspace = load_workspace(config)
    workspace.apply([r.spec for r in pack.rules])
    rows: list[list[object]] = []
    for rule in pack.rules:
        reason = workspace.excluded_rule(rule.id)
        state = f"excluded: {reason}" if reason else ("enabled" if rule.spec.enabled else "disabled")
        rows.append([rule.id, rule.spec.severity.value, rule.spec.title, rule.location, len(rule.spec.tests), state])
    click.echo(render_rule_list(rows))


@rules.command()
@paths_argument
@claims_option("Corpus whose entities the rules may name (default: ./claims when present).")
@user_errors
def validate(paths: tuple[Path, ...], claims: tuple[Path, ...]) -> None:
    """Check rule files: schema, built-ins, messages, and lint. Exit 0 clean, 1 findings, 2 errors."""
    try:
        pack = load_rules(list(paths) or [Path("rules")])
    except (InputError, InputErrors) as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        click.echo(render_load_errors(errors))
        click.echo(f"{len(errors)} error(s)", err=True)
        sys.exit(exc.exit_code)  # as `run` exits for the same errors
    corpus: Corpus | None
    try:
        corpus = _workspace_corpus(claims)
    except (InputError, InputErrors) as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        click.echo(render_load_errors(errors))
        if claims:  # claims asked for by name: their errors are this command's, as `run` would exit for them
            click.echo(f"{len(errors)} error(s) in the claims", err=True)
            sys.exit(exc.exit_code)
        click.echo(
            "warning: the claims above could not be loaded, so they and entity references were not checked", err=True
        )
        corpus = None
    findings: list[LintFinding] = []
    for rule in pack.rules:
        findings += lint_rule(rule, corpus if corpus and corpus.entities else None)
    if corpus is not None:
        findings += lint_claims(pack, corpus)  # what the rules would pass by in these claims
    if findings:
        click.echo(render_findings(findings))
    files = len({r.location.file for r in pack.rules})
    summary = f"{len(pack.rules)} rule(s) in {files} file(s): " + (
        f"{len(findings)} warning(s)" if findings else "no findings"
    )
    click.echo(summary, err=True)
    sys.exit(ExitCode.found if findings else ExitCode.ok)


@rules.command("test")
@paths_argument
@claims_option("Corpus whose entities and sources tests may use (default: ./claims when present).")
@click.option("--engine", type=click.Choice([e.value for e in Engine]), default=Engine.durable.value, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def test_rules(paths: tuple[Path, ...], claims: tuple[Path, ...], engine: str, fmt: str) -> None:
    """Run the rules' inline tests; every failing case is shown with expected vs actual tuples."""
    pack = load_rules(list(paths) or [Path("rules")])
    results = run_rule_tests(pack, _workspace_corpus(claims), Engine(engine))
    click.echo(render_rule_tests_json(results) if fmt == "json" else render_rule_tests_text(results))
    failed = any(not r.passed and not r.todo for r in results)
    sys.exit(ExitCode.found if failed else ExitCode.ok)


@rules.command("explain")
@click.argument("rule_id")
@click.argument("tuple_", nargs=-1, metavar="[BINDING=CLAIM ...]")
@inputs_options
@user_errors
def explain_command(inputs: Inputs, rule_id: str, tuple_: tuple[str, ...]) -> None:
    """Why RULE_ID did or did not fire: claims passing each binding's tests, tuples surviving each stage,
    and, for BINDING=CLAIM pairs, the first condition that rejects that tuple."""
    corpus = load_corpus(inputs.claim_paths)
    pack = load_rules(inputs.rule_paths)
    rule = next((r for r in pack.rules if r.id == rule_id), None)
    if rule is None:
        raise UsageError(f"no rule '{rule_id}'{did_you_mean(rule_id, [r.id for r in pack.rules])}")
    named = None
    if tuple_:
        pairs = [item.partition("=") for item in tuple_]
        if any(not sep for _, sep, _ in pairs):
            raise click.UsageError("name the tuple as BINDING=CLAIM pairs, e.g. denial=c1 staff=c2")
        named = {name: claim for name, _, claim in pairs}
    (resolved,) = resolve_terms([rule], pack.lexicon(corpus))
    click.echo(render_explanation(explain_rule(resolved, corpus, named)))


@rules.command()
@click.argument("rule_id")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write it (default: rules/RULE_ID.yaml).",
)
@user_errors
def new(rule_id: str, output: Path | None) -> None:
    """Write a commented rule skeleton with one positive and one negative inline test."""
    if not valid_rule_id(rule_id):
        raise click.UsageError(f"'{rule_id}' is not a valid rule id; use lowercase letters, digits and '-'")
    path = output or Path("rules") / f"{rule_id}.yaml"
    if path.exists():
        raise click.UsageError(f"{display_name(path)} exists already; choose another id or --output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(skeleton(rule_id, display_name(path)), encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {display_name(path)}: {exc.strerror}") from None
    click.echo(
        f"wrote {display_name(path)}: edit it, then 'factcheck rules validate {display_name(path)}' "
        f"and 'factcheck rules test {display_name(path)}'"
    )
