"""People, states, organisations, groups and places that claims talk about or come from."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema as cs

from factcheck.model.source import ID_PATTERN


class EntityKind(StrEnum):
    person = "person"
    state = "state"
    organization = "organization"
    institution = "institution"
    outlet = "outlet"
    group = "group"
    place = "place"
    facility = "facility"
    agreement = "agreement"
    event = "event"
    process = "process"
    other = "other"


class PartOf(BaseModel):
    """One containment edge of the gazetteer; `disputed` marks containment that depends on whose map."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    of: str = Field(pattern=ID_PATTERN)
    disputed: bool = False
    note: str | None = None

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """A plain entity id is an undisputed containment, as the loader accepts."""
        return {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, handler(schema)]}


class Entity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    kind: EntityKind
    aliases: list[str] = Field(default_factory=list)  # a factory: pydantic deep-copies a [] default per entity
    role: str | None = Field(default=None, description="e.g. 'Defense Minister'")
    affiliation: str | None = Field(default=None, pattern=ID_PATTERN, description="entity id")
    is_a: list[str] = Field(default_factory=list, description="classes this entity belongs to (entity ids)")
    part_of: list[PartOf] = Field(
        default_factory=list, description="containment: a place in a place, a facility in a place, a group in a group"
    )
    note: str | None = None

    @field_validator("part_of", mode="before")
    @classmethod
    def _plain_ids(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"of": item} if isinstance(item, str) else item for item in value]
        return value
