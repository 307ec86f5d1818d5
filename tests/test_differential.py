"""durable_rules (inside the safe pattern) and the reference evaluator must agree on random corpora and
random rules: same tensions, messages and explanations. CI runs a bounded number of cases;
scripts/differential_campaign.py runs long campaigns and saves failures to differential_regressions/."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from differential import differences, generate_case

REGRESSIONS = sorted((Path(__file__).parent / "differential_regressions").glob("*.json"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_engines_agree_on_random_cases(seed: int) -> None:
    assert differences(generate_case(seed)) == []


def test_saved_regressions_agree() -> None:
    """Hand-made cases of the notes' bug shapes (B1, B6, B7) plus any case a campaign saved."""
    assert len(REGRESSIONS) >= 2
    for path in REGRESSIONS:
        assert differences(json.loads(path.read_text())) == [], path.name


def test_generator_exercises_the_whole_language() -> None:
    """The random rules must actually reach every built-in, operator and join, or agreement means little."""
    builtins, operators, joins, fired = set(), set(), set(), 0
    from differential import build
    from factcheck.evaluate.reference import evaluate_reference

    for seed in range(300):
        case = generate_case(seed)
        rules, corpus = build(case)
        fired += len(evaluate_reference(rules, corpus))
        for rule in rules:
            joins.add(rule.join_label)
            builtins |= {p.builtin for p in rule.predicates}
            operators |= {t.op for b in rule.bindings for t in b.tests}
    from factcheck.evaluate.builtins import BUILTINS
    from factcheck.evaluate.field_tests import OPERATORS

    assert builtins == set(BUILTINS)
    assert operators == set(OPERATORS)
    assert joins == {
        "topic",
        "speaker",
        "subject",
        "predicate",
        "qualifiers.condition",
        "speaker + subject",
        "topic + predicate",
    }
    assert fired > 300  # plenty of positive matches, not only empty agreement
