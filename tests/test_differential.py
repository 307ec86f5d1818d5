"""durable_rules (inside the safe pattern) and the reference evaluator must agree on random corpora and
random rules: same tensions, messages and explanations. CI runs a bounded number of cases;
scripts/differential_campaign.py runs long campaigns and saves failures to differential_regressions/."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factcheck.evaluate.partitions as partitions
from differential import build, differences, generate_case
from factcheck.evaluate.durable import evaluate_durable

REGRESSION_FOLDER = Path(__file__).parent / "differential_regressions"
REGRESSIONS = sorted(REGRESSION_FOLDER.glob("*.json"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_engines_agree_on_random_cases(seed: int) -> None:
    assert differences(generate_case(seed)) == []


def test_saved_regressions_agree() -> None:
    """Hand-made cases of the bug shapes of docs/durable_rules.md (B1, B6, B7, H1) plus any case a campaign saved."""
    assert len(REGRESSIONS) >= 2
    for path in REGRESSIONS:
        assert differences(json.loads(path.read_text())) == [], path.name


def test_generator_exercises_the_whole_language() -> None:
    """The random rules must actually reach every built-in, operator and join, or agreement means little."""
    builtins, operators, joins, fired = set(), set(), set(), 0
    from factcheck.evaluate.reference import evaluate_reference

    for seed in range(300):
        case = generate_case(seed)
        rules, corpus = build(case)
        fired += len(evaluate_reference(rules, corpus))
        for rule in build(case, resolve=False)[0]:  # as written: `under` before it becomes `in`
            joins.add(rule.join_label)
            builtins |= {p.builtin for p in rule.predicates}
            operators |= {t.op for b in rule.bindings for t in b.tests}
    from factcheck.language.builtins import SIGNATURES
    from factcheck.language.field_tests import OPERATORS

    assert builtins == set(SIGNATURES)
    assert operators == set(OPERATORS)
    assert joins == {
        "topic",
        "speaker",
        "subject",
        "predicate",
        "qualifiers.condition",
        "speaker + subject",
        "topic + predicate",
        "qualifiers.condition + qualifiers.scope",
        "predicate-family",
        "speaker + predicate-family",
    }
    assert fired > 300  # plenty of positive matches, not only empty agreement


def test_a_join_key_that_lets_two_value_tuples_meet_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys once joined values with ' + ': condition 'x + y' / scope 'z' met 'x' / 'y + z'. The reference
    engine joins on the value tuples themselves, so such an encoding shows as a difference."""
    case = json.loads((REGRESSION_FOLDER / "multi-field-join-key-collision.json").read_text())
    rules, corpus = build(case)
    found = {tuple(c.id for c in m.claims) for m in evaluate_durable(rules, corpus)}
    assert found == {("c1", "c4"), ("c4", "c1")}  # c2/c3 share values but not a speaker
    assert differences(case) == []
    monkeypatch.setattr(partitions, "group_claims", _keys_joined_with_plus(partitions.group_claims))
    assert differences(case) != []
    assert any(differences(generate_case(seed)) for seed in range(500))  # random cases catch it too


def _keys_joined_with_plus(group_claims: Any) -> Any:
    """group_claims as it was: partitions keyed by the join values joined with ' + '."""

    def grouped(positions: Any, columns: list[Any], minimum: int) -> dict[str, list[int]]:
        merged: dict[str, set[int]] = defaultdict(set)
        for key, members in group_claims(positions, columns, 1).items():
            merged[" + ".join(json.loads(key)) if len(columns) > 1 else key] |= set(members)
        return {key: sorted(members) for key, members in merged.items() if len(members) >= minimum}

    return grouped


def _dated(claim_id: str, said_on: str) -> dict[str, Any]:
    return {
        "id": claim_id,
        "speaker": "p1",
        "source": "src",
        "said_on": said_on,
        "quote": "q",
        "quote_kind": "direct",
        "subject": "g1",
        "predicate": "enter",
        "topics": ["t"],
    }


def test_approximate_dates_at_the_ends_of_the_calendar_compare_on_both_engines() -> None:
    """~0001-01-01 and ~9999-12-31 once overflowed when their 7-day slack was applied."""
    case = {
        "seed": "calendar-ends",
        "claims": [
            _dated("c1", "~0001-01-01"),
            _dated("c2", "~9999-12-31"),
            _dated("c3", "0001-01-03"),
            _dated("c4", "9999-12-31"),
        ],
        "rules": [
            {
                "id": rule_id,
                "title": "t",
                "severity": "low",
                "join": "topic",
                "bindings": {"a": {}, "b": {}},
                "where": where,
                "message": "{a.id} {b.id}",
            }
            for rule_id, where in [
                ("before", [{"before": ["a", "b"]}]),
                ("near", [{"within-days": {"left": "a", "right": "b", "days": 10}}, {"ordered": ["a", "b"]}]),
            ]
        ],
    }
    rules, corpus = build(case)
    from factcheck.evaluate.reference import evaluate_reference

    expected = {
        ("before", ("c1", "c2")),
        ("before", ("c1", "c4")),
        ("before", ("c3", "c2")),
        ("before", ("c3", "c4")),
        # c1 may be as late as 0001-01-08 and c2 as early as 9999-12-24: both pairs overlap
        ("near", ("c1", "c3")),
        ("near", ("c2", "c4")),
    }
    assert {m.key for m in evaluate_durable(rules, corpus)} == expected
    assert {m.key for m in evaluate_reference(rules, corpus)} == expected
    assert differences(case) == []
