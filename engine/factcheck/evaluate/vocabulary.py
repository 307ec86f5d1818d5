"""The vocabulary's part of evaluation: `under` field tests become the closed list of terms they stand
for in this corpus, so both engines (and the partition screens) see a plain `in` test. Built-ins that ask
only what the vocabulary says of a binding's predicate (`single-valued`, `has-opposite`) also add that list
as a field test: a necessary condition the column screens apply at once, where the built-in itself would be
asked claim by claim. The built-in stays, and decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from factcheck.compile.compiled import CompiledRule, Unless
from factcheck.language.field_tests import FieldTest, Operator
from factcheck.language.terms import FieldRef
from factcheck.model.vocabulary import Vocabulary

# built-in -> what it asks of one predicate term
TERM_FILTERS: dict[str, Callable[[Vocabulary, str], bool]] = {
    "single-valued": Vocabulary.single_valued,
    "has-opposite": Vocabulary.has_opposite,
}


def resolve_terms(rules: list[CompiledRule], lexicon: Vocabulary) -> list[CompiledRule]:
    return [_resolve(rule, lexicon) for rule in rules]


def _resolve(rule: CompiledRule, lexicon: Vocabulary) -> CompiledRule:
    extra: dict[str, list[FieldTest]] = {}
    for call in rule.predicates:
        ask, term = TERM_FILTERS.get(call.builtin), call.args.get("predicate")
        if ask is not None and not call.negated and isinstance(term, FieldRef) and term.field == "predicate":
            allowed = sorted(t for t in lexicon.terms if ask(lexicon, t))
            extra.setdefault(term.binding, []).append(FieldTest("predicate", Operator.in_, allowed, in_engine=False))
    if not extra and not any(t.op is Operator.under for b in rule.tested_bindings for t in b.tests):
        return rule
    bindings = tuple(
        replace(binding, tests=(*(_in_family(t, lexicon) for t in binding.tests), *extra.get(binding.name, ())))
        for binding in rule.bindings
    )
    # the claims that decide a match (`unless`, `requires`) are tested the same way
    unless, requires = (_resolve_block(block, lexicon) for block in (rule.unless, rule.requires))
    return replace(rule, bindings=bindings, unless=unless, requires=requires)


def _resolve_block(block: Unless | None, lexicon: Vocabulary) -> Unless | None:
    if block is None:
        return None
    resolved = tuple(_in_family(t, lexicon) for t in block.binding.tests)
    return replace(block, binding=replace(block.binding, tests=resolved))


def _in_family(test: FieldTest, lexicon: Vocabulary) -> FieldTest:
    if test.op is not Operator.under:
        return test
    return FieldTest(test.field, Operator.in_, lexicon.narrower_closure(test.value), in_engine=False)
