"""`factcheck rules …` as a new user runs them, including the docs' tutorial start to finish."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, invoke, write
from factcheck.compile.pack import load_rules


def test_tutorial_add_your_first_rule(workspace: Path) -> None:
    made = invoke("rules", "new", "count-differs", cwd=workspace)
    assert made.exit_code == 0 and made.output.startswith("wrote rules/count-differs.yaml")
    rule_file = workspace / "rules" / "count-differs.yaml"
    clean = invoke("rules", "validate", "rules/count-differs.yaml", cwd=workspace)
    assert clean.exit_code == 0
    assert clean.output.strip() == "1 rule(s) in 1 file(s): no findings"

    text = rule_file.read_text()
    rule_file.write_text(text.replace("- different-speaker:", "- diferent-speaker:"))
    typo = invoke("rules", "validate", "rules/count-differs.yaml", cwd=workspace)
    assert typo.exit_code == 2  # an error, as `run` would exit for it; 1 is for lint findings
    assert typo.output.splitlines()[0] == (
        "rules/count-differs.yaml:18:9: error: rule 'count-differs': unknown built-in 'diferent-speaker'; "
        "did you mean 'different-speaker'?; built-ins: apart, attribution, before, compatible-in, counts-agree, days-apart, differ-in, "
        "different-speaker, during, "
        "equal, has-opposite, is-a, kindred, not-equal, numeric-difference, opposite-polarity, opposite-terms, ordered, "
        "overlaps, same-in, same-speaker, single-valued, time-difference, within, within-days"
    )
    rule_file.write_text(text)

    tested = invoke("rules", "test", "rules/count-differs.yaml", cwd=workspace)
    assert (tested.exit_code, tested.output.strip()) == (0, "2 passed, 0 failed")
    broken = text.replace("expect: []", "expect: [{first: c1, second: c2}]")
    rule_file.write_text(broken)
    failing = invoke("rules", "test", "rules/count-differs.yaml", cwd=workspace)
    assert failing.exit_code == 1
    assert failing.output.splitlines() == [
        "FAIL count-differs: the same count is silent",
        "     expected, did not fire: {first: c1, second: c2}",
        "1 passed, 1 failed",
    ]
    rule_file.write_text(text)

    def flagged() -> set[str]:
        out = invoke("run", "--format", "jsonl", cwd=workspace).output
        return {json.loads(line)["rule"] for line in out.splitlines() if line}

    assert "count-differs" not in flagged()  # every count on the seed article is 36
    write(
        workspace,
        "claims/extra.yaml",
        """\
claims:
  - id: other-count
    speaker: sergey-lavrov
    source: duvar-2020-12-30
    said_on: 2020-12-30
    quote: thirty-five Turkish officers
    quote_kind: indirect
    subject: turkish-monitoring-staff
    predicate: monitor
    qualifiers: {count: 35}
""",
    )
    assert "count-differs" in flagged()
    why = invoke("rules", "explain", "count-differs", cwd=workspace)
    assert "fires 3 time(s)" in why.output


def test_list_shows_every_rule_with_its_tests(workspace: Path) -> None:
    write(workspace, "factcheck.yaml", "rules:\n  exclude:\n    - {rule: position-change, reason: one article}\n")
    lines = invoke("rules", "list", cwd=workspace).output.splitlines()
    assert lines[0].split() == ["id", "severity", "title", "file", "tests", "state"]
    assert any(line.startswith("presence-where-denied") and "  4  enabled" in line for line in lines)
    assert any(line.startswith("position-change") and "excluded: one article" in line for line in lines)


def test_validate_lint_findings(workspace: Path) -> None:
    write(
        workspace,
        "rules/lint.yaml",
        """\
rules:
  - id: never-fires
    title: t
    severity: low
    join: speaker
    bindings:
      a: {speaker: russia, predicate: enter}
      b: {speaker: turkey, predicate: monitor}
      c: {}
    where:
      - equal: [a.predicate, b.predicate]
      - same-speaker: [a, b]
      - is-a: {entity: a.subject, class: turksh-peacekeepers}
    message: "{a.id}"
""",
    )
    result = invoke("rules", "validate", "rules/lint.yaml", cwd=workspace)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "rules/lint.yaml:2:5: warning: rule 'never-fires': 'equal: [a.predicate, b.predicate]' can never hold: the field tests fix them to 'enter' and 'monitor'",
        "rules/lint.yaml:2:5: warning: rule 'never-fires': 'same-speaker: [a, b]' can never hold: the field tests fix the speakers to 'russia' and 'turkey'",
        "rules/lint.yaml:2:5: warning: rule 'never-fires': binding 'c' is related to the others only by the shared 'speaker': every claim it admits pairs with every other (a cartesian product); relate it with a built-in in 'where'",
        "rules/lint.yaml:2:5: warning: rule 'never-fires': bindings join on 'speaker' but their field tests fix it to different values (russia, turkey); the rule can never fire",
        "rules/lint.yaml:2:5: warning: rule 'never-fires': no inline test expects it to fire; add one under 'tests:'",
        "rules/lint.yaml:2:5: warning: rule 'never-fires': no inline test expects it to stay silent; add one with 'expect: []'",
        "rules/lint.yaml:13:42: warning: rule 'never-fires': unknown entity 'turksh-peacekeepers'; did you mean 'turkish-peacekeepers'?",
        "1 rule(s) in 1 file(s): 7 warning(s)",
    ]


def test_validate_warns_of_conditions_that_can_never_hold(workspace: Path) -> None:
    """A built-in comparing a claim or a value with itself, and two built-ins that contradict each other,
    are warned about where they are written, with how to fix them."""
    write(
        workspace,
        "rules/never.yaml",
        """\
rules:
  - id: never
    title: t
    severity: low
    join: topic
    bindings:
      a: {}
      b: {}
    where:
      - different-speaker: [a, a]
      - same-speaker: [b, b]
      - before: {left: a, right: a}
      - differ-in: {left: b, right: b, fields: [object, qualifiers.count]}
      - not-equal: [a.qualifiers.count, a.qualifiers.count]
      - numeric-difference: {left: b.qualifiers.count, right: b.qualifiers.count}
      - equal: [a.object, b.object]
      - not-equal: [b.object, a.object]
      - ordered: [a, b]
      - ordered: [b, a]
      - same-speaker: [a, b]
      - different-speaker: [a, b]
    message: "{a.id}"
    tests:
      - {name: fires, claims: [{id: x, speaker: russia, subject: s, predicate: p}], expect: [{a: x, b: x}]}
      - {name: silent, claims: [{id: x, speaker: russia, subject: s, predicate: p}], expect: []}
""",
    )
    result = invoke("rules", "validate", "rules/never.yaml", cwd=workspace)
    assert result.exit_code == 1
    warning = "rules/never.yaml:{}: warning: rule 'never': "
    assert result.output.splitlines() == [
        warning.format("10:9") + "'different-speaker: [a, a]' can never hold: it compares claim 'a' with itself "
        "and a claim has one speaker; name two different bindings, e.g. [a, b]",
        warning.format("11:9") + "'same-speaker: [b, b]' always holds: it compares claim 'b' with itself, so it "
        "checks nothing; name two different bindings, e.g. [b, a]",
        warning.format("12:9") + "'before: [a, a]' can never hold: it compares claim 'a' with itself and no claim "
        "was said before itself; name two different bindings, e.g. [a, b]",
        warning.format("13:9") + "'differ-in: [b, b]' can never hold: it compares claim 'b' with itself and a "
        "claim does not differ from itself; name two different bindings, e.g. [b, a]",
        warning.format("14:9") + "'not-equal: [a.qualifiers.count, a.qualifiers.count]' can never hold: both "
        "sides are 'a.qualifiers.count' and a value always equals itself; compare two different fields or bindings",
        warning.format("15:9") + "'numeric-difference: [b.qualifiers.count, b.qualifiers.count]' can never hold: "
        "both sides are 'b.qualifiers.count' and a number differs from itself by 0; compare two different fields "
        "or bindings",
        warning.format("17:9") + "'equal: [a.object, b.object]' and 'not-equal: [b.object, a.object]' can never "
        "both hold, so the rule can never fire; remove one of them",
        warning.format("19:9") + "'ordered: [a, b]' and 'ordered: [b, a]' can never both hold, so the rule can "
        "never fire; remove one of them",
        warning.format("21:9") + "'same-speaker: [a, b]' and 'different-speaker: [a, b]' can never both hold, so "
        "the rule can never fire; remove one of them",
        "1 rule(s) in 1 file(s): 9 warning(s)",
    ]


def test_validate_keeps_quiet_about_conditions_that_can_hold(workspace: Path) -> None:
    """NaN differs from itself; a difference of 0 is more than a negative tolerance; different operands."""
    write(
        workspace,
        "rules/fine.yaml",
        """\
rules:
  - id: fine
    title: t
    severity: low
    join: topic
    bindings:
      a: {}
      b: {}
    where:
      - differ-in: {left: a, right: a, fields: [value]}
      - not-equal: [a.value, a.value]
      - numeric-difference: {left: a.qualifiers.count, right: a.qualifiers.count, more-than: -1}
      - before: [a, b]
      - ordered: [a, b]
      - equal: [a.object, b.object]
      - not-equal: [a.subject, b.subject]
      - same-speaker: [a, b]
    message: "{a.id}"
    tests:
      - {name: fires, claims: [{id: x, speaker: russia, subject: s, predicate: p}], expect: [{a: x, b: x}]}
      - {name: silent, claims: [{id: x, speaker: russia, subject: s, predicate: p}], expect: []}
""",
    )
    result = invoke("rules", "validate", "rules/fine.yaml", cwd=workspace)
    assert (result.exit_code, result.output.strip()) == (0, "1 rule(s) in 1 file(s): no findings")


def test_validate_exit_codes(workspace: Path) -> None:
    assert invoke("rules", "validate", cwd=workspace).exit_code == 0
    write(workspace, "rules/bad.yaml", "rules:\n  - {id: x, title: t, severity: low, bindings: {a: {}}, mesage: m}\n")
    schema = invoke("rules", "validate", "rules/bad.yaml", cwd=workspace)
    assert schema.exit_code == 2  # the same error makes `run` exit 2
    assert invoke("run", "--rules", "rules/bad.yaml", cwd=workspace).exit_code == 2
    assert (
        schema.output.splitlines()[0]
        == "rules/bad.yaml:2:57: error: rule 'x': unknown key 'mesage'; did you mean 'message'?"
    )
    write(workspace, "rules/broken.yaml", "rules: [\n")
    unreadable = invoke("rules", "validate", "rules/broken.yaml", cwd=workspace)
    assert unreadable.exit_code == 2
    assert unreadable.output.splitlines()[0].startswith("rules/broken.yaml:2:1: error: invalid YAML")


def test_validate_shows_why_claims_did_not_load(workspace: Path) -> None:
    write(
        workspace,
        "other/corpus.yaml",
        "claims:\n  - {id: c1, speaker: nobody, subject: x, predicate: y, stauts: done}\n",
    )
    named = invoke("rules", "validate", "--claims", "other", cwd=workspace)
    assert named.exit_code == 2  # claims asked for by name: their errors are the command's, as for `run`
    assert named.output.splitlines()[0].startswith("other/corpus.yaml:2:")
    assert "'stauts'" in named.output.splitlines()[0]
    write(workspace, "claims/broken.yaml", "claims: [\n")
    default = invoke("rules", "validate", cwd=workspace)
    assert default.exit_code == 0  # ./claims found by default: reported, and the rules still checked
    assert default.output.splitlines()[0].startswith("claims/broken.yaml:2:1: error: invalid YAML")
    assert "warning: the claims above could not be loaded" in default.output


def test_rule_tests_json_and_todo(workspace: Path) -> None:
    result = invoke("rules", "test", "--format", "json", "--engine", "reference", cwd=workspace)
    cases = json.loads(result.output)
    pack = load_rules([ROOT / "rules"])
    assert result.exit_code == 0 and len(cases) == sum(len(r.spec.tests) for r in pack.rules)
    assert all(c["passed"] for c in cases)
    first = cases[0]
    assert first["expected"] == first["actual"] == [{"yes": "army", "no": "gov"}]
    text = (ROOT / "docs" / "rules.md").read_text()
    block = text.split("```yaml\nrules:\n  - id: denial-then-presence")[1].split("```")[0]
    write(workspace, "rules/docs.yaml", "rules:\n  - id: denial-then-presence" + block)
    todo = invoke("rules", "test", "rules/docs.yaml", cwd=workspace)
    assert todo.exit_code == 0
    assert todo.output.splitlines() == [
        "TODO denial-then-presence: a future gap we know about (a presence reported before the denial should "
        "arguably not count) - still failing",
        "2 passed, 0 failed, 1 todo",
    ]


def test_explain_names_the_first_rejecting_condition(workspace: Path) -> None:
    result = invoke(
        "rules",
        "explain",
        "presence-where-denied",
        "denial=russia-no-turkish-peacekeepers-in-karabakh",
        "staff=akar-duty-after-center-operational",
        "site=center-on-azerbaijani-territory",
        cwd=workspace,
    )
    lines = result.output.splitlines()
    assert (
        "  denial          1   predicate in ['dispatched-to', 'enter', 'present-in', 'remain-in', 'stand-by'], "
        "polarity eq 'negated'"
    ) in lines  # `under: present-in`: the term and every term declared under it
    assert "       1   within {place: site.object, region: denial.object, answers: ['yes', 'disputed']}" in lines
    assert lines[-1] == "  REJECTED by within: azerbaijan within nagorno-karabakh: no"
    wrong = invoke("rules", "explain", "presence-where-denied", "denial=x", cwd=workspace)
    assert wrong.exit_code == 2 and "name a claim for every binding (denial, staff, site)" in wrong.output
    unknown = invoke("rules", "explain", "presense-where-denied", cwd=workspace)
    assert (
        unknown.output.strip()
        == "factcheck: error: no rule 'presense-where-denied'; did you mean 'presence-where-denied'?"
    )


def test_new_refuses_to_overwrite_and_bad_ids(workspace: Path) -> None:
    assert invoke("rules", "new", "x-rule", cwd=workspace).exit_code == 0
    again = invoke("rules", "new", "x-rule", cwd=workspace)
    assert again.exit_code == 2 and "exists already" in again.output
    assert invoke("rules", "new", "Bad Id", cwd=workspace).exit_code == 2
