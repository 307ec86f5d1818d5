"""Reading a built-in's arguments on the claims of one candidate tuple."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factcheck.language.terms import FieldRef
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.fields import read_field

Match = dict[str, Claim]


@dataclass(frozen=True)
class Context:
    corpus: Corpus
    match: Match

    def value(self, term: Any) -> Any:
        if isinstance(term, FieldRef):
            return read_field(self.match[term.binding], term.field)
        return term
