"""Refuse any durable_rules ruleset JSON outside the safe pattern, before it reaches the C extension.

The compiler should never emit such JSON; this guard makes that a checked property rather than a
hope, and each bug class of docs/durable_rules.md (B1 `$neq`/`$lt` joins, B3 `$or`, B4 unguarded
bindings, arithmetic, `any`, `count`...) has a regression test that it is refused.
"""

from __future__ import annotations

from typing import Any

ALLOWED_RULE_KEYS = {"all"}
CONSTANT_OPERATORS = {"$neq", "$lt", "$lte", "$gt", "$gte"}
EXISTENCE_OPERATORS = {"$ex", "$nex"}
MAX_BINDINGS = 3


class UnsafeRuleset(ValueError):
    """The ruleset uses a construct durable_rules 2.0.28 is known to get wrong or crash on."""


def _is_constant(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _is_partition_join(condition: Any, first: str) -> bool:
    return bool(condition == {"_k": {first: "_k"}})


def _check_condition(rule: str, binding: str, condition: Any) -> None:
    where = f"rule '{rule}', binding '{binding}'"
    if not isinstance(condition, dict) or len(condition) != 1:
        raise UnsafeRuleset(f"{where}: a condition must be a one-key object, got {condition!r}")
    key, value = next(iter(condition.items()))
    if key in ("$or", "$any", "$all"):
        raise UnsafeRuleset(f"{where}: '{key}' is not allowed (B3: wrong results)")
    if key == "$and":
        raise UnsafeRuleset(f"{where}: nested '$and' is not allowed")
    if key in EXISTENCE_OPERATORS:
        if not isinstance(value, dict) or len(value) != 1:
            raise UnsafeRuleset(f"{where}: '{key}' takes one property")
        return
    if key in CONSTANT_OPERATORS:
        if not isinstance(value, dict) or len(value) != 1:
            raise UnsafeRuleset(f"{where}: '{key}' takes one property")
        operand = next(iter(value.values()))
        if not _is_constant(operand):
            raise UnsafeRuleset(f"{where}: '{key}' against a reference or expression is not allowed (B1)")
        return
    if key.startswith("$"):
        raise UnsafeRuleset(f"{where}: operator '{key}' is not allowed")
    if not _is_constant(value):
        raise UnsafeRuleset(f"{where}: only the partition join may reference another binding (B1)")


def check_ruleset(ruleset: dict[str, Any]) -> None:
    for rule_name, rule in ruleset.items():
        if not isinstance(rule, dict) or set(rule) - ALLOWED_RULE_KEYS - {"run"} or "all" not in rule:
            raise UnsafeRuleset(f"rule '{rule_name}': only 'all' is allowed (no any/count/cap/pri/dist)")
        bindings = rule["all"]
        if not isinstance(bindings, list) or not 1 <= len(bindings) <= MAX_BINDINGS:
            raise UnsafeRuleset(f"rule '{rule_name}': 'all' takes 1 to {MAX_BINDINGS} bindings")
        first = None
        for index, entry in enumerate(bindings):
            if not isinstance(entry, dict) or len(entry) != 1:
                raise UnsafeRuleset(f"rule '{rule_name}': each binding is a one-key object")
            name, pattern = next(iter(entry.items()))
            if "$" in name:
                raise UnsafeRuleset(f"rule '{rule_name}': nested groups ('{name}') are not allowed")
            first = first or name
            conditions = pattern["$and"] if isinstance(pattern, dict) and set(pattern) == {"$and"} else [pattern]
            if not isinstance(conditions, list) or not conditions:
                raise UnsafeRuleset(f"rule '{rule_name}', binding '{name}': '$and' takes a list")
            guard = conditions[0]
            if not (isinstance(guard, dict) and set(guard) == {"_t"} and isinstance(guard["_t"], str)):
                raise UnsafeRuleset(
                    f"rule '{rule_name}', binding '{name}': must start with the type guard "
                    "{'_t': ...} (B4: unguarded bindings can bind the engine's state fact)"
                )
            joins = [c for c in conditions if _is_partition_join(c, first)]
            if index == 0 and joins:
                raise UnsafeRuleset(f"rule '{rule_name}': the first binding cannot join")
            if index > 0 and (len(joins) != 1 or conditions[-1] is not joins[0]):
                raise UnsafeRuleset(
                    f"rule '{rule_name}', binding '{name}': needs exactly one partition join "
                    f"{{'_k': {{'{first}': '_k'}}}}, placed last (B1)"
                )
            for condition in conditions:
                if not _is_partition_join(condition, first):
                    _check_condition(rule_name, name, condition)
