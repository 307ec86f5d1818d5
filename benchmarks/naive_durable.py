"""The naive use of durable_rules, for comparison: every claim asserted into ONE session (sid) per rule,
nothing screened out first and nothing deleted. Same rulesets, same residual checks as factcheck; what
differs is what factcheck adds: screening claims in Python, partitioning, and short-lived sessions.
Prints the number of tensions found.

    python benchmarks/naive_durable.py CLAIMS_DIR RULES_DIR
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Any

from factcheck.compile.pack import load_rules
from factcheck.compile.ruleset import build_ruleset
from factcheck.compile.ruleset_names import MATCH_RULE, SENTINEL_RULE, engine_binding
from factcheck.evaluate.engine_facts import engine_fact, engine_fields
from factcheck.evaluate.matches import confirm, python_side_tests
from factcheck.evaluate.partitions import join_keys
from factcheck.load.corpus import load_corpus
from factcheck.model.fields import read_field


def main() -> int:
    from durable.engine import Host, MessageNotHandledException, MessageObservedException

    corpus = load_corpus([Path(sys.argv[1])])
    rules = load_rules([Path(sys.argv[2])]).enabled
    found: list[list[str]] = []

    class QuietHost(Host):  # type: ignore[misc]
        def _run(self) -> None:
            pass

        def get_action(self, name: str) -> Any:
            def on_match(c: Any) -> None:
                if name == "match":
                    found.append([c._m[engine_binding(i)]["id"] for i in range(width)])

            return on_match

    host = QuietHost()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    total = lost = 0
    for number, rule in enumerate(rules):
        ruleset = build_ruleset(rule)
        ruleset[MATCH_RULE]["run"] = "match"
        ruleset[SENTINEL_RULE]["run"] = "end"
        host.set_rulesets({f"r{number}": ruleset})
        width = len(rule.bindings)
        found.clear()
        claim_of: dict[str, Any] = {}
        for position, claim in enumerate(corpus.claims.values()):
            keys = join_keys(claim, rule.join) if len(rule.bindings) > 1 else ["all"]
            for part, key in enumerate(keys):
                fact_id = f"{position}.{part}"  # a claim with several topics is one fact per topic
                claim_of[fact_id] = claim
                try:
                    fact = engine_fact(engine_fields(partial(read_field, claim)), key, fact_id)
                    host.assert_fact(f"r{number}", {**fact, "sid": "all"})
                except MessageNotHandledException:
                    pass
                except MessageObservedException:  # another id with the same 32-bit hash (docs/durable_rules.md, H1)
                    lost += 1
        for ids in found:
            candidate = tuple(claim_of[i] for i in ids)
            mark = (rule.id, tuple(c.id for c in candidate))
            if mark not in seen and confirm(rule, candidate, corpus, python_side_tests(rule)):
                seen.add(mark)
                total += 1
    print(total, lost)  # tensions found, facts the engine dropped as duplicates of a colliding id
    return 0


if __name__ == "__main__":
    sys.exit(main())
