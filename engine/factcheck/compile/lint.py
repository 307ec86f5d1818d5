"""Semantic lint of compiled rules: conditions that can never hold together, bindings only the join
key relates, missing positive/negative examples, entity constants the corpus lacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factcheck.compile.compiled import CompiledRule
from factcheck.errors import Location
from factcheck.evaluate.field_tests import same_value
from factcheck.evaluate.terms import FieldRef
from factcheck.load.validation import did_you_mean
from factcheck.model.corpus import Corpus


@dataclass(frozen=True, order=True)
class LintFinding:
    location: Location
    level: str  # error | warning
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.level}: {self.message}"


def lint_rule(rule: CompiledRule, corpus: Corpus | None) -> list[LintFinding]:
    findings: list[LintFinding] = []

    def warn(message: str, location: Location | None = None) -> None:
        findings.append(LintFinding(location or rule.location, "warning", f"rule '{rule.id}': {message}"))

    constants = _constants(rule)
    for call in rule.predicates:
        args = call.args
        if call.builtin == "equal":
            left, right = _fixed(args["left"], constants), _fixed(args["right"], constants)
            if left is not None and right is not None and not same_value(left, right):
                warn(
                    f"'equal: [{args['left']}, {args['right']}]' can never hold: the field tests fix them "
                    f"to {left!r} and {right!r}"
                )
        if call.builtin in ("same-speaker", "different-speaker"):
            left, right = (constants.get((args[side], "speaker")) for side in ("left", "right"))
            if left is not None and right is not None and (left == right) != (call.builtin == "same-speaker"):
                warn(
                    f"'{call.builtin}: [{args['left']}, {args['right']}]' can never hold: the field tests fix "
                    f"the speakers to {left!r} and {right!r}"
                )
        if call.builtin == "opposite-polarity":
            left, right = (constants.get((args[side], "polarity")) for side in ("left", "right"))
            if left is not None and left == right:
                warn(f"'opposite-polarity: [{args['left']}, {args['right']}]' can never hold: both are {left!r}")
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
