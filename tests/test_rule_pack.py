"""Every rule of the default pack has positive and negative inline examples, and both engines agree
with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from factcheck.api import Engine
from factcheck.compile.pack import load_rules
from factcheck.evaluate.rule_tests import run_rule_tests
from factcheck.load.corpus import load_corpus

PACK = load_rules([ROOT / "rules"])
WORKSPACE = load_corpus([ROOT / "claims"])


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.id)
def test_each_rule_has_positive_and_negative_examples(rule) -> None:
    assert any(case.expect for case in rule.spec.tests), f"{rule.id} has no case that must fire"
    assert any(not case.expect for case in rule.spec.tests), f"{rule.id} has no case that must stay silent"


@pytest.mark.parametrize("engine", list(Engine))
def test_inline_examples_pass(engine: Engine) -> None:
    results = run_rule_tests(PACK, WORKSPACE, engine)
    assert len(results) == sum(len(r.spec.tests) for r in PACK.rules) >= 14
    failures = [(r.rule, r.case, r.missing, r.unexpected) for r in results if not r.passed and not r.todo]
    assert failures == []


def test_a_broken_example_is_reported_with_what_differs(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "default.yaml").read_text()
    broken = text.replace("expect: [{remote: lavrov, staff: akar}]", "expect: []", 1)
    assert broken != text
    (tmp_path / "rules.yaml").write_text(broken)
    results = run_rule_tests(load_rules([tmp_path / "rules.yaml"]), WORKSPACE, Engine.reference)
    failed = [r for r in results if not r.passed]
    assert [(r.rule, r.unexpected) for r in failed] == [
        ("remote-vs-on-site", [(("remote", "lavrov"), ("staff", "akar"))])
    ]
