"""`unless`: a match is silent when some other claim answers its question (RuleSpec.unless).

Applied to a rule's matches after they are found, by every evaluator and by a re-run alike, so a claim
appended later silences a match kept from before. The candidates are the claims that pass the `unless`
binding's field tests and share the match's join key (the claims the rule itself could have bound
beside it); the reference evaluator looks at every claim instead (`silence_reference`), so the
differential tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    """`matches` without those some claim answers, for the rules that have an `unless`. `index`: the
    evaluation's own, whose cached masks and join columns are reused."""
    answering = {rule.id: rule for rule in rules if rule.unless is not None}
    if not answering or not any(m.rule.id in answering for m in matches):
        return matches
    index = index if index is not None else ClaimIndex(corpus.claims, corpus)
    by_rule: dict[str, dict[str, list[int]]] = {}
    kept = []
    for match in matches:
        rule = answering.get(match.rule.id)
        if rule is None:
            kept.append(match)
            continue
        if rule.id not in by_rule:
            by_rule[rule.id] = _candidates_by_key(rule, index)
        groups = by_rule[rule.id]
        taken = {c.id for c in match.claims}
        positions = sorted({p for key in _shared_keys(rule, match.claims, corpus) for p in groups.get(key, ())})
        others = (index.claim(p) for p in positions)
        if not any(_answers(rule, match.claims, other, corpus) for other in others if other.id not in taken):
            kept.append(match)
    return kept


def silence_reference(rules: Iterable[CompiledRule], matches: list[RuleMatch], corpus: Corpus) -> list[RuleMatch]:
    """`silence`, by looking at every claim of the corpus for each match (the differential tests' oracle)."""
    answering = {rule.id for rule in rules if rule.unless is not None}
    if not answering:
        return matches
    every = list(corpus.claims.values())
    return [m for m in matches if m.rule.id not in answering or answered_by(m.rule, m.claims, corpus, every) is None]


def answered_by(
    rule: CompiledRule, claims: tuple[Claim, ...], corpus: Corpus, every: list[Claim] | None = None
) -> Claim | None:
    """The first claim (in corpus order) that answers the rule's question for these bound claims, if any."""
    unless = rule.unless
    if unless is None:
        return None
    shared = set.intersection(*(set(join_values(c, rule.join, corpus.lexicon)) for c in claims))
    taken = {c.id for c in claims}
    for other in every if every is not None else corpus.claims.values():
        if (
            other.id not in taken
            and all(passes(test, other) for test in unless.binding.tests)
            and not shared.isdisjoint(join_values(other, rule.join, corpus.lexicon))
            and _answers(rule, claims, other, corpus)
        ):
            return other
    return None


def _candidates_by_key(rule: CompiledRule, index: ClaimIndex) -> dict[str, list[int]]:
    """Positions of the claims passing the `unless` binding's field tests, by partition key."""
    assert rule.unless is not None
    mask = index.passing(rule.unless.binding.tests)
    positions = list(range(index.size)) if mask is None else list(compress(range(index.size), mask))
    columns: list[tuple[Sequence[Any], bool]] = [(index.join_column(f), f == "topic") for f in rule.join]
    return group_claims(positions, columns, 1)


def _shared_keys(rule: CompiledRule, claims: tuple[Claim, ...], corpus: Corpus) -> set[str]:
    """The partition keys every claim of the match holds (the ones it could have been found in)."""
    shared = set.intersection(*(set(join_values(c, rule.join, corpus.lexicon)) for c in claims))
    return {partition_key(values) for values in shared}


def _answers(rule: CompiledRule, claims: tuple[Claim, ...], other: Claim, corpus: Corpus) -> bool:
    unless: Unless | None = rule.unless
    assert unless is not None
    bound = dict(zip(rule.binding_names, claims, strict=True))
    bound[unless.binding.name] = other
    context = Context(corpus, bound)
    return all(outcome_of(call, context).holds for call in unless.predicates)
