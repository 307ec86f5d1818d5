"""A crash of the C extension must not take the CLI, the data or a half-written report with it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import invoke
from factcheck.evaluate.durable_worker import CRASH_HOOK
from factcheck.review.store import ReviewStore
from factcheck.review.verdicts import Status


def test_a_segfault_in_the_engine_is_one_clear_error_and_no_output(review_db: Path) -> None:
    assert invoke("run", "--format", "json").exit_code == 0  # a first, complete run
    with ReviewStore(review_db) as store:
        store.mark(store.records()[0].fingerprint, Status.confirmed, "ana")
    before = review_db.read_bytes()
    # --no-cache: with nothing changed the kept run would be reused and the engine never started
    result = invoke("run", "--format", "json", "--no-cache", env={CRASH_HOOK: "0:0"})
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "factcheck: error: durable_rules died of SIGSEGV while evaluating rule 'presence-where-entry-denied' on "
        "partition 'turkey-russia-monitoring-center'; nothing was reported. Re-run with --engine reference to "
        "evaluate without durable_rules, and report this input."
    ]
    with ReviewStore(review_db) as store:  # the crashed run left no trace; the verdict is intact
        assert store.db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
        assert [r.status for r in store.records()].count(Status.confirmed) == 1
    assert len(before) > 0


def test_a_crash_in_a_later_rule_names_that_rule() -> None:
    result = invoke("run", "--no-cache", env={CRASH_HOOK: "3:0"})
    assert result.exit_code == 2
    assert "rule 'weak-attribution' on partition 'chunk 0'" in result.output


def test_the_reference_engine_is_the_way_out() -> None:
    result = invoke("run", "--format", "json", "--engine", "reference", env={CRASH_HOOK: "0:0"})
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["total"] == 7
