"""ClaimReview feeds into claims: a schema.org ClaimReview (https://schema.org/ClaimReview) as one object,
a list, an `@graph`, a DataFeed (`dataFeedElement[].item`, the DataCommons shape), or the Google Fact Check
Tools API's answer (`claims[].claimReview[]`).

Each ClaimReview becomes one claim, ready for review: the quote is `claimReviewed`, the speaker the
Claim's author (or the API's `claimant`), said on the Claim's date (else the review's), reported in its
first appearance (else in the review itself); the reading is a placeholder (`subject: the speaker,
predicate: asserts`) a person replaces, and the note keeps the review's rating and URL. The file is read
with the strict YAML reader (JSON is YAML), so every error points at its line and column.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from factcheck.errors import InputError, InputErrors
from factcheck.ingest.claims_file import IMPORTED_PREDICATE, ClaimsFile, short_hash, slug
from factcheck.load.files import display_name
from factcheck.load.yaml_document import PathKey, YamlDocument, read_yaml
from factcheck.model.claim import Claim
from factcheck.model.entity import EntityKind

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_KINDS = {"person": EntityKind.person, "organization": EntityKind.organization}


def import_claimreview(path: Path, into: ClaimsFile) -> int:
    """Add a claim for every ClaimReview in the file; returns how many. Raises InputErrors, one per
    problem, each at its place in the file."""
    doc = read_yaml(path, display_name(path))
    reviews = list(_reviews(doc, doc.data, ()))
    if not reviews:
        raise doc.error(
            (),
            'no ClaimReview found; expected an object with "@type": "ClaimReview", a list, an '
            '@graph, a DataFeed or the Fact Check Tools API\'s {"claims": [...]}',
        )
    errors: list[InputError] = []
    for where, review in reviews:
        try:
            into.add_claim(_claim(doc, where, review, into), doc.location(where))
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return len(reviews)


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", item.get("type"))
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _reviews(doc: YamlDocument, data: Any, path: PathKey) -> Any:
    """(path, ClaimReview mapping) for each review, wherever the feed shape puts it."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _reviews(doc, item, (*path, i))
    elif isinstance(data, dict):
        if "ClaimReview" in _types(data):
            yield path, data
        elif isinstance(data.get("@graph"), list):
            yield from _reviews(doc, data["@graph"], (*path, "@graph"))
        elif "dataFeedElement" in data:
            yield from _reviews(doc, data["dataFeedElement"], (*path, "dataFeedElement"))
        elif "item" in data and "DataFeedItem" in _types(data):
            yield from _reviews(doc, data["item"], (*path, "item"))
        elif isinstance(data.get("claims"), list):  # the Fact Check Tools API: claims[].claimReview[]
            for i, claim in enumerate(data["claims"]):
                for j, review in enumerate(claim.get("claimReview") or [] if isinstance(claim, dict) else []):
                    yield (*path, "claims", i, "claimReview", j), _from_api(claim, review)


def _from_api(claim: dict[str, Any], review: Any) -> dict[str, Any]:
    """The Fact Check Tools API's claim and one of its reviews, in ClaimReview's words."""
    review = review if isinstance(review, dict) else {}
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.get("claimant"):
        item["author"] = {"name": claim["claimant"]}
    if claim.get("claimDate"):
        item["datePublished"] = claim["claimDate"]
    return {
        "@type": "ClaimReview",
        "claimReviewed": claim.get("text"),
        "itemReviewed": item,
        "url": review.get("url"),
        "headline": review.get("title"),
        "datePublished": review.get("reviewDate"),
        "author": {"name": publisher.get("name") or publisher.get("site")},
        "reviewRating": {"alternateName": review.get("textualRating")},
    }


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _date(doc: YamlDocument, path: PathKey, value: Any) -> str | None:
    """An ISO date (or its year, or year and month) from a date or date-time; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    match = _DATE.match(str(value).strip())
    if not match:
        raise doc.error(path, f"'{value}' is not a date; write it as ISO 8601, e.g. 2020-12-29 or 2020-12-29T10:00:00Z")
    return "-".join(p for p in match.groups() if p)


def _url(value: Any) -> str | None:
    url = _text(value) if not isinstance(value, dict) else _text(value.get("url"))
    return url if url and re.match(r"https?://\S+$", url) else None


def _claim(doc: YamlDocument, where: PathKey, review: dict[str, Any], into: ClaimsFile) -> dict[str, Any]:
    quote = _text(review.get("claimReviewed"))
    if quote is None:
        raise doc.error(where, "this ClaimReview has no claimReviewed; add the text of the claim it reviews")
    raw_item = _first(review.get("itemReviewed"))
    item: dict[str, Any] = raw_item if isinstance(raw_item, dict) else {}
    item_path = (*where, "itemReviewed")
    author = _first(item.get("author"))
    speaker_name = _text(author) or _text(review.get("claimant"))
    if speaker_name is None:
        raise doc.error(item_path if item else where, "no author of the claim; add itemReviewed.author.name")
    kind = EntityKind.other
    if isinstance(author, dict):
        kind = next((_KINDS[t.lower()] for t in _types(author) if t.lower() in _KINDS), EntityKind.other)
    role = _text(author.get("jobTitle")) if isinstance(author, dict) else None
    speaker = into.entity(speaker_name, kind, role)
    said_on = _date(doc, (*item_path, "datePublished"), item.get("datePublished")) or _date(
        doc, (*where, "datePublished"), review.get("datePublished")
    )
    if said_on is None:
        raise doc.error(where, "no date: add itemReviewed.datePublished (when it was said) or datePublished")
    review_url = _url(review.get("url"))
    reviewer = _text(review.get("author")) or _text(review.get("publisher"))
    appearance = _first(item.get("appearance") or item.get("firstAppearance"))
    if isinstance(appearance, dict) or _url(appearance):
        app: dict[str, Any] = appearance if isinstance(appearance, dict) else {"url": appearance}
        url = _url(app)
        outlet = _text(app.get("publisher")) or _text(app.get("author")) or _domain(url) or speaker_name
        title = _text(app.get("headline")) or _text(app.get("name")) or f"{outlet}: {quote[:80]}"
        published = _date(doc, (*item_path, "appearance", "datePublished"), app.get("datePublished")) or said_on
        source = into.source(outlet, title, published, url)
    else:  # no appearance: the review itself is where the claim is reported
        outlet = reviewer or _domain(review_url) or "unknown outlet"
        title = _text(review.get("headline")) or _text(review.get("name")) or f"Review: {quote[:80]}"
        published = _date(doc, (*where, "datePublished"), review.get("datePublished")) or said_on
        source = into.source(outlet, title, published, review_url)
    rating = _text(_first(review.get("reviewRating")))
    if isinstance(_first(review.get("reviewRating")), dict):
        rating = _text(_first(review.get("reviewRating")).get("alternateName"))
    note = "imported from ClaimReview" + (f" {review_url}" if review_url else "")
    if rating:
        note += f"; rated '{rating}'" + (f" by {reviewer}" if reviewer else "")
    note += "; the reading (subject, predicate, object) is a placeholder: encode it to check it with rules"
    claim_id = f"{slug(speaker_name, 24) or 'claim'}-{short_hash(review_url or '', quote, speaker_name, said_on)}"
    claim = {
        "id": claim_id,
        "speaker": speaker,
        "source": source,
        "said_on": said_on,
        "quote": quote,
        "quote_kind": "paraphrase",
        "subject": speaker,
        "predicate": IMPORTED_PREDICATE,
        "note": note,
    }
    try:  # what a feed may still get wrong (a date that does not exist): said here, not in the written file
        Claim.model_validate(claim)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        raise doc.error(where, f"{field}: {problem['msg'].removeprefix('Value error, ')}") from None
    return claim


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = re.sub(r"^https?://", "", url).split("/", 1)[0].split("@")[-1].split(":")[0]
    return host.removeprefix("www.") or None
