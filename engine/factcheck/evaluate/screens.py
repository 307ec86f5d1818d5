"""Screens: what a rule's `where:` predicates rule out before durable_rules is asked.

A predicate over one binding (`attribution: {claim: a, ...}`, `is-a: {entity: a.subject, ...}`) is a
filter on the claims that binding may take, checked once per claim. A predicate over two bindings
(`different-speaker`, `differ-in`, `before`, ...) gives a necessary condition on a whole partition:
if no pair of its claims could satisfy it, the partition is never sent to the engine. Both are only
ever allowed to drop work that cannot produce a match; every candidate the engine returns is still
checked by `confirm`, and the differential tests compare the result with the reference evaluator,
which uses no screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from factcheck.compile.compiled import CompiledRule, PredicateCall
from factcheck.evaluate.builtins import outcome_of
from factcheck.evaluate.terms import Context
from factcheck.language.builtins import SIGNATURES, ParamKind
from factcheck.language.terms import FieldRef
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus


def referenced_bindings(call: PredicateCall) -> set[str]:
    found: set[str] = set()
    for param in SIGNATURES[call.builtin].params:
        value = call.args.get(param.name)
        if param.kind is ParamKind.binding:
            found.add(str(value))
        elif isinstance(value, FieldRef):
            found.add(value.binding)
    return found


def claim_filters(rule: CompiledRule) -> dict[str, list[PredicateCall]]:
    """Per binding, the predicates that read that binding alone."""
    filters: dict[str, list[PredicateCall]] = {}
    for call in rule.predicates:
        names = referenced_bindings(call)
        if len(names) == 1:
            filters.setdefault(names.pop(), []).append(call)
    return filters


def constant_predicates_hold(rule: CompiledRule, corpus: Corpus) -> bool:
    """False when a predicate that reads no binding (two constants) fails: the rule cannot match."""
    context = Context(corpus, {})
    return all(outcome_of(call, context).holds for call in rule.predicates if not referenced_bindings(call))


def passes_filters(name: str, calls: list[PredicateCall], claim: Claim, corpus: Corpus) -> bool:
    context = Context(corpus, {name: claim})
    return all(outcome_of(call, context).holds for call in calls)


class _Unscreenable(Exception):
    """A value the screen cannot compare as the built-in would; the partition is then kept."""


_MISSING = ("missing",)


def _signature(value: Any) -> tuple[Any, ...]:
    """A hashable key equal for two values exactly when `same_value` holds (absence is one key)."""
    if value is None or value == []:
        return _MISSING
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        if value != value:  # NaN equals nothing, not even itself
            raise _Unscreenable
        return ("number", value)  # 1 == 1.0, as same_value has it
    if isinstance(value, str):
        return ("text", value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ("list", tuple(value))
    raise _Unscreenable


T = TypeVar("T")
Members = dict[str, Sequence[T]]  # binding name -> the partition's claims that binding may take
Read = Callable[[T, str], Any]  # a claim's field value, as `read_field` gives it
PairScreen = Callable[[PredicateCall, Members[T], Read[T]], bool]


def _some_pair_differs(left: Sequence[T], right: Sequence[T], key: Callable[[T], Any]) -> bool:
    """Whether a claim of `left` and a claim of `right` have different keys (they are then distinct)."""
    return len({key(c) for c in left} | {key(c) for c in right}) >= 2


def _differ_by(field: str) -> PairScreen[Any]:
    def screen(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
        return _some_pair_differs(members[call.args["left"]], members[call.args["right"]], lambda c: read(c, field))

    return screen


def _same_speaker(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    left, right = members[call.args["left"]], members[call.args["right"]]
    return bool({read(c, "speaker") for c in left} & {read(c, "speaker") for c in right})


def _differ_in(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    fields = call.args["fields"]
    return _some_pair_differs(
        members[call.args["left"]],
        members[call.args["right"]],
        lambda c: tuple(_signature(read(c, f)) for f in fields),
    )


def _before(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    left_ref, right_ref = call.args["left"], call.args["right"]
    if left_ref.field != "said_on" or right_ref.field != "said_on":
        raise _Unscreenable  # event times may be unknown or unbounded: no partition-wide bound
    left, right = members[left_ref.binding], members[right_ref.binding]
    return bool(min(read(c, "said_on").latest for c in left) < max(read(c, "said_on").earliest for c in right))


def _ordered(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    left, right = members[call.args["left"]], members[call.args["right"]]
    return bool(min(read(c, "id") for c in left) < max(read(c, "id") for c in right))


def _term_values(call: PredicateCall, members: Members[T], read: Read[T]) -> tuple[list[Any], list[Any]] | None:
    """The values of two field terms on different bindings; None when the terms are of another shape."""
    left, right = call.args["left"], call.args["right"]
    if not (isinstance(left, FieldRef) and isinstance(right, FieldRef)) or left.binding == right.binding:
        return None
    return (
        [read(c, left.field) for c in members[left.binding]],
        [read(c, right.field) for c in members[right.binding]],
    )


def _present(values: list[Any]) -> set[tuple[Any, ...]]:
    return {_signature(v) for v in values if v is not None}


def _equal(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    values = _term_values(call, members, read)
    return values is None or bool(_present(values[0]) & _present(values[1]))


def _not_equal(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    values = _term_values(call, members, read)
    if values is None:
        return True
    left, right = _present(values[0]), _present(values[1])
    return bool(left) and bool(right) and len(left | right) >= 2


def _numeric_difference(call: PredicateCall, members: Members[T], read: Read[T]) -> bool:
    values = _term_values(call, members, read)
    if values is None:
        return True

    def numbers(items: list[Any]) -> list[int | float]:
        found = [v for v in items if isinstance(v, int | float) and not isinstance(v, bool)]
        if any(v != v for v in found):
            raise _Unscreenable
        return found

    left, right = numbers(values[0]), numbers(values[1])
    if not left or not right:
        return False
    bound = members[call.args["left"].binding], members[call.args["right"].binding]
    if len({read(c, "qualifiers.count.unit") for group in bound for c in group} - {None}) > 1:
        raise _Unscreenable  # units that convert (100 feet against 100 m) make equal numbers differ
    tolerance = call.args["more-than"]
    # the largest gap between a left and a right value is between extremes, computed as the built-in does
    return bool(abs(max(right) - min(left)) > tolerance or abs(max(left) - min(right)) > tolerance)


PAIR_SCREENS: dict[str, PairScreen[Any]] = {
    "different-speaker": _differ_by("speaker"),
    "opposite-polarity": _differ_by("polarity"),
    "same-speaker": _same_speaker,
    "differ-in": _differ_in,
    "before": _before,
    "ordered": _ordered,
    "equal": _equal,
    "not-equal": _not_equal,
    "numeric-difference": _numeric_difference,
}


def pair_screens(rule: CompiledRule) -> list[PredicateCall]:
    """The predicates over two bindings that have a partition screen."""
    # a screen is a necessary condition of the built-in holding, so it says nothing of `not` it
    return [
        c for c in rule.predicates if c.builtin in PAIR_SCREENS and not c.negated and len(referenced_bindings(c)) == 2
    ]


def partition_may_match(calls: list[PredicateCall], members: Members[T], read: Read[T]) -> bool:
    for call in calls:
        try:
            if not PAIR_SCREENS[call.builtin](call, members, read):
                return False
        except _Unscreenable:
            continue
    return True


# The same screens over many partitions at once, where every binding may take every claim of its partition
# (no field test, no one-binding predicate): a partition is then a group of claims, and "some pair differs"
# is "the group holds two different keys". Exactly partition_may_match's verdicts, in numpy.
Columns = Callable[[str], "tuple[Any, Sequence[Any]] | None"]  # a field's (codes, distinct) or (None, values)


def groups_may_match(calls: list[PredicateCall], flat: Any, starts: Any, columns: Columns) -> Any:
    """Per group (the claims at flat[starts[g]:starts[g + 1]], every binding taking each of them), False
    where `partition_may_match` would be False; True where it would be True or a screen cannot tell here."""
    import numpy as np

    alive = np.ones(len(starts), np.bool_)
    for call in calls:
        verdict = _group_screen(call, flat, starts, columns)
        if verdict is not None:
            alive &= verdict
    return alive


_DIFFER_BY = {"different-speaker": "speaker", "opposite-polarity": "polarity"}


def _group_screen(call: PredicateCall, flat: Any, starts: Any, columns: Columns) -> Any:
    import numpy as np

    if call.builtin in _DIFFER_BY:
        ids = _key_ids(columns, _DIFFER_BY[call.builtin], flat, lambda value: value)
        return None if ids is None else _varies(ids, starts)
    if call.builtin == "differ-in":
        per_field = [_key_ids(columns, field, flat, _signature) for field in call.args["fields"]]
        if any(ids is None for ids in per_field):
            return None
        unscreenable = np.zeros(len(flat), np.bool_)
        combined = np.zeros(len(flat), np.int64)
        for ids in per_field:
            unscreenable |= ids < 0
            combined = np.unique(combined * (int(ids.max(initial=0)) + 2) + ids + 1, return_inverse=True)[1]
        return _varies(combined, starts) | np.maximum.reduceat(unscreenable, starts)
    if call.builtin == "numeric-difference":
        return _group_numeric_difference(call, flat, starts, columns)
    if call.builtin == "before":
        if call.args["left"].field != "said_on" or call.args["right"].field != "said_on":
            return None  # unscreenable: kept
        found = columns("said_on")
        if found is None or found[0] is None:
            return None
        codes, dates = found
        latest = np.array([d.latest.toordinal() for d in dates], np.int64)[codes[flat]]
        earliest = np.array([d.earliest.toordinal() for d in dates], np.int64)[codes[flat]]
        return np.minimum.reduceat(latest, starts) < np.maximum.reduceat(earliest, starts)
    return None


_EXACT = 2**52  # numbers up to this size, and their differences, are exact as floats


def _group_numeric_difference(call: PredicateCall, flat: Any, starts: Any, columns: Columns) -> Any:
    """`_numeric_difference` per group, its steps in its order: a NaN keeps the group, no number on a side
    drops it, units of more than one kind keep it, else the largest gap is compared with the tolerance."""
    import numpy as np

    left, right, tolerance = call.args["left"], call.args["right"], call.args["more-than"]
    if not (isinstance(left, FieldRef) and isinstance(right, FieldRef)) or left.binding == right.binding:
        return None
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not abs(tolerance) <= _EXACT:
        return None
    left_side, right_side = _numbers(columns, left.field, flat), _numbers(columns, right.field, flat)
    units = _key_ids(columns, "qualifiers.count.unit", flat, lambda value: value)
    if left_side is None or right_side is None or units is None:
        return None
    (lefts, left_odd), (rights, right_odd) = left_side, right_side
    low_left, high_left = np.fmin.reduceat(lefts, starts), np.fmax.reduceat(lefts, starts)
    low_right, high_right = np.fmin.reduceat(rights, starts), np.fmax.reduceat(rights, starts)
    # (no np.errstate: quiet NaNs warn of nothing, and a context variable set would free what a host froze)
    verdict = (np.abs(high_right - low_left) > tolerance) | (np.abs(high_left - low_right) > tolerance)
    empty = np.isnan(low_left) | np.isnan(low_right)
    verdict[empty] = False
    unnamed = _unit_is_none(columns, flat)
    if unnamed is None:
        return None
    lowest = np.minimum.reduceat(np.where(unnamed, np.iinfo(np.int64).max, units), starts)
    highest = np.maximum.reduceat(np.where(unnamed, -1, units), starts)
    verdict[(highest >= 0) & (lowest != highest) & ~empty] = True  # two units or more: kept
    verdict[np.maximum.reduceat(left_odd | right_odd, starts)] = True
    return verdict


def _unit_is_none(columns: Columns, flat: Any) -> Any:
    """Per claim at `flat`, whether it names no unit."""
    import numpy as np

    found = columns("qualifiers.count.unit")
    if found is None:
        return None
    codes, values = found
    if codes is not None:
        return np.array([v is None for v in values], np.bool_)[codes[flat]]
    return np.array([values[p] is None for p in flat.tolist()], np.bool_)


def _numbers(columns: Columns, field: str, flat: Any) -> tuple[Any, Any] | None:
    """Per claim at `flat`, its value as a float where it is a number (else NaN), and whether it cannot be
    screened here (a NaN, or a number too large to be exact as a float)."""
    import numpy as np

    found = columns(field)
    if found is None:
        return None
    codes, values = found
    at = codes[flat].tolist() if codes is not None else flat.tolist()
    taken = list(map(values.__getitem__, at))
    numbers = np.full(len(taken), np.nan)
    odd = np.zeros(len(taken), np.bool_)
    for i, value in enumerate(taken):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != value or not abs(value) <= _EXACT:
                odd[i] = True
            else:
                numbers[i] = value
    return numbers, odd


def _key_ids(columns: Columns, field: str, flat: Any, key: Callable[[Any], Any]) -> Any:
    """Per claim at `flat`, a number equal for two claims exactly when their `key`s are equal (-1: the key
    cannot be had, _Unscreenable); None when the field cannot be read here."""
    import numpy as np

    found = columns(field)
    if found is None:
        return None
    ids: dict[Any, int] = {}

    def number(value: Any) -> int:
        try:
            return ids.setdefault(key(value), len(ids))
        except _Unscreenable:
            return -1

    codes, values = found
    try:
        if codes is not None:  # each distinct value once
            return np.array([number(v) for v in values], np.int64)[codes[flat]]
        return np.array([number(values[p]) for p in flat.tolist()], np.int64)
    except TypeError:  # a value that is no key (unhashable)
        return None


def _varies(ids: Any, starts: Any) -> Any:
    """Per group, whether it holds two different ids."""
    import numpy as np

    return np.minimum.reduceat(ids, starts) != np.maximum.reduceat(ids, starts)
