"""What a reviewer can say about a tension (after Meedan Check's statuses and common fact-check
dismissal reasons), and the states a tension shows in the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from factcheck.errors import UsageError
from factcheck.model.source import ID_PATTERN


class Status(StrEnum):
    open = "open"
    in_progress = "in-progress"  # a reviewer is on it: bulk marks and colleagues leave it alone
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


def reason_from_prefix(text: str) -> DismissReason:
    """A dismissal reason from its name or a unique start of it ('scope' is not a start; 'different-s' is)."""
    typed = text.strip().lower()
    hits = [r for r in DismissReason if r.value.startswith(typed)] if typed else []
    exact = [r for r in hits if r.value == typed]
    if exact or len(hits) == 1:
        return (exact or hits)[0]
    choices = ", ".join(r.value for r in (hits or DismissReason))
    if hits:
        raise UsageError(f"reason '{text}' could be {choices}; type more of it")
    raise UsageError(f"unknown reason '{text}'; one of: {choices}")


class HistoryKind(StrEnum):
    """What a history entry records."""

    verdict = "verdict"  # a reviewer set the status
    note = "note"  # a note, the status unchanged
    assign = "assign"  # the finding was assigned (or unassigned)
    undo = "undo"  # a reviewer took back their last verdict: the state before it restored
    carry = "carry"  # factcheck carried a verdict over to a reworded finding


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


RATING_MIN, RATING_MAX = 1, 5  # schema.org ratingValue scale: worstRating 1, bestRating 5


class ClaimRating(BaseModel):
    """A reviewer's current rating of one claim (not of a tension), as ClaimReview's reviewRating gives it:
    a textual rating (its alternateName, e.g. "False", "Misleading", "Accurate") and an optional 1-5 value."""

    model_config = ConfigDict(frozen=True)

    claim_id: str = Field(pattern=ID_PATTERN)
    rating: str = Field(
        min_length=1, max_length=200, description="the textual rating, e.g. 'False', 'Misleading', 'Accurate'"
    )
    value: int | None = Field(default=None, ge=RATING_MIN, le=RATING_MAX, description="1 (worst) to 5 (best)")
    note: str | None = None
    reviewer: str
    decided_at: str = Field(description="when it was rated, ISO 8601 in UTC, e.g. 2026-11-30T18:00:00+00:00")
