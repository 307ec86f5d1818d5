"""The meaning of a binding's field tests, in Python.

This is the single definition both evaluators agree on. durable_rules evaluates the subset marked
`in_engine` (see compile/ruleset.py) and must give the same answer; the differential tests check it.
Comparisons are type-strict (text never equals a number, a flag is not a number) and a test on a
missing field is false, whatever the operator, except `exists: false`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factcheck.model.claim import Claim
from factcheck.model.fields import read_field

OPERATORS = ("eq", "ne", "in", "not-in", "lt", "lte", "gt", "gte", "exists", "contains")


@dataclass(frozen=True)
class FieldTest:
    field: str
    op: str
    value: Any
    in_engine: bool

    def __str__(self) -> str:
        return f"{self.field} {self.op} {self.value!r}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_value(left: Any, right: Any) -> bool:
    """Equality without Python's cross-type surprises (True == 1, 1 == 1.0 stays true for numbers)."""
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


def passes(test: FieldTest, claim: Claim) -> bool:
    return passes_value(test, read_field(claim, test.field))


def passes_value(test: FieldTest, actual: Any) -> bool:
    """`passes` on a value already read off the claim (bulk paths read each field once)."""
    present = actual is not None and actual != []
    if test.op == "exists":
        return present is bool(test.value)
    if not present:
        return False
    if test.op == "eq":
        return same_value(actual, test.value)
    if test.op == "ne":
        return not same_value(actual, test.value)
    if test.op == "in":
        return any(same_value(actual, v) for v in test.value)
    if test.op == "not-in":
        return not any(same_value(actual, v) for v in test.value)
    if test.op == "contains":
        return any(same_value(item, test.value) for item in actual)
    if not (_is_number(actual) and _is_number(test.value)):
        return False
    if test.op == "lt":
        return bool(actual < test.value)
    if test.op == "lte":
        return bool(actual <= test.value)
    if test.op == "gt":
        return bool(actual > test.value)
    if test.op == "gte":
        return bool(actual >= test.value)
    raise ValueError(f"unknown operator {test.op}")  # compile() never lets one through
