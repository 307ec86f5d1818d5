"""Split claims into the partitions a rule is evaluated in: all bindings share the join key, so each
partition is one key value (one durable_rules session). Rules with one binding need no join and are
cut into fixed-size chunks instead."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from factcheck.compile.compiled import CompiledRule
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
