"""What each built-in of the rule language means (their signatures: language/builtins.py).

Each returns an Outcome: whether it holds, a short value for message templates ({why.within}) and a
one-line detail for the tension's explanation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.evaluate.terms import Context
from factcheck.language.builtins import SIGNATURES, STRENGTHS
from factcheck.language.field_tests import same_value
from factcheck.language.terms import FieldRef
from factcheck.model.claim import Approx, Claim, Quantity, QuoteKind, show_number
from factcheck.model.corpus import Corpus
from factcheck.model.entity import EntityKind
from factcheck.model.fields import read_quantity


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
    left, right = _amount(ctx, args["left"]), _amount(ctx, args["right"])
    if left is None or right is None:
        return Outcome(False, "n/a", f"{_show(ctx, args['left'])} vs {_show(ctx, args['right'])}: not both numbers")
    why_not = _incomparable(left, right)
    if why_not:
        return Outcome(False, "n/a", f"{left} vs {right}: not comparable ({why_not})")
    (left_low, left_high), (right_low, right_high) = left.bounds(), right.bounds()
    gap = max(0, left_low - right_high, right_low - left_high)
    holds = gap > args["more-than"]
    shown = show_number(gap) if left.approx is right.approx is Approx.exact else f"at least {show_number(gap)}"
    return Outcome(
        holds,
        show_number(gap),
        f"{left} vs {right}: difference {shown} {'>' if holds else '≤'} tolerance {show_number(args['more-than'])}",
    )


def _amount(ctx: Context, term: Any) -> Quantity | None:
    """A term as a Quantity: a count field with its approximation, unit and per, or a plain number."""
    if isinstance(term, FieldRef):
        quantity = read_quantity(ctx.match[term.binding], term.field)
        if quantity is not None:
            return quantity
    value = ctx.value(term)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Quantity.model_construct(value=value)  # a rule's constant, or a plain number field: exact, as given
    return None


def _incomparable(left: Quantity, right: Quantity) -> str:
    """Why two counts do not measure the same thing, if they do not: other units, or per something else
    ("60 per side" against "120 in total")."""
    if left.unit and right.unit and left.unit != right.unit:
        return f"{left.unit} vs {right.unit}"
    if left.per != right.per:
        return f"per {left.per or 'total'} vs per {right.per or 'total'}"
    return ""


Span = tuple[dt.date | None, dt.date | None]  # earliest, latest; None: unbounded or unknown


def _moment(ctx: Context, term: FieldRef) -> tuple[Span, str]:
    """A date field as the days it may fall on, and how to show it."""
    value = ctx.value(term)
    if value is None:
        return (None, None), f"{term}=(unknown)"
    return (value.earliest, value.latest), f"{term}={value}"


@implements("before")
def _before(ctx: Context, args: dict[str, Any]) -> Outcome:
    (_, left_latest), left = _moment(ctx, args["left"])
    (right_earliest, _), right = _moment(ctx, args["right"])
    holds = left_latest is not None and right_earliest is not None and left_latest < right_earliest
    return Outcome(holds, "yes" if holds else "no", f"{left} before {right}: {'yes' if holds else 'not certainly'}")


def _gap(a: Span, b: Span) -> int:
    """The fewest days between two spans (0 when they may overlap or one is unknown)."""
    gaps = [0]
    if a[1] is not None and b[0] is not None:
        gaps.append((b[0] - a[1]).days)
    if b[1] is not None and a[0] is not None:
        gaps.append((a[0] - b[1]).days)
    return max(gaps)


@implements("within-days")
def _within_days(ctx: Context, args: dict[str, Any]) -> Outcome:
    (left_span, left), (right_span, right) = _moment(ctx, args["left"]), _moment(ctx, args["right"])
    gap = _gap(left_span, right_span)
    holds = gap <= args["days"]
    return Outcome(holds, str(gap), f"{left} / {right}: at least {gap} days apart, window {show_number(args['days'])}")


@implements("overlaps")
def _overlaps(ctx: Context, args: dict[str, Any]) -> Outcome:
    (left_span, left), (right_span, right) = _moment(ctx, args["left"]), _moment(ctx, args["right"])
    holds = _gap(left_span, right_span) == 0
    return Outcome(holds, "yes" if holds else "no", f"{left} / {right}: {'may overlap' if holds else 'apart'}")


def attribution_strength(claim: Claim, corpus: Corpus) -> str:
    """strong: a named person quoted directly, first-hand; moderate: a named person reported, or an
    institution quoted; weak: an institution or state reported without a named official; outlet: the
    outlet's own. Each of these weakens it by a step: words relayed by someone else (twice or more: weak),
    translated by an outlet (or by whom it does not say), a partial quote; an unnamed official is never
    strong."""
    if claim.quote_kind is QuoteKind.reported_by_outlet:
        return "outlet"
    speaker = corpus.entities.get(claim.speaker)
    person = speaker is not None and speaker.kind is EntityKind.person
    direct = claim.quote_kind is QuoteKind.direct
    step = (0 if direct else 1) if person else (1 if direct else 2)  # 0 strong, 1 moderate, 2 weak
    how = claim.attribution
    if how.unnamed:
        step = max(step, 1 if direct else 2)
    if how.via:
        step = 2 if len(how.via) > 1 else step + 1
    if how.translated is not None:
        translator = corpus.entities.get(how.translated.by) if how.translated.by else None
        if translator is None or translator.kind is EntityKind.outlet:
            step += 1  # the words are the outlet's (an official translation by the speaker's side is not)
    if how.partial:
        step += 1
    return STRENGTHS[min(step, 2)]


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
