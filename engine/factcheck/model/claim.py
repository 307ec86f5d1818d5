"""An attributed statement and its structured reading (Wikidata-like: value + qualifiers + reference)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from factcheck.model.dates import FuzzyDate
from factcheck.model.source import ID_PATTERN

TERM_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class QuoteKind(StrEnum):
    direct = "direct"
    indirect = "indirect"
    paraphrase = "paraphrase"
    reported_by_outlet = "reported-by-outlet"


class Polarity(StrEnum):
    affirmed = "affirmed"
    negated = "negated"


class Status(StrEnum):
    done = "done"
    ongoing = "ongoing"
    planned = "planned"
    conditional = "conditional"


class Qualifiers(BaseModel):
    """What narrows a claim: how many, where, by what means, under which condition, how often."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    count: int | None = Field(default=None, ge=0)
    composition: str | None = Field(default=None, description="e.g. '1 general + 35 officers'")
    place: str | None = Field(default=None, pattern=ID_PATTERN, description="entity id")
    means: list[str] = Field(default_factory=list, description="e.g. [remote, drones]")
    condition: str | None = None
    purpose: str | None = None
    time: FuzzyDate | None = None
    frequency: str | None = Field(default=None, description="e.g. 'repeatedly'")
    scope: str | None = Field(default=None, description="e.g. 'only' for a limitation")
    modality: str | None = Field(default=None, description="e.g. 'urged', 'expected'")
    parties: list[str] = Field(default_factory=list, description="entity ids")


NO_QUALIFIERS = Qualifiers()


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    speaker: str = Field(pattern=ID_PATTERN, description="entity id of who said it")
    source: str = Field(pattern=ID_PATTERN, description="source id of where it was reported")
    said_on: FuzzyDate
    quote: str = Field(min_length=1, description="verbatim text from the source")
    quote_kind: QuoteKind
    subject: str = Field(pattern=ID_PATTERN, description="entity id")
    predicate: str = Field(pattern=TERM_PATTERN)
    object: str | None = Field(default=None, pattern=ID_PATTERN, description="entity id")
    value: str | int | float | bool | None = Field(default=None, description="a literal object")
    polarity: Polarity = Polarity.affirmed
    status: Status = Status.done
    qualifiers: Qualifiers = Field(default_factory=lambda: NO_QUALIFIERS)  # frozen, so one instance is shared
    topics: list[str] = Field(default_factory=list)
    note: str | None = None
