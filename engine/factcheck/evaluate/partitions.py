"""Split claims into the partitions a rule is evaluated in: all bindings share the join key, so each
partition is one key value (one durable_rules session). Rules with one binding need no join and are
cut into fixed-size chunks instead."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from factcheck.compile.compiled import CompiledRule
from factcheck.errors import InputError
from factcheck.evaluate.field_tests import passes
from factcheck.model.claim import Claim
from factcheck.model.fields import read_field

CHUNK_SIZE = 500


def join_keys(claim: Claim, join: str) -> list[str]:
    """The key values a claim carries for a join field; 'topic' draws on the claim's topics list."""
    if join == "topic":
        return list(dict.fromkeys(claim.topics))
    value = read_field(claim, join)
    return [] if value is None else [str(value)]


def partitions(rule: CompiledRule, claims: Iterable[Claim]) -> list[tuple[str, list[Claim]]]:
    """(key, claims) pairs in a deterministic order; partitions too small to bind every binding to a
    distinct claim are dropped."""
    claims = list(claims)
    if len(rule.bindings) == 1:
        return [(f"chunk {i // CHUNK_SIZE}", claims[i : i + CHUNK_SIZE]) for i in range(0, len(claims), CHUNK_SIZE)]
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for key in join_keys(claim, rule.spec.join):
            groups[key].append(claim)
    return [(key, groups[key]) for key in sorted(groups) if len(groups[key]) >= len(rule.bindings)]


DEFAULT_MAX_CANDIDATES = 2_000_000


def check_budget(rule: CompiledRule, plan: list[tuple[str, list[Claim]]], limit: int) -> None:
    """Refuse, before any work, a rule whose bindings would be tried on more candidate tuples than
    `limit`: a 3-binding rule over a topic of 1,000 claims is 10^9 tuples, hours of work. The count is
    the product, per partition, of the claims passing each binding's engine-side field tests; both
    engines use it, so they refuse the same rules."""
    total, largest = 0, ("", 0)
    for key, claims in plan:
        product = 1
        for binding in rule.bindings:
            tests = binding.engine_tests
            product *= sum(1 for c in claims if all(passes(t, c) for t in tests))
        total += product
        if product > largest[1]:
            largest = (key, product)
    if total > limit:
        raise InputError(
            rule.location,
            f"rule '{rule.id}' would try {total:,} candidate tuples (partition '{largest[0]}' alone {largest[1]:,}), "
            f"over the limit of {limit:,}; add field tests to its bindings or join on a more selective field, "
            "or raise --max-candidates",
        )
