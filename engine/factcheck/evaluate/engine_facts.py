"""Claims as durable_rules facts: only the engine-visible fields, with normalised types, the type
guard, the partition key, and a per-partition id chosen so that no two ids share a 32-bit FNV-1a hash
(the engine identifies facts by that hash alone: docs/durable_rules.md, H1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factcheck.compile.ruleset import ENGINE_FIELDS
from factcheck.compile.ruleset_names import CLAIM_TAG, PARTITION_KEY, TYPE_GUARD_KEY

_ENGINE_PATHS = tuple(sorted(ENGINE_FIELDS))


def fnv1a32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


_LABELS: list[str] = []  # grown on demand and shared: every partition uses a prefix of it


def fact_ids(count: int) -> list[str]:
    """The first `count` labels of a fixed sequence f0, f1, ... skipping any whose hash repeats."""
    labels = _LABELS
    if len(labels) < count:
        seen = {fnv1a32(label) for label in labels}
        n = int(labels[-1][1:]) + 1 if labels else 0
        while len(labels) < count:
            label = f"f{n}"
            digest = fnv1a32(label)
            if digest not in seen:
                seen.add(digest)
                labels.append(label)
            n += 1
    return labels[:count]


def engine_fields(read: Callable[[str], Any]) -> dict[str, Any]:
    """The engine-visible fields of a claim (`read` gives a field's value as `read_field` does), as
    nested plain data (qualifiers.count -> {"qualifiers": {"count": ...}})."""
    fields: dict[str, Any] = {}
    for path in _ENGINE_PATHS:
        value = read(path)
        if value is None:
            continue
        head, _, tail = path.partition(".")
        if tail:
            fields.setdefault(head, {})[tail] = value
        else:
            fields[head] = value
    return fields


def engine_fact(fields: dict[str, Any], key: str, fact_id: str) -> dict[str, Any]:
    return {TYPE_GUARD_KEY: CLAIM_TAG, "id": fact_id, PARTITION_KEY: key, **fields}
