"""The fixed vocabulary of predicates a rule's `where:` may use (no eval: every one is code here).

Each returns an Outcome: whether it holds, a short value for message templates ({why.within}) and a
one-line detail for the tension's explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.evaluate.field_tests import same_value
from factcheck.evaluate.terms import Context, FieldRef
from factcheck.model.claim import Claim, QuoteKind
from factcheck.model.corpus import Containment, Corpus
from factcheck.model.entity import EntityKind


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # binding | term | entity | number | choices | fields
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    holds: bool
    value: str
    detail: str


@dataclass(frozen=True)
class Builtin:
    name: str
    params: tuple[Param, ...]
    summary: str
    fn: Callable[[Context, dict[str, Any]], Outcome]


BUILTINS: dict[str, Builtin] = {}


def builtin(name: str, summary: str, *params: Param) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    def register(fn: Callable[[Context, dict[str, Any]], Outcome]) -> Callable[..., Outcome]:
        BUILTINS[name] = Builtin(name, params, summary, fn)
        return fn

    return register


def _show(ctx: Context, term: Any) -> str:
    value = ctx.value(term)
    label = str(term) if isinstance(term, FieldRef) else ""
    shown = "(missing)" if value is None else str(value)
    return f"{label}={shown}" if label else shown


BOTH = (Param("left", "binding"), Param("right", "binding"))
TERMS = (Param("left", "term"), Param("right", "term"))


@builtin("same-speaker", "the two claims have the same speaker", *BOTH)
def _same_speaker(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].speaker, ctx.match[args["right"]].speaker
    holds = left == right
    return Outcome(holds, "same" if holds else "different", f"speakers: {left} / {right}")


@builtin("different-speaker", "the two claims have different speakers", *BOTH)
def _different_speaker(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].speaker, ctx.match[args["right"]].speaker
    holds = left != right
    return Outcome(holds, "different" if holds else "same", f"speakers: {left} / {right}")


@builtin("equal", "both values are present and equal", *TERMS)
def _equal(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    holds = left is not None and right is not None and same_value(left, right)
    return Outcome(
        holds,
        "equal" if holds else "not equal",
        f"{_show(ctx, args['left'])} {'=' if holds else '≠'} {_show(ctx, args['right'])}",
    )


@builtin("not-equal", "both values are present and differ", *TERMS)
def _not_equal(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    holds = left is not None and right is not None and not same_value(left, right)
    return Outcome(
        holds,
        "different" if holds else "not different",
        f"{_show(ctx, args['left'])} {'≠' if holds else '='} {_show(ctx, args['right'])}",
    )


@builtin(
    "is-a",
    "the entity is the class or reaches it through is_a links",
    Param("entity", "entity"),
    Param("class", "entity"),
)
def _is_a(ctx: Context, args: dict[str, Any]) -> Outcome:
    entity, cls = ctx.value(args["entity"]), ctx.value(args["class"])
    holds = isinstance(entity, str) and isinstance(cls, str) and ctx.corpus.is_a(entity, cls)
    return Outcome(holds, "yes" if holds else "no", f"{entity} is a {cls}: {'yes' if holds else 'no'}")


@builtin(
    "within",
    "tri-state place containment (yes / no / disputed) is one of `answers`",
    Param("place", "entity"),
    Param("region", "entity"),
    Param(
        "answers", "choices", required=False, default=("yes", "disputed"), choices=tuple(c.value for c in Containment)
    ),
)
def _within(ctx: Context, args: dict[str, Any]) -> Outcome:
    place, region = ctx.value(args["place"]), ctx.value(args["region"])
    if not (isinstance(place, str) and isinstance(region, str)):
        return Outcome(False, "unknown", f"{_show(ctx, args['place'])} within {_show(ctx, args['region'])}: unknown")
    found = ctx.corpus.within(place, region)
    note = f" ({'; '.join(found.notes)})" if found.notes else ""
    return Outcome(
        found.answer.value in args["answers"],
        found.answer.value,
        f"{place} within {region}: {found.answer.value}{note}",
    )


@builtin("opposite-polarity", "one claim affirms what the other negates", *BOTH)
def _opposite_polarity(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].polarity, ctx.match[args["right"]].polarity
    holds = left != right
    return Outcome(holds, "opposite" if holds else "same", f"polarity: {left.value} / {right.value}")


@builtin(
    "numeric-difference",
    "both values are numbers that differ by more than `more-than`",
    *TERMS,
    Param("more-than", "number", required=False, default=0),
)
def _numeric_difference(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    if not numbers:
        return Outcome(False, "n/a", f"{_show(ctx, args['left'])} vs {_show(ctx, args['right'])}: not both numbers")
    gap = abs(left - right)
    holds = gap > args["more-than"]
    return Outcome(
        holds,
        f"{gap:g}",
        f"{left:g} vs {right:g}: difference {gap:g} {'>' if holds else '≤'} tolerance {args['more-than']:g}",
    )


@builtin("before", "the left claim was certainly said before the right one (date precision respected)", *BOTH)
def _before(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].said_on, ctx.match[args["right"]].said_on
    holds = left.latest < right.earliest
    return Outcome(holds, "yes" if holds else "no", f"{left} before {right}: {'yes' if holds else 'not certainly'}")


@builtin("within-days", "the two claims may have been said at most `days` days apart", *BOTH, Param("days", "number"))
def _within_days(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].said_on, ctx.match[args["right"]].said_on
    gap = max(0, (right.earliest - left.latest).days, (left.earliest - right.latest).days)
    holds = gap <= args["days"]
    return Outcome(holds, str(gap), f"{left} / {right}: at least {gap} days apart, window {args['days']:g}")


STRENGTHS = ("strong", "moderate", "weak", "outlet")


def attribution_strength(claim: Claim, corpus: Corpus) -> str:
    """strong: a named person quoted directly; moderate: a named person reported, or an institution
    quoted; weak: an institution or state reported without a named official; outlet: the outlet's own."""
    if claim.quote_kind is QuoteKind.reported_by_outlet:
        return "outlet"
    speaker = corpus.entities.get(claim.speaker)
    person = speaker is not None and speaker.kind is EntityKind.person
    direct = claim.quote_kind is QuoteKind.direct
    if person:
        return "strong" if direct else "moderate"
    return "moderate" if direct else "weak"


@builtin(
    "attribution",
    "the claim's attribution strength is one of `is`",
    Param("claim", "binding"),
    Param("is", "choices", choices=STRENGTHS),
)
def _attribution(ctx: Context, args: dict[str, Any]) -> Outcome:
    claim = ctx.match[args["claim"]]
    strength = attribution_strength(claim, ctx.corpus)
    speaker = ctx.corpus.entities.get(claim.speaker)
    kind = speaker.kind.value if speaker else "unknown"
    return Outcome(strength in args["is"], strength, f"{claim.speaker} ({kind}), {claim.quote_kind.value}: {strength}")


@builtin(
    "differ-in",
    "at least one of `fields` differs between the two claims (absence counts)",
    *BOTH,
    Param("fields", "fields"),
)
def _differ_in(ctx: Context, args: dict[str, Any]) -> Outcome:
    differing = [
        f
        for f in args["fields"]
        if not _same_or_both_missing(ctx.value(FieldRef(args["left"], f)), ctx.value(FieldRef(args["right"], f)))
    ]
    return Outcome(
        bool(differing),
        ", ".join(differing) or "none",
        f"differs in: {', '.join(differing)}" if differing else "no difference in " + ", ".join(args["fields"]),
    )


def _same_or_both_missing(left: Any, right: Any) -> bool:
    if left in (None, []) and right in (None, []):
        return True
    return left is not None and right is not None and same_value(left, right)


@builtin("ordered", "the left claim's id sorts before the right one's (reports a symmetric pair once)", *BOTH)
def _ordered(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].id, ctx.match[args["right"]].id
    holds = left < right
    return Outcome(holds, "yes" if holds else "no", f"{left} {'<' if holds else '≥'} {right}")
