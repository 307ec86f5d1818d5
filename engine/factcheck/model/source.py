"""Where a claim was reported."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from factcheck.model.dates import FuzzyDate

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    outlet: str = Field(min_length=1, description="Publication name, e.g. 'Duvar English'")
    title: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    published: FuzzyDate
    language: str | None = None
    note: str | None = None
