"""The vocabulary's part of evaluation: `under` field tests become the closed list of terms they stand
for in this corpus, so both engines (and the partition screens) see a plain `in` test."""

from __future__ import annotations

from dataclasses import replace

from factcheck.compile.compiled import CompiledRule
from factcheck.language.field_tests import FieldTest, Operator
from factcheck.model.vocabulary import Vocabulary


def resolve_terms(rules: list[CompiledRule], lexicon: Vocabulary) -> list[CompiledRule]:
    return [_resolve(rule, lexicon) for rule in rules]


def _resolve(rule: CompiledRule, lexicon: Vocabulary) -> CompiledRule:
    if not any(t.op is Operator.under for b in rule.bindings for t in b.tests):
        return rule
    bindings = tuple(
        replace(binding, tests=tuple(_in_family(t, lexicon) for t in binding.tests)) for binding in rule.bindings
    )
    return replace(rule, bindings=bindings)


def _in_family(test: FieldTest, lexicon: Vocabulary) -> FieldTest:
    if test.op is not Operator.under:
        return test
    return FieldTest(test.field, Operator.in_, lexicon.narrower_closure(test.value), in_engine=False)
