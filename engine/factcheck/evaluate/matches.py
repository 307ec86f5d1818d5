"""A rule match: bound claims that pass every test, with what each built-in found on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.compile.compiled import CompiledRule, PredicateCall
from factcheck.evaluate.builtins import BUILTINS, Outcome
from factcheck.evaluate.field_tests import FieldTest, passes
from factcheck.evaluate.terms import Context
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus


@dataclass(frozen=True)
class RuleMatch:
    rule: CompiledRule
    claims: tuple[Claim, ...]  # in binding order
    findings: tuple[tuple[PredicateCall, Outcome], ...]

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return self.rule.id, tuple(c.id for c in self.claims)


def confirm(
    rule: CompiledRule,
    candidate: tuple[Claim, ...],
    corpus: Corpus,
    tests: Iterable[tuple[int, FieldTest]],
) -> RuleMatch | None:
    """Check the given field tests and then every built-in; None as soon as one fails."""
    for index, test in tests:
        if not passes(test, candidate[index]):
            return None
    context = Context(corpus, dict(zip(rule.binding_names, candidate, strict=True)))
    findings = []
    for call in rule.predicates:
        outcome = BUILTINS[call.builtin].fn(context, call.args)
        if not outcome.holds:
            return None
        findings.append((call, outcome))
    return RuleMatch(rule, candidate, tuple(findings))


def python_side_tests(rule: CompiledRule) -> list[tuple[int, FieldTest]]:
    """The field tests durable_rules does not evaluate, to be checked on its candidates."""
    return [(i, t) for i, b in enumerate(rule.bindings) for t in b.python_tests]
