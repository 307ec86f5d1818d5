"""The built-in predicates a rule's `where:` may call: their names, parameters and one-line meanings.
This is the fixed vocabulary (no eval): compile/ checks each call against its signature, and
evaluate/builtins.py holds one implementation per signature."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from factcheck.model.corpus import Containment


class ParamKind(StrEnum):
    binding = "binding"  # a binding's name: the claim itself
    term = "term"  # a bound claim's field (a.qualifiers.count) or a constant
    entity = "entity"  # an entity-valued field or an entity id
    number = "number"
    choices = "choices"  # a list drawn from `Param.choices`
    fields = "fields"  # a list of field paths
    moment = "moment"  # a binding (when it was said), or a date field of one: a.said_on, a.when


@dataclass(frozen=True)
class Param:
    name: str
    kind: ParamKind
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[Param, ...]
    summary: str


STRENGTHS = ("strong", "moderate", "weak", "outlet")  # attribution strengths, strongest first

_BOTH = (Param("left", ParamKind.binding), Param("right", ParamKind.binding))
_TERMS = (Param("left", ParamKind.term), Param("right", ParamKind.term))
_MOMENTS = (Param("left", ParamKind.moment), Param("right", ParamKind.moment))
MOMENT_FIELDS = ("said_on", "when")  # the date-valued fields a moment may name

SIGNATURES: dict[str, Signature] = {
    s.name: s
    for s in (
        Signature("same-speaker", _BOTH, "the two claims have the same speaker"),
        Signature("different-speaker", _BOTH, "the two claims have different speakers"),
        Signature("equal", _TERMS, "both values are present and equal"),
        Signature("not-equal", _TERMS, "both values are present and differ"),
        Signature(
            "is-a",
            (Param("entity", ParamKind.entity), Param("class", ParamKind.entity)),
            "the entity is the class or reaches it through is_a links",
        ),
        Signature(
            "within",
            (
                Param("place", ParamKind.entity),
                Param("region", ParamKind.entity),
                Param(
                    "answers",
                    ParamKind.choices,
                    required=False,
                    default=("yes", "disputed"),
                    choices=tuple(c.value for c in Containment),
                ),
            ),
            "tri-state place containment (yes / no / disputed) is one of `answers`",
        ),
        Signature("opposite-polarity", _BOTH, "one claim affirms what the other negates"),
        Signature(
            "numeric-difference",
            (*_TERMS, Param("more-than", ParamKind.number, required=False, default=0)),
            "both values are numbers that differ by more than `more-than`",
        ),
        Signature(
            "before",
            _MOMENTS,
            "the left moment is certainly before the right one (precision, periods and bounds respected); a "
            "binding stands for when it was said, `a.when` for when what it reports happens",
        ),
        Signature(
            "within-days",
            (*_MOMENTS, Param("days", ParamKind.number)),
            "the two moments may be at most `days` days apart",
        ),
        Signature(
            "overlaps",
            _MOMENTS,
            "the two moments may overlap (an unknown time may overlap anything)",
        ),
        Signature(
            "attribution",
            (Param("claim", ParamKind.binding), Param("is", ParamKind.choices, choices=STRENGTHS)),
            "the claim's attribution strength is one of `is`",
        ),
        Signature(
            "differ-in",
            (*_BOTH, Param("fields", ParamKind.fields)),
            "at least one of `fields` differs between the two claims (absence counts)",
        ),
        Signature("ordered", _BOTH, "the left claim's id sorts before the right one's (reports a symmetric pair once)"),
    )
}
