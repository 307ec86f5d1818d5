"""The declared vocabulary: each predicate (and qualifier key) a corpus uses, with a label for messages,
broader terms (`deployed-to` under `present-in`, as entities have `is_a`), an inverse, and whether it is
single-valued (one location at a time, one date for an event) or symmetric. Like Wikidata properties."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from factcheck.model.claim import TERM_PATTERN


class TermKind(StrEnum):
    predicate = "predicate"
    qualifier = "qualifier"  # gives a qualifier key (count, place, ...) its label


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=TERM_PATTERN)
    kind: TermKind = TermKind.predicate
    label: str = Field(min_length=1, description="how messages say it, e.g. 'has a role in'")
    broader: list[str] = Field(default=[], description="term ids this one is a narrower kind of")
    inverse: str | None = Field(default=None, pattern=TERM_PATTERN, description="the term read the other way round")
    opposite: list[str] = Field(
        default=[], description="terms that say the contrary ('remain-in' / 'withdraw-from'); either side may declare"
    )
    single_valued: bool = Field(default=False, description="one value at a time: one location, one date")
    symmetric: bool = Field(default=False, description="a relation that holds both ways")
    note: str | None = None


class Vocabulary:
    """Questions about a corpus's declared terms; undeclared ones answer as themselves."""

    def __init__(self, terms: dict[str, Term]) -> None:
        self.terms = terms
        self._families: dict[str, str] = {}
        self._closures: dict[str, list[str]] = {}
        self._opposites: dict[str, bool] = {}

    def label(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.label if term is not None else term_id

    def broader_closure(self, term_id: str) -> list[str]:
        """The term and every broader one, nearest first (breadth-first over `broader`)."""
        if term_id not in self._closures:  # asked once per claim by screens: computed once per term
            seen = [term_id]
            for current in seen:
                term = self.terms.get(current)
                seen += [b for b in (term.broader if term else ()) if b not in seen]
            self._closures[term_id] = seen
        return list(self._closures[term_id])

    def family(self, term_id: str) -> str:
        """The broadest term reached through the first `broader` link at each step: what rules join on to
        meet kindred predicates (`deployed-to`, `serve-at` and `present-in` all in `present-in`)."""
        if term_id not in self._families:
            current, seen = term_id, {term_id}
            while (term := self.terms.get(current)) is not None and term.broader and term.broader[0] not in seen:
                current = term.broader[0]
                seen.add(current)
            self._families[term_id] = current
        return self._families[term_id]

    def narrower_closure(self, term_id: str) -> list[str]:
        """The term and every term declared under it, directly or not, sorted."""
        return sorted(t for t in {*self.terms, term_id} if term_id in self.broader_closure(t))

    def has_opposite(self, term_id: str) -> bool:
        """Some term is declared the opposite of this one or of a broader one, on either side."""
        if term_id not in self._opposites:
            mine = set(self.broader_closure(term_id))
            self._opposites[term_id] = any(
                t.id in mine or mine & set(t.opposite) for t in self.terms.values() if t.opposite
            )
        return self._opposites[term_id]

    def opposed(self, left: str, right: str) -> bool:
        """One term, or a broader one, is declared the opposite of the other or of a broader one."""
        left_up, right_up = self.broader_closure(left), self.broader_closure(right)
        return any(
            other in (right_up if side in left_up else left_up)
            for side in (*left_up, *right_up)
            if side in self.terms
            for other in self.terms[side].opposite
        )

    def single_valued(self, term_id: str) -> bool:
        return any(self.terms[t].single_valued for t in self.broader_closure(term_id) if t in self.terms)
