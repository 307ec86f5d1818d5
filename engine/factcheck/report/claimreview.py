"""Rated claims as schema.org ClaimReview JSON-LD (https://schema.org/ClaimReview), the form search engines
and fact-check aggregators read: one ClaimReview per rated claim, in one `@graph`.

claimReviewed is the quote; itemReviewed a Claim with its author (a Person for a person, else an
Organization), when it was said and where it appeared (the source, as a CreativeWork with its URL);
reviewRating a Rating with the textual rating as alternateName (and ratingValue on the 1-5 scale when
given); author the organisation of the workspace file; reviewBody the rating's note and the confirmed
tensions the claim takes part in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import UsageError
from factcheck.load.workspace import Organisation
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.entity import Entity, EntityKind
from factcheck.model.source import Source
from factcheck.report.safe_text import for_json
from factcheck.review.store import Record
from factcheck.review.verdicts import RATING_MAX, RATING_MIN, ClaimRating, Status
from factcheck.tensions.ids import SHORT_ID

CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class RatedClaim:
    """A rating with what it rates: the claim, who said it, where it was reported, and the confirmed
    tensions it is bound in."""

    rating: ClaimRating
    claim: Claim
    speaker: Entity | None
    source: Source | None
    confirmed: list[Record] = field(default_factory=list)


def rated_claims(corpus: Corpus, ratings: list[ClaimRating], records: list[Record]) -> list[RatedClaim]:
    """Each rating with its claim from the corpus and the confirmed tensions of the latest run that bind
    it. A rated claim the corpus lacks is an error: a review must not be published without its quote."""
    missing = [r.claim_id for r in ratings if r.claim_id not in corpus.claims]
    if missing:
        shown = ", ".join(f"'{m}'" for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise UsageError(
            f"rated claim(s) {shown} not found in the claims", "give the claims they come from with --claims"
        )
    confirmed = [r for r in records if r.status is Status.confirmed and r.active]
    items = []
    for rating in ratings:
        claim = corpus.claims[rating.claim_id]
        items.append(
            RatedClaim(
                rating,
                claim,
                corpus.entities.get(claim.speaker),
                corpus.sources.get(claim.source),
                [r for r in confirmed if binds_claim(r, claim.id)],
            )
        )
    return items


def render_claimreview(items: list[RatedClaim], organisation: Organisation | None) -> str:
    document = {"@context": CONTEXT, "@graph": [claim_review(item, organisation) for item in items]}
    return for_json(json.dumps(document, indent=2, ensure_ascii=False))


def claim_review(item: RatedClaim, organisation: Organisation | None) -> dict[str, Any]:
    claim, rating = item.claim, item.rating
    reviewed: dict[str, Any] = {"@type": "Claim", "datePublished": claim.said_on.date}
    if item.speaker is not None:
        reviewed["author"] = _party(item.speaker)
    if item.source is not None:
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            "headline": item.source.title,
            "datePublished": item.source.published.date,
            "publisher": {"@type": "Organization", "name": item.source.outlet},
        }
        if item.source.url:
            appearance["url"] = item.source.url
        reviewed["appearance"] = appearance
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating.rating}
    if rating.value is not None:
        review_rating |= {"ratingValue": rating.value, "worstRating": RATING_MIN, "bestRating": RATING_MAX}
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "identifier": claim.id,
        "claimReviewed": claim.quote,
        "itemReviewed": reviewed,
        "reviewRating": review_rating,
        "datePublished": rating.decided_at[:10],
    }
    if organisation is not None:
        review["author"] = {"@type": "Organization", "name": organisation.name} | (
            {"url": organisation.url} if organisation.url else {}
        )
    body = review_body(item)
    if body:
        review["reviewBody"] = body
    return review


def review_body(item: RatedClaim) -> str:
    """The rating's note, then each confirmed tension the claim is bound in: its title, what the rule
    found, and its id (so a reader of the feed can find it in the review store)."""
    parts = [item.rating.note] if item.rating.note else []
    if item.confirmed:
        parts.append("Confirmed inconsistencies:")
        parts += [f"- {r.title}: {r.message} (tension {r.fingerprint[:SHORT_ID]})" for r in item.confirmed]
    return "\n".join(parts)


def _party(entity: Entity) -> dict[str, Any]:
    party: dict[str, Any] = {"@type": "Person" if entity.kind is EntityKind.person else "Organization"}
    party["name"] = entity.name
    if entity.kind is EntityKind.person and entity.role:
        party["jobTitle"] = entity.role
    if entity.aliases:
        party["alternateName"] = entity.aliases[0] if len(entity.aliases) == 1 else list(entity.aliases)
    return party


def binds_claim(record: Record, claim_id: str) -> bool:
    """Whether a recorded tension has the claim among its bound or supporting claims."""
    snapshot = record.snapshot
    return any(c["claim"] == claim_id for c in snapshot["claims"]) or any(
        claim_id in ids for ids in snapshot.get("support", [])
    )
