"""The safe pattern as factcheck runs it (docs/durable_rules.md): what the worker really asks of
durable_rules during a run, how it refuses what the pattern rules out, and the 32-bit hash properties the
pattern depends on. The bug classes themselves are in test_durable_rules_safety.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from differential import build, differences
from factcheck.compile.guard import check_ruleset
from factcheck.evaluate.durable import SESSION_FACTS, evaluate_durable, sessions
from factcheck.evaluate.engine_facts import fact_ids, fnv1a32

INSTRUMENTED = Path(__file__).parent / "instrumented.py"
COLLIDING = ("c693596", "c1170850")  # two texts with one FNV-1a-32 hash (docs/durable_rules.md, H1)
SAFE_CALLS = {"set_rulesets", "assert_fact", "delete_state"}


def test_fnv1a32_is_the_engines_hash() -> None:
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C
    assert fnv1a32(COLLIDING[0]) == fnv1a32(COLLIDING[1])


def test_fact_ids_never_share_a_hash() -> None:
    """H1: the engine knows a fact by the 32-bit hash of its id alone; two ids with one hash in one
    session would lose the second fact."""
    ids = fact_ids(100_000)
    assert ids[:3] == ["f0", "f1", "f2"]
    assert len(set(ids)) == len({fnv1a32(i) for i in ids}) == len(ids)
    assert fact_ids(5) == ids[:5]  # every session uses a prefix of one sequence


def test_sessions_never_hold_two_keys_with_one_hash() -> None:
    """B1 (collision form): across the partitions packed into one session the partition join is false,
    which the engine decides by hash; two keys with one hash would make it evaluate a false join."""
    plan = [(COLLIDING[0], [0, 1]), ("other", [2, 3]), (COLLIDING[1], [4, 5]), ("last", [6, 7])]
    packed = sessions(plan)
    assert [positions for _, positions, _ in packed] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    for _, _, keys in packed:
        distinct = set(keys)
        assert len({fnv1a32(k) for k in distinct}) == len(distinct)


def test_sessions_hold_whole_partitions_of_at_most_session_facts() -> None:
    plan = [(f"k{i}", list(range(i * 300, i * 300 + 300))) for i in range(7)] + [("big", list(range(5000, 6500)))]
    packed = sessions(plan)
    assert [len(positions) for _, positions, _ in packed] == [900, 900, 300, 1500]
    assert all(len(p) <= SESSION_FACTS for _, p, keys in packed if len(set(keys)) > 1)
    assert [p for _, positions, _ in packed for p in positions] == [p for _, members in plan for p in members]


def test_colliding_partition_keys_are_evaluated_exactly() -> None:
    case = json.loads((ROOT / "tests" / "differential_regressions" / "h1-colliding-partition-keys.json").read_text())
    rules, corpus = build(case)
    assert {m.key for m in evaluate_durable(rules, corpus)} == {
        ("colliding-topics", ("c1", "c2")),
        ("colliding-topics", ("c3", "c4")),
    }
    assert differences(case) == []


def _logged_run(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(INSTRUMENTED), "cli", "--log-worker-calls", str(log), "--", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _check_calls(calls: list[dict[str, Any]]) -> dict[str, int]:
    """Assert that the worker's calls on durable_rules stay inside the pattern; returns a few counts."""
    assert {c["call"] for c in calls} <= SAFE_CALLS, "B5/B8: only set_rulesets, assert_fact and delete_state"
    live: str | None = None
    deleted: set[str] = set()
    session_ids: set[str] = set()
    session_keys: set[str] = set()
    last_fact: dict[str, Any] | None = None
    types: dict[str, set[str]] = defaultdict(set)
    counts = {"sessions": 0, "claims": 0, "rulesets": 0}

    def leaves(prefix: str, fact: dict[str, Any]) -> None:
        for key, value in fact.items():
            if isinstance(value, dict):
                leaves(f"{prefix}{key}.", value)
            else:
                types[prefix + key].add(type(value).__name__)

    for call in calls:
        if call["call"] == "set_rulesets":
            counts["rulesets"] += 1
            continue
        if call["call"] == "delete_state":
            assert call["sid"] == live, "a session is deleted once, after its own facts"
            assert last_fact == {"_t": "end", "id": "__end__", "sid": live}, "B2: the sentinel comes last"
            deleted.add(live)
            live, last_fact = None, None
            continue
        fact = call["fact"]
        sid = fact["sid"]
        assert re.fullmatch(r"p[0-9]+", sid), "H3: plain ASCII session ids"
        assert sid not in deleted, "a deleted session is never used again"
        if live is None:
            live, session_ids, session_keys = sid, set(), set()
            counts["sessions"] += 1
        assert sid == live, "H2/H5: one live session at a time"
        last_fact = fact
        if fact.get("_t") == "end":
            continue
        assert fact.get("_t") == "c", "B4: every fact carries the type guard"
        assert isinstance(fact.get("_k"), str), "B6: every fact has the partition key"
        assert fact["id"] not in session_ids and fnv1a32(fact["id"]) not in {fnv1a32(i) for i in session_ids}, "H1"
        session_ids.add(fact["id"])
        if fact["_k"] not in session_keys:
            assert fnv1a32(fact["_k"]) not in {fnv1a32(k) for k in session_keys}, "B1: keys of a session differ in hash"
            session_keys.add(fact["_k"])
        leaves("", {k: v for k, v in fact.items() if k not in ("_t", "id", "_k", "sid")})
        counts["claims"] += 1
    assert live is None, "every session ends deleted"
    for field, seen in types.items():  # B7: one type per field (numbers may be int or float)
        assert seen <= {"str"} or seen <= {"int", "float"}, (field, seen)
    return counts


@pytest.mark.parametrize(("corpus", "jobs"), [("seed", "1"), ("generated", "1"), ("generated", "2")])
def test_a_run_asks_durable_rules_only_for_the_safe_pattern(
    corpus: str, jobs: str, generated: Path, tmp_path: Path
) -> None:
    """The real workers under a real `factcheck run`, every call each makes on durable_rules' Host logged:
    each worker process keeps to the pattern on its own (with --jobs 2, two of them share the sessions)."""
    log = tmp_path / "calls.jsonl"
    claims = ["--claims", str(generated)] if corpus == "generated" else []
    result = _logged_run(log, "run", "--no-cache", "--format", "json", "--jobs", jobs, *claims)
    assert result.returncode == 0, result.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    by_worker: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_worker[call["pid"]].append(call)
    assert len(by_worker) == int(jobs)
    counts = [_check_calls(worker_calls) for worker_calls in by_worker.values()]
    for worker_calls in by_worker.values():
        registered = [name for call in worker_calls for name in call.get("rulesets", {})]
        assert len(set(registered)) == len(registered), "O4: a worker registers each rule once"
    assert len({name for call in calls for name in call.get("rulesets", {})}) >= 5
    assert sum(c["sessions"] for c in counts) >= 5 and all(c["claims"] > 0 for c in counts)
    for call in calls:  # what reached the C extension, checked again by the guard
        for ruleset in call.get("rulesets", {}).values():
            check_ruleset(ruleset)


def _worker_job(match: dict[str, Any], end: dict[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"rules": [{"ruleset": {"match": match, "end": end}, "partitions": [facts]}]}


PAIR = {"all": [{"b0": {"_t": "c"}}, {"b1": {"$and": [{"_t": "c"}, {"_k": {"b0": "_k"}}]}}]}
SENTINEL = {"all": [{"m": {"_t": "end"}}]}


def _run_worker(job: dict[str, Any], log: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(INSTRUMENTED), "worker", "--log-calls", str(log)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_worker_reports_tuples_and_deletes_each_session(tmp_path: Path) -> None:
    facts = [{"_t": "c", "id": f"f{i}", "_k": "t"} for i in range(3)]
    result = _run_worker(_worker_job(PAIR, SENTINEL, facts), tmp_path / "calls.jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0] == {"start": [0, 0]} and records[-1] == {"done": True}
    assert records[1]["tuples"] == [0, 0, [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]]]
    calls = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    assert _check_calls(calls) == {"sessions": 1, "claims": 3, "rulesets": 1}


def test_the_worker_never_deletes_a_session_whose_sentinel_did_not_fire(tmp_path: Path) -> None:
    """B2: delete_state before an action completed in the session frees uninitialised pointers."""
    needs_two = {"all": [{"m": {"_t": "end"}}, {"n": {"_t": "never"}}]}  # matched, but never fires
    result = _run_worker(_worker_job(PAIR, needs_two, [{"_t": "c", "id": "f0", "_k": "t"}]), tmp_path / "calls.jsonl")
    assert result.returncode == 3
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "error": "the partition's sentinel did not fire; refusing to delete_state (B2)"
    }
    calls = [json.loads(line)["call"] for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    assert "delete_state" not in calls


def test_a_fact_id_seen_twice_is_an_error_not_a_lost_fact(tmp_path: Path) -> None:
    """O5/H1: durable_rules drops a second fact with the same id (or id hash); the worker fails instead."""
    facts = [{"_t": "c", "id": "f0", "_k": "t"}, {"_t": "c", "id": "f0", "_k": "t"}]
    result = _run_worker(_worker_job(PAIR, SENTINEL, facts), tmp_path / "calls.jsonl")
    assert result.returncode == 3
    assert json.loads(result.stdout.splitlines()[-1]) == {"error": "fact id f0 was seen twice in one partition"}


def _session(sid: str, *facts: dict[str, Any]) -> list[dict[str, Any]]:
    sentinel = {"_t": "end", "id": "__end__", "sid": sid}
    return [{"call": "assert_fact", "fact": {**f, "sid": sid}} for f in (*facts, sentinel)] + [
        {"call": "delete_state", "sid": sid}
    ]


RULESET = [{"call": "set_rulesets"}]
GOOD = [*RULESET, *_session("p0", {"_t": "c", "id": "f0", "_k": "t", "speaker": "x"})]
CLAIM = {"_t": "c", "id": "f0", "_k": "t"}
UNDELETED = _session("p0", CLAIM)[:1]  # a claim asserted into p0, no sentinel, no delete_state


@pytest.mark.parametrize(
    ("calls", "message"),
    [
        ([*RULESET, {"call": "retract_fact", "fact": {}}], "B5/B8"),
        ([*RULESET, {"call": "assert_facts", "fact": []}], "B5/B8"),
        ([*RULESET, *_session("topic 'a'", CLAIM)], "H3"),
        ([*RULESET, *_session("p0", {"id": "f0", "_k": "t"})], "B4"),
        ([*RULESET, *_session("p0", {"_t": "c", "id": "f0"})], "B6"),
        ([*RULESET, *_session("p0", CLAIM, CLAIM)], "H1"),
        ([*RULESET, *_session("p0", *({"_t": "c", "id": f"f{i}", "_k": k} for i, k in enumerate(COLLIDING)))], "B1"),
        ([*RULESET, *UNDELETED, {"call": "delete_state", "sid": "p0"}], "B2"),
        ([*RULESET, *UNDELETED, *_session("p1")], "one live session"),
        ([*RULESET, *UNDELETED], "every session ends deleted"),
        ([*GOOD, *_session("p0")], "never used again"),
        ([*GOOD, *_session("p1", {**CLAIM, "speaker": 1})], "speaker"),
    ],
)
def test_the_call_checker_catches_what_the_pattern_rules_out(calls: list[dict[str, Any]], message: str) -> None:
    _check_calls(GOOD)
    with pytest.raises(AssertionError, match=message):
        _check_calls(calls)


def test_an_exception_in_an_action_is_reported_not_swallowed(tmp_path: Path) -> None:
    """O2: durable_rules swallows what an action raises; the worker's actions catch and report it."""
    unnamed = {"all": [{"x": {"_t": "c"}}]}  # the match action reads binding b0, which is not there
    result = _run_worker(_worker_job(unnamed, SENTINEL, [{"_t": "c", "id": "f0", "_k": "t"}]), tmp_path / "calls.jsonl")
    assert result.returncode == 3
    assert json.loads(result.stdout.splitlines()[-1]) == {"error": "match action failed: KeyError('b0')"}
