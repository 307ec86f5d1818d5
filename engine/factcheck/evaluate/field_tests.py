"""The meaning of a binding's field tests (language/field_tests.py), in Python.

This is the single definition both evaluators agree on. durable_rules evaluates the subset marked
`in_engine` (see compile/ruleset.py) and must give the same answer; the differential tests check it.
Comparisons are type-strict (text never equals a number, a flag is not a number) and a test on a
missing field is false, whatever the operator, except `exists: false`.
"""

from __future__ import annotations

from typing import Any

from factcheck.language.field_tests import FieldTest, Operator, is_number, same_value
from factcheck.model.claim import Claim
from factcheck.model.fields import read_field


def passes(test: FieldTest, claim: Claim) -> bool:
    return passes_value(test, read_field(claim, test.field))


def passes_value(test: FieldTest, actual: Any) -> bool:
    """`passes` on a value already read off the claim (bulk paths read each field once)."""
    present = actual is not None and actual != []
    if test.op is Operator.exists:
        return present is bool(test.value)
    if not present:
        return False
    if test.op is Operator.eq:
        return same_value(actual, test.value)
    if test.op is Operator.ne:
        return not same_value(actual, test.value)
    if test.op is Operator.in_:
        return any(same_value(actual, v) for v in test.value)
    if test.op is Operator.not_in:
        return not any(same_value(actual, v) for v in test.value)
    if test.op is Operator.contains:
        return any(same_value(item, test.value) for item in actual)
    if not (is_number(actual) and is_number(test.value)):
        return False
    if test.op is Operator.lt:
        return bool(actual < test.value)
    if test.op is Operator.lte:
        return bool(actual <= test.value)
    if test.op is Operator.gt:
        return bool(actual > test.value)
    if test.op is Operator.gte:
        return bool(actual >= test.value)
    raise AssertionError(f"unknown operator {test.op}")  # compile() never lets one through
