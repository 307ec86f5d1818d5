"""Which recorded tensions a review command works on: the queue, and `review list`'s filters."""

from __future__ import annotations

from enum import StrEnum

from factcheck.review.store import Record
from factcheck.review.verdicts import Standing, Status


class StatusFilter(StrEnum):
    """A verdict status, or where a tension stands since: changed (since review), resolved (by data)."""

    open = Status.open.value
    confirmed = Status.confirmed.value
    dismissed = Status.dismissed.value
    needs_source = Status.needs_source.value
    changed = "changed"
    resolved = "resolved"
    all = "all"


def select(
    records: list[Record], status: StatusFilter = StatusFilter.all, rule: str | None = None, speaker: str | None = None
) -> list[Record]:
    return [r for r in records if _matches(r, status, rule, speaker)]


def _matches(record: Record, status: StatusFilter, rule: str | None, speaker: str | None) -> bool:
    if rule and record.rule != rule:
        return False
    if speaker and not record.has_speaker(speaker):
        return False
    if status is StatusFilter.all:
        return True
    if status is StatusFilter.resolved:
        return record.standing is Standing.resolved
    if record.standing is Standing.resolved:
        return False
    if status is StatusFilter.changed:
        return record.standing is Standing.changed
    return record.status.value == status.value


def review_queue(records: list[Record]) -> list[Record]:
    """What the interactive review asks about, most severe first: open ones and changed verdicts."""
    return [r for r in records if r.status is Status.open or r.standing is Standing.changed]
