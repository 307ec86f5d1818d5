"""A flagged tension: a consistency question between bound claims (cf. SHACL validation results)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from factcheck.model.claim import QuoteKind
from factcheck.model.rule import Severity


class PartyRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    role: str | None = None


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    outlet: str
    title: str
    url: str | None = None
    published: str


class BoundClaim(BaseModel):
    model_config = ConfigDict(frozen=True)

    binding: str
    claim: str
    speaker: PartyRef
    said_on: str
    quote: str
    quote_kind: QuoteKind
    reading: str  # the structured reading in one line: subject predicate object [qualifiers]
    source: SourceRef
    topics: list[str] = []  # the claim's topics, for the review filters


class Finding(BaseModel):
    """What one built-in predicate found on the bound claims."""

    model_config = ConfigDict(frozen=True)

    predicate: str
    holds: bool
    value: str
    detail: str


class Tension(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # stable fingerprint of rule id + bound claim ids
    rule: str
    severity: Severity
    title: str
    message: str
    claims: list[BoundClaim]  # one supporting tuple, shown in full
    explanation: list[Finding]
    # Every tuple of claim ids (in binding order) that raises this same question: equivalent reports of
    # one statement fill a binding in turn, and are one finding, not one row each.
    support: list[list[str]] = []

    @property
    def speaker_names(self) -> str:
        """Who said the bound claims, each once, in binding order."""
        return ", ".join(dict.fromkeys(c.speaker.name for c in self.claims))
