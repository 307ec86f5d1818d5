"""The claim fields the rule language can name, their types, and how to read them off a claim."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from factcheck.model.claim import Approx, Claim, Polarity, Qualifiers, Quantity, QuoteKind, Status


class FieldType(Enum):
    text = "text"
    number = "number"
    entity = "entity"  # an entity id (text) that message templates and built-ins can dereference
    source = "source"
    date = "date"
    time = "time"  # a claim's event time (a point, a period or a bound): built-ins compare it
    text_list = "text list"
    entity_list = "entity list"
    scalar = "scalar"  # `value`: text, number or flag; never evaluated in the engine (mixed types)

    @property
    def is_list(self) -> bool:
        return self in (FieldType.text_list, FieldType.entity_list)


@dataclass(frozen=True)
class FieldSpec:
    path: str
    type: FieldType
    choices: tuple[str, ...] = ()  # closed vocabularies, so a typo in a rule is caught


FIELDS: dict[str, FieldSpec] = {
    spec.path: spec
    for spec in (
        FieldSpec("id", FieldType.text),
        FieldSpec("speaker", FieldType.entity),
        FieldSpec("source", FieldType.source),
        FieldSpec("said_on", FieldType.date),
        FieldSpec("when", FieldType.time),
        FieldSpec("quote", FieldType.text),
        FieldSpec("quote_kind", FieldType.text, tuple(k.value for k in QuoteKind)),
        FieldSpec("attribution.via", FieldType.entity_list),
        FieldSpec("attribution.paraphrases", FieldType.text),
        FieldSpec("attribution.translated.from", FieldType.text),
        FieldSpec("attribution.translated.by", FieldType.entity),
        FieldSpec("subject", FieldType.entity),
        FieldSpec("predicate", FieldType.text),
        FieldSpec("object", FieldType.entity),
        FieldSpec("value", FieldType.scalar),
        FieldSpec("polarity", FieldType.text, tuple(p.value for p in Polarity)),
        FieldSpec("status", FieldType.text, tuple(s.value for s in Status)),
        FieldSpec("topics", FieldType.text_list),
        FieldSpec("qualifiers.count", FieldType.number),
        FieldSpec("qualifiers.count.approx", FieldType.text, tuple(a.value for a in Approx)),
        FieldSpec("qualifiers.count.unit", FieldType.text),
        FieldSpec("qualifiers.count.per", FieldType.text),
        FieldSpec("qualifiers.place", FieldType.entity),
        FieldSpec("qualifiers.means", FieldType.text_list),
        FieldSpec("qualifiers.condition", FieldType.text),
        FieldSpec("qualifiers.purpose", FieldType.text),
        FieldSpec("qualifiers.frequency", FieldType.text),
        FieldSpec("qualifiers.scope", FieldType.text),
        FieldSpec("qualifiers.modality", FieldType.text),
        FieldSpec("qualifiers.parties", FieldType.entity_list),
    )
}
assert {p.split(".")[1] for p in FIELDS if p.startswith("qualifiers.")} == set(Qualifiers.model_fields), (
    "every qualifier must be nameable by rules"
)

# Attributes a template may read after an entity- or source-valued field: {a.speaker.name}
ENTITY_ATTRIBUTES = ("id", "name", "role", "kind", "affiliation")
SOURCE_ATTRIBUTES = ("id", "outlet", "title", "url", "published")
TERM_ATTRIBUTES = ("label",)  # {a.predicate.label}: the vocabulary's label


_ATTRIBUTES = {"from": "from_"}  # field names that are Python keywords


def read_field(claim: Claim, path: str) -> Any:
    """The field's value as plain data (enums as their text, a count as its number); None or [] when absent."""
    target: Any = claim
    for part in path.split("."):
        if target is None:
            return None
        target = getattr(target, _ATTRIBUTES.get(part, part))
    if isinstance(target, Enum):
        return target.value
    if isinstance(target, Quantity):
        return target.value
    return target


def read_quantity(claim: Claim, path: str) -> Quantity | None:
    """A count field as its Quantity (approximation, unit, per), for the built-ins that weigh them."""
    target: Any = claim
    for part in path.split("."):
        target = getattr(target, part, None)
    return target if isinstance(target, Quantity) else None
