"""Compile a checked rule into a durable_rules ruleset that stays inside the safe pattern of
docs/durable_rules.md (section 1; the labels below are its bug classes):

 - each binding tests only constants (`{f: c}`, `$neq`/`$lt`/`$lte`/`$gt`/`$gte` against a constant,
   `$ex`/`$nex`) on fields of one declared type, plus the type guard `{"_t": "c"}` (B4, B7);
 - bindings after the first carry exactly one reference condition, the partition join
   `{"_k": {"b0": "_k"}}`, placed last; it is true for every fact of a partition (B1, B3);
 - a sentinel rule lets each partition end with a completed action before `delete_state` (B2).
Everything else a rule says is checked in Python on the bound claims.
"""

from __future__ import annotations

from typing import Any

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.guard import check_ruleset
from factcheck.compile.ruleset_names import (
    CLAIM_TAG,
    MATCH_RULE,
    PARTITION_KEY,
    SENTINEL_RULE,
    SENTINEL_TAG,
    TYPE_GUARD_KEY,
    engine_binding,
)
from factcheck.language.field_tests import FieldTest
from factcheck.model.fields import FIELDS, FieldType

# Fields durable_rules may test: scalars of one declared type (docs/durable_rules.md, B7). `id` is the engine's own.
ENGINE_FIELDS = frozenset(
    {"speaker", "source", "quote_kind", "subject", "predicate", "object", "polarity", "status"}
    | {
        p
        for p, s in FIELDS.items()
        if p.startswith("qualifiers.") and not s.type.is_list and s.type is not FieldType.date
    }
)

_ORDERING = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


def _conditions(test: FieldTest) -> list[dict[str, Any]]:
    if test.op == "eq":
        return [{test.field: test.value}]
    if test.op == "exists":
        return [{("$ex" if test.value else "$nex"): {test.field: 1}}]
    if test.op in ("in", "not-in"):
        # only for closed vocabularies (compile/rule.py): the field is present and none of the excluded
        # choices; `$or` would be wrong (docs/durable_rules.md, B3), `$neq` against constants is safe
        allowed = set(test.value) if test.op == "in" else set(FIELDS[test.field].choices) - set(test.value)
        excluded = [c for c in FIELDS[test.field].choices if c not in allowed]
        return [{"$ex": {test.field: 1}}] + [{"$neq": {test.field: c}} for c in excluded]
    return [{_ORDERING[test.op]: {test.field: test.value}}]


def build_ruleset(rule: CompiledRule) -> dict[str, Any]:
    patterns = []
    for index, binding in enumerate(rule.bindings):
        conditions: list[dict[str, Any]] = [{TYPE_GUARD_KEY: CLAIM_TAG}]
        conditions += [c for t in binding.engine_tests for c in _conditions(t)]
        if index > 0:
            conditions.append({PARTITION_KEY: {engine_binding(0): PARTITION_KEY}})
        pattern = conditions[0] if len(conditions) == 1 else {"$and": conditions}
        patterns.append({engine_binding(index): pattern})
    ruleset = {
        MATCH_RULE: {"all": patterns},
        SENTINEL_RULE: {"all": [{"m": {TYPE_GUARD_KEY: SENTINEL_TAG}}]},
    }
    check_ruleset(ruleset)
    return ruleset
