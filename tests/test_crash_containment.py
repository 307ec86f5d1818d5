"""A crash of the C extension must not take the CLI, the data or a half-written report with it.

The crash is injected from outside: tests/instrumented.py runs the real `factcheck` entry point and has it
start the real durable_rules worker with its announcement of one partition followed by a SIGSEGV."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, invoke
from factcheck.review.store import ReviewStore
from factcheck.review.verdicts import Status

INSTRUMENTED = Path(__file__).parent / "instrumented.py"


# The v1 pack, frozen: which rule and partition the engine meets first must not follow rules/default.yaml.
V1_PACK = ("--rules", "benchmarks/pack")


def run_with_worker_crashing_at(where: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`factcheck ARGS` in its own process, the worker killed by SIGSEGV as it starts rule:partition."""
    return subprocess.run(
        [sys.executable, str(INSTRUMENTED), "cli", "--crash-worker-at", where, "--", *args, *V1_PACK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_segfault_in_the_engine_is_one_clear_error_and_no_output(review_db: Path) -> None:
    assert invoke("run", "--format", "json", *V1_PACK).exit_code == 0  # a first, complete run
    with ReviewStore(review_db) as store:
        store.mark(store.records()[0].fingerprint, Status.confirmed, "ana")
    before = review_db.read_bytes()
    # --no-cache: with nothing changed the kept run would be reused and the engine never started
    result = run_with_worker_crashing_at("0:0", "run", "--format", "json", "--no-cache")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "factcheck: error: durable_rules died of SIGSEGV while evaluating rule 'presence-where-entry-denied' on "
        "partition 'turkey-russia-monitoring-center'; nothing was reported. Re-run with --engine reference to "
        "evaluate without durable_rules, and report this input."
    ]
    with ReviewStore(review_db) as store:  # the crashed run left no trace; the verdict is intact
        assert store.db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
        assert [r.status for r in store.records()].count(Status.confirmed) == 1
    assert len(before) > 0


def test_a_crash_in_a_later_rule_names_that_rule() -> None:
    result = run_with_worker_crashing_at("3:0", "run", "--no-cache")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "rule 'weak-attribution' on partition 'chunk 0'" in result.stderr


def test_the_reference_engine_is_the_way_out() -> None:
    result = run_with_worker_crashing_at("0:0", "run", "--format", "json", "--engine", "reference")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["total"] == 7


def test_without_the_injected_crash_the_same_run_succeeds() -> None:
    """The crash comes from the injection alone: a partition the run never reaches changes nothing."""
    result = run_with_worker_crashing_at("0:999999", "run", "--format", "json", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["total"] == 7
