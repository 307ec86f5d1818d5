"""Split claims into the partitions a rule is evaluated in: all bindings share the join key, so each
partition is one key value (one durable_rules session). Rules with one binding need no join and are
cut into fixed-size chunks instead."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from math import prod

from factcheck.compile.compiled import CompiledRule
from factcheck.errors import InputError
from factcheck.evaluate.field_tests import passes
from factcheck.model.claim import Claim
from factcheck.model.fields import read_field

CHUNK_SIZE = 500
DEFAULT_MAX_CANDIDATES = 2_000_000


KEY_SEPARATOR = " + "


def _field_keys(claim: Claim, field: str) -> list[str]:
    if field == "topic":
        return list(dict.fromkeys(claim.topics))
    value = read_field(claim, field)
    return [] if value is None else [str(value)]


def join_keys(claim: Claim, join: tuple[str, ...]) -> list[str]:
    """The partition keys a claim belongs to: one value per join field ('topic' draws on the claim's
    topics list, so a claim may sit in several partitions); none when a join field is missing."""
    keys = [""]
    for field in join:
        values = _field_keys(claim, field)
        keys = [f"{k}{KEY_SEPARATOR}{v}" if k else v for k in keys for v in values]
    return keys


def partitions(
    rule: CompiledRule, claims: Iterable[Claim], limit: int = DEFAULT_MAX_CANDIDATES
) -> list[tuple[str, list[Claim]]]:
    """(key, claims) pairs in a deterministic order, holding only claims that pass at least one
    binding's engine-side field tests; partitions where some binding has no candidate are dropped.
    Refuses, before any work, a rule that would be tried on more than `limit` candidate tuples: a
    3-binding rule over a topic of 1,000 claims is 10^9 tuples, hours of work. Both engines call this,
    so they refuse the same rules."""
    claims = list(claims)
    if len(rule.bindings) == 1:
        tests = rule.bindings[0].engine_tests
        passing = [c for c in claims if all(passes(t, c) for t in tests)]
        _check_budget(rule, len(passing), ("all claims", len(passing)), limit)
        return [(f"chunk {i // CHUNK_SIZE}", passing[i : i + CHUNK_SIZE]) for i in range(0, len(passing), CHUNK_SIZE)]
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for key in join_keys(claim, rule.join):
            groups[key].append(claim)
    planned = []
    total, largest = 0, ("", 0)
    for key in sorted(groups):
        members = groups[key]
        admitted = [{c.id for c in members if all(passes(t, c) for t in b.engine_tests)} for b in rule.bindings]
        product = prod(len(ids) for ids in admitted)
        if product == 0:
            continue
        total += product
        if product > largest[1]:
            largest = (key, product)
        relevant = set().union(*admitted)
        planned.append((key, [c for c in members if c.id in relevant]))
    _check_budget(rule, total, largest, limit)
    return planned


def _check_budget(rule: CompiledRule, total: int, largest: tuple[str, int], limit: int) -> None:
    if total > limit:
        raise InputError(
            rule.location,
            f"rule '{rule.id}' would try {total:,} candidate tuples (partition '{largest[0]}' alone {largest[1]:,}), "
            f"over the limit of {limit:,}; add field tests to its bindings or join on a more selective field, "
            "or raise --max-candidates",
        )
