"""`factcheck review`: the interactive queue and the verdict commands over the review store."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck.cli.errors import user_errors
from factcheck.cli.options import claims_option, config_option, db_option, output_option, write_output
from factcheck.errors import ExitCode, UsageError
from factcheck.load.corpus import Undeclared, load_corpus
from factcheck.load.workspace import load_workspace
from factcheck.model.rule import Severity
from factcheck.report.claimreview import rated_claims, render_claimreview
from factcheck.report.formats import RECORD_FORMATS, Format, render_records
from factcheck.report.records import render_history, render_side_by_side
from factcheck.report.safe_text import for_json
from factcheck.report.terminal import Terminal
from factcheck.report.workflow import (
    render_bulk,
    render_decision,
    render_rating,
    render_ratings,
    render_undone,
    render_workflow,
)
from factcheck.review.changes import changes
from factcheck.review.filters import UNASSIGNED, Filters, StatusFilter, review_queue, select
from factcheck.review.store import Record, ReviewStore, default_db_path
from factcheck.review.verdicts import RATING_MAX, RATING_MIN, DismissReason, Status, reason_from_prefix

REVIEWER_ENV = "FACTCHECK_REVIEWER"

REASONS = [r.value for r in DismissReason]
F = TypeVar("F", bound=Callable[..., Any])


def _store(ctx: click.Context) -> ReviewStore:
    return ReviewStore(ctx.obj["db"], create=False)


def reviewer_name(by: str | None) -> str:
    return by or os.environ.get(REVIEWER_ENV) or getpass.getuser()


by_option = click.option("--by", default=None, help=f"Reviewer name (default: ${REVIEWER_ENV} or your login).")


class ReasonType(click.ParamType[DismissReason]):
    """A dismissal reason, or a unique start of one ('different-p' for different-period)."""

    name = "reason"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> DismissReason:
        if isinstance(value, DismissReason):
            return value
        try:
            return reason_from_prefix(str(value))
        except UsageError as exc:
            self.fail(str(exc), param, ctx)


REASON = ReasonType()


def filter_options(fn: F) -> F:
    """--status/--rule/--speaker/--topic/--assignee/--min-severity, passed on as one `filters` argument:
    the same narrowing for `review list`, the interactive queue, bulk marks and the review page."""

    @wraps(fn)
    def wrapper(
        *args: Any,
        status: str,
        rule: str | None,
        speaker: str | None,
        topic: str | None,
        assignee: str | None,
        min_severity: str | None,
        **kwargs: Any,
    ) -> Any:
        filters = Filters(
            StatusFilter(status), rule, speaker, topic, assignee, Severity(min_severity) if min_severity else None
        )
        return fn(*args, filters=filters, **kwargs)

    for option in reversed(FILTER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


FILTER_OPTIONS = [
    click.option(
        "--status",
        type=click.Choice([s.value for s in StatusFilter]),
        default="all",
        show_default=True,
        help="A verdict status, 'changed' (since review), 'resolved' (by data) or 'all'.",
    ),
    click.option("--rule", default=None, help="Only this rule id."),
    click.option("--speaker", default=None, help="Only tensions with this speaker (entity id, or part of a name)."),
    click.option("--topic", default=None, help="Only tensions with a claim on this topic."),
    click.option(
        "--assignee", default=None, help=f"Only tensions assigned to this reviewer ('{UNASSIGNED}': to nobody)."
    ),
    click.option(
        "--min-severity",
        type=click.Choice([s.value for s in Severity]),
        default=None,
        help="Only tensions at or above this severity.",
    ),
]


@click.group(invoke_without_command=True)
@db_option
@by_option
@filter_options
@click.pass_context
@user_errors
def review(ctx: click.Context, db: Path | None, by: str | None, filters: Filters) -> None:
    """Review flagged tensions. Without a sub-command: an interactive queue, most severe first, of the
    open, in-progress and changed ones (with --status, of those); the filters narrow the queue."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_db_path()
    if ctx.invoked_subcommand is not None and filters != Filters():
        raise click.UsageError(f"filters before '{ctx.invoked_subcommand}' narrow only the queue; put them after it")
    if ctx.invoked_subcommand is None:
        with _store(ctx) as store:
            _interactive(store, reviewer_name(by), filters)


QUEUE_PROMPT = "[c]onfirm  [d]ismiss  [n]eeds-source  [i]n-progress  n[o]te  [a]ssign  [u]ndo  [s]kip  [q]uit"
DECISIONS = {"c": Status.confirmed, "d": Status.dismissed, "n": Status.needs_source, "i": Status.in_progress}


def _interactive(store: ReviewStore, reviewer: str, filters: Filters) -> None:
    records = store.records(include_resolved=False)
    queue = review_queue(records, filters) if filters.status is StatusFilter.all else select(records, filters)
    if not queue:
        click.echo("Nothing to review: every tension of the latest run that matches has a current verdict.")
        return
    decided = 0
    try:
        for position, record in enumerate(queue, start=1):
            click.echo(f"\n[{position}/{len(queue)}] " + _full_view(store, store.record(record.fingerprint)))
            while True:
                choice = click.prompt(
                    QUEUE_PROMPT, type=click.Choice(["c", "d", "n", "i", "o", "a", "u", "s", "q"]), show_choices=False
                )
                if choice not in "oau":
                    break
                decided += _side_step(store, record, reviewer, choice)
            if choice == "q":
                break
            if choice == "s":
                continue
            status = DECISIONS[choice]
            reason = click.prompt("reason (a unique start is enough)", type=REASON) if choice == "d" else None
            store.mark(record.fingerprint, status, reviewer, reason, _optional_note())
            click.echo(render_decision(record.fingerprint, status, reviewer, reason))
            decided += 1
    except click.Abort:
        click.echo(f"\nStopped. {decided} decision(s) saved.")
        sys.exit(ExitCode.interrupted)
    click.echo(f"\n{decided} decision(s) saved.")


def _side_step(store: ReviewStore, record: Record, reviewer: str, choice: str) -> int:
    """A note, an assignment or an undo: the queue stays on this finding. Returns the decisions saved."""
    if choice == "o":
        store.add_note(record.fingerprint, reviewer, click.prompt("note"))
        click.echo(f"recorded: note on {record.fingerprint[:10]} by {reviewer}")
        return 1
    if choice == "a":
        assignee = click.prompt("assign to (empty: nobody)", default="", show_default=False).strip() or None
        store.assign(record.fingerprint, assignee, reviewer)
        click.echo(f"recorded: {record.fingerprint[:10]} assigned to {assignee or 'nobody'}")
        return 1
    try:
        click.echo(render_undone(store.undo(reviewer), reviewer))
    except UsageError as exc:
        click.echo(f"not undone: {exc}")
        return 0
    return 1


def _optional_note() -> str | None:
    note = click.prompt("note (optional)", default="", show_default=False).strip()
    return note or None


def _full_view(store: ReviewStore, record: Record) -> str:
    """A finding side by side, with its assignee, notes, and what changed since its verdict."""
    then = store.verdict_snapshot(record)
    extra = render_workflow(record, store.notes(record.fingerprint), changes(then, record.snapshot) if then else None)
    return render_side_by_side(record, Terminal.detect()) + (f"\n{extra}" if extra else "")


@review.command("list")
@filter_options
@click.option(
    "--format", "fmt", type=click.Choice([f.value for f in RECORD_FORMATS]), default="table", show_default=True
)
@click.pass_context
@user_errors
def list_(ctx: click.Context, filters: Filters, fmt: str) -> None:
    """List recorded tensions with their verdicts."""
    with _store(ctx) as store:
        records = select(store.records(), filters)
    click.echo(render_records(Format(fmt), records, Terminal.detect()))


@review.command()
@click.argument("tension_id")
@click.pass_context
@user_errors
def show(ctx: click.Context, tension_id: str) -> None:
    """Show one tension with its claims side by side, its verdict, assignee and notes, and what changed
    since the verdict."""
    with _store(ctx) as store:
        click.echo(_full_view(store, store.record(store.resolve(tension_id))))


@review.command()
@click.argument("args", nargs=-1, metavar="[TENSION_ID] STATUS")
@filter_options
@click.option("--reason", type=REASON, default=None, help="Why it is dismissed (with 'dismissed'); a unique start.")
@click.option("--note", default=None, help="A free note.")
@click.option("--force", is_flag=True, help="Bulk: also change findings a reviewer has already decided.")
@by_option
@click.pass_context
@user_errors
def mark(
    ctx: click.Context,
    args: tuple[str, ...],
    filters: Filters,
    reason: DismissReason | None,
    note: str | None,
    force: bool,
    by: str | None,
) -> None:
    """Set the verdict of a tension: open, in-progress, confirmed, dismissed (needs --reason) or
    needs-source. With filters (--rule, --speaker, ...) instead of an id, of every matching tension of the
    latest run that nobody has decided yet (open); --force changes decided ones too."""
    bulk = filters != Filters()
    if len(args) != (1 if bulk else 2):
        raise click.UsageError("give STATUS with a filter (--rule ...)" if bulk else "give TENSION_ID and STATUS")
    status_text = args[-1]
    if status_text not in [s.value for s in Status]:
        raise click.UsageError(f"unknown status '{status_text}'; one of: {', '.join(s.value for s in Status)}")
    status = Status(status_text)
    reviewer = reviewer_name(by)
    with _store(ctx) as store:
        if not bulk:
            fingerprint = store.resolve(args[0])
            store.mark(fingerprint, status, reviewer, reason, note)
            click.echo(render_decision(fingerprint, status, reviewer, reason))
            return
        targets = [r.fingerprint for r in select(store.records(include_resolved=False), filters)]
        if not targets:
            raise UsageError("no tension of the latest run matches the filters")
        result = store.mark_many(targets, status, reviewer, reason, note, force)
    click.echo(render_bulk(result, status))


@review.command()
@click.argument("tension_id")
@click.argument("text")
@by_option
@click.pass_context
@user_errors
def note(ctx: click.Context, tension_id: str, text: str, by: str | None) -> None:
    """Add a note to a tension (any number of them; the verdict stays)."""
    with _store(ctx) as store:
        fingerprint = store.resolve(tension_id)
        store.add_note(fingerprint, reviewer_name(by), text)
    click.echo(f"recorded: note on {fingerprint[:10]} by {reviewer_name(by)}")


@review.command()
@click.argument("tension_id")
@click.option("--to", "assignee", default=None, help="The reviewer to assign it to.")
@click.option("--nobody", is_flag=True, help="Take the assignment back.")
@by_option
@click.pass_context
@user_errors
def assign(ctx: click.Context, tension_id: str, assignee: str | None, nobody: bool, by: str | None) -> None:
    """Assign a tension to a reviewer (`--to NAME`), or to nobody (`--nobody`)."""
    if nobody == (assignee is not None) or (assignee is not None and not assignee.strip()):
        raise click.UsageError("give --to NAME, or --nobody")
    with _store(ctx) as store:
        fingerprint = store.resolve(tension_id)
        store.assign(fingerprint, assignee, reviewer_name(by))
    click.echo(f"recorded: {fingerprint[:10]} assigned to {assignee.strip() if assignee else 'nobody'}")


@review.command()
@click.argument("tension_id", required=False)
@by_option
@click.pass_context
@user_errors
def undo(ctx: click.Context, tension_id: str | None, by: str | None) -> None:
    """Take back your last verdict (on TENSION_ID, or your last anywhere): a new history entry restores
    the one before it. Refused when a colleague decided the tension since."""
    reviewer = reviewer_name(by)
    with _store(ctx) as store:
        undone = store.undo(reviewer, store.resolve(tension_id) if tension_id else None)
    click.echo(render_undone(undone, reviewer))


@review.command()
@click.argument("claim_id")
@click.option("--rating", required=True, help="The textual rating, e.g. False, Misleading, Accurate.")
@click.option(
    "--value",
    type=click.IntRange(RATING_MIN, RATING_MAX),
    default=None,
    help=f"A numeric rating, {RATING_MIN} (worst) to {RATING_MAX} (best).",
)
@click.option("--note", default=None, help="A free note.")
@claims_option("Claims file or folder to find a claim no recorded tension cites (repeatable). Default: ./claims")
@by_option
@click.pass_context
@user_errors
def rate(
    ctx: click.Context,
    claim_id: str,
    rating: str,
    value: int | None,
    note: str | None,
    claims: tuple[Path, ...],
    by: str | None,
) -> None:
    """Rate a claim (not a tension): a textual rating and an optional 1-5 value, as ClaimReview gives it.
    The latest rating stands; every one is kept."""
    with _store(ctx) as store:
        if not any(claim_id in _claim_ids(r) for r in store.records()):
            _check_claim(claim_id, list(claims) or [Path("claims")])
        click.echo(render_rating(store.rate(claim_id, rating, reviewer_name(by), value, note)))


def _claim_ids(record: Record) -> set[str]:
    return {c["claim"] for c in record.snapshot["claims"]} | {i for t in record.snapshot.get("support", []) for i in t}


def _check_claim(claim_id: str, paths: list[Path]) -> None:
    if not any(p.exists() for p in paths):
        raise UsageError(
            f"no recorded tension cites a claim '{claim_id}'", "give --claims FOLDER to rate a claim of the corpus"
        )
    if claim_id not in load_corpus(paths, Undeclared.warn).claims:
        shown = ", ".join(str(p) for p in paths)
        raise UsageError(f"no claim '{claim_id}' in {shown} or in a recorded tension", "check the claim's id")


@review.command()
@click.argument("claim_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@user_errors
def ratings(ctx: click.Context, claim_id: str | None, fmt: str) -> None:
    """The current rating of every rated claim, or every rating CLAIM_ID was given."""
    with _store(ctx) as store:
        given = store.rating_history(claim_id) if claim_id else store.claim_ratings()
    if claim_id and not given:
        raise UsageError(f"claim '{claim_id}' has no rating")
    if fmt == "json":
        click.echo(for_json(json.dumps([r.model_dump(mode="json") for r in given], indent=2, ensure_ascii=False)))
    else:
        click.echo(render_ratings(given))


@review.command()
@click.argument("tension_id")
@click.pass_context
@user_errors
def history(ctx: click.Context, tension_id: str) -> None:
    """The audit trail of a tension's verdicts: who, when, from, to, reason, note."""
    with _store(ctx) as store:
        fingerprint = store.resolve(tension_id)
        click.echo(render_history(fingerprint, store.history(fingerprint)))


EXPORT_FORMATS = [Format.json, Format.csv, Format.markdown, Format.html, Format.claimreview]


@review.command()
@click.option(
    "--format", "fmt", type=click.Choice([f.value for f in EXPORT_FORMATS]), default="json", show_default=True
)
@click.option(
    "--status",
    type=click.Choice([s.value for s in StatusFilter]),
    default="all",
    show_default=True,
    help="Only tensions with this status (e.g. confirmed, to publish what was confirmed).",
)
@claims_option("Claims the rated claims come from, for --format claimreview (repeatable). Default: ./claims")
@config_option
@output_option("Write to this file instead of standard output.")
@click.pass_context
@user_errors
def export(
    ctx: click.Context, fmt: str, status: str, claims: tuple[Path, ...], config: Path | None, output: Path | None
) -> None:
    """Export recorded tensions with their verdicts, claims, quotes and sources (json, csv, markdown, html),
    or the rated claims as schema.org ClaimReview JSON-LD (claimreview; author: `organisation:` of the
    workspace file)."""
    with _store(ctx) as store:
        records = select(store.records(), Filters(StatusFilter(status)))
        if Format(fmt) is Format.claimreview:
            ratings = store.claim_ratings()
            corpus = load_corpus(list(claims) or [Path("claims")], Undeclared.warn) if ratings else None
            items = rated_claims(corpus, ratings, records) if corpus is not None else []
            text = render_claimreview(items, load_workspace(config).organisation)
        else:
            text = render_records(Format(fmt), records)
    write_output(text, output)
