"""The durable_rules side of evaluation, run in its own process (`python -m ...durable_worker`) so a
crash of the C extension cannot take the CLI, the user's data or a half-written report with it.

Protocol: a JSON job on stdin, JSON lines on stdout. The job lists rules, each with its ruleset and its
sessions' facts ("partitions"); a worker given a share of a run's sessions (a local pool, a Spark task)
also gets each rule's index in the run ("index") and each session's ("sessions"), which its records use,
so the parent reads every worker's records as one serial run's:
  {"start": [rule, partition]}            before a partition is asserted (names the culprit of a crash)
  {"tuples": [rule, partition, [[i..]]]}  fact indices per binding, once the partition is complete
  {"error": "..."}                        a failure the engine reported; the worker then exits 3
  {"done": true}                          last line of a complete evaluation
"""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

from factcheck.compile.ruleset_names import MATCH_RULE, SENTINEL_RULE, SENTINEL_TAG, TYPE_GUARD_KEY, engine_binding


class WorkerFailure(Exception):
    pass


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def run_job(job: dict[str, Any]) -> None:
    from durable.engine import Host, MessageNotHandledException, MessageObservedException

    found: list[list[int]] = []
    ended: list[bool] = []
    errors: list[str] = []
    index_of: dict[str, int] = {}

    def on_match(c: Any) -> None:
        try:
            found.append([index_of[c._m[engine_binding(i)]["id"]] for i in range(width)])
        except Exception as exc:  # the engine swallows exceptions from actions; surface them
            errors.append(f"match action failed: {exc!r}")

    def on_end(c: Any) -> None:
        ended.append(True)

    class QuietHost(Host):  # type: ignore[misc]
        def _run(self) -> None:
            """No background dispatcher: every action runs inside assert_fact (docs/durable_rules.md, B8, O1)."""

        def get_action(self, name: str) -> Any:
            return {"match": on_match, "end": on_end}[name]

    host = QuietHost()
    sid_counter = 0
    for position, rule in enumerate(job["rules"]):
        rule_index = rule.get("index", position)
        name = f"r{rule_index}"
        ruleset = copy.deepcopy(rule["ruleset"])  # set_rulesets mutates its argument
        ruleset[MATCH_RULE]["run"] = "match"
        ruleset[SENTINEL_RULE]["run"] = "end"
        host.set_rulesets({name: ruleset})
        width = len(ruleset[MATCH_RULE]["all"])
        labels = rule.get("sessions", range(len(rule["partitions"])))
        for part_index, facts in zip(labels, rule["partitions"], strict=True):
            _emit({"start": [rule_index, part_index]})
            sid = f"p{sid_counter}"
            sid_counter += 1
            found.clear()
            ended.clear()
            index_of = {fact["id"]: i for i, fact in enumerate(facts)}
            for fact in facts:
                try:
                    state = host.assert_fact(name, {**fact, "sid": sid})
                except MessageNotHandledException:
                    continue  # the fact passes no binding's constant tests
                except MessageObservedException:
                    raise WorkerFailure(f"fact id {fact['id']} was seen twice in one partition") from None
                if isinstance(state, dict) and "exception" in state:
                    raise WorkerFailure(f"engine reported: {state['exception']}")
            host.assert_fact(name, {TYPE_GUARD_KEY: SENTINEL_TAG, "id": "__end__", "sid": sid})
            if not ended:
                raise WorkerFailure("the partition's sentinel did not fire; refusing to delete_state (B2)")
            host.delete_state(name, sid)
            if errors:
                raise WorkerFailure(errors[0])
            _emit({"tuples": [rule_index, part_index, sorted(found)]})
    _emit({"done": True})


def main() -> None:
    try:
        run_job(json.load(sys.stdin))
    except WorkerFailure as exc:
        _emit({"error": str(exc)})
        sys.exit(3)
    except Exception as exc:
        _emit({"error": f"{type(exc).__name__}: {exc}"})
        sys.exit(3)


if __name__ == "__main__":
    main()
