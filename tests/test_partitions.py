"""Partition planning's bulk steps against their plain definitions."""

from __future__ import annotations

import random
from operator import and_, or_

from factcheck.evaluate.partitions import bitwise


def test_masks_combined_at_once_are_combined_byte_by_byte() -> None:
    rng = random.Random(2)
    for size in (0, 1, 7, 8, 9, 1000):
        a = bytearray(rng.choice([0, 1]) for _ in range(size))
        b = bytearray(rng.choice([0, 1]) for _ in range(size + rng.choice([0, 3])))
        for op in (and_, or_):
            assert bitwise(op, a, b) == bytearray(map(op, a, b))
            assert bitwise(op, b, a) == bytearray(map(op, b, a))
