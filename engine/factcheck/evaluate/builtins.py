"""What each built-in of the rule language means (their signatures: language/builtins.py).

Each returns an Outcome: whether it holds, a short value for message templates ({why.within}) and a
one-line detail for the tension's explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.evaluate.terms import Context
from factcheck.language.builtins import SIGNATURES
from factcheck.language.field_tests import same_value
from factcheck.language.terms import FieldRef
from factcheck.model.claim import Claim, QuoteKind
from factcheck.model.corpus import Corpus
from factcheck.model.entity import EntityKind


@dataclass(frozen=True)
class Outcome:
    holds: bool
    value: str
    detail: str


Implementation = Callable[[Context, dict[str, Any]], Outcome]
IMPLEMENTATIONS: dict[str, Implementation] = {}


def implements(name: str) -> Callable[[Implementation], Implementation]:
    assert name in SIGNATURES, f"no signature for built-in {name}"

    def register(fn: Implementation) -> Implementation:
        IMPLEMENTATIONS[name] = fn
        return fn

    return register


def _show(ctx: Context, term: Any) -> str:
    value = ctx.value(term)
    label = str(term) if isinstance(term, FieldRef) else ""
    shown = "(missing)" if value is None else str(value)
    return f"{label}={shown}" if label else shown


@implements("same-speaker")
def _same_speaker(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].speaker, ctx.match[args["right"]].speaker
    holds = left == right
    return Outcome(holds, "same" if holds else "different", f"speakers: {left} / {right}")


@implements("different-speaker")
def _different_speaker(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].speaker, ctx.match[args["right"]].speaker
    holds = left != right
    return Outcome(holds, "different" if holds else "same", f"speakers: {left} / {right}")


@implements("equal")
def _equal(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    holds = left is not None and right is not None and same_value(left, right)
    return Outcome(
        holds,
        "equal" if holds else "not equal",
        f"{_show(ctx, args['left'])} {'=' if holds else '≠'} {_show(ctx, args['right'])}",
    )


@implements("not-equal")
def _not_equal(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    holds = left is not None and right is not None and not same_value(left, right)
    return Outcome(
        holds,
        "different" if holds else "not different",
        f"{_show(ctx, args['left'])} {'≠' if holds else '='} {_show(ctx, args['right'])}",
    )


@implements("is-a")
def _is_a(ctx: Context, args: dict[str, Any]) -> Outcome:
    entity, cls = ctx.value(args["entity"]), ctx.value(args["class"])
    holds = isinstance(entity, str) and isinstance(cls, str) and ctx.corpus.is_a(entity, cls)
    return Outcome(holds, "yes" if holds else "no", f"{entity} is a {cls}: {'yes' if holds else 'no'}")


@implements("within")
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


@implements("opposite-polarity")
def _opposite_polarity(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].polarity, ctx.match[args["right"]].polarity
    holds = left != right
    return Outcome(holds, "opposite" if holds else "same", f"polarity: {left.value} / {right.value}")


@implements("numeric-difference")
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


@implements("before")
def _before(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].said_on, ctx.match[args["right"]].said_on
    holds = left.latest < right.earliest
    return Outcome(holds, "yes" if holds else "no", f"{left} before {right}: {'yes' if holds else 'not certainly'}")


@implements("within-days")
def _within_days(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].said_on, ctx.match[args["right"]].said_on
    gap = max(0, (right.earliest - left.latest).days, (left.earliest - right.latest).days)
    holds = gap <= args["days"]
    return Outcome(holds, str(gap), f"{left} / {right}: at least {gap} days apart, window {args['days']:g}")


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


@implements("attribution")
def _attribution(ctx: Context, args: dict[str, Any]) -> Outcome:
    claim = ctx.match[args["claim"]]
    strength = attribution_strength(claim, ctx.corpus)
    speaker = ctx.corpus.entities.get(claim.speaker)
    kind = speaker.kind.value if speaker else "unknown"
    return Outcome(strength in args["is"], strength, f"{claim.speaker} ({kind}), {claim.quote_kind.value}: {strength}")


@implements("differ-in")
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


@implements("ordered")
def _ordered(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].id, ctx.match[args["right"]].id
    holds = left < right
    return Outcome(holds, "yes" if holds else "no", f"{left} {'<' if holds else '≥'} {right}")
