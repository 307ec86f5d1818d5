"""What the screens leave for durable_rules, per rule, on a generated corpus: how many claims the
join groups hold, the largest group, and how many partitions, facts and candidate tuples are sent to
the engine (the tuples it enumerates and Python then confirms).

    python benchmarks/engine_load.py benchmarks/.data/1000000
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from tabulate import tabulate

from factcheck.compile.pack import load_rules
from factcheck.evaluate.partitions import ClaimIndex, plan_partitions
from factcheck.load.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    corpus = load_corpus([Path(sys.argv[1])])
    rules = load_rules([ROOT / "benchmarks" / "pack"]).enabled
    index = ClaimIndex(corpus.claims, corpus)
    topics = Counter(t for ts in index.column("topics") for t in set(ts))
    print(f"{len(corpus.claims):,} claims; largest topic {max(topics.values()):,} claims", file=sys.stderr)
    rows = []
    for rule in rules:
        started = time.perf_counter()
        planned = plan_partitions(rule, index)
        rows.append(
            [
                rule.id,
                rule.join_label if len(rule.bindings) > 1 else "(one binding)",
                f"{len(planned):,}",
                f"{max((len(members) for _, members, _ in planned), default=0):,}",
                f"{sum(len(members) for _, members, _ in planned):,}",
                f"{sum(product for _, _, product in planned):,}",
                f"{time.perf_counter() - started:.2f}",
            ]
        )
    headers = ["rule", "join", "partitions sent", "largest", "facts sent", "candidate tuples", "screening s"]
    print(tabulate(rows, headers, tablefmt="github"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
