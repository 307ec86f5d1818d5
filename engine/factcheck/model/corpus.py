"""A loaded set of sources, entities and claims, and the relations the rules ask about."""

from __future__ import annotations

from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from factcheck.errors import Location
from factcheck.model.claim_table import ClaimTable
from factcheck.model.entity import Entity
from factcheck.model.source import Source
from factcheck.model.vocabulary import Term, Vocabulary


class Containment(StrEnum):
    yes = "yes"
    no = "no"
    disputed = "disputed"


@dataclass(frozen=True)
class ContainmentAnswer:
    answer: Containment
    notes: tuple[str, ...] = ()  # why it is disputed, from the gazetteer's edge notes


@dataclass
class Corpus:
    sources: dict[str, Source] = field(default_factory=dict)
    entities: MutableMapping[str, Entity] = field(default_factory=dict)  # a kept run's: validated when asked
    claims: ClaimTable = field(default_factory=ClaimTable)
    vocabulary: dict[str, Term] = field(default_factory=dict)  # the declared terms (model/vocabulary.py)
    _vocabulary: Vocabulary | None = field(default=None, init=False, repr=False, compare=False)
    # "claim:<id>" -> (YamlDocument, path) where it was defined; kept lazily so errors can point at a field
    origins: dict[str, tuple[Any, tuple[str | int, ...]]] = field(default_factory=dict)

    def location(self, kind: str, item_id: str, field_path: str = "") -> Location:
        origin = self.origins.get(f"{kind}:{item_id}")
        if origin is None and kind == "claim":
            origin = self.claims.origin(item_id)
        if origin is None:
            return Location("<unknown>")
        doc, path = origin
        extra = tuple(int(p) if p.isdigit() else p for p in field_path.split(".") if p)
        return doc.location((*path, *extra))  # type: ignore[no-any-return]

    @property
    def lexicon(self) -> Vocabulary:
        """The vocabulary's questions: labels, families, broader and narrower terms."""
        if self._vocabulary is None or self._vocabulary.terms is not self.vocabulary:
            self._vocabulary = Vocabulary(self.vocabulary)
        return self._vocabulary

    def name_of(self, entity_id: str | None) -> str:
        if entity_id is None:
            return ""
        entity = self.entities.get(entity_id)
        return entity.name if entity else entity_id

    def is_a(self, entity_id: str, class_id: str) -> bool:
        """True when `entity_id` is `class_id` or reaches it through `is_a` edges."""
        seen = {entity_id}
        queue = deque([entity_id])
        while queue:
            current = queue.popleft()
            if current == class_id:
                return True
            entity = self.entities.get(current)
            for parent in entity.is_a if entity else ():
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return False

    def classes(self, entity_id: str) -> list[str]:
        """The entity and every class it reaches through `is_a` links, nearest first."""
        seen = [entity_id]
        for current in seen:
            entity = self.entities.get(current)
            seen += [parent for parent in (entity.is_a if entity else ()) if parent not in seen]
        return seen

    def common_class(self, left: str, right: str) -> str | None:
        """The nearest class both entities are (one may be the other's class): "Turkish staff of the
        center" and "Turkish peacekeepers" are both Turkish military personnel. None when they share none."""
        right_classes = set(self.classes(right))
        return next((c for c in self.classes(left) if c in right_classes), None)

    def within(self, place_id: str, region_id: str) -> ContainmentAnswer:
        """Tri-state containment: yes through undisputed `part_of` edges only, disputed when every
        path to the region crosses a disputed edge, no when there is no path."""
        if place_id == region_id:
            return ContainmentAnswer(Containment.yes)
        if self._reaches(place_id, region_id, include_disputed=False) is not None:
            return ContainmentAnswer(Containment.yes)
        notes = self._reaches(place_id, region_id, include_disputed=True)
        if notes is not None:
            return ContainmentAnswer(Containment.disputed, notes)
        return ContainmentAnswer(Containment.no)

    def _reaches(self, start: str, goal: str, include_disputed: bool) -> tuple[str, ...] | None:
        """Breadth-first search; returns the disputed-edge notes along the path found, or None."""
        previous: dict[str, tuple[str, str | None]] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            current = queue.popleft()
            if current == goal:
                notes: list[str] = []
                while current != start:
                    current, note = previous[current]
                    if note:
                        notes.append(note)
                return tuple(reversed(notes))
            entity = self.entities.get(current)
            for edge in entity.part_of if entity else ():
                if edge.disputed and not include_disputed:
                    continue
                if edge.of not in seen:
                    seen.add(edge.of)
                    note = (edge.note or f"{current} in {edge.of} is disputed") if edge.disputed else None
                    previous[edge.of] = (current, note)
                    queue.append(edge.of)
        return None
