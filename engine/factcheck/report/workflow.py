"""What the review workflow adds to a finding in the terminal: its assignee and notes, what changed since
its verdict, the one-line confirmation of each decision, bulk marks, undo, and claim ratings. Text passes
through safe_text like every other output."""

from __future__ import annotations

from collections import Counter

from tabulate import tabulate

from factcheck.report.safe_text import for_terminal
from factcheck.review.changes import Change
from factcheck.review.store import BulkResult, Note, Record, Undone
from factcheck.review.verdicts import ClaimRating, DismissReason, Standing, Status
from factcheck.tensions.ids import SHORT_ID


def render_workflow(record: Record, notes: list[Note], changed: list[Change] | None) -> str:
    """Below a finding: who it is assigned to, its notes, and for a verdict changed since review what
    changed (`changed` None: what the reviewer saw was not kept)."""
    lines = [f"assigned to: {record.assignee}"] if record.assignee else []
    if notes:
        lines.append("notes:")
        lines += [f"  - {n.at} {n.by}: {n.text}" for n in notes]
    if record.standing is Standing.changed:
        lines.append(render_changes(record, changed))
    return for_terminal("\n".join(lines))


def render_changes(record: Record, changed: list[Change] | None) -> str:
    head = f"changed since the verdict of {record.decided_at} by {record.reviewer}:"
    if changed is None:
        return f"{head} what it said then was not kept (a verdict older than this store's snapshots)"
    if not changed:
        return f"{head} nothing the finding shows; the rule's definition or an unshown claim field changed"
    lines = [head]
    for change in changed:
        lines += [f"  {change.what}:", f"    - {change.before}", f"    + {change.after}"]
    return for_terminal("\n".join(lines))


def render_decision(fingerprint: str, status: Status, reviewer: str, reason: DismissReason | None = None) -> str:
    """The one line that confirms what was recorded."""
    why = f" ({reason.value})" if reason else ""
    return for_terminal(f"recorded: {fingerprint[:SHORT_ID]} {status.value}{why} by {reviewer}")


def render_bulk(result: BulkResult, status: Status) -> str:
    line = f"{len(result.marked)} tension(s) marked {status.value}."
    if result.skipped:
        by = Counter(f"{s.reviewer}: {s.status.value}" for s in result.skipped)
        who = ", ".join(f"{k} {n}" for k, n in sorted(by.items()))
        line += f" {len(result.skipped)} skipped: already decided ({who}); --force to override them."
    return for_terminal(line)


def render_undone(undone: Undone, reviewer: str) -> str:
    restored = undone.restored.value if undone.restored else "no verdict (as never reviewed)"
    return for_terminal(
        f"undone: {undone.fingerprint[:SHORT_ID]} {undone.undone.value} of {undone.undone_at} by {reviewer}; "
        f"back to {restored}"
    )


def render_rating(rating: ClaimRating) -> str:
    value = f" ({rating.value}/5)" if rating.value is not None else ""
    return for_terminal(f"recorded: claim {rating.claim_id} rated {rating.rating!r}{value} by {rating.reviewer}")


def render_ratings(ratings: list[ClaimRating]) -> str:
    if not ratings:
        return "No claim is rated yet."
    rows = [
        [r.claim_id, r.rating, "" if r.value is None else r.value, r.reviewer, r.decided_at, r.note or ""]
        for r in ratings
    ]
    return tabulate(
        [[for_terminal(str(c)) for c in row] for row in rows],
        ["claim", "rating", "value", "reviewer", "at", "note"],
        tablefmt="simple",
        maxcolwidths=[30, 24, None, 16, None, 40],
    )
