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


NOT = "not"  # `- not: {builtin: ...}` in `where`: the item holds when the built-in does not

STRENGTHS = ("strong", "moderate", "weak", "outlet")  # attribution strengths, strongest first
# What weakens an attribution (evaluate/builtins.py weakenings): a whole state credited ("Russia says": who
# in it?), no named official, words relayed by someone else (twice or more), translated by an outlet (a
# translation that names no translator is the reader's own), a partial quote.
WEAKENINGS = ("state", "unnamed", "relayed", "relayed-twice", "translated", "partial")

_BOTH = (Param("left", ParamKind.binding), Param("right", ParamKind.binding))
_TERMS = (Param("left", ParamKind.term), Param("right", ParamKind.term))
_MOMENTS = (Param("left", ParamKind.moment), Param("right", ParamKind.moment))
_ENTITIES = (Param("left", ParamKind.entity), Param("right", ParamKind.entity))
ROUNDINGS = ("literal", "as-reported")  # how numeric-difference reads a figure: Quantity.bounds / reported_bounds
SIDES = ("either", "lower", "higher")  # numeric-difference: which way the left figure must differ
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
            "kindred",
            _ENTITIES,
            "the two entities are one, one is a kind of the other, or both are kinds of one class (is_a links)",
        ),
        Signature(
            "apart",
            _ENTITIES,
            "two different things, neither a kind of the other (is_a) nor lying in it (part_of, disputed or "
            "not): two values of a single-valued fact that cannot both hold",
        ),
        Signature(
            "numeric-difference",
            (
                *_TERMS,
                Param("more-than", ParamKind.number, required=False, default=0),
                Param("more-than-percent", ParamKind.number, required=False, default=0),
                Param("rounding", ParamKind.choices, required=False, default=("literal",), choices=ROUNDINGS),
                Param("left-is", ParamKind.choices, required=False, default=("either",), choices=SIDES),
            ),
            "both values are numbers that differ by more than `more-than` and by more than `more-than-percent` of "
            "the larger (with `left-is: lower` or `higher`, in that direction); with `rounding: as-reported` a "
            "round figure covers what it rounds and 'more than'/'up to' stop near the figure",
        ),
        Signature(
            "counts-agree",
            _TERMS,
            "both figures are absent, or both are figures of the same thing (unit, per) that, read as reported, may be "
            "the same number: a figure given again, rounded or within a range (one figure and no figure do not agree, "
            "nor a bound and a figure of another kind: 'at least 4,000' and 10,000)",
        ),
        Signature(
            "opposite-terms",
            _TERMS,
            "the two predicates say the contrary: one (or a broader term) is declared `opposite` of the other",
        ),
        Signature(
            "has-opposite",
            (Param("predicate", ParamKind.term),),
            "the vocabulary declares an opposite for the predicate or a broader term (either side may declare it)",
        ),
        Signature(
            "single-valued",
            (Param("predicate", ParamKind.term),),
            "the predicate, or a broader term, is declared single-valued (one place, one date, one figure)",
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
            "days-apart",
            (
                *_MOMENTS,
                Param("min", ParamKind.number, required=False, default=0),
                Param("max", ParamKind.number, required=False, default=0),
            ),
            "both moments are points in time and the right one certainly falls `min` to `max` days after the left "
            "one (negative: before), whichever days they may be: a day is itself (an approximate day counts as the "
            "day it names), a month or a year every day in it; a deadline never holds, nor a period, except that two "
            "identical periods (from and until) are 0 days apart. For figures "
            "'as of' a day: [left, right] alone is the same day",
        ),
        Signature(
            "time-difference",
            (*_MOMENTS, Param("more-than", ParamKind.number, required=False, default=0)),
            "both moments carry a time of day, both with a UTC offset or both without (local time), and "
            "certainly lie more than `more-than` minutes apart; an approximate time ('about 9 am') may be "
            "30 minutes either side, a window ('between 21:20 and 21:40') anywhere between its ends",
        ),
        Signature(
            "during",
            _MOMENTS,
            "the left moment, a point in time, certainly falls within the right one: the same day, a day of the "
            "month or year it names, or between both ends of a window or period (to the minute where they carry "
            "times of day); an open deadline or period never holds",
        ),
        Signature(
            "overlaps",
            _MOMENTS,
            "the two moments may overlap (an unknown time may overlap anything)",
        ),
        Signature(
            "attribution",
            (
                Param("claim", ParamKind.binding),
                Param("is", ParamKind.choices, choices=STRENGTHS),
                Param("because", ParamKind.choices, required=False, default=(), choices=WEAKENINGS),
            ),
            "the claim's attribution strength is one of `is` (and, with `because`, one of those reasons weakens it)",
        ),
        Signature(
            "differ-in",
            (*_BOTH, Param("fields", ParamKind.fields)),
            "at least one of `fields` differs between the two claims (absence counts)",
        ),
        Signature(
            "same-in",
            (*_BOTH, Param("fields", ParamKind.fields)),
            "every one of `fields` is the same in the two claims (absent in both counts as the same)",
        ),
        Signature(
            "compatible-in",
            (*_BOTH, Param("fields", ParamKind.fields)),
            "every one of `fields` is the same in the two claims or absent from one of them (a place one report "
            "gives and the other leaves out does not tell them apart)",
        ),
        Signature("ordered", _BOTH, "the left claim's id sorts before the right one's (reports a symmetric pair once)"),
    )
}
