"""The entities of a corpus by id, stored for scale.

A gazetteer holds tens of thousands of entities (70,000 at a million claims) and a run asks for a few
hundred of them (the speakers, subjects and places of the claims that reach a rule or a tension), but
building a pydantic `Entity` costs a few microseconds and ~1 KB each. An entity read from a bulk (JSON Lines)
file that the loader has already vouched for is therefore kept as its JSON line and validated when first
asked for. Every entity's links (`affiliation`, `is_a`, `part_of`) are also kept apart, so the checks over
all entities (unknown references, cycles) read no object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping

from factcheck.model.entity import Entity

Links = dict[str, list[str]]  # entity id -> the entity ids one relation links it to, in order
RELATIONS = ("affiliation", "is_a", "part_of")


class EntityTable(MutableMapping[str, Entity]):
    """Entities by id, in the order they were added: each held as its object, or as its vouched-for JSON line
    until it is asked for (`add_lines`)."""

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self._held: dict[str, Entity | bytes] = {}
        self._links: dict[str, Links] = {relation: {} for relation in RELATIONS}  # of the entities that have any
        for entity in entities:
            self[entity.id] = entity

    def add_lines(self, ids: list[str], lines: list[bytes], links: dict[str, Links]) -> bool:
        """Add entities by their JSON lines, which a loader vouched for (each validates as the `Entity` of its
        id), with their links by relation (for the entities that have any). False, and nothing added, when an
        id repeats or is held already: the caller then adds them one by one, reporting the duplicate where a
        sequential load would."""
        if len(set(ids)) != len(ids) or not self._held.keys().isdisjoint(ids):
            return False
        self._held.update(zip(ids, lines, strict=True))
        for relation, kept in self._links.items():
            kept.update(links.get(relation, {}))
        return True

    def __getitem__(self, entity_id: str) -> Entity:
        held = self._held[entity_id]
        if isinstance(held, bytes):
            held = self._held[entity_id] = Entity.model_validate_json(held)  # (replacing a value keeps the order)
        return held

    def __setitem__(self, entity_id: str, entity: Entity) -> None:
        self._held[entity_id] = entity
        for relation, kept in self._links.items():
            targets = entity_links(entity, relation)
            if targets:
                kept[entity_id] = targets
            else:
                kept.pop(entity_id, None)

    def __delitem__(self, entity_id: str) -> None:
        del self._held[entity_id]
        for kept in self._links.values():
            kept.pop(entity_id, None)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._held

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def encoded(self, dump: Callable[[Entity], bytes]) -> list[bytes]:
        """Each entity's JSON, in order: its line as read, or `dump` of the entity held as an object (a kept run
        keeps them so, and validates those it asks for: none is validated here)."""
        return [held if isinstance(held, bytes) else dump(held) for held in self._held.values()]

    def links(self, relation: str) -> Mapping[str, list[str]]:
        """Every entity's links of one relation (RELATIONS), for the entities that have any (in no particular
        order); no entity is validated."""
        return self._links[relation]


def entity_links(entity: Entity, relation: str) -> list[str]:
    """The ids one relation links an entity to, in order."""
    if relation == "affiliation":
        return [] if entity.affiliation is None else [entity.affiliation]
    if relation == "is_a":
        return list(entity.is_a)
    return [edge.of for edge in entity.part_of]
