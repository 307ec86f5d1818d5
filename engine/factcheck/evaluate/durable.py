"""Evaluate rules with durable_rules, in a worker process, inside the safe pattern."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from typing import Any

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.ruleset import build_ruleset
from factcheck.errors import EngineCrash
from factcheck.evaluate.engine_facts import engine_fact, engine_fields, fact_ids, fnv1a32
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS, RuleMatch, TensionLimit, confirm, python_side_tests
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES, ClaimIndex, partitions
from factcheck.model.corpus import Corpus

# Small partitions share a session (sid) up to this many facts: a session costs ~130 KB and a
# sentinel round trip, and most partitions of a large corpus hold two or three claims.
SESSION_FACTS = 1_000

Session = tuple[str, list[int], list[str]]  # label, claim positions, each claim's partition key


def sessions(plan: list[tuple[str, list[int]]]) -> list[Session]:
    """Pack whole partitions into sessions. The engine's partition join stays an equality join that is
    true within a partition; across partitions of one session it is false, which durable_rules decides
    by a 32-bit hash of the key (docs/durable_rules.md, B1: a false join is only evaluated on a hash
    collision), so the keys of one session must have distinct FNV-1a hashes. Fact ids are chosen
    collision-free per session."""
    packed: list[Session] = []
    current: list[tuple[str, list[int]]] = []
    hashes: set[int] = set()

    def close() -> None:
        if current:
            label = current[0][0] + (f" (+{len(current) - 1} more)" if len(current) > 1 else "")
            positions = [p for _, members in current for p in members]
            keys = [key for key, members in current for _ in members]
            packed.append((label, positions, keys))
            current.clear()
            hashes.clear()

    size = 0
    for key, members in plan:
        digest = fnv1a32(key)
        if current and (size + len(members) > SESSION_FACTS or digest in hashes):
            close()
            size = 0
        current.append((key, members))
        hashes.add(digest)
        size += len(members)
    close()
    return packed


def evaluate_durable(
    rules: list[CompiledRule],
    corpus: Corpus,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    max_tensions: int = DEFAULT_MAX_TENSIONS,
) -> list[RuleMatch]:
    index = ClaimIndex(corpus.claims, corpus)
    plans = [partitions(rule, index, max_candidates) for rule in rules]
    return unique_matches(run_plans(rules, index, plans, max_tensions))


def unique_matches(found: list[dict[str, list[RuleMatch]]]) -> list[RuleMatch]:
    """All matches once each (a tuple sharing several topics is found once per topic), sorted."""
    unique = {match.key: match for per_key in found for matches in per_key.values() for match in matches}
    return [unique[key] for key in sorted(unique)]


def run_plans(
    rules: list[CompiledRule],
    index: ClaimIndex,
    plans: list[list[tuple[str, list[int]]]],
    max_tensions: int = DEFAULT_MAX_TENSIONS,
    kept: list[set[tuple[str, ...]]] | None = None,
) -> list[dict[str, list[RuleMatch]]]:
    """Evaluate planned partitions in the durable_rules worker; per rule, the confirmed matches found in
    each partition (by key). Refuses a rule whose distinct matches, with those `kept` from an earlier
    run, pass `max_tensions`, as soon as they do."""
    corpus = index.corpus if index.corpus is not None else Corpus()
    limits = [TensionLimit(rule, max_tensions, kept[i] if kept else ()) for i, rule in enumerate(rules)]
    packed: list[list[Session]] = []
    job_rules: list[dict[str, Any]] = []
    fields: dict[int, dict[str, Any]] = {}  # a claim's engine fields, computed once for all rules

    def fields_of(position: int) -> dict[str, Any]:
        if position not in fields:
            fields[position] = engine_fields(lambda path: index.column(path)[position])
        return fields[position]

    for rule, plan in zip(rules, plans, strict=True):
        rule_sessions = sessions(plan)
        packed.append(rule_sessions)
        job_rules.append(
            {
                "ruleset": build_ruleset(rule),
                "partitions": [
                    [
                        engine_fact(fields_of(p), key, fid)
                        for p, key, fid in zip(positions, keys, fact_ids(len(positions)), strict=True)
                    ]
                    for _, positions, keys in rule_sessions
                ],
            }
        )
    found: list[dict[str, list[RuleMatch]]] = [{} for _ in rules]
    if not any(packed):
        return found
    for rule_index, part_index, tuples in _run_worker({"rules": job_rules}, rules, packed):
        rule = rules[rule_index]
        _, positions, keys = packed[rule_index][part_index]
        extra_tests = python_side_tests(rule)
        for indices in tuples:
            candidate = tuple(index.claim(positions[i]) for i in indices)
            match = confirm(rule, candidate, corpus, extra_tests)
            if match:
                limits[rule_index].add(match.key[1])
                found[rule_index].setdefault(keys[indices[0]], []).append(match)
    return found


def _run_worker(
    job: dict[str, Any], rules: list[CompiledRule], plans: list[list[Session]]
) -> list[tuple[int, int, list[list[int]]]]:
    proc = subprocess.run(
        [sys.executable, "-m", "factcheck.evaluate.durable_worker"],
        input=json.dumps(job).encode(),
        capture_output=True,
        check=False,
    )
    records: list[tuple[int, int, list[list[int]]]] = []
    last_start: tuple[int, int] | None = None
    error = None
    done = False
    for line in proc.stdout.decode(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # a line cut short by a crash; `done` is then missing too
            continue
        if not isinstance(record, dict):
            continue
        if "start" in record:
            last_start = (record["start"][0], record["start"][1])
        elif "tuples" in record:
            rule_index, part_index, tuples = record["tuples"]
            records.append((rule_index, part_index, tuples))
        elif "error" in record:
            error = record["error"]
        elif record.get("done"):
            done = True
    if proc.returncode == 0 and done:
        return records
    if proc.returncode < 0:
        cause = f"died of {signal.Signals(-proc.returncode).name}"
    else:
        cause = f"failed ({error or proc.stderr.decode(errors='replace').strip().splitlines()[-1:] or 'no output'})"
    where = ""
    if last_start is not None:
        rule_index, part_index = last_start
        where = f" while evaluating rule '{rules[rule_index].id}' on partition '{plans[rule_index][part_index][0]}'"
    raise EngineCrash(
        f"durable_rules {cause}{where}; nothing was reported. Re-run with --engine reference to evaluate "
        "without durable_rules, and report this input."
    )
