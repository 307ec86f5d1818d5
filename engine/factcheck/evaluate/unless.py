"""`unless` and `requires`: another claim decides a match (RuleSpec.unless, RuleSpec.requires).

A match is silent when some claim answers its question (`unless`), or when no claim supports it
(`requires`). Applied to a rule's matches after they are found, by every evaluator and by a re-run alike,
so a claim appended later silences a match kept from before, or lets one stand. The candidates are the
claims that pass the block's binding's field tests and share the match's join key (the claims the rule
itself could have bound beside it); the reference evaluator looks at every claim instead
(`silence_reference`), so the differential tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress
from typing import Any

from factcheck.compile.compiled import CompiledRule, Unless
from factcheck.evaluate.builtins import outcome_of
from factcheck.evaluate.field_tests import passes
from factcheck.evaluate.matches import RuleMatch
from factcheck.evaluate.partitions import ClaimIndex, group_claims, join_values, partition_key
from factcheck.evaluate.terms import Context
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus


def silence(
    rules: Iterable[CompiledRule], matches: list[RuleMatch], corpus: Corpus, index: ClaimIndex | None = None
) -> list[RuleMatch]:
    """`matches` without those some claim answers (`unless`) or none supports (`requires`). `index`: the
    evaluation's own, whose cached masks and join columns are reused."""
    decided = {rule.id: rule for rule in rules if rule.witnesses}
    if not decided or not any(m.rule.id in decided for m in matches):
        return matches
    index = index if index is not None else ClaimIndex(corpus.claims, corpus)
    candidates: dict[tuple[str, bool], dict[str, list[int]]] = {}

    def found(rule: CompiledRule, match: RuleMatch, block: Unless) -> bool:
        slot = (rule.id, block is rule.unless)
        if slot not in candidates:
            candidates[slot] = _candidates_by_key(rule, block, index)
        groups = candidates[slot]
        taken = {c.id for c in match.claims}
        positions = sorted({p for key in _shared_keys(rule, match.claims, corpus) for p in groups.get(key, ())})
        others = (index.claim(p) for p in positions)
        return any(_decides(rule, block, match.claims, other, corpus) for other in others if other.id not in taken)

    kept = []
    for match in matches:
        rule = decided.get(match.rule.id)
        if rule is None or _stands(rule, partial(found, rule, match)):
            kept.append(match)
    return kept


def silence_reference(rules: Iterable[CompiledRule], matches: list[RuleMatch], corpus: Corpus) -> list[RuleMatch]:
    """`silence`, by looking at every claim of the corpus for each match (the differential tests' oracle)."""
    decided = {rule.id for rule in rules if rule.witnesses}
    if not decided:
        return matches
    every = list(corpus.claims.values())

    def found(match: RuleMatch, block: Unless) -> bool:
        return witness(match.rule, block, match.claims, corpus, every) is not None

    return [m for m in matches if m.rule.id not in decided or _stands(m.rule, partial(found, m))]


def _stands(rule: CompiledRule, found: Callable[[Unless], bool]) -> bool:
    """Whether a match stands, given `found(block)`: is there a claim that satisfies the block?"""
    if rule.unless is not None and found(rule.unless):
        return False
    return rule.requires is None or found(rule.requires)


def witness(
    rule: CompiledRule, block: Unless, claims: tuple[Claim, ...], corpus: Corpus, every: list[Claim] | None = None
) -> Claim | None:
    """The first claim (in corpus order) that satisfies the block (`rule.unless` or `rule.requires`) for
    these bound claims, if any."""
    shared = set.intersection(*(set(join_values(c, rule.join, corpus.lexicon)) for c in claims))
    taken = {c.id for c in claims}
    for other in every if every is not None else corpus.claims.values():
        if (
            other.id not in taken
            and all(passes(test, other) for test in block.binding.tests)
            and not shared.isdisjoint(join_values(other, rule.join, corpus.lexicon))
            and _decides(rule, block, claims, other, corpus)
        ):
            return other
    return None


def _candidates_by_key(rule: CompiledRule, block: Unless, index: ClaimIndex) -> dict[str, list[int]]:
    """Positions of the claims passing the block's binding's field tests, by partition key."""
    mask = index.passing(block.binding.tests)
    positions = list(range(index.size)) if mask is None else list(compress(range(index.size), mask))
    columns: list[tuple[Sequence[Any], bool]] = [(index.join_column(f), f == "topic") for f in rule.join]
    return group_claims(positions, columns, 1)


def _shared_keys(rule: CompiledRule, claims: tuple[Claim, ...], corpus: Corpus) -> set[str]:
    """The partition keys every claim of the match holds (the ones it could have been found in)."""
    shared = set.intersection(*(set(join_values(c, rule.join, corpus.lexicon)) for c in claims))
    return {partition_key(values) for values in shared}


def _decides(rule: CompiledRule, block: Unless, claims: tuple[Claim, ...], other: Claim, corpus: Corpus) -> bool:
    bound = dict(zip(rule.binding_names, claims, strict=True))
    bound[block.binding.name] = other
    context = Context(corpus, bound)
    return all(outcome_of(call, context).holds for call in block.predicates)
