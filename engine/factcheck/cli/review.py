"""`factcheck review`: the interactive queue and the verdict commands over the review store."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

import click

from factcheck.cli.errors import user_errors
from factcheck.cli.options import db_option
from factcheck.errors import ExitCode, UsageError
from factcheck.report.formats import RECORD_FORMATS, Format, render_records
from factcheck.report.records import render_history, render_side_by_side
from factcheck.review.filters import StatusFilter, review_queue, select
from factcheck.review.store import ReviewStore, default_db_path
from factcheck.review.verdicts import DismissReason, Status

REVIEWER_ENV = "FACTCHECK_REVIEWER"

REASONS = [r.value for r in DismissReason]


def _store(ctx: click.Context) -> ReviewStore:
    return ReviewStore(ctx.obj["db"], create=False)


def _reviewer(by: str | None) -> str:
    return by or os.environ.get(REVIEWER_ENV) or getpass.getuser()


by_option = click.option("--by", default=None, help=f"Reviewer name (default: ${REVIEWER_ENV} or your login).")


@click.group(invoke_without_command=True)
@db_option
@by_option
@click.pass_context
@user_errors
def review(ctx: click.Context, db: Path | None, by: str | None) -> None:
    """Review flagged tensions. Without a sub-command: an interactive queue, most severe first."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_db_path()
    if ctx.invoked_subcommand is None:
        with _store(ctx) as store:
            _interactive(store, _reviewer(by))


def _interactive(store: ReviewStore, reviewer: str) -> None:
    queue = review_queue(store.records(include_resolved=False))
    if not queue:
        click.echo("Nothing to review: every tension of the latest run has a current verdict.")
        return
    decided = 0
    try:
        for position, record in enumerate(queue, start=1):
            click.echo(f"\n[{position}/{len(queue)}] " + render_side_by_side(record))
            while True:
                choice = click.prompt(
                    "[c]onfirm  [d]ismiss  [n]eeds-source  n[o]te  [s]kip  [q]uit",
                    type=click.Choice(["c", "d", "n", "o", "s", "q"]),
                    show_choices=False,
                )
                if choice == "o":
                    store.add_note(record.fingerprint, reviewer, click.prompt("note"))
                    decided += 1
                    continue
                break
            if choice == "q":
                break
            if choice == "s":
                continue
            if choice == "c":
                store.mark(record.fingerprint, Status.confirmed, reviewer, note=_optional_note())
            elif choice == "n":
                store.mark(record.fingerprint, Status.needs_source, reviewer, note=_optional_note())
            else:
                reason = click.prompt("reason", type=click.Choice(REASONS))
                store.mark(record.fingerprint, Status.dismissed, reviewer, DismissReason(reason), _optional_note())
            decided += 1
    except click.Abort:
        click.echo(f"\nStopped. {decided} decision(s) saved.")
        sys.exit(ExitCode.interrupted)
    click.echo(f"\n{decided} decision(s) saved.")


def _optional_note() -> str | None:
    note = click.prompt("note (optional)", default="", show_default=False).strip()
    return note or None


@review.command("list")
@click.option(
    "--status",
    type=click.Choice([s.value for s in StatusFilter]),
    default="all",
    show_default=True,
    help="A verdict status, 'changed' (since review), 'resolved' (by data) or 'all'.",
)
@click.option("--rule", default=None, help="Only this rule id.")
@click.option("--speaker", default=None, help="Only tensions with this speaker (entity id, or part of a name).")
@click.option(
    "--format", "fmt", type=click.Choice([f.value for f in RECORD_FORMATS]), default="table", show_default=True
)
@click.pass_context
@user_errors
def list_(ctx: click.Context, status: str, rule: str | None, speaker: str | None, fmt: str) -> None:
    """List recorded tensions with their verdicts."""
    with _store(ctx) as store:
        records = select(store.records(), StatusFilter(status), rule, speaker)
    click.echo(render_records(Format(fmt), records))


@review.command()
@click.argument("tension_id")
@click.pass_context
@user_errors
def show(ctx: click.Context, tension_id: str) -> None:
    """Show one tension with its claims side by side and its verdict."""
    with _store(ctx) as store:
        click.echo(render_side_by_side(store.record(store.resolve(tension_id))))


@review.command()
@click.argument("args", nargs=-1, metavar="[TENSION_ID] STATUS")
@click.option("--rule", default=None, help="Mark every tension of this rule in the latest run (bulk).")
@click.option("--reason", type=click.Choice(REASONS), default=None, help="Why it is dismissed (with 'dismissed').")
@click.option("--note", default=None, help="A free note.")
@by_option
@click.pass_context
@user_errors
def mark(
    ctx: click.Context, args: tuple[str, ...], rule: str | None, reason: str | None, note: str | None, by: str | None
) -> None:
    """Set the verdict of a tension (or, with --rule, of all the rule's tensions):
    open, confirmed, dismissed (needs --reason) or needs-source."""
    expected = 1 if rule else 2
    if len(args) != expected:
        raise click.UsageError("give STATUS with --rule" if rule else "give TENSION_ID and STATUS")
    status_text = args[-1]
    if status_text not in [s.value for s in Status]:
        raise click.UsageError(f"unknown status '{status_text}'; one of: {', '.join(s.value for s in Status)}")
    status = Status(status_text)
    with _store(ctx) as store:
        if rule:
            targets = [r.fingerprint for r in store.records(include_resolved=False) if r.rule == rule]
            if not targets:
                raise UsageError(f"no tension of rule '{rule}' in the latest run")
        else:
            targets = [store.resolve(args[0])]
        for fingerprint in targets:
            store.mark(fingerprint, status, _reviewer(by), DismissReason(reason) if reason else None, note)
    click.echo(f"{len(targets)} tension(s) marked {status.value}.")


@review.command()
@click.argument("tension_id")
@click.pass_context
@user_errors
def history(ctx: click.Context, tension_id: str) -> None:
    """The audit trail of a tension's verdicts: who, when, from, to, reason, note."""
    with _store(ctx) as store:
        fingerprint = store.resolve(tension_id)
        click.echo(render_history(fingerprint, store.history(fingerprint)))


@review.command()
@click.option(
    "--format", "fmt", type=click.Choice([Format.json.value, Format.csv.value]), default="json", show_default=True
)
@click.pass_context
@user_errors
def export(ctx: click.Context, fmt: str) -> None:
    """Export every recorded tension with its verdict and claims."""
    with _store(ctx) as store:
        click.echo(render_records(Format(fmt), store.records()))
