"""What rule arguments refer to: a bound claim's field, or a constant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.fields import read_field


@dataclass(frozen=True)
class FieldRef:
    binding: str
    field: str

    def __str__(self) -> str:
        return f"{self.binding}.{self.field}"


Match = dict[str, Claim]


@dataclass(frozen=True)
class Context:
    corpus: Corpus
    match: Match

    def value(self, term: Any) -> Any:
        if isinstance(term, FieldRef):
            return read_field(self.match[term.binding], term.field)
        return term
