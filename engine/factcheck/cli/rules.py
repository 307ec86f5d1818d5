"""`factcheck rules`: list, validate, test, explain and scaffold rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tabulate import tabulate

from factcheck.api import Engine
from factcheck.cli.main import Inputs, _inputs, config_option, main, user_errors
from factcheck.compile.lint import LintFinding, lint_rule
from factcheck.compile.pack import RulePack, load_rules
from factcheck.compile.scaffold import skeleton, valid_rule_id
from factcheck.errors import InputError, InputErrors, UnreadableInput
from factcheck.evaluate.explain import explain as explain_rule
from factcheck.load.corpus import load_corpus
from factcheck.load.files import display_name
from factcheck.load.workspace import load_workspace
from factcheck.model.corpus import Corpus
from factcheck.report.safe_text import for_json, for_terminal, one_line
from factcheck.rule_tests import run_rule_tests

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


@main.group()
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
    rows = []
    for rule in pack.rules:
        reason = workspace.excluded_rule(rule.id)
        state = f"excluded: {reason}" if reason else ("enabled" if rule.spec.enabled else "disabled")
        rows.append(
            [rule.id, rule.spec.severity.value, rule.spec.title, str(rule.location), len(rule.spec.tests), state]
        )
    click.echo(
        tabulate(
            [[for_terminal(str(cell)) for cell in row] for row in rows],
            ["id", "severity", "title", "file", "tests", "state"],
            tablefmt="simple",
            maxcolwidths=[30, None, 40, 28, None, 24],
        )
    )


@rules.command()
@paths_argument
@click.option(
    "--claims",
    "claims",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Corpus whose entities the rules may name (default: ./claims when present).",
)
@user_errors
def validate(paths: tuple[Path, ...], claims: tuple[Path, ...]) -> None:
    """Check rule files: schema, built-ins, messages, and lint. Exit 0 clean, 1 findings, 2 unreadable."""
    try:
        pack = load_rules(list(paths) or [Path("rules")])
    except InputErrors as exc:
        _report_load_errors(exc.errors)
    except InputError as exc:
        _report_load_errors([exc])
    corpus: Corpus | None
    try:
        corpus = _workspace_corpus(claims)
    except (InputError, InputErrors):
        click.echo(
            "warning: the claims could not be loaded, so entity references were not checked "
            "(run 'factcheck run' to see why)",
            err=True,
        )
        corpus = None
    findings: list[LintFinding] = []
    for rule in pack.rules:
        findings += lint_rule(rule, corpus if corpus and corpus.entities else None)
    for finding in sorted(findings):
        click.echo(one_line(str(finding)))
    files = len({r.location.file for r in pack.rules})
    summary = f"{len(pack.rules)} rule(s) in {files} file(s): " + (
        f"{len(findings)} warning(s)" if findings else "no findings"
    )
    click.echo(summary, err=True)
    sys.exit(1 if findings else 0)


def _report_load_errors(errors: list[InputError]) -> None:
    for error in errors:
        click.echo(one_line(f"{error.location}: error: {error.message}"))
    unreadable = any(isinstance(e, UnreadableInput) for e in errors)
    click.echo(f"{len(errors)} error(s)", err=True)
    sys.exit(2 if unreadable else 1)


@rules.command("test")
@paths_argument
@click.option(
    "--claims",
    "claims",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Corpus whose entities and sources tests may use (default: ./claims when present).",
)
@click.option("--engine", type=click.Choice([e.value for e in Engine]), default=Engine.durable.value, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def test_rules(paths: tuple[Path, ...], claims: tuple[Path, ...], engine: str, fmt: str) -> None:
    """Run the rules' inline tests; every failing case is shown with expected vs actual tuples."""
    pack = load_rules(list(paths) or [Path("rules")])
    results = run_rule_tests(pack, _workspace_corpus(claims), Engine(engine))
    failed = [r for r in results if not r.passed and not r.todo]
    todo = [r for r in results if r.todo]
    if fmt == "json":
        click.echo(
            for_json(
                json.dumps(
                    [
                        {
                            "rule": r.rule,
                            "case": r.case,
                            "passed": r.passed,
                            "todo": r.todo,
                            "expected": [dict(t) for t in sorted(r.expected)],
                            "actual": [dict(t) for t in sorted(r.actual)],
                        }
                        for r in results
                    ],
                    indent=2,
                )
            )
        )
    else:
        for r in results:
            if r.todo:
                click.echo(one_line(f"TODO {r.rule}: {r.case} ({r.todo}){'' if r.passed else ' - still failing'}"))
            elif not r.passed:
                click.echo(one_line(f"FAIL {r.rule}: {r.case}"))
                for t in r.missing:
                    click.echo(one_line(f"     expected, did not fire: {_tuple(t)}"))
                for t in r.unexpected:
                    click.echo(one_line(f"     fired, not expected:    {_tuple(t)}"))
        click.echo(
            f"{len(results) - len(failed) - len(todo)} passed, {len(failed)} failed"
            + (f", {len(todo)} todo" if todo else "")
        )
    sys.exit(1 if failed else 0)


def _tuple(items: tuple[tuple[str, str], ...]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"


@rules.command("explain")
@click.argument("rule_id")
@click.argument("tuple_", nargs=-1, metavar="[BINDING=CLAIM ...]")
@_inputs
@user_errors
def explain_command(inputs: Inputs, rule_id: str, tuple_: tuple[str, ...]) -> None:
    """Why RULE_ID did or did not fire: claims passing each binding's tests, tuples surviving each stage,
    and, for BINDING=CLAIM pairs, the first condition that rejects that tuple."""
    corpus = load_corpus(inputs.claim_paths)
    pack: RulePack = load_rules(inputs.rule_paths)
    rule = next((r for r in pack.rules if r.id == rule_id), None)
    if rule is None:
        from factcheck.load.validation import did_you_mean

        raise LookupError(f"no rule '{rule_id}'{did_you_mean(rule_id, [r.id for r in pack.rules])}")
    named = None
    if tuple_:
        pairs = [item.partition("=") for item in tuple_]
        if any(not sep for _, sep, _ in pairs):
            raise click.UsageError("name the tuple as BINDING=CLAIM pairs, e.g. denial=c1 staff=c2")
        named = {name: claim for name, _, claim in pairs}
    result = explain_rule(rule, corpus, named)
    lines = [
        f"rule {rule.id} ({rule.location}), join: {rule.join_label}",
        f"claims in the corpus: {result.claims_total}",
        "",
        "bindings (claims passing their field tests):",
    ]
    lines += [f"  {name:<10} {count:>6}   {tests}" for name, tests, count in result.binding_counts]
    lines += ["", "tuples surviving each stage (reference semantics):"]
    lines += [f"  {count:>6}   {stage}" for stage, count in result.stages]
    fired = result.stages[-1][1] if result.stages else 0
    lines += ["", f"fires {fired} time(s)"]
    if result.verdict:
        lines += ["", "named tuple:", *[f"  {step}" for step in result.verdict]]
    click.echo(for_terminal("\n".join(lines)))


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
