"""Which recorded tensions a review command works on: the queue, and the filters `review list`, the
interactive queue and the review page share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from factcheck.model.rule import Severity
from factcheck.review.store import Record
from factcheck.review.verdicts import Standing, Status


class StatusFilter(StrEnum):
    """A verdict status, or where a tension stands since: changed (since review), resolved (by data)."""

    open = Status.open.value
    in_progress = Status.in_progress.value
    confirmed = Status.confirmed.value
    dismissed = Status.dismissed.value
    needs_source = Status.needs_source.value
    changed = "changed"
    resolved = "resolved"
    all = "all"


UNASSIGNED = "-"  # the assignee filter's word for "nobody"


@dataclass(frozen=True)
class Filters:
    """What to show: every field narrows (None: no narrowing)."""

    status: StatusFilter = StatusFilter.all
    rule: str | None = None
    speaker: str | None = None  # an entity id, or part of a name (any case)
    topic: str | None = None
    assignee: str | None = None  # a reviewer's name, or UNASSIGNED
    min_severity: Severity | None = None

    def matches(self, record: Record) -> bool:
        if self.rule and record.rule != self.rule:
            return False
        if self.speaker and not record.has_speaker(self.speaker):
            return False
        if self.topic and not record.has_topic(self.topic):
            return False
        if self.assignee and (record.assignee or UNASSIGNED) != self.assignee:
            return False
        if self.min_severity and record.severity.rank < self.min_severity.rank:
            return False
        return _status_matches(record, self.status)


def select(records: list[Record], filters: Filters | None = None) -> list[Record]:
    filters = filters or Filters()
    return [r for r in records if filters.matches(r)]


def _status_matches(record: Record, status: StatusFilter) -> bool:
    if status is StatusFilter.all:
        return True
    if status is StatusFilter.resolved:
        return record.standing is Standing.resolved
    if record.standing is Standing.resolved:
        return False
    if status is StatusFilter.changed:
        return record.standing is Standing.changed
    return record.status.value == status.value


def in_queue(record: Record) -> bool:
    """What the interactive review asks about: undecided ones (open, in progress) and changed verdicts."""
    return record.active and (record.status in (Status.open, Status.in_progress) or record.standing is Standing.changed)


def review_queue(records: list[Record], filters: Filters | None = None) -> list[Record]:
    """The queue, most severe first (the store's order), narrowed by the filters."""
    return [r for r in select(records, filters) if in_queue(r)]
