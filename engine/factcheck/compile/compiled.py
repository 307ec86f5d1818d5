"""A rule after checking: typed field tests, resolved predicate arguments, a parsed message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import Location
from factcheck.language.field_tests import FieldTest
from factcheck.language.terms import FieldRef
from factcheck.model.rule import RuleSpec


@dataclass(frozen=True)
class Binding:
    name: str
    tests: tuple[FieldTest, ...]

    @property
    def engine_tests(self) -> tuple[FieldTest, ...]:
        return tuple(t for t in self.tests if t.in_engine)

    @property
    def python_tests(self) -> tuple[FieldTest, ...]:
        return tuple(t for t in self.tests if not t.in_engine)


@dataclass(frozen=True)
class PredicateCall:
    builtin: str
    args: dict[str, Any]  # FieldRef, binding names, constants: see evaluate/builtins.py
    location: Location | None = field(default=None, compare=False)  # its 'where' item, for lint warnings
    negated: bool = False  # written `- not: {builtin: ...}`: holds when the built-in does not

    @property
    def label(self) -> str:
        """How explanations name it: the built-in, or 'not <built-in>'."""
        return f"not {self.builtin}" if self.negated else self.builtin


@dataclass(frozen=True)
class Unless:
    """RuleSpec.unless or .requires, checked: the deciding claim's binding and the built-ins it must satisfy."""

    binding: Binding
    predicates: tuple[PredicateCall, ...]


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written, without braces
    binding: str | None  # None for {why.<builtin>}
    field: str  # claim field path, or the builtin name for {why.*}
    attribute: str | None = None  # {a.speaker.name} -> "name"


@dataclass
class CompiledRule:
    spec: RuleSpec
    bindings: tuple[Binding, ...]
    predicates: tuple[PredicateCall, ...]
    message: tuple[str | Placeholder, ...]
    location: Location
    yaml_path: tuple[str | int, ...] = ()  # where the rule sits in its file (inline tests point into it)
    # entity ids the rule names as constants, with where, to check against the corpus
    entity_constants: list[tuple[str, Location]] = field(default_factory=list)
    question: tuple[FieldRef, ...] = ()  # what makes one finding (RuleSpec.question); () = equivalent reports
    unless: Unless | None = None
    requires: Unless | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def join(self) -> tuple[str, ...]:
        """The join fields; every binding's claim shares a value of each."""
        return (self.spec.join,) if isinstance(self.spec.join, str) else tuple(self.spec.join)

    @property
    def join_label(self) -> str:
        return " + ".join(self.join)

    @property
    def tested_bindings(self) -> tuple[Binding, ...]:
        """Every binding whose field tests are checked: the rule's, then the `unless` and `requires` claims'."""
        return (*self.bindings, *(block.binding for block in self.witnesses))

    @property
    def witnesses(self) -> tuple[Unless, ...]:
        """The blocks naming a claim besides the match that decides it: `unless`, then `requires`."""
        return tuple(block for block in (self.unless, self.requires) if block is not None)

    @property
    def binding_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.bindings)
