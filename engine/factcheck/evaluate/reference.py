"""The reference evaluator: plain Python hash joins over the same rule model, sharing none of the
durable_rules compilation. It is the oracle of the differential tests and `--engine reference`."""

from __future__ import annotations

from collections import defaultdict
from itertools import product

from factcheck.compile.compiled import CompiledRule
from factcheck.evaluate.field_tests import passes
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS, RuleMatch, TensionLimit, confirm
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES, ClaimIndex, join_values, partitions
from factcheck.evaluate.unless import silence_reference
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus


def evaluate_reference(
    rules: list[CompiledRule],
    corpus: Corpus,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    max_tensions: int = DEFAULT_MAX_TENSIONS,
) -> list[RuleMatch]:
    found: list[RuleMatch] = []
    index = ClaimIndex(corpus.claims, corpus)
    claims = {claim.id: claim for claim in corpus.claims.values()}  # rebuilt once, for every rule
    for rule in rules:
        partitions(rule, index, max_candidates, screened=False)  # refuse, before any work, what it cannot do
        found.extend(_evaluate_rule(rule, corpus, claims, TensionLimit(rule, max_tensions)))
    return silence_reference(rules, found, corpus)


def _evaluate_rule(
    rule: CompiledRule, corpus: Corpus, claims: dict[str, Claim], limit: TensionLimit
) -> list[RuleMatch]:
    matches = []
    for ids in sorted(candidate_tuples(rule, corpus, list(claims.values()))):
        match = confirm(rule, tuple(claims[i] for i in ids), corpus, tests=())
        if match:
            limit.add(ids)
            matches.append(match)
    return matches


def candidate_tuples(rule: CompiledRule, corpus: Corpus, claims: list[Claim] | None = None) -> set[tuple[str, ...]]:
    """Tuples of distinct claims that pass every binding's field tests and share a join key (`claims`:
    the corpus's claims, when the caller has them rebuilt already)."""
    every = list(corpus.claims.values()) if claims is None else claims
    candidates = [[c for c in every if all(passes(t, c) for t in binding.tests)] for binding in rule.bindings]
    tuples: set[tuple[str, ...]] = set()
    if len(rule.bindings) == 1:
        tuples = {(c.id,) for c in candidates[0]}
    else:
        # keyed by the tuples of join values themselves, not by the engine's partition key texts: an
        # encoding of keys that let two tuples meet would show as a difference
        by_key: list[dict[tuple[str, ...], list[Claim]]] = []
        for claims in candidates[1:]:
            index: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
            for claim in claims:
                for key in join_values(claim, rule.join, corpus.lexicon):
                    index[key].append(claim)
            by_key.append(index)
        for first in candidates[0]:
            for key in join_values(first, rule.join, corpus.lexicon):
                for rest in product(*(index.get(key, []) for index in by_key)):
                    ids = (first.id, *(c.id for c in rest))
                    if len(set(ids)) == len(ids):
                        tuples.add(ids)
    return tuples
