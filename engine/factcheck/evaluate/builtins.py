"""What each built-in of the rule language means (their signatures: language/builtins.py).

Each returns an Outcome: whether it holds, a short value for message templates ({why.within}) and a
one-line detail for the tension's explanation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.compile.compiled import PredicateCall
from factcheck.evaluate.terms import Context
from factcheck.language.builtins import SIGNATURES, STRENGTHS
from factcheck.language.field_tests import same_value
from factcheck.language.terms import FieldRef
from factcheck.model.claim import Approx, Claim, Quantity, QuoteKind, readable_number, show_number
from factcheck.model.corpus import Containment, Corpus
from factcheck.model.dates import EventTime, FuzzyDate, Precision
from factcheck.model.entity import EntityKind
from factcheck.model.fields import read_quantity
from factcheck.model.units import conversion


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


def outcome_of(call: PredicateCall, ctx: Context) -> Outcome:
    """What one `where` item says of the bound claims: its built-in's outcome, turned round under `not`."""
    outcome = IMPLEMENTATIONS[call.builtin](ctx, call.args)
    if not call.negated:
        return outcome
    return Outcome(not outcome.holds, f"not {outcome.value}", f"not ({outcome.detail})")


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


def _not_both_entities(ctx: Context, args: dict[str, Any]) -> Outcome:
    return Outcome(False, "no", f"{_show(ctx, args['left'])} / {_show(ctx, args['right'])}: not both entities")


@implements("kindred")
def _kindred(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    if not (isinstance(left, str) and isinstance(right, str)):
        return _not_both_entities(ctx, args)
    shared = ctx.corpus.common_class(left, right)
    return Outcome(
        shared is not None,
        shared or "no",
        f"{left} / {right}: " + (f"both are {shared}" if shared else "no common class"),
    )


@implements("apart")
def _apart(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    if not (isinstance(left, str) and isinstance(right, str)):
        return _not_both_entities(ctx, args)
    related = _relation(ctx.corpus, left, right)
    return Outcome(not related, "related" if related else "apart", f"{left} / {right}: {related or 'apart'}")


def _relation(corpus: Corpus, left: str, right: str) -> str:
    """How two entities are one thing at two levels, if they are: the same, a kind of, or inside (even
    disputedly) the other; "" when they are apart."""
    if left == right:
        return "the same"
    for one, other in ((left, right), (right, left)):
        if corpus.is_a(one, other):
            return f"{one} is a {other}"
        if corpus.within(one, other).answer is not Containment.no:
            return f"{one} lies in {other}"
    return ""


@implements("has-opposite")
def _has_opposite(ctx: Context, args: dict[str, Any]) -> Outcome:
    term = ctx.value(args["predicate"])
    holds = isinstance(term, str) and ctx.corpus.lexicon.has_opposite(term)
    return Outcome(holds, "yes" if holds else "no", f"{term} has an opposite: {'yes' if holds else 'no'}")


@implements("single-valued")
def _single_valued(ctx: Context, args: dict[str, Any]) -> Outcome:
    term = ctx.value(args["predicate"])
    holds = isinstance(term, str) and ctx.corpus.lexicon.single_valued(term)
    return Outcome(holds, "yes" if holds else "no", f"{term} single-valued: {'yes' if holds else 'no'}")


@implements("opposite-terms")
def _opposite_terms(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    holds = isinstance(left, str) and isinstance(right, str) and ctx.corpus.lexicon.opposed(left, right)
    return Outcome(
        holds, "opposite" if holds else "not opposite", f"{left} / {right}: {'opposite' if holds else 'not opposite'}"
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
    # Two lower bounds (or two upper ones) given side by side never conflict: "at least 50,000" and "more
    # than 70,000" are both minimums. Read as reported, each stands near its figure against another kind of
    # figure, and when one is asked to be lower or higher than the other (a later minimum below an earlier
    # one says less than was known).
    same_side = left.approx is right.approx and left.approx in (Approx.at_least, Approx.at_most)
    directed = args["left-is"] != ("either",)
    reported = args["rounding"] == ("as-reported",) and (directed or not same_side)
    (left_low, left_high), (right_low, right_high) = (
        (left.reported_bounds(), right.reported_bounds()) if reported else (left.bounds(), right.bounds())
    )
    scale = _scale(right, left)  # the right figure in the left one's unit (feet as metres); 1 when the same
    if scale != 1 and reported:  # a figure given in two units is each rounded to its last digit: 354 ft is 108 m
        left_low, left_high, right_low, right_high = left_low - 0.5, left_high + 0.5, right_low - 0.5, right_high + 0.5
    right_low, right_high, right_value = right_low * scale, right_high * scale, right.value * scale
    above, below = left_low - right_high, right_low - left_high  # > 0: the left figure is higher / lower
    gap = max(0, {"either": max(above, below), "lower": below, "higher": above}[args["left-is"][0]])
    share = gap / max(abs(left.value), abs(right_value)) * 100 if gap else 0.0
    holds = gap > args["more-than"] and share > args["more-than-percent"]
    exact = left.approx is right.approx is Approx.exact and not reported and scale == 1
    shown = show_number(gap) if exact else f"at least {show_number(gap)}"
    return Outcome(
        holds,
        readable_number(abs(left.value - right_value)),  # {why.numeric-difference}: how far apart the figures are
        f"{left} vs {right}: difference {shown} {'>' if holds else '≤'} tolerance {show_number(args['more-than'])}",
    )


@implements("counts-agree")
def _counts_agree(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = _amount(ctx, args["left"]), _amount(ctx, args["right"])
    if left is None and right is None:
        return Outcome(True, "no figures", "neither gives a figure")
    if left is None or right is None:
        return Outcome(
            False, "one figure", f"{_show(ctx, args['left'])} vs {_show(ctx, args['right'])}: one figure only"
        )
    why_not = _incomparable(left, right)
    if why_not:
        return Outcome(False, "n/a", f"{left} vs {right}: not comparable ({why_not})")
    bounds = (Approx.at_least, Approx.at_most)
    if (left.approx in bounds or right.approx in bounds) and left.approx is not right.approx:
        # "at least 4,000" is not the 10,000 another gives, though it does not deny it
        return Outcome(False, "differ", f"{left} vs {right}: a bound and another kind of figure")
    apart = _numeric_difference(
        ctx, {**args, "more-than": 0, "more-than-percent": 0, "rounding": ("as-reported",), "left-is": ("either",)}
    )
    return Outcome(not apart.holds, "agree" if not apart.holds else "differ", apart.detail)


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
    """Why two counts do not measure the same thing, if they do not: other units that do not convert
    (people and bodies; feet and metres do), or per something else ("60 per side" against "120 in total")."""
    if left.unit and right.unit and left.unit != right.unit and conversion(right.unit, left.unit) is None:
        return f"{left.unit} vs {right.unit}"
    if left.per != right.per:
        return f"per {left.per or 'total'} vs per {right.per or 'total'}"
    return ""


def _scale(quantity: Quantity, into: Quantity) -> float:
    if quantity.unit and into.unit and quantity.unit != into.unit:
        return conversion(quantity.unit, into.unit) or 1.0
    return 1.0


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


def _days_of(value: Any) -> tuple[dt.date, dt.date] | None:
    """The days a point in time may be: the day it names (approximate or not: a report's "Wednesday" is
    that Wednesday), or every day of its month or year; None for a period, a deadline or no time at all,
    which are not "as of" one day."""
    point = value if isinstance(value, FuzzyDate) else getattr(value, "at", None)
    if point is None:
        return None
    if point.precision is Precision.day:
        day = dt.date.fromisoformat(point.date)
        return day, day
    return point.earliest, point.latest


def _one_period(left: Any, right: Any) -> bool:
    """Two event times that are the same period, both ends given: from 20 April until 15 July."""
    return isinstance(left, EventTime) and left.from_ is not None and left.until is not None and left == right


@implements("days-apart")
def _days_apart(ctx: Context, args: dict[str, Any]) -> Outcome:
    left_value, right_value = ctx.value(args["left"]), ctx.value(args["right"])
    left, right = _days_of(left_value), _days_of(right_value)
    shown = f"{_show(ctx, args['left'])} / {_show(ctx, args['right'])}"
    if left is None and right is None and _one_period(left_value, right_value):
        # a total over 20 April to 15 July and another over the same period are "as of" one time
        holds = args["min"] <= 0 <= args["max"]
        return Outcome(holds, "0 days", f"{shown}: the same period, window {args['min']} to {args['max']}")
    if left is None or right is None:
        return Outcome(False, "unknown", f"{shown}: not both a point in time")
    least, most = (right[0] - left[1]).days, (right[1] - left[0]).days  # over every day each may be
    holds = args["min"] <= least and most <= args["max"]
    window = f"{show_number(args['min'])} to {show_number(args['max'])}"
    apart = f"{least} days" if least == most else f"{least} to {most} days"
    return Outcome(holds, apart, f"{shown}: the right {apart} after the left, window {window}")


@implements("time-difference")
def _time_difference(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.value(args["left"]), ctx.value(args["right"])
    shown = f"{args['left']}={left or '(unknown)'} / {args['right']}={right or '(unknown)'}"
    left_span, right_span = _minutes_span(left), _minutes_span(right)
    if left_span is None or right_span is None:
        return Outcome(False, "n/a", f"{shown}: not both a time of day")
    if left_span[2] is not right_span[2]:
        # a time without a UTC offset is the place's local time, and a report's offset other than UTC's names
        # that clock: read both as written. GMT is a wire's clock, not the place's: no common clock then.
        if "+00:00" in _zones(left) | _zones(right):
            return Outcome(False, "n/a", f"{shown}: one time in UTC, the other local without an offset")
        left_span, right_span = _minutes_span(left, as_written=True), _minutes_span(right, as_written=True)
        assert left_span is not None and right_span is not None
    (left_low, left_high, _), (right_low, right_high, _) = left_span, right_span
    gap = max(0, right_low - left_high, left_low - right_high)  # what separates them at the least
    holds = gap > args["more-than"]
    points = [_point(v) for v in (left, right)]
    exact = all(p is not None and not p.approximate for p in points)
    value = f"{gap} minutes" if exact else f"at least {gap} minutes"
    return Outcome(
        holds, value, f"{shown}: at least {gap} minutes apart {'>' if holds else '≤'} {show_number(args['more-than'])}"
    )


def _point(value: Any) -> FuzzyDate | None:
    return value if isinstance(value, FuzzyDate) else getattr(value, "at", None)


def _ends(value: Any) -> tuple[FuzzyDate | None, FuzzyDate | None]:
    """A moment's first and last end: a point's twice, a window's or period's own (either may be open)."""
    point = _point(value)
    if point is None and isinstance(value, EventTime):
        return value.from_ or value.not_before, value.until or value.by
    return point, point


def _zones(value: Any) -> set[str]:
    """The UTC offsets a moment's ends are written with."""
    return {end.zone for end in _ends(value) if end is not None and end.zone is not None}


def _minutes_span(value: Any, as_written: bool = False) -> tuple[float, float, bool] | None:
    """The minutes a moment may fall on (an approximate time: its slack either side; a window or period: its ends
    that carry a time of day, an end without one left open), and whether on UTC; None when no end has a
    time of day, or when its ends are on two clocks."""
    first, last = _ends(value)
    bounds = [_end_minutes(first, -1, as_written), _end_minutes(last, 1, as_written)]
    clocks = {bound[1] for bound in bounds if bound is not None}
    if len(clocks) != 1:
        return None
    low = -math.inf if bounds[0] is None else bounds[0][0]
    high = math.inf if bounds[1] is None else bounds[1][0]
    return low, high, clocks.pop()


def _end_minutes(end: FuzzyDate | None, side: int, as_written: bool = False) -> tuple[float, bool] | None:
    """One end in minutes, widened by an approximate time's slack on its own side."""
    found = None if end is None else end.minutes(as_written)
    if end is None or found is None:
        return None
    return found[0] + side * end.slack_minutes, found[1]


Minutes = tuple[float, float, float, float, str | None]  # local low/high, UTC low/high, clock ("" local, None: a day)


def _minutes_within(end: FuzzyDate, day_first: dt.date, day_last: dt.date) -> Minutes:
    """The minutes a point may fall on, in its own clock's local time and in UTC: its time of day with its slack;
    without a time of day every minute of the days it may be, on no particular clock."""
    if end.time is None:
        low, high = day_first.toordinal() * 1440, (day_last.toordinal() + 1) * 1440 - 1
        return low, high, low, high, None
    hour, minute = map(int, end.time.split(":"))
    local = dt.date.fromisoformat(end.date).toordinal() * 1440 + hour * 60 + minute
    found = end.minutes()
    assert found is not None
    slack = end.slack_minutes
    return local - slack, local + slack, found[0] - slack, found[0] + slack, end.zone or ""


def _extent(value: Any) -> tuple[Minutes, Minutes] | None:
    """A moment's first and last minute ranges (a point: the same range twice; a window or period: each
    end's), or None for an open deadline or period and no time at all."""
    point = _point(value)
    if point is not None:
        days = _days_of(value)
        assert days is not None
        span = _minutes_within(point, *days)
        return span, span
    first, last = _ends(value)
    if first is None or last is None:
        return None
    return _minutes_within(first, first.earliest, first.latest), _minutes_within(last, last.earliest, last.latest)


@implements("during")
def _during(ctx: Context, args: dict[str, Any]) -> Outcome:
    left_value, right_value = ctx.value(args["left"]), ctx.value(args["right"])
    shown = f"{_show(ctx, args['left'])} / {_show(ctx, args['right'])}"
    left, right = _extent(left_value) if _point(left_value) is not None else None, _extent(right_value)
    if left is None or right is None:
        return Outcome(False, "unknown", f"{shown}: not a point in time within a bounded time")
    ends = (left[0], right[0], right[1])
    clocks = {end[4] for end in ends if end[4] is not None}
    if len(clocks) <= 1:  # one clock, or days alone: local times compare as written ("7 July" holds 7 July 23:00)
        (low, high, *_), (start, *_), (_, end, *_) = ends
    else:  # two clocks: in UTC, and only certain a day either side when a day or a local time is among them
        (_, _, low, high, _), (_, _, start, _, _), (_, _, _, end, _) = ends
        if "" in clocks or any(span[4] is None for span in ends):
            low, high = low - 1440, high + 1440
    holds = start <= low and high <= end
    return Outcome(holds, "yes" if holds else "no", f"{shown}: {'within' if holds else 'not certainly within'}")


@implements("overlaps")
def _overlaps(ctx: Context, args: dict[str, Any]) -> Outcome:
    (left_span, left), (right_span, right) = _moment(ctx, args["left"]), _moment(ctx, args["right"])
    holds = _gap(left_span, right_span) == 0
    return Outcome(holds, "yes" if holds else "no", f"{left} / {right}: {'may overlap' if holds else 'apart'}")


def attribution_strength(claim: Claim, corpus: Corpus) -> str:
    """strong: a named person quoted directly, first-hand; moderate: a named person reported, or an
    institution quoted; weak: an institution or state reported without a named official; outlet: the
    outlet's own. Each of these weakens it by a step: words relayed by someone else (twice or more: weak),
    translated by an outlet, a partial quote; an unnamed official is never strong. A translation with no
    translator named is the reader's own (a fact-checker's English for a French page): not the report's."""
    if claim.quote_kind is QuoteKind.reported_by_outlet:
        return "outlet"
    speaker = corpus.entities.get(claim.speaker)
    person = speaker is not None and speaker.kind is EntityKind.person
    direct = claim.quote_kind is QuoteKind.direct
    step = (0 if direct else 1) if person else (1 if direct else 2)  # 0 strong, 1 moderate, 2 weak
    how = claim.attribution
    if how.unnamed:
        step = max(step, 1 if direct else 2)
    relayed = relays(claim, corpus)
    if relayed:
        step = 2 if len(relayed) > 1 else step + 1
    if how.translated is not None:
        translator = corpus.entities.get(how.translated.by) if how.translated.by else None
        if translator is not None and translator.kind is EntityKind.outlet:
            step += 1  # the words are the outlet's (an official translation by the speaker's side is not)
    if how.partial:
        step += 1
    return STRENGTHS[min(step, 2)]


def relays(claim: Claim, corpus: Corpus) -> list[str]:
    """Who passed the words on between the speaker and the page: `attribution.via` without the outlet that
    publishes the page itself (an encoder may list it; a reporter is not a relay). The page's outlet is the
    source's `outlet` text, matched to an outlet entity by name: the same name, or the name followed by a
    bracketed note ("Blitz.bg (CNN Turk via Focus)")."""
    via = claim.attribution.via
    source = corpus.sources.get(claim.source)
    if not via or source is None:
        return list(via)
    page = source.outlet.casefold().strip()

    def publishes(entity_id: str) -> bool:
        entity = corpus.entities.get(entity_id)
        if entity is None or entity.kind is not EntityKind.outlet:
            return False
        name = entity.name.casefold().strip()
        return page == name or page.startswith(name + " (")

    return [v for v in via if not publishes(v)]


def weakenings(claim: Claim, corpus: Corpus) -> list[str]:
    """What weakens the claim's attribution (language/builtins.py WEAKENINGS), in that order."""
    how = claim.attribution
    speaker = corpus.entities.get(claim.speaker)
    found = ["state"] if speaker is not None and speaker.kind is EntityKind.state else []
    if how.unnamed:
        found.append("unnamed")
    relayed = relays(claim, corpus)
    if relayed:
        found.append("relayed-twice" if len(relayed) > 1 else "relayed")
    if how.translated is not None:
        translator = corpus.entities.get(how.translated.by) if how.translated.by else None
        if translator is not None and translator.kind is EntityKind.outlet:
            found.append("translated")
    if how.partial:
        found.append("partial")
    return found


@implements("attribution")
def _attribution(ctx: Context, args: dict[str, Any]) -> Outcome:
    claim = ctx.match[args["claim"]]
    strength = attribution_strength(claim, ctx.corpus)
    speaker = ctx.corpus.entities.get(claim.speaker)
    kind = speaker.kind.value if speaker else "unknown"
    reasons = weakenings(claim, ctx.corpus)
    holds = strength in args["is"] and (not args["because"] or any(r in args["because"] for r in reasons))
    value = f"{strength} ({', '.join(reasons)})" if reasons else strength
    return Outcome(holds, value, f"{claim.speaker} ({kind}), {claim.quote_kind.value}: {value}")


def _differing(ctx: Context, args: dict[str, Any]) -> list[str]:
    """Which of `fields` differ between the two bound claims (absent on both sides is the same)."""
    return [
        f
        for f in args["fields"]
        if not _same_or_both_missing(ctx.value(FieldRef(args["left"], f)), ctx.value(FieldRef(args["right"], f)))
    ]


@implements("differ-in")
def _differ_in(ctx: Context, args: dict[str, Any]) -> Outcome:
    differing = _differing(ctx, args)
    return Outcome(
        bool(differing),
        ", ".join(differing) or "none",
        f"differs in: {', '.join(differing)}" if differing else "no difference in " + ", ".join(args["fields"]),
    )


@implements("same-in")
def _same_in(ctx: Context, args: dict[str, Any]) -> Outcome:
    differing = _differing(ctx, args)
    return Outcome(
        not differing,
        "same" if not differing else ", ".join(differing),
        "same " + ", ".join(args["fields"]) if not differing else f"differs in: {', '.join(differing)}",
    )


def _same_or_both_missing(left: Any, right: Any) -> bool:
    if left in (None, []) and right in (None, []):
        return True
    return left is not None and right is not None and same_value(left, right)


@implements("compatible-in")
def _compatible_in(ctx: Context, args: dict[str, Any]) -> Outcome:
    clashing = [
        f
        for f in args["fields"]
        if not _same_or_either_missing(ctx.value(FieldRef(args["left"], f)), ctx.value(FieldRef(args["right"], f)))
    ]
    return Outcome(
        not clashing,
        "compatible" if not clashing else ", ".join(clashing),
        "compatible " + ", ".join(args["fields"]) if not clashing else f"differs in: {', '.join(clashing)}",
    )


def _same_or_either_missing(left: Any, right: Any) -> bool:
    return left in (None, []) or right in (None, []) or same_value(left, right)


@implements("ordered")
def _ordered(ctx: Context, args: dict[str, Any]) -> Outcome:
    left, right = ctx.match[args["left"]].id, ctx.match[args["right"]].id
    holds = left < right
    return Outcome(holds, "yes" if holds else "no", f"{left} {'<' if holds else '≥'} {right}")
