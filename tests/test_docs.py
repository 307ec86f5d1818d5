"""Every command and every option of the live `factcheck` CLI is documented (after sqlite-utils'
test_docs.py): the command tree of factcheck.cli.main is walked, groups and sub-commands recursively, and
each command path ("factcheck review mark") and option ("--max-tensions") must appear in README.md or
docs/*.md, and in its own command's section of docs/cli.md (`python scripts/cli_reference.py` writes it)."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import click
import pytest

from conftest import ROOT
from factcheck.cli import main


def _load_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_reference()
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CLI_REFERENCE = ROOT / "docs" / "cli.md"


def _mentions(text: str, name: str) -> bool:
    """`name` as a whole token: '--cache' is not found in '--no-cache', 'factcheck rules' not in 'factcheck rulesx'."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def _sections(text: str) -> dict[str, str]:
    """docs/cli.md by command path: the text under each '## `factcheck ...`' heading."""
    found = re.split(r"^## `([^`]+)`$", text, flags=re.M)
    return dict(zip(found[1::2], found[2::2], strict=True))


def _gaps(ctx: click.Context, command: click.Command, docs: str, sections: dict[str, str]) -> list[str]:
    """What the docs do not say about one command: its path, and its options as 'path --option'."""
    path = ctx.command_path
    missing = []
    if not _mentions(docs, path):
        missing.append(path)
    if path not in sections:
        missing.append(f"{path} (no section in docs/cli.md)")
    for option in reference.options(command):
        for name in reference.option_names(option):
            if not _mentions(docs, name):
                missing.append(f"{path} {name}")
            elif not _mentions(sections.get(path, ""), name):
                missing.append(f"{path} {name} (not in its docs/cli.md section)")
    return missing


def undocumented(command: click.Command, docs: str, cli_reference: str) -> list[str]:
    """Every gap of the whole command tree under `command`."""
    sections = _sections(cli_reference)
    return [gap for ctx, cmd in reference.walk(command) for gap in _gaps(ctx, cmd, docs, sections)]


def _docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


COMMANDS = [ctx.command_path for ctx, _ in reference.walk(main)]


def test_the_walk_reaches_every_command() -> None:
    assert {"factcheck", "factcheck run", "factcheck review mark", "factcheck rules explain"} <= set(COMMANDS)
    assert len(COMMANDS) == len(set(COMMANDS)) >= 15


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_and_option_is_documented(path: str) -> None:
    ctx, command = next((ctx, cmd) for ctx, cmd in reference.walk(main) if ctx.command_path == path)
    sections = _sections(CLI_REFERENCE.read_text(encoding="utf-8"))
    assert _gaps(ctx, command, _docs_text(), sections) == [], "run python scripts/cli_reference.py, then describe it"


def test_an_undocumented_option_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a new option on a real command, not yet in the docs, is named."""
    run = main.commands["run"]
    monkeypatch.setattr(run, "params", [*run.params, click.Option(["--fake-option-for-test-docs"], is_flag=True)])
    assert undocumented(main, _docs_text(), CLI_REFERENCE.read_text(encoding="utf-8")) == [
        "factcheck run --fake-option-for-test-docs"
    ]


def test_an_undocumented_command_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = main.commands["rules"]
    assert isinstance(rules, click.Group)
    monkeypatch.setitem(rules.commands, "frobnicate", click.Command("frobnicate", params=[click.Option(["--hard"])]))
    assert undocumented(main, _docs_text(), CLI_REFERENCE.read_text(encoding="utf-8")) == [
        "factcheck rules frobnicate",
        "factcheck rules frobnicate (no section in docs/cli.md)",
        "factcheck rules frobnicate --hard",
    ]


def test_an_option_documented_elsewhere_but_not_under_its_command_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    review = main.commands["review"]
    assert isinstance(review, click.Group)
    export = review.commands["export"]
    monkeypatch.setattr(export, "params", [*export.params, click.Option(["--max-tensions"], type=int)])
    assert undocumented(main, _docs_text(), CLI_REFERENCE.read_text(encoding="utf-8")) == [
        "factcheck review export --max-tensions (not in its docs/cli.md section)"
    ]
