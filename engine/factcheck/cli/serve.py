"""`factcheck serve`: the review page in a browser, over the same review store as `factcheck review`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from factcheck.api import record
from factcheck.cli.errors import user_errors
from factcheck.cli.options import Inputs, db_option, inputs_options
from factcheck.cli.review import by_option, reviewer_name
from factcheck.errors import UsageError
from factcheck.review.store import ReviewStore, default_db_path

DEFAULT_PORT = 8765


@click.command()
@inputs_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The page has no login: keep it on this machine unless you mean to share it.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="0: any free port."
)
@click.option(
    "--run/--no-run",
    "evaluate",
    default=None,
    help="Evaluate the claims and record the run before serving (default: when the claims are there).",
)
@db_option
@by_option
@user_errors
def serve(inputs: Inputs, host: str, port: int, evaluate: bool | None, db: Path | None, by: str | None) -> None:
    """Serve the review page: findings by severity with their quotes side by side, verdicts, notes,
    assignments and history, over the review store (the CLI and the page see each other's decisions at
    once). Stop it with Ctrl-C."""
    # Flask and the page load here, not with the CLI: every other command would pay ~0.05 s for them
    from factcheck.web.app import LOOPBACK, Settings
    from factcheck.web.server import serve as serve_page

    db_path = db or default_db_path()
    if evaluate if evaluate is not None else any(p.exists() for p in inputs.claim_paths):
        ReviewStore(db_path, verify=True).close()  # a bad database is an error before any work
        result = inputs.check(cache_dir=db_path.parent / "cache")
        record(result, db_path)
        click.echo(f"Recorded a run: {len(result.tensions)} finding(s).", err=True)
    else:
        ReviewStore(db_path, create=False).close()  # no store yet: say to run first
    if host not in LOOPBACK:
        click.echo(f"warning: anyone who can reach {host}:{port} can record verdicts on this page", err=True)

    def ready(url: str) -> None:
        click.echo(f"Review page: {url}  (Ctrl-C to stop)")
        sys.stdout.flush()  # a script waiting for the address reads it now, not at exit

    try:
        serve_page(Settings(db_path, host, port, reviewer_name(by)), ready)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})", "choose another --port") from None
    except KeyboardInterrupt:
        click.echo("Stopped.")
