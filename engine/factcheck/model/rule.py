"""Rules as written in YAML (Semgrep-like: id, message, severity, metadata, inline tests)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
BINDING_PATTERN = r"^[a-z][a-z0-9_]*$"


# Declared from least to most severe: the one definition of their order (a comment, not a docstring,
# which would change the published JSON Schema).
class Severity(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @classmethod
    def descending(cls) -> list[Severity]:
        return list(reversed(cls))


class RuleTestCase(BaseModel):
    """An inline example: claims (partial; see docs) and the exact tuples expected to fire."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    claims: list[dict[str, Any]] = Field(min_length=1)
    expect: list[dict[str, str]] = Field(
        description="each item maps every binding to a claim id; an empty list means nothing may fire"
    )
    todo: str | None = Field(default=None, description="a known gap: recorded, not failed")
    entities: list[dict[str, Any]] = Field(
        default=[], description="extra entities for this case, on top of the workspace's"
    )


class UnlessSpec(BaseModel):
    """A claim whose existence decides a match: some claim other than the matched ones, sharing their join
    key, that passes this binding's field tests and, with the match's bindings, every built-in of `where`.
    Under `unless` such a claim silences the match (a weakly attributed figure that a named source gives
    too); under `requires` the match stands only if there is one (a weak credit that another report
    disputes)."""

    model_config = ConfigDict(extra="forbid")

    bindings: dict[str, dict[str, Any] | None] = Field(
        description="exactly one: name -> field tests, as a rule's bindings"
    )
    where: list[dict[str, Any]] = Field(default=[], description="built-in predicates over it and the rule's bindings")

    key: ClassVar[str] = "unless"  # the rule key it is written under, for messages

    @field_validator("bindings")
    @classmethod
    def _exactly_one(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) != 1:
            raise ValueError(f"'{cls.key}' binds exactly one claim; this one names {len(value)}")
        return value


class RequiresSpec(UnlessSpec):
    """UnlessSpec written under `requires`: the match stands only if such a claim exists."""

    key: ClassVar[str] = "requires"


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    severity: Severity
    description: str = ""
    enabled: bool = True
    join: str | list[str] = Field(
        default="topic",
        description="field(s) every binding shares (evaluated in the engine); 'topic' = a common topic",
    )
    bindings: dict[str, dict[str, Any] | None] = Field(
        description="1 to 3 claims: name -> field tests, {field: value} or {field: {op: value}}"
    )
    where: list[dict[str, Any]] = Field(default=[], description="built-in predicates over the bindings")
    unless: UnlessSpec | None = Field(
        default=None, description="a claim whose existence silences a match (e.g. a named source saying the same)"
    )
    requires: RequiresSpec | None = Field(
        default=None,
        description="a claim without which a match is silent (e.g. another report that disputes a weak credit)",
    )
    message: str = Field(min_length=1, description="template; {binding.field} and {why.builtin} interpolate")
    question: list[str] = Field(
        default=[],
        description="binding.field items that make one finding: every tuple with the same values is one finding "
        "listing them all (e.g. [earlier.subject]: one finding per counted group). Default: tuples whose claims "
        "say the same things (equivalent reports) are one finding",
    )
    metadata: dict[str, Any] = {}
    tests: list[RuleTestCase] = []

    @field_validator("bindings")
    @classmethod
    def _one_to_three(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not 1 <= len(value) <= 3:
            raise ValueError(f"a rule binds 1 to 3 claims; this one names {len(value)}")
        return value
