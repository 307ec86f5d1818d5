"""`not:` in `where`: the item holds when its built-in does not. Both engines agree with inline cases, the
partition screens leave a negated built-in alone, explanations name it, and a mistake is reported at its place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from factcheck.api import Engine
from factcheck.compile.pack import load_rules
from factcheck.evaluate.rule_tests import run_rule_tests
from factcheck.load.corpus import load_corpus

PACK = """\
test_entities:
  - {id: p1, name: Health Ministry, kind: institution}
  - {id: p2, name: The Daily, kind: outlet}
  - {id: dead, name: the dead, kind: group}
vocabulary:
  - {id: number, label: numbers, single_valued: true}
rules:
  - id: same-hour-count-conflict
    title: Two figures for one count of one day, not given hours apart
    severity: high
    join: [subject, predicate]
    bindings:
      first: {qualifiers.count: {exists: true}}
      second: {qualifiers.count: {exists: true}}
    where:
      - ordered: [first, second]
      - different-speaker: [first, second]
      - days-apart: [first.when, second.when]
      - not: {time-difference: {left: first.when, right: second.when, more-than: 60}}
      - not-equal: [first.qualifiers.count, second.qualifiers.count]
    message: "{first.qualifiers.count} against {second.qualifiers.count} ({why.time-difference})"
    tests:
      - name: same day, no hours
        claims:
          - {id: a, speaker: p1, subject: dead, predicate: number, when: 2020-08-04, qualifiers: {count: 50}}
          - {id: b, speaker: p2, subject: dead, predicate: number, when: 2020-08-04, qualifiers: {count: 78}}
        expect: [{first: a, second: b}]
      - name: same day, hours apart (the count moved)
        claims:
          - {id: a, speaker: p1, subject: dead, predicate: number, when: 2020-08-04T10:00, qualifiers: {count: 50}}
          - {id: b, speaker: p2, subject: dead, predicate: number, when: 2020-08-04T18:25, qualifiers: {count: 78}}
        expect: []
      - name: same day, the same hour
        claims:
          - {id: a, speaker: p1, subject: dead, predicate: number, when: 2020-08-04T18:00, qualifiers: {count: 50}}
          - {id: b, speaker: p2, subject: dead, predicate: number, when: '~2020-08-04T18:30', qualifiers: {count: 78}}
        expect: [{first: a, second: b}]
  - id: different-count-same-speaker-set
    title: A negated pair built-in with a partition screen (the screen must not apply)
    severity: low
    join: subject
    bindings:
      first: {qualifiers.count: {exists: true}}
      second: {qualifiers.count: {exists: true}}
    where:
      - ordered: [first, second]
      - not: {different-speaker: [first, second]}
      - not: {equal: [first.qualifiers.count, second.qualifiers.count]}
    message: "{first.speaker} gives two figures"
    tests:
      - name: one speaker, two figures
        claims:
          - {id: a, speaker: p1, subject: dead, predicate: number, qualifiers: {count: 50}}
          - {id: b, speaker: p1, subject: dead, predicate: number, qualifiers: {count: 78}}
        expect: [{first: a, second: b}]
      - name: one speaker, one figure twice
        claims:
          - {id: a, speaker: p1, subject: dead, predicate: number, qualifiers: {count: 50}}
          - {id: b, speaker: p1, subject: dead, predicate: number, qualifiers: {count: 50}}
        expect: []
"""


@pytest.fixture
def pack_file(tmp_path: Path) -> Path:
    path = tmp_path / "not.yaml"
    path.write_text(PACK)
    return path


@pytest.mark.parametrize("engine", list(Engine))
def test_both_engines_pass_the_inline_cases(pack_file: Path, engine: Engine) -> None:
    pack = load_rules([pack_file])
    assert [c.negated for c in pack.rules[0].predicates] == [False, False, False, True, False]
    results = run_rule_tests(pack, load_corpus([ROOT / "claims"]), engine)
    assert len(results) == 5
    assert [(r.case, r.missing, r.unexpected) for r in results if not r.passed] == []


def test_explain_names_the_negated_built_in(pack_file: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        "sources: [{id: s, outlet: The Daily, title: t, url: 'https://example.org/a', published: 2020-08-04}]\n"
        "entities: [{id: p1, name: Ministry, kind: institution}, {id: p2, name: Daily, kind: outlet},"
        " {id: dead, name: the dead, kind: group}]\n"
        "vocabulary: [{id: number, label: numbers}]\n"
        "claims:\n"
        + "".join(
            f"  - {{id: {i}, speaker: {who}, subject: dead, predicate: number, when: 2020-08-04T{at}, source: s,"
            f" said_on: 2020-08-04, quote: q, quote_kind: paraphrase, qualifiers: {{count: {n}}}}}\n"
            for i, who, at, n in (("a", "p1", "10:00", 50), ("b", "p2", "18:25", 78))
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", "rules", "explain", "same-hour-count-conflict", "--rules", str(pack_file),
         "--claims", str(claims), "first=a", "second=b"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "REJECTED by not time-difference: not (" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("- not: [different-speaker]", "'not' takes one built-in"),
        ("- not: {not: {different-speaker: [first, second]}}", "another 'not' (leave both out)"),
        ("- not: {different-speakers: [first, second]}", "unknown built-in 'different-speakers'; did you mean"),
        ("- not: {different-speaker: [first, third]}", "must be a binding (first, second); got 'third'"),
    ],
)
def test_a_bad_not_is_reported_at_its_place(tmp_path: Path, item: str, message: str) -> None:
    text = PACK.replace("- not: {different-speaker: [first, second]}", item)
    assert text != PACK
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", "rules", "test", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    line = text.splitlines().index(next(x for x in text.splitlines() if item in x)) + 1
    assert done.stderr.startswith(f"{path}:{line}:"), done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
