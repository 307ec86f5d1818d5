"""Write docs/cli.md, the reference of every `factcheck` command and option, from the live click tree.

    python scripts/cli_reference.py            # rewrite docs/cli.md
    python scripts/cli_reference.py --check    # exit 1 if docs/cli.md differs from what would be written

tests/test_docs.py walks the same tree and fails when a command or an option is missing from the docs, so
adding an option means running this script (and saying more about it in README.md or docs/ if it needs it).
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from factcheck.cli import main

OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEADER = """\
# Command-line reference

Every `factcheck` command with its options, generated from the CLI itself by `python scripts/cli_reference.py`
(do not edit by hand: run it again after changing a command). `tests/test_docs.py` fails when a command or an
option is missing here. The README shows the commands at work; exit codes are in its "What `factcheck run`
does" section. Every command also takes `-h` / `--help`.
"""


def walk(command: click.Command, parent: click.Context | None = None) -> Iterator[tuple[click.Context, click.Command]]:
    """Every command of the tree, depth first, with its context (`ctx.command_path`: "factcheck review mark")."""
    ctx = click.Context(command, info_name=command.name if parent else "factcheck", parent=parent)
    yield ctx, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            sub = command.commands[name]
            if not sub.hidden:
                yield from walk(sub, ctx)


def options(command: click.Command) -> list[click.Option]:
    """The command's own options, help excluded (every command has it)."""
    return [p for p in command.params if isinstance(p, click.Option) and not p.hidden]


def option_names(option: click.Option) -> list[str]:
    return [*option.opts, *option.secondary_opts]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _help(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or "").replace("\b\n", "")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip())


def render() -> str:
    parts = [HEADER]
    for ctx, command in walk(main):
        usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
        parts.append(f"\n## `{ctx.command_path}`\n\n{_help(command)}\n\n```\n{usage}\n```\n")
        if isinstance(command, click.Group) and command.commands:
            parts.append("\nCommands:\n\n")
            for name in sorted(command.commands):
                sub = command.commands[name]
                if not sub.hidden:
                    parts.append(f"- `{ctx.command_path} {name}`: {_cell(sub.get_short_help_str(limit=200))}\n")
        rows = [option.get_help_record(ctx) for option in options(command)]
        if rows:
            parts.append("\n| option | what it does |\n|---|---|\n")
            for record in rows:
                if record is not None:
                    names, help_text = record
                    parts.append(f"| `{_cell(names)}` | {_cell(help_text)} |\n")
    return "".join(parts)


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only tell whether docs/cli.md is current")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(run())
