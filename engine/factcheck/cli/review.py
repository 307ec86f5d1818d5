"""`factcheck review`: the interactive queue and the verdict commands over the review store."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from factcheck.cli.main import db_option, main, user_errors
from factcheck.report.formats import SHORT_ID, render_side_by_side, review_label
from factcheck.report.safe_text import for_json, for_spreadsheet, for_terminal
from factcheck.review.store import Record, ReviewStore, default_db_path
from factcheck.review.verdicts import DismissReason, Standing, Status

REVIEWER_ENV = "FACTCHECK_REVIEWER"
STATUS_FILTERS = [*(s.value for s in Status), "changed", "resolved", "all"]
REASONS = [r.value for r in DismissReason]


def _store(ctx: click.Context) -> ReviewStore:
    return ReviewStore(ctx.obj["db"], create=False)


def _reviewer(by: str | None) -> str:
    return by or os.environ.get(REVIEWER_ENV) or getpass.getuser()


by_option = click.option("--by", default=None, help=f"Reviewer name (default: ${REVIEWER_ENV} or your login).")


@main.group(invoke_without_command=True)
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
    queue = [
        r for r in store.records(include_resolved=False) if r.status is Status.open or r.standing is Standing.changed
    ]
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
        sys.exit(130)
    click.echo(f"\n{decided} decision(s) saved.")


def _optional_note() -> str | None:
    note = click.prompt("note (optional)", default="", show_default=False).strip()
    return note or None


def _matches(record: Record, status: str, rule: str | None, speaker: str | None) -> bool:
    if rule and record.rule != rule:
        return False
    if speaker:
        wanted = speaker.lower()
        people = [(c["speaker"]["id"], c["speaker"]["name"].lower()) for c in record.snapshot["claims"]]
        if not any(wanted == pid or wanted in name for pid, name in people):
            return False
    if status == "all":
        return True
    if status == "resolved":
        return record.standing is Standing.resolved
    if record.standing is Standing.resolved:
        return False
    if status == "changed":
        return record.standing is Standing.changed
    return record.status.value == status


def _as_dict(record: Record) -> dict[str, Any]:
    return {
        "id": record.fingerprint,
        "rule": record.rule,
        "severity": record.severity,
        "status": record.status.value,
        "standing": record.standing.value,
        "reason": record.reason,
        "note": record.note,
        "reviewer": record.reviewer,
        "decided_at": record.decided_at,
        "first_seen_at": record.first_seen_at,
        "last_seen_at": record.last_seen_at,
        "tension": record.snapshot,
    }


def _render(records: list[Record], fmt: str) -> str:
    if fmt == "json":
        return for_json(json.dumps([_as_dict(r) for r in records], indent=2, ensure_ascii=False))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "rule",
                "severity",
                "status",
                "standing",
                "reason",
                "note",
                "reviewer",
                "decided_at",
                "speakers",
                "claims",
                "message",
            ]
        )
        for r in records:
            claims = ";".join(f"{c['binding']}={c['claim']}" for c in r.snapshot["claims"])
            writer.writerow(
                [
                    for_spreadsheet(str(v or ""))
                    for v in (
                        r.fingerprint,
                        r.rule,
                        r.severity,
                        r.status.value,
                        r.standing.value,
                        r.reason,
                        r.note,
                        r.reviewer,
                        r.decided_at,
                        r.speakers,
                        claims,
                        r.message,
                    )
                ]
            )
        return buffer.getvalue().rstrip("\n")
    if not records:
        return "No tensions match."
    rows = [
        [
            r.fingerprint[:SHORT_ID],
            r.severity,
            review_label(r) if r.active else r.standing.value,
            r.rule,
            r.speakers,
            r.reason or "",
        ]
        for r in records
    ]
    return tabulate(
        [[for_terminal(c) for c in row] for row in rows],
        ["id", "severity", "review", "rule", "speakers", "reason"],
        tablefmt="simple",
        maxcolwidths=[None, None, 30, 30, 30, None],
    )


@review.command("list")
@click.option(
    "--status",
    type=click.Choice(STATUS_FILTERS),
    default="all",
    show_default=True,
    help="A verdict status, 'changed' (since review), 'resolved' (by data) or 'all'.",
)
@click.option("--rule", default=None, help="Only this rule id.")
@click.option("--speaker", default=None, help="Only tensions with this speaker (entity id, or part of a name).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
@user_errors
def list_(ctx: click.Context, status: str, rule: str | None, speaker: str | None, fmt: str) -> None:
    """List recorded tensions with their verdicts."""
    with _store(ctx) as store:
        records = [r for r in store.records() if _matches(r, status, rule, speaker)]
    click.echo(_render(records, fmt))


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
                raise LookupError(f"no tension of rule '{rule}' in the latest run")
        else:
            targets = [store.resolve(args[0])]
        for fingerprint in targets:
            try:
                store.mark(fingerprint, status, _reviewer(by), DismissReason(reason) if reason else None, note)
            except ValueError as exc:
                raise click.UsageError(str(exc)) from None
    click.echo(f"{len(targets)} tension(s) marked {status.value}.")


@review.command()
@click.argument("tension_id")
@click.pass_context
@user_errors
def history(ctx: click.Context, tension_id: str) -> None:
    """The audit trail of a tension's verdicts: who, when, from, to, reason, note."""
    with _store(ctx) as store:
        fingerprint = store.resolve(tension_id)
        entries = store.history(fingerprint)
    if not entries:
        click.echo(f"{fingerprint[:SHORT_ID]}: no verdict yet.")
        return
    rows = [[e.at, e.by, e.from_status, e.to_status, e.reason or "", e.note or ""] for e in entries]
    click.echo(
        tabulate(
            [[for_terminal(c) for c in row] for row in rows],
            ["at", "by", "from", "to", "reason", "note"],
            tablefmt="simple",
        )
    )


@review.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.pass_context
@user_errors
def export(ctx: click.Context, fmt: str) -> None:
    """Export every recorded tension with its verdict and claims."""
    with _store(ctx) as store:
        click.echo(_render(store.records(), fmt))
