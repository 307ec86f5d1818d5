"""A binding's field tests: the operators and the test a rule writes (`qualifiers.count: {gt: 0}`).

Their meaning (evaluate/field_tests.py) is type-strict: text never equals a number, a flag is not a
number, and a test on a missing field is false, whatever the operator, except `exists: false`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Operator(StrEnum):
    eq = "eq"
    ne = "ne"
    in_ = "in"
    not_in = "not-in"
    lt = "lt"
    lte = "lte"
    gt = "gt"
    gte = "gte"
    exists = "exists"
    contains = "contains"
    under = "under"  # predicate: {under: present-in}: the term or one declared under it (a predicate family)


OPERATORS = tuple(op.value for op in Operator)
ORDERING = (Operator.lt, Operator.lte, Operator.gt, Operator.gte)  # compare numbers only


@dataclass(frozen=True)
class FieldTest:
    field: str
    op: Operator
    value: Any
    in_engine: bool  # durable_rules evaluates it (compile/ruleset.py); the others are checked in Python

    def __str__(self) -> str:
        return f"{self.field} {self.op.value} {self.value!r}"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_value(left: Any, right: Any) -> bool:
    """The language's equality: without Python's cross-type surprises (True == 1), numbers compare as
    numbers (1 == 1.0)."""
    if is_number(left) and is_number(right):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)
