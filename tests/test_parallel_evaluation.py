"""Sessions shared among several durable_rules worker processes (`--jobs`, evaluate/workers.py) give what one
worker gives: the same tensions in the same order, the same refusal, the same one-line crash."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import factcheck.evaluate.durable as durable
from conftest import ROOT
from differential import build, generate_case
from factcheck.api import check
from factcheck.errors import EngineCrash, UsageError
from factcheck.evaluate.durable import _in_run_order, evaluate_durable, share_sessions
from factcheck.evaluate.reference import evaluate_reference
from factcheck.evaluate.workers import LocalWorkers, T, workers_for
from factcheck.model.claim import Claim
from factcheck.tensions.build import build_tensions

INSTRUMENTED = Path(__file__).parent / "instrumented.py"
PACK = ROOT / "benchmarks" / "pack"  # frozen: the generated corpora plant exactly what it finds


@dataclass(frozen=True)
class CountingWorkers(LocalWorkers):
    """Local workers that record how many shares each run was cut into."""

    runs: list[int] = field(default_factory=list)

    def map(self, evaluate: Callable[[T], bytes], shares: list[T]) -> list[bytes]:
        self.runs.append(len(shares))
        return super().map(evaluate, shares)


def test_sessions_are_shared_whole_balanced_and_in_run_order() -> None:
    sizes = [[900, 10, 10], [], [500, 400, 5, 5, 5]]
    shares = share_sessions(sizes, slots=2, min_facts=1)
    assert sorted(ref for share in shares for ref in share) == [
        (0, 0),
        (0, 1),
        (0, 2),
        (2, 0),
        (2, 1),
        (2, 2),
        (2, 3),
        (2, 4),
    ]
    assert all(share == sorted(share) for share in shares)
    loads = [sum(sizes[r][p] for r, p in share) for share in shares]
    assert len(shares) == 2 and max(loads) - min(loads) <= 900 - 500  # the largest session first, to the lighter job
    assert share_sessions(sizes, slots=2, min_facts=2_000) == [
        [(0, 0), (0, 1), (0, 2), (2, 0), (2, 1), (2, 2), (2, 3), (2, 4)]
    ]
    assert len(share_sessions(sizes, slots=8, min_facts=1)) == 8
    assert share_sessions([[], []], slots=2, min_facts=1) == []


def test_two_workers_agree_with_the_reference_on_random_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    """The differential cases, each run's sessions shared between two workers: identical tensions, messages,
    explanations and order to the reference evaluator's. One partition per session, so that a case with
    two partitions is already cut in two."""
    monkeypatch.setattr(durable, "SESSION_FACTS", 1)
    workers = CountingWorkers(2, min_job_facts=1)
    for seed in range(60):
        rules, corpus = build(generate_case(seed))
        found = evaluate_durable(rules, corpus, workers=workers)
        shared = [t.model_dump(mode="json") for t in build_tensions(found, corpus)]
        reference = [t.model_dump(mode="json") for t in build_tensions(evaluate_reference(rules, corpus), corpus)]
        assert shared == reference, seed
    assert Counter(workers.runs)[2] >= 8  # the cases that reach the engine at all are mostly cut in two


def test_a_generated_corpus_gives_the_same_result_with_one_or_two_workers(generated: Path, tmp_path: Path) -> None:
    results = [
        check([generated], [PACK], workers=LocalWorkers(jobs, min_job_facts=1), cache_dir=tmp_path / str(jobs))
        for jobs in (1, 2)
    ]
    one, two = ([t.model_dump(mode="json") for t in r.tensions] for r in results)
    assert one == two
    assert sum(len(t["support"]) for t in one) == 7  # the planted tensions


def test_the_tension_limit_is_refused_with_the_same_message() -> None:
    """The limit is counted in run order, so two workers stop at the same match with the same words."""
    messages = []
    for seed in range(200):
        rules, corpus = build(generate_case(seed))
        try:
            evaluate_durable(rules, corpus, max_tensions=1, workers=LocalWorkers(1))
        except Exception as exc:
            with pytest.raises(type(exc)) as shared:
                evaluate_durable(rules, corpus, max_tensions=1, workers=LocalWorkers(2, min_job_facts=1))
            assert str(shared.value) == str(exc)
            messages.append(str(exc))
        if len(messages) >= 3:
            break
    assert len(messages) >= 3 and all("produced more than 1 tensions" in m for m in messages)


def test_an_error_while_confirming_is_the_first_one_in_run_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that raises stops a share where one worker would stop; the parent raises it again in run
    order, so two workers raise what one raises, even when both shares meet an error."""
    monkeypatch.setattr(durable, "SESSION_FACTS", 1)
    real = durable.confirm
    for seed in range(200):
        rules, corpus = build(generate_case(seed))
        matches = evaluate_durable(rules, corpus, workers=LocalWorkers(1))
        if len(matches) >= 4:
            break
    chosen = {matches[0].key[1], matches[-1].key[1]}

    def raising(rule: object, candidate: tuple[Claim, ...], *args: object) -> object:
        ids = tuple(c.id for c in candidate)
        if ids in chosen:
            raise ValueError(" ".join(ids))
        return real(rule, candidate, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(durable, "confirm", raising)
    errors = []
    for workers in (LocalWorkers(1), LocalWorkers(2, min_job_facts=1)):
        with pytest.raises(ValueError) as raised:
            evaluate_durable(rules, corpus, workers=workers)
        errors.append(str(raised.value))
    assert errors[0] == errors[1]


def _crash(where: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(INSTRUMENTED), "cli", "--crash-worker-at", where, "--", "run", "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("where", ["0:0", "2:0"])
def test_a_crash_in_one_of_two_workers_is_the_one_line_error_of_one_worker(where: str, generated: Path) -> None:
    corpus = ["--claims", str(generated), "--rules", str(PACK)]
    serial, shared = _crash(where, *corpus, "--jobs", "1"), _crash(where, *corpus, "--jobs", "2")
    assert serial.returncode == shared.returncode == 2
    assert shared.stdout == ""
    assert shared.stderr == serial.stderr
    assert shared.stderr.startswith("factcheck: error: durable_rules died of SIGSEGV while evaluating rule '")


def test_of_two_failed_workers_the_first_failure_in_run_order_is_reported() -> None:
    rules, _ = build(generate_case(1))
    plans = [[("a", [0, 1])], [("b", [0, 1]), ("c", [2, 3])]]
    late = {"failed": [[1, 1], "died of SIGSEGV"]}
    early = {"failed": [[1, 0], "failed (engine reported: x)"]}
    with pytest.raises(EngineCrash) as crash:
        _in_run_order([late, early, {"confirmed": [[0, 0, [0, 1]]]}], rules, plans)  # type: ignore[arg-type]
    assert str(crash.value).startswith(
        f"durable_rules failed (engine reported: x) while evaluating rule '{rules[1].id}' on partition 'b'"
    )
    ordered = _in_run_order(
        [{"confirmed": [[1, 0, [1, 0]], [0, 2, [0, 1]]]}, {"confirmed": [[0, 2, [0, 0]]]}], rules, plans
    )
    assert ordered == [(0, 2, [0, 0]), (0, 2, [0, 1]), (1, 0, [1, 0])]


def test_a_share_whose_child_fails_is_evaluated_again_here(tmp_path: Path) -> None:
    """A forked child that dies (here: every child exits 1 at once) costs time, never a result."""
    parent = os.getpid()

    def evaluate(share: int) -> bytes:
        if os.getpid() != parent:
            (tmp_path / f"child-{share}").touch()  # the share really went to a forked child
            os._exit(1)
        return str(share * share).encode()

    assert LocalWorkers(3).map(evaluate, [1, 2, 3]) == [b"1", b"4", b"9"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child-2", "child-3"]
    assert LocalWorkers(3).map(lambda share: str(share).encode(), [1, 2, 3]) == [b"1", b"2", b"3"]


def test_a_threaded_process_evaluates_its_shares_itself(tmp_path: Path) -> None:
    """No fork beside other threads (the review page's server): a child could inherit a held lock."""
    parent, results = os.getpid(), []

    def evaluate(share: int) -> bytes:
        if os.getpid() != parent:
            (tmp_path / f"child-{share}").touch()
            os._exit(1)
        return str(share).encode()

    thread = threading.Thread(target=lambda: results.append(LocalWorkers(2).map(evaluate, [1, 2])))
    thread.start()
    thread.join()
    assert results == [[b"1", b"2"]] and list(tmp_path.iterdir()) == []


def test_jobs_is_for_this_machine_and_on_names_a_spark_master() -> None:
    assert workers_for(None, None) == LocalWorkers()
    assert workers_for(None, 3) == LocalWorkers(3, min_job_facts=1)
    with pytest.raises(UsageError, match="--jobs sets worker processes on this machine"):
        workers_for("local[2]", 2)
    with pytest.raises(UsageError, match="is not a Spark master"):
        workers_for("my-laptop", None)


def test_a_bad_on_is_one_line_and_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factcheck", "run", "--on", "ftp://x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "factcheck: error: --on 'ftp://x' is not a Spark master; give one such as local[2], spark://HOST:7077, yarn "
        "or k8s://HOST:PORT, or spark for the one spark-submit configures (docs/distributed.md)"
    ]
