"""What the rule-authoring commands print: the rule list, validation findings and errors, inline test
results and a rule's explanation."""

from __future__ import annotations

import json

from tabulate import tabulate

from factcheck.compile.lint import LintFinding
from factcheck.errors import InputError
from factcheck.evaluate.explain import Explanation
from factcheck.evaluate.rule_tests import CaseResult, Tuple
from factcheck.report.safe_text import for_json, for_terminal, one_line


def render_rule_list(rows: list[list[object]]) -> str:
    """One row per rule: id, severity, title, file, inline tests, state."""
    return tabulate(
        [[for_terminal(str(cell)) for cell in row] for row in rows],
        ["id", "severity", "title", "file", "tests", "state"],
        tablefmt="simple",
        maxcolwidths=[30, None, 40, 28, None, 24],
    )


def render_findings(findings: list[LintFinding]) -> str:
    return "\n".join(one_line(str(finding)) for finding in sorted(findings))


def render_load_errors(errors: list[InputError], level: str = "error") -> str:
    """Input problems in the linter's form, `file:line:col: error: ...` (or `warning:`)."""
    return "\n".join(one_line(f"{error.location}: {level}: {error.text}") for error in errors)


def render_rule_tests_json(results: list[CaseResult]) -> str:
    document = [
        {
            "rule": r.rule,
            "case": r.case,
            "passed": r.passed,
            "todo": r.todo,
            "expected": [dict(t) for t in sorted(r.expected)],
            "actual": [dict(t) for t in sorted(r.actual)],
        }
        for r in results
    ]
    return for_json(json.dumps(document, indent=2))


def render_rule_tests_text(results: list[CaseResult]) -> str:
    lines = []
    for r in results:
        if r.todo:
            lines.append(one_line(f"TODO {r.rule}: {r.case} ({r.todo}){'' if r.passed else ' - still failing'}"))
        elif not r.passed:
            lines.append(one_line(f"FAIL {r.rule}: {r.case}"))
            lines += [one_line(f"     expected, did not fire: {_tuple(t)}") for t in r.missing]
            lines += [one_line(f"     fired, not expected:    {_tuple(t)}") for t in r.unexpected]
    failed = sum(1 for r in results if not r.passed and not r.todo)
    todo = sum(1 for r in results if r.todo)
    lines.append(f"{len(results) - failed - todo} passed, {failed} failed" + (f", {todo} todo" if todo else ""))
    return "\n".join(lines)


def _tuple(items: Tuple) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"


def render_explanation(result: Explanation) -> str:
    rule = result.rule
    lines = [
        f"rule {rule.id} ({rule.location}), join: {rule.join_label}",
        f"claims in the corpus: {result.claims_total}",
        "",
        "bindings (claims passing their field tests):",
    ]
    lines += [f"  {name:<10} {count:>6}   {tests}" for name, tests, count in result.binding_counts]
    lines += ["", "tuples surviving each stage (reference semantics):"]
    lines += [f"  {count:>6}   {stage}" for stage, count in result.stages]
    fired = result.stages[-1][1] if result.stages else 0
    lines += ["", f"fires {fired} time(s)"]
    if result.verdict:
        lines += ["", "named tuple:", *[f"  {step}" for step in result.verdict]]
    return for_terminal("\n".join(lines))
