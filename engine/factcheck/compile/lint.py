"""Semantic lint of compiled rules: conditions that can never hold together, bindings only the join
key relates, missing positive/negative examples, entity constants the corpus lacks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from factcheck.compile.compiled import CompiledRule, PredicateCall
from factcheck.errors import Location
from factcheck.language.field_tests import same_value
from factcheck.language.terms import FieldRef
from factcheck.load.validation import did_you_mean
from factcheck.model.corpus import Corpus
from factcheck.model.fields import FIELDS, FieldType


class FindingLevel(StrEnum):
    warning = "warning"  # the only level lint gives today: errors stop loading before lint runs


@dataclass(frozen=True, order=True)
class LintFinding:
    location: Location
    level: FindingLevel
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.level.value}: {self.message}"


def lint_rule(rule: CompiledRule, corpus: Corpus | None) -> list[LintFinding]:
    findings: list[LintFinding] = []

    def warn(message: str, location: Location | None = None) -> None:
        findings.append(LintFinding(location or rule.location, FindingLevel.warning, f"rule '{rule.id}': {message}"))

    constants = _constants(rule)
    # the checks below read what a built-in holding implies; under `not` it implies nothing of the kind
    for call in (c for c in rule.predicates if not c.negated):
        args = call.args
        if call.builtin == "equal":
            left, right = _fixed(args["left"], constants), _fixed(args["right"], constants)
            if left is not None and right is not None and not same_value(left, right):
                warn(
                    f"'equal: [{args['left']}, {args['right']}]' can never hold: the field tests fix them "
                    f"to {left!r} and {right!r}"
                )
        one_claim = args.get("left") == args.get("right")  # warned about below, whatever the field tests
        if call.builtin in ("same-speaker", "different-speaker") and not one_claim:
            left, right = (constants.get((args[side], "speaker")) for side in ("left", "right"))
            if left is not None and right is not None and (left == right) != (call.builtin == "same-speaker"):
                warn(
                    f"'{call.builtin}: [{args['left']}, {args['right']}]' can never hold: the field tests fix "
                    f"the speakers to {left!r} and {right!r}"
                )
        if call.builtin == "opposite-polarity" and not one_claim:
            left, right = (constants.get((args[side], "polarity")) for side in ("left", "right"))
            if left is not None and left == right:
                warn(f"'opposite-polarity: [{args['left']}, {args['right']}]' can never hold: both are {left!r}")
        same = _compared_with_itself(call, rule.binding_names)
        if same is not None:
            warn(f"'{_shown(call)}' {same}", call.location)
    for earlier, later in _contradictions(rule):
        warn(
            f"'{_shown(earlier)}' and '{_shown(later)}' can never both hold, so the rule can never fire; "
            "remove one of them",
            later.location,
        )
    if len(rule.bindings) > 1:
        for field in rule.join:
            fixed = {constants[(b.name, field)] for b in rule.bindings if (b.name, field) in constants}
            if len(fixed) > 1:
                values = ", ".join(sorted(map(str, fixed)))
                warn(
                    f"bindings join on '{field}' but their field tests fix it to different values ({values}); "
                    "the rule can never fire"
                )
    if len(rule.bindings) > 1:
        related = _related(rule)
        for binding in rule.bindings:
            if binding.name not in related:
                warn(
                    f"binding '{binding.name}' is related to the others only by the shared '{rule.join_label}': "
                    "every claim it admits pairs with every other (a cartesian product); relate it with a built-in "
                    "in 'where'"
                )
    if not any(case.expect for case in rule.spec.tests):
        warn("no inline test expects it to fire; add one under 'tests:'")
    if not any(not case.expect for case in rule.spec.tests):
        warn("no inline test expects it to stay silent; add one with 'expect: []'")
    if corpus is not None:
        for entity_id, location in rule.entity_constants:
            if entity_id not in corpus.entities:
                warn(f"unknown entity '{entity_id}'{did_you_mean(entity_id, list(corpus.entities))}", location)
    return findings


def _constants(rule: CompiledRule) -> dict[tuple[str, str], Any]:
    """(binding, field) -> the value an `eq` field test pins it to."""
    return {(b.name, t.field): t.value for b in rule.bindings for t in b.tests if t.op == "eq"}


def _fixed(term: Any, constants: dict[tuple[str, str], Any]) -> Any:
    if isinstance(term, FieldRef):
        return constants.get((term.binding, term.field))
    return term


def _related(rule: CompiledRule) -> set[str]:
    """Bindings that some built-in relates to another binding."""
    related: set[str] = set()
    for call in rule.predicates:
        names = {v for v in call.args.values() if isinstance(v, str) and v in rule.binding_names}
        names |= {v.binding for v in call.args.values() if isinstance(v, FieldRef)}
        if len(names) > 1:
            related |= names
    return related


# Built-ins that can never hold when both sides are one claim, and why; the hint says how to fix it.
_NEVER_ON_ONE_CLAIM = {
    "different-speaker": "a claim has one speaker",
    "opposite-polarity": "a claim has one polarity",
    "before": "no claim was said before itself",
    "ordered": "no claim's id sorts before itself",
    "differ-in": "a claim does not differ from itself",
}


def _compared_with_itself(call: PredicateCall, names: tuple[str, ...]) -> str | None:
    """What is wrong with a built-in that compares one binding or one value with itself, if anything."""
    left, right = call.args.get("left"), call.args.get("right")
    if call.builtin == "before" and isinstance(left, FieldRef) and left == right and left.field == "said_on":
        left = right = left.binding  # a binding stands for when it was said
    other = next((name for name in names if name != left), None)
    hint = f"name two different bindings, e.g. [{left}, {other}]" if other else "remove it"
    if isinstance(left, str) and left == right and call.builtin in _NEVER_ON_ONE_CLAIM:
        if call.builtin == "differ-in" and any(_may_be_nan(FieldRef(left, f)) for f in call.args["fields"]):
            return None  # NaN differs even from itself
        return f"can never hold: it compares claim '{left}' with itself and {_NEVER_ON_ONE_CLAIM[call.builtin]}; {hint}"
    if isinstance(left, str) and left == right and call.builtin == "same-speaker":
        return f"always holds: it compares claim '{left}' with itself, so it checks nothing; {hint}"
    if call.builtin not in ("not-equal", "numeric-difference") or not _same_term(left, right) or _may_be_nan(left):
        return None
    if call.builtin == "numeric-difference" and call.args["more-than"] < 0:
        return None  # a difference of 0 is more than a negative tolerance
    what = "a value always equals itself" if call.builtin == "not-equal" else "a number differs from itself by 0"
    return f"can never hold: both sides are '{left}' and {what}; compare two different fields or bindings"


def _contradictions(rule: CompiledRule) -> list[tuple[PredicateCall, PredicateCall]]:
    """Pairs of built-ins (earlier, later) on the same operands that can never both hold: equal and
    not-equal, same-speaker and different-speaker (either order), before or ordered both ways round."""
    found = []
    calls = [c for c in rule.predicates if not c.negated]
    for i, later in enumerate(calls):
        for earlier in calls[:i]:
            if "left" not in earlier.args or "left" not in later.args:
                continue
            left, right = earlier.args["left"], earlier.args["right"]
            straight = _same_term(left, later.args["left"]) and _same_term(right, later.args["right"])
            crossed = _same_term(left, later.args["right"]) and _same_term(right, later.args["left"])
            opposed = _OPPOSITE.get(earlier.builtin) == later.builtin and (straight or crossed)
            # `before: [a, a]` both ways round is one call twice, reported on its own above
            reversed_order = earlier.builtin == later.builtin in ("before", "ordered") and crossed and not straight
            if opposed or reversed_order:
                found.append((earlier, later))
    return found


_OPPOSITE = {
    "equal": "not-equal",
    "not-equal": "equal",
    "same-speaker": "different-speaker",
    "different-speaker": "same-speaker",
}


def _same_term(left: Any, right: Any) -> bool:
    """Whether two operands are the same field of the same binding, or equal constants."""
    if isinstance(left, FieldRef) or isinstance(right, FieldRef):
        return bool(left == right)
    return same_value(left, right)


def _may_be_nan(term: Any) -> bool:
    """NaN equals nothing, not even itself: a float constant, or a field that may hold a float."""
    if isinstance(term, FieldRef):
        return term.field in FIELDS and FIELDS[term.field].type is FieldType.scalar
    return isinstance(term, float) and term != term


def _shown(call: PredicateCall) -> str:
    return f"{call.builtin}: [{_as_written(call.args['left'])}, {_as_written(call.args['right'])}]"


def _as_written(term: Any) -> Any:
    """A moment argument as a rule writes it: a bare binding stands for when it was said."""
    return term.binding if isinstance(term, FieldRef) and term.field == "said_on" else term
