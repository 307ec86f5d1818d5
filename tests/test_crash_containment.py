"""A crash of the C extension must not take the CLI, the data or a half-written report with it."""

from __future__ import annotations

import json

from conftest import invoke
from factcheck.evaluate.durable_worker import CRASH_HOOK


def test_a_segfault_in_the_engine_is_one_clear_error_and_no_output() -> None:
    result = invoke("run", "--format", "json", env={CRASH_HOOK: "0:0"})
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "factcheck: error: durable_rules died of SIGSEGV while evaluating rule 'presence-where-entry-denied' on "
        "partition 'turkey-russia-monitoring-center'; nothing was reported. Re-run with --engine reference to "
        "evaluate without durable_rules, and report this input."
    ]


def test_a_crash_in_a_later_rule_names_that_rule() -> None:
    result = invoke("run", env={CRASH_HOOK: "3:0"})
    assert result.exit_code == 2
    assert "rule 'weak-attribution' on partition 'chunk 0'" in result.output


def test_the_reference_engine_is_the_way_out() -> None:
    result = invoke("run", "--format", "json", "--engine", "reference", env={CRASH_HOOK: "0:0"})
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["total"] == 7
