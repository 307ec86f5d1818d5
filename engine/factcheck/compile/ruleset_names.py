"""The names a compiled ruleset and the durable_rules worker share. Kept apart from ruleset.py so the
worker process starts without importing pydantic and the models (a quarter of a second per run)."""

from __future__ import annotations

TYPE_GUARD_KEY, CLAIM_TAG, SENTINEL_TAG = "_t", "c", "end"
PARTITION_KEY = "_k"
MATCH_RULE, SENTINEL_RULE = "match", "end"


def engine_binding(index: int) -> str:
    """Engine-side binding names; user names could collide with durable_rules' own (`m`, `s`)."""
    return f"b{index}"
