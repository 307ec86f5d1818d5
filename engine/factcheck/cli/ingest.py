"""`factcheck init` (a new workspace) and `factcheck import` (ClaimReview feeds, spreadsheet rows)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from factcheck.cli.errors import user_errors
from factcheck.cli.options import claims_option
from factcheck.ingest.claimreview import import_claimreview
from factcheck.ingest.claims_file import ClaimsFile, workspace_corpus, write_import
from factcheck.ingest.csv_rows import import_csv
from factcheck.ingest.workspace import init_workspace


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--organisation", default="Our fact-checking desk", show_default=True, help="Who publishes the reviews.")
@user_errors
def init(folder: Path, organisation: str) -> None:
    """Start a workspace in FOLDER (default: here): claims/ with the vocabulary and an example article,
    rules/ with the default pack, and factcheck.yaml. Nothing existing is overwritten."""
    written = init_workspace(folder, organisation)
    for path in written:
        click.echo(f"created {path}")
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"next: {where}factcheck run   (then `factcheck review`, `factcheck import ...` for your own claims)")


output_option = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("claims") / "imported.yaml",
    show_default=True,
    help="The claims file to write (replaced whole when it exists; ids are stable across re-imports).",
)


@click.group("import")
def import_() -> None:
    """Turn ClaimReview feeds or spreadsheet rows into a claims file, ready for review."""


@import_.command("claimreview")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@output_option
@claims_option("The workspace's claims, whose entities and sources the import reuses. Default: ./claims")
@user_errors
def import_claimreview_command(file: Path, output: Path, claims: tuple[Path, ...]) -> None:
    """Import a ClaimReview JSON-LD feed (one object, a list, an @graph, a DataFeed, or the Fact Check
    Tools API's answer)."""
    _import(output, claims, lambda into: import_claimreview(file, into), f"imported from {file.name}")


@import_.command("csv")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--map",
    "map_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="YAML map: which column gives which claim field, or a constant (docs/import.md).",
)
@output_option
@claims_option("The workspace's claims, whose entities and sources the import reuses. Default: ./claims")
@user_errors
def import_csv_command(file: Path, map_path: Path, output: Path, claims: tuple[Path, ...]) -> None:
    """Import spreadsheet rows (CSV, UTF-8, a header row) as claims, column by column as the map says."""
    _import(output, claims, lambda into: import_csv(file, map_path, into), f"imported from {file.name}")


def _import(output: Path, claims: tuple[Path, ...], add: Callable[[ClaimsFile], int], header: str) -> None:
    corpus, files = workspace_corpus(list(claims) or [Path("claims")], output)
    into = ClaimsFile(corpus)
    count = add(into)
    write_import(into, output, files, f"{header} by `factcheck import`; re-importing rewrites this file.")
    declared = f"{len(into.entities)} new entities, {len(into.sources)} new sources"
    click.echo(f"wrote {count} claim(s) to {output} ({declared}); next: factcheck run, then factcheck review")
