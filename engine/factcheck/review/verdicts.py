"""What a reviewer can say about a tension (after Meedan Check's statuses and common fact-check
dismissal reasons), and the states a tension shows in the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    open = "open"
    confirmed = "confirmed"  # a real inconsistency
    dismissed = "dismissed"
    needs_source = "needs-source"


class DismissReason(StrEnum):
    different_scope = "different-scope"
    different_period = "different-period"
    different_measure = "different-measure"
    updated_figure = "updated-figure"
    misquote = "misquote"
    translation = "translation"
    terminology = "terminology"
    duplicate = "duplicate"
    other = "other"


class Standing(StrEnum):
    """How a recorded tension stands after the latest run."""

    new = "new"  # fires, never reviewed
    reviewed = "reviewed"  # fires, verdict still applies
    changed = "changed since review"  # fires, but a bound claim or the rule changed after the verdict
    resolved = "resolved by data"  # no longer fires


@dataclass(frozen=True)
class ReviewState:
    """Where a tension stands in review: its verdict and whether it still applies."""

    status: Status
    standing: Standing
