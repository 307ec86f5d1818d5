"""A rule match: bound claims that pass every test, with what each built-in found on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.compile.compiled import CompiledRule, PredicateCall
from factcheck.errors import InputError
from factcheck.evaluate.builtins import Outcome, outcome_of
from factcheck.evaluate.field_tests import passes
from factcheck.evaluate.terms import Context
from factcheck.language.field_tests import FieldTest
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus

# Per rule. Every tension costs time and memory to confirm, render and record, and no one reviews tens of
# thousands; the limit leaves room for the most the default pack flags on a real workload (docs/performance.md).
DEFAULT_MAX_TENSIONS = 20_000


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
        outcome = outcome_of(call, context)
        if not outcome.holds:
            return None
        findings.append((call, outcome))
    return RuleMatch(rule, candidate, tuple(findings))


def python_side_tests(rule: CompiledRule) -> list[tuple[int, FieldTest]]:
    """The field tests durable_rules does not evaluate, to be checked on its candidates."""
    return [(i, t) for i, b in enumerate(rule.bindings) for t in b.python_tests]


class TensionLimit:
    """The distinct matches (one tension each) of one rule, counted as they are confirmed, so that a
    rule over the limit is refused as soon as it passes it, before the rest are built and rendered.
    `kept`: the matches a run cache keeps, which count too."""

    def __init__(self, rule: CompiledRule, limit: int, kept: Iterable[tuple[str, ...]] = ()) -> None:
        self.rule = rule
        self.limit = limit
        self.seen: set[tuple[str, ...]] = set(kept)
        self._check()

    def add(self, ids: tuple[str, ...]) -> None:
        self.seen.add(ids)  # a tuple found in several partitions (topics) is one tension
        self._check()

    def _check(self) -> None:
        if len(self.seen) > self.limit:
            raise InputError(
                self.rule.location,
                f"rule '{self.rule.id}' produced more than {self.limit:,} tensions; a rule that flags that much "
                "is too broad: add field tests or predicates to it, or raise --max-tensions",
            )
