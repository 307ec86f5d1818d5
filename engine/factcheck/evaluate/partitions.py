"""Split claims into the partitions a rule is evaluated in: all bindings share the join key, so each
partition is one key value (one durable_rules session). Rules with one binding need no join and are
cut into fixed-size chunks instead."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from enum import Enum
from math import prod
from typing import Any

from factcheck.compile.compiled import CompiledRule
from factcheck.errors import InputError
from factcheck.evaluate.field_tests import FieldTest, passes_value
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


class ClaimIndex:
    """Caches over one corpus's claims, shared by every rule of an evaluation: each tested field is read
    once per claim, and each distinct field test is evaluated once."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self.claims = list(claims)
        self._columns: dict[str, list[Any]] = {}
        self._passing: dict[tuple[str, str, str], frozenset[str]] = {}

    def column(self, field: str) -> list[Any]:
        if field not in self._columns:
            head, _, tail = field.partition(".")
            if tail:  # qualifiers.<name>
                values = [getattr(getattr(c, head), tail) for c in self.claims]
            else:
                values = [getattr(c, head) for c in self.claims]
            self._columns[field] = [v.value if isinstance(v, Enum) else v for v in values]
        return self._columns[field]

    def _evaluate(self, test: FieldTest) -> frozenset[str]:
        column = self.column(test.field)
        check = _fast_check(test)
        if check is None:
            return frozenset(c.id for c, v in zip(self.claims, column, strict=True) if passes_value(test, v))
        return frozenset(c.id for c, v in zip(self.claims, column, strict=True) if check(v) is True)

    def keys(self, field: str) -> list[list[str]]:
        """Per claim, its partition key values for one join field (see `join_keys`)."""
        cache_key = f"keys:{field}"
        if cache_key not in self._columns:
            if field == "topic":
                self._columns[cache_key] = [list(dict.fromkeys(c.topics)) for c in self.claims]
            else:
                self._columns[cache_key] = [[] if v is None else [str(v)] for v in self.column(field)]
        return self._columns[cache_key]

    def admitted(self, tests: tuple[FieldTest, ...]) -> set[str] | None:
        """Ids of the claims passing all `tests`; None when there is no test (every claim)."""
        result: set[str] | None = None
        for test in tests:
            key = (test.field, test.op, json.dumps(test.value))
            if key not in self._passing:
                self._passing[key] = self._evaluate(test)
            result = set(self._passing[key]) if result is None else result & self._passing[key]
        return result


def _fast_check(test: FieldTest) -> Callable[[Any], bool] | None:
    """Plain-Python equivalents of `passes_value` for the common text tests (text equality is already
    type-strict), so a million claims are screened without a function call per test."""
    value = test.value
    if test.op == "eq" and isinstance(value, str):
        return value.__eq__
    if test.op == "ne" and isinstance(value, str):
        return lambda v: v is not None and v != [] and v != value
    if test.op in ("in", "not-in") and all(isinstance(v, str) for v in value):
        choices = frozenset(value)
        if test.op == "in":
            return lambda v: isinstance(v, str) and v in choices
        return lambda v: v is not None and v != [] and not (isinstance(v, str) and v in choices)
    if test.op == "exists":
        wanted = bool(value)
        return lambda v: (v is not None and v != []) is wanted
    return None


def partitions(
    rule: CompiledRule, claims: ClaimIndex | Iterable[Claim], limit: int = DEFAULT_MAX_CANDIDATES
) -> list[tuple[str, list[Claim]]]:
    """(key, claims) pairs in a deterministic order, holding only claims that pass at least one
    binding's engine-side field tests; partitions where some binding has no candidate are dropped.
    Refuses, before any work, a rule that would be tried on more than `limit` candidate tuples: a
    3-binding rule over a topic of 1,000 claims is 10^9 tuples, hours of work. Both engines call this,
    so they refuse the same rules."""
    index = claims if isinstance(claims, ClaimIndex) else ClaimIndex(claims)
    claims = index.claims
    admitted_ids = [index.admitted(binding.engine_tests) for binding in rule.bindings]
    if len(rule.bindings) == 1:
        only = admitted_ids[0]
        passing = claims if only is None else [c for c in claims if c.id in only]
        _check_budget(rule, len(passing), ("all claims", len(passing)), limit)
        return [(f"chunk {i // CHUNK_SIZE}", passing[i : i + CHUNK_SIZE]) for i in range(0, len(passing), CHUNK_SIZE)]
    # a claim no binding admits can never be part of a match
    union = None if any(ids is None for ids in admitted_ids) else set().union(*admitted_ids)  # type: ignore[arg-type]
    columns = [index.keys(field) for field in rule.join]
    groups: dict[str, list[Claim]] = defaultdict(list)
    for position, claim in enumerate(claims):
        if union is not None and claim.id not in union:
            continue
        if len(columns) == 1:
            keys = columns[0][position]
        else:
            keys = [""]
            for column in columns:
                keys = [f"{k}{KEY_SEPARATOR}{v}" if k else v for k in keys for v in column[position]]
        for key in keys:
            groups[key].append(claim)
    planned = []
    total, largest = 0, ("", 0)
    for key in sorted(groups):
        members = groups[key]
        if len(members) < len(rule.bindings):  # bindings take distinct claims
            continue
        product = prod(len(members) if ids is None else sum(1 for c in members if c.id in ids) for ids in admitted_ids)
        if product == 0:
            continue
        total += product
        if product > largest[1]:
            largest = (key, product)
        planned.append((key, members))
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
