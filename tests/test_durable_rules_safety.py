"""durable_rules 2.0.28 bug classes (docs/durable_rules.md, B1-B8) as regression tests:
our compiler never emits the constructs behind them, the guard refuses them, and the pattern we do
use survives the minimal cases."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from factcheck.compile.guard import UnsafeRuleset, check_ruleset
from factcheck.compile.pack import load_rules
from factcheck.compile.ruleset import build_ruleset

REPROS = sorted((Path(__file__).parent / "durable_rules_repros").glob("*.json"))


@pytest.mark.parametrize("repro", REPROS, ids=lambda p: p.stem)
def test_guard_refuses_every_repro_ruleset(repro: Path) -> None:
    case = json.loads(repro.read_text())
    with pytest.raises(UnsafeRuleset):
        check_ruleset(case["rules"])


@pytest.mark.parametrize(
    ("ruleset", "reason"),
    [
        ({"r": {"all": [{"m": {"$and": [{"_t": "c"}, {"$or": [{"kind": "claim"}, {"$gt": {"n": 0}}]}]}}]}}, "B3"),
        ({"r": {"all": [{"m": {"$nex": {"retracted": 1}}}]}}, "B4"),
        (
            {
                "r": {
                    "all": [
                        {"a": {"_t": "c"}},
                        {"b": {"$and": [{"_t": "c"}, {"$neq": {"speaker": {"a": "speaker"}}}, {"_k": {"a": "_k"}}]}},
                    ]
                }
            },
            "B1",
        ),
        (
            {
                "r": {
                    "all": [{"a": {"_t": "c"}}, {"b": {"$and": [{"_t": "c"}, {"_k": {"a": "_k"}}, {"kind": "claim"}]}}]
                }
            },
            "placed last",
        ),
        (
            {
                "r": {
                    "all": [
                        {"a": {"_t": "c"}},
                        {
                            "b": {
                                "$and": [
                                    {"_t": "c"},
                                    {"$lte": {"count": {"$add": {"$l": {"a": "count"}, "$r": 1}}}},
                                    {"_k": {"a": "_k"}},
                                ]
                            }
                        },
                    ]
                }
            },
            "B1",
        ),
        ({"r": {"any": [{"a": {"_t": "c"}}]}}, "only 'all'"),
        ({"r": {"all": [{"a": {"_t": "c"}}], "count": 3}}, "only 'all'"),
        ({"r": {"all": [{"a$any": [{"x": {"_t": "c"}}]}]}}, "nested groups"),
    ],
)
def test_guard_names_the_bug_class(ruleset: dict, reason: str) -> None:
    with pytest.raises(UnsafeRuleset, match=reason):
        check_ruleset(ruleset)


def test_every_default_rule_compiles_inside_the_safe_pattern() -> None:
    for rule in load_rules([ROOT / "rules"]).rules:
        ruleset = build_ruleset(rule)
        check_ruleset(ruleset)
        text = json.dumps(ruleset)
        assert "$or" not in text and "$add" not in text
        for index, binding in enumerate(ruleset["match"]["all"][1:], start=1):
            conditions = binding[f"b{index}"]["$and"]
            assert conditions[0] == {"_t": "c"}
            assert conditions[-1] == {"_k": {"b0": "_k"}}


def _run_engine_script(body: str) -> subprocess.CompletedProcess[str]:
    """durable_rules in a separate interpreter, background dispatcher off (docs/durable_rules.md, O1), as the
    measurements behind docs/durable_rules.md ran it."""
    script = textwrap.dedent("""
        import json
        from durable.engine import Host, MessageNotHandledException
        fired = []
        class H(Host):
            def _run(self): pass
            def get_action(self, name):
                return lambda c: fired.append(sorted(v["id"] for k, v in c._m.items() if isinstance(v, dict)))
    """) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)


def test_or_in_constant_tests_still_fires_twice_in_the_pinned_engine() -> None:
    """B3a: why `in` lists are evaluated in Python, never as `$or`. If this starts failing, the pinned
    engine changed: re-measure before relaxing the guard."""
    result = _run_engine_script("""
        h = H()
        h.set_rulesets({"rs": {"r": {"all": [{"m": {"$or": [{"kind": "claim"}, {"$gt": {"n": 0}}]}}], "run": "x"}}})
        h.assert_fact("rs", {"id": "1", "kind": "claim", "n": 5})
        print(json.dumps(fired))
    """)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["1"], ["1"]]


def test_nested_or_skips_later_conditions_in_the_pinned_engine() -> None:
    """B3c: conditions after a nested `$or` are never checked; the speakers differ, yet it fires."""
    result = _run_engine_script("""
        h = H()
        h.set_rulesets({"rs": {"r": {"all": [{"a": {"kind": "claim"}}, {"b": {"$and": [
            {"$or": [{"topic": {"a": "topic"}}, {"kind": "x"}]}, {"speaker": {"a": "speaker"}}]}}], "run": "x"}}})
        for fact in ({"id": "c1", "kind": "claim", "topic": "t", "speaker": "x"},
                     {"id": "c2", "kind": "claim", "topic": "t", "speaker": "y"}):
            h.assert_fact("rs", fact)
        print(json.dumps(fired))
    """)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_sentinel_before_delete_state_avoids_b2() -> None:
    """B2: delete_state of a session where no action completed frees garbage; our worker always lets a
    sentinel rule fire first. Repeated to give a latent crash a chance to show."""
    result = _run_engine_script("""
        h = H()
        h.set_rulesets({"rs": {
            "r": {"all": [{"a": {"_t": "c"}}, {"b": {"$and": [{"_t": "c"}, {"_k": {"a": "_k"}}]}}], "run": "x"},
            "end": {"all": [{"m": {"_t": "end"}}], "run": "x"}}})
        for n in range(200):
            sid = f"p{n}"
            h.assert_fact("rs", {"_t": "c", "id": "f0", "_k": "t", "sid": sid})
            h.assert_fact("rs", {"_t": "end", "id": "__end__", "sid": sid})
            h.delete_state("rs", sid)
        print(len(fired))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"
