"""Evaluate rules with durable_rules, in worker processes (evaluate/workers.py), inside the safe pattern."""

from __future__ import annotations

import heapq
import json
import signal
from typing import Any

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.ruleset import build_ruleset
from factcheck.errors import EngineCrash, InputError
from factcheck.evaluate.engine_facts import engine_fact, engine_fields, fact_ids, fnv1a32
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS, RuleMatch, TensionLimit, confirm, python_side_tests
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES, ClaimIndex, partitions
from factcheck.evaluate.unless import silence
from factcheck.evaluate.workers import LocalWorkers, WorkerOutput, Workers, run_worker
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
    workers: Workers | None = None,
) -> list[RuleMatch]:
    index = ClaimIndex(corpus.claims, corpus)
    plans = [partitions(rule, index, max_candidates) for rule in rules]
    return silence(rules, unique_matches(run_plans(rules, index, plans, max_tensions, workers=workers)), corpus, index)


def unique_matches(found: list[dict[str, list[RuleMatch]]]) -> list[RuleMatch]:
    """All matches once each (a tuple sharing several topics is found once per topic), sorted."""
    unique = {match.key: match for per_key in found for matches in per_key.values() for match in matches}
    return [unique[key] for key in sorted(unique)]


SessionRef = tuple[int, int]  # rule index, session index: what the worker's records name


def share_sessions(sizes: list[list[int]], slots: int, min_facts: int) -> list[list[SessionRef]]:
    """Cut a run's sessions (`sizes`: per rule, each session's facts) into at most `slots` shares of at
    least `min_facts` facts each (one share when there are fewer), balanced by facts: the largest session
    first, to the share with the fewest so far. Each share lists its sessions in run order; each is one
    worker's job."""
    refs = [(r, p) for r, per_rule in enumerate(sizes) for p in range(len(per_rule))]
    total = sum(map(sum, sizes))
    count = max(1, min(slots, len(refs), total // max(min_facts, 1)))
    if count == 1:
        return [refs] if refs else []
    loads = [(0, j) for j in range(count)]  # a heap of (facts so far, share)
    shares: list[list[SessionRef]] = [[] for _ in range(count)]
    for ref in sorted(refs, key=lambda ref: (-sizes[ref[0]][ref[1]], ref)):
        load, j = heapq.heappop(loads)
        shares[j].append(ref)
        heapq.heappush(loads, (load + sizes[ref[0]][ref[1]] + 1, j))
    return [sorted(share) for share in shares if share]


def run_plans(
    rules: list[CompiledRule],
    index: ClaimIndex,
    plans: list[list[tuple[str, list[int]]]],
    max_tensions: int = DEFAULT_MAX_TENSIONS,
    kept: list[set[tuple[str, ...]]] | None = None,
    workers: Workers | None = None,
) -> list[dict[str, list[RuleMatch]]]:
    """Evaluate planned partitions in durable_rules worker processes (`workers`: by default one share of
    the sessions per core on this machine); per rule, the confirmed matches found in each partition (by
    key). Refuses a rule whose distinct matches, with those `kept` from an earlier run, pass
    `max_tensions`. However the sessions are shared, the matches are taken in run order (rule, session,
    tuple), so the result, a refusal and its message, or a crash's message, are those of one worker."""
    corpus = index.corpus if index.corpus is not None else Corpus()
    workers = workers if workers is not None else LocalWorkers()
    limits = [TensionLimit(rule, max_tensions, kept[i] if kept else ()) for i, rule in enumerate(rules)]
    packed = [sessions(plan) for plan in plans]
    found: list[dict[str, list[RuleMatch]]] = [{} for _ in rules]
    if not any(packed):
        return found
    sizes = [[len(positions) for _, positions, _ in rule_sessions] for rule_sessions in packed]
    shares = share_sessions(sizes, workers.slots, workers.min_job_facts)
    fields: dict[int, dict[str, Any]] = {}  # a claim's engine fields, computed once for all rules

    def fields_of(position: int) -> dict[str, Any]:
        if position not in fields:
            fields[position] = engine_fields(lambda path: index.value(path, position))
        return fields[position]

    def job(share: list[SessionRef]) -> bytes:
        job_rules: list[dict[str, Any]] = []
        for rule_index, part_index in share:
            if not job_rules or job_rules[-1]["index"] != rule_index:
                job_rules.append(
                    {"index": rule_index, "ruleset": build_ruleset(rules[rule_index]), "sessions": [], "partitions": []}
                )
            _, positions, keys = packed[rule_index][part_index]
            job_rules[-1]["sessions"].append(part_index)
            job_rules[-1]["partitions"].append(
                [
                    engine_fact(fields_of(p), key, fid)
                    for p, key, fid in zip(positions, keys, fact_ids(len(positions)), strict=True)
                ]
            )
        return json.dumps({"rules": job_rules}).encode()

    def candidate(rule_index: int, part_index: int, indices: list[int]) -> RuleMatch | None:
        rule = rules[rule_index]
        positions = packed[rule_index][part_index][1]
        claims = tuple(index.claim(positions[i]) for i in indices)
        return confirm(rule, claims, corpus, extra_tests[rule_index])

    def confirmed(output: WorkerOutput) -> bytes:
        """A worker's candidates that pass every Python-side test, or why the worker failed, as JSON."""
        records, last_start, cause = _read_output(output)
        if cause is not None:
            return json.dumps({"failed": [last_start, cause]}).encode()
        passed: list[list[Any]] = []
        confirm_in_order(records, passed)
        return json.dumps({"confirmed": passed}).encode()

    def confirm_in_order(records: Records, passed: list[list[Any]]) -> None:
        """Confirm in run order, stopping where one worker would stop: at a candidate whose check raises
        (kept, so that the parent raises the same error at the same place of the run order), or once a
        rule passes the limit of tensions in this share alone (then it does in the run too, no later than
        this share's last match)."""
        share_limits = [TensionLimit(rule, max_tensions, kept[i] if kept else ()) for i, rule in enumerate(rules)]
        for r, p, tuples in records:
            for indices in tuples:
                try:
                    match = candidate(r, p, indices)
                except Exception:
                    passed.append([r, p, indices])
                    return
                if match is None:
                    continue
                passed.append([r, p, indices])
                made[r, p, tuple(indices)] = match
                try:
                    share_limits[r].add(match.key[1])
                except InputError:
                    return

    extra_tests = [python_side_tests(rule) for rule in rules]
    made: dict[tuple[int, int, tuple[int, ...]], RuleMatch] = {}  # confirmed in this process (not a child)
    if isinstance(workers, LocalWorkers):  # facts, the worker and confirmation, share by share in parallel
        results = workers.map(lambda share: confirmed(run_worker(job(share))), shares)
    else:  # the executors run the workers; this process confirms
        results = [confirmed(output) for output in workers.run([job(share) for share in shares])]
    matches = _in_run_order([json.loads(result) for result in results], rules, packed)
    for rule_index, part_index, indices in matches:
        # again here when a child confirmed it: what each built-in found, for the report (or the same error)
        match = made.get((rule_index, part_index, tuple(indices))) or candidate(rule_index, part_index, indices)
        if match is None:  # a share confirmed it on the same claims: a bug of ours, never a silent loss
            raise RuntimeError(f"a confirmed match of rule '{rules[rule_index].id}' did not hold again")
        limits[rule_index].add(match.key[1])
        keys = packed[rule_index][part_index][2]
        found[rule_index].setdefault(keys[indices[0]], []).append(match)
    return found


def _in_run_order(
    results: list[dict[str, Any]], rules: list[CompiledRule], plans: list[list[Session]]
) -> list[tuple[int, int, list[int]]]:
    """The confirmed tuples of every share in run order (rule, session, tuple), trusted only when every
    worker exited 0 and wrote `done`; otherwise the EngineCrash of the failure met first in run order (the
    session each failed worker started last)."""
    failed = [result["failed"] for result in results if "failed" in result]
    if not failed:
        return sorted(tuple(match) for result in results for match in result["confirmed"])
    last_start, cause = min(failed, key=lambda failure: (failure[0] is None, failure[0] or [0, 0]))
    where = ""
    if last_start is not None:
        rule_index, part_index = last_start
        where = f" while evaluating rule '{rules[rule_index].id}' on partition '{plans[rule_index][part_index][0]}'"
    raise EngineCrash(
        f"durable_rules {cause}{where}; nothing was reported. Re-run with --engine reference to evaluate "
        "without durable_rules, and report this input."
    )


Records = list[tuple[int, int, list[list[int]]]]  # rule index, session index, fact indices per binding


def _read_output(output: WorkerOutput) -> tuple[Records, tuple[int, int] | None, str | None]:
    """A worker's records, the session it started last, and why it failed (None when it did not)."""
    records: Records = []
    last_start: tuple[int, int] | None = None
    error = None
    done = False
    for line in output.stdout.decode(errors="replace").splitlines():
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
    if output.returncode == 0 and done:
        return records, last_start, None
    if output.returncode < 0:
        cause = f"died of {signal.Signals(-output.returncode).name}"
    else:
        last_line = output.stderr.decode(errors="replace").strip().splitlines()[-1:]
        cause = f"failed ({error or last_line or 'no output'})"
    return records, last_start, cause
