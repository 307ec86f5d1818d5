"""Bad claims and rules: one line each, `file:line:col: what is wrong` with a way to fix it, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINI_ENTITIES, ROOT, invoke, mini_claim, write
from factcheck.api import Engine, check
from factcheck.errors import InputError
from factcheck.evaluate import durable, reference

GOOD_RULE = """\
rules:
  - id: same-thing
    title: t
    severity: low
    bindings:
      a: {predicate: build}
      b: {predicate: build}
    where:
      - different-speaker: [a, b]
    message: "{a.speaker.name} vs {b.speaker.name}"
"""


def workspace(tmp_path: Path, claims: str, rules: str = GOOD_RULE) -> Path:
    write(tmp_path, "claims/base.yaml", MINI_ENTITIES)
    write(tmp_path, "claims/claims.yaml", claims)
    write(tmp_path, "rules/rules.yaml", rules)
    return tmp_path


def run_in(folder: Path) -> tuple[int, list[str]]:
    result = invoke("run", cwd=folder)
    return result.exit_code, result.output.splitlines()


CLAIM_ERRORS = [
    (
        mini_claim("c1", speaker="alise"),
        "claims/claims.yaml:2:23: claim 'c1': unknown entity 'alise'; did you mean 'alice'?",
    ),
    (
        mini_claim("c1", source="papr"),
        "claims/claims.yaml:2:38: claim 'c1': unknown source 'papr'; did you mean 'paper'?",
    ),
    (
        mini_claim("c1", said_on="2020-02-30"),
        "claims/claims.yaml:2:54: claim 'c1': 'said_on': '2020-02-30' is not a real calendar date; write "
        "YYYY-MM-DD, YYYY-MM or YYYY, with a leading ~ when approximate (e.g. ~2020-12)",
    ),
    (
        mini_claim("c1", said_on="'Dec. 29'"),
        "claims/claims.yaml:2:54: claim 'c1': 'said_on': 'Dec. 29' is not a date; write YYYY-MM-DD, YYYY-MM "
        "or YYYY, with a leading ~ when approximate (e.g. ~2020-12)",
    ),
    (
        mini_claim("c1", polarity="denied"),
        "claims/claims.yaml:2:152: claim 'c1': 'polarity': Input should be 'affirmed' or 'negated'",
    ),
    (
        mini_claim("c1", qualifers="{count: 3}"),
        "claims/claims.yaml:2:142: claim 'c1': unknown key 'qualifers'; did you mean 'qualifiers'?",
    ),
    (
        mini_claim("c1", qualifiers="{cuont: 3}"),
        "claims/claims.yaml:2:155: claim 'c1': unknown key 'cuont'; did you mean 'count'?",
    ),
    (
        mini_claim("c1") + mini_claim("c1"),
        "claims/claims.yaml:3:10: duplicate claim id 'c1' (first defined at claims/claims.yaml:2:5)",
    ),
    ("claim:\n" + mini_claim("c1"), "claims/claims.yaml:1:1: unknown section 'claim'; did you mean 'claims'?"),
    ("", "claims/claims.yaml:1:1: file is empty; a corpus file holds 'sources:', 'entities:' and/or 'claims:'"),
    (
        "entities:\n  - {id: x, name: X, kind: group, is_a: [y]}\n  - {id: y, name: Y, kind: group, is_a: [x]}\n",
        "claims/claims.yaml:2:5: entity 'x': is_a cycle x -> y -> x; remove one of these links",
    ),
]


@pytest.mark.parametrize(("claims", "message"), CLAIM_ERRORS, ids=[m.split(": ", 1)[1][:40] for _, m in CLAIM_ERRORS])
def test_claim_errors(tmp_path: Path, claims: str, message: str) -> None:
    text = claims if claims.startswith(("claim:", "entities:")) or not claims else "claims:\n" + claims
    code, lines = run_in(workspace(tmp_path, text))
    assert code == 2
    assert lines == [message]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = workspace(tmp_path, "claims:\n" + mini_claim("c1"))
    write(folder, "claims/more.yaml", "claims:\n" + mini_claim("c1"))
    code, lines = run_in(folder)
    assert (code, lines) == (
        2,
        ["claims/more.yaml:2:10: duplicate claim id 'c1' (first defined at claims/claims.yaml:2:5)"],
    )


RULE_ERRORS = [
    (
        GOOD_RULE.replace("    severity: low\n", "    severity: low\n    severty: high\n"),
        "rules/rules.yaml:5:5: rule 'same-thing': unknown key 'severty'; did you mean 'severity'?",
    ),
    (
        GOOD_RULE.replace("severity: low", "severity: urgent"),
        "rules/rules.yaml:4:15: rule 'same-thing': 'severity': Input should be 'info', 'low', 'medium' or 'high'",
    ),
    (
        GOOD_RULE.replace("different-speaker", "diferent-speaker"),
        "rules/rules.yaml:9:9: rule 'same-thing': unknown built-in 'diferent-speaker'; did you mean "
        "'different-speaker'?; built-ins: apart, attribution, before, compatible-in, counts-agree, days-apart, differ-in, "
        "different-speaker, during, equal, "
        "has-opposite, is-a, kindred, not-equal, numeric-difference, opposite-polarity, opposite-terms, ordered, "
        "overlaps, same-in, "
        "same-speaker, single-valued, time-difference, within, within-days",
    ),
    (
        GOOD_RULE.replace("[a, b]", "[a, c]"),
        "rules/rules.yaml:9:32: rule 'same-thing': 'different-speaker' argument 'right' must be a binding (a, b); got 'c'",
    ),
    (
        GOOD_RULE.replace("{b.speaker.name}", "{c.speaker.name}"),
        "rules/rules.yaml:10:14: rule 'same-thing': message uses '{c.speaker.name}' but there is no binding 'c'; bindings: a, b",
    ),
    (
        GOOD_RULE.replace("{b.speaker.name}", "{b.speaker.nmae}"),
        "rules/rules.yaml:10:14: rule 'same-thing': message uses '{b.speaker.nmae}': 'nmae' is not readable there; "
        "one of: id, name, role, kind, affiliation",
    ),
    (
        GOOD_RULE.replace("a: {predicate: build}", "a: {predicat: build}"),
        "rules/rules.yaml:6:11: rule 'same-thing': unknown field 'predicat'; did you mean 'predicate'?",
    ),
    (
        GOOD_RULE.replace("a: {predicate: build}", "a: {polarity: negatd}"),
        "rules/rules.yaml:6:21: rule 'same-thing': 'polarity' is never 'negatd'; did you mean 'negated'?; "
        "it is one of: affirmed, negated",
    ),
    (
        GOOD_RULE.replace("a: {predicate: build}", "a: {qualifiers.count: {gt: many}}"),
        "rules/rules.yaml:6:29: rule 'same-thing': 'qualifiers.count' holds number; 'many' is not a number",
    ),
    (
        GOOD_RULE.replace("a: {predicate: build}", "a: {predicate: {like: bu}}"),
        "rules/rules.yaml:6:23: rule 'same-thing': unknown operator 'like'; operators: eq, ne, in, not-in, lt, "
        "lte, gt, gte, exists, contains, under",
    ),
    (
        GOOD_RULE.replace("a: {predicate: build}", "a: {speaker: bob}"),
        "rules/rules.yaml:6:20: rule 'same-thing': unknown entity 'bob'",
    ),
    (
        GOOD_RULE.replace("    bindings:", "    join: topics\n    bindings:"),
        "rules/rules.yaml:5:11: rule 'same-thing': cannot join on 'topics'; did you mean 'topic'?; choose one of: "
        "topic, predicate-family, object, polarity, predicate, qualifiers.condition, qualifiers.count.approx, "
        "qualifiers.count.per, qualifiers.count.unit, qualifiers.frequency, qualifiers.modality, qualifiers.place, "
        "qualifiers.purpose, qualifiers.scope, quote_kind, source, speaker, status, subject",
    ),
    (
        GOOD_RULE + GOOD_RULE.replace("rules:\n", ""),
        "rules/rules.yaml:11:5: duplicate rule id 'same-thing' (first defined at rules/rules.yaml:2:5)",
    ),
]


@pytest.mark.parametrize(("rules", "message"), RULE_ERRORS, ids=[m.split(": ", 1)[1][:50] for _, m in RULE_ERRORS])
def test_rule_errors(tmp_path: Path, rules: str, message: str) -> None:
    code, lines = run_in(workspace(tmp_path, "claims:\n" + mini_claim("c1"), rules))
    assert lines == [message]
    assert code == 2


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    claims = "claims:\n" + mini_claim("c1", speaker="bob") + mini_claim("c2", source="nope")
    code, lines = run_in(workspace(tmp_path, claims))
    assert code == 2
    assert [line.split(": ", 1)[0] for line in lines] == ["claims/claims.yaml:2:23", "claims/claims.yaml:3:38"]


def test_missing_paths_and_usage_errors_exit_2(tmp_path: Path) -> None:
    result = invoke("run", "--claims", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert result.output.strip().endswith("no such file or folder for claims")
    assert invoke("run", "--format", "xml").exit_code == 2


def test_the_default_pack_runs_on_a_corpus_of_another_story(tmp_path: Path) -> None:
    """The default pack names no entity of one story, and its general terms need not be declared: any
    corpus runs. A rule that names an entity the corpus lacks is told, not silently empty."""
    write(tmp_path, "claims/base.yaml", MINI_ENTITIES)
    assert invoke("run", "--rules", str(ROOT / "rules"), cwd=tmp_path).exit_code == 0
    write(
        tmp_path,
        "rules/named.yaml",
        GOOD_RULE.replace("different-speaker: [a, b]", "is-a: {entity: a.subject, class: nowhere-corp}"),
    )
    result = invoke("run", "--rules", "rules", cwd=tmp_path)
    assert result.exit_code == 2
    assert "unknown entity 'nowhere-corp'" in result.output


def test_a_combinatorial_rule_is_refused_before_any_work(tmp_path: Path) -> None:
    # two speakers, so no screen can rule the partition out (all claims by one speaker would be)
    claims = "claims:\n" + "".join(mini_claim(f"c{i}", speaker=("alice", "acme")[i % 2]) for i in range(200))
    rule = GOOD_RULE.replace("      b: {predicate: build}\n", "      b: {predicate: build}\n      c: {}\n")
    folder = workspace(tmp_path, claims, rule)
    for engine in ("durable", "reference"):
        result = invoke("run", "--engine", engine, cwd=folder)
        assert result.exit_code == 2
        assert result.output.splitlines() == [
            "rules/rules.yaml:2:5: rule 'same-thing' would try 8,000,000 candidate tuples (partition 't' alone "
            "8,000,000), over the limit of 2,000,000; add field tests to its bindings or join on a more selective "
            "field, or raise --max-candidates"
        ]
    write(folder, "rules/rules.yaml", GOOD_RULE)  # two bindings: 40,000 candidates, under the limit
    assert invoke("run", cwd=folder).exit_code == 0  # and 20,000 tensions: exactly the default limit


def test_screens_spare_durable_rules_a_rule_the_reference_engine_refuses(tmp_path: Path) -> None:
    """One speaker: `different-speaker` can never hold, so the screens leave durable_rules nothing to
    do; the reference engine uses no screens and would enumerate 8,000,000 tuples, so it refuses."""
    claims = "claims:\n" + "".join(mini_claim(f"c{i}") for i in range(200))
    rule = GOOD_RULE.replace("      b: {predicate: build}\n", "      b: {predicate: build}\n      c: {}\n")
    folder = workspace(tmp_path, claims, rule)
    screened = invoke("run", "--format", "json", cwd=folder)
    assert screened.exit_code == 0
    assert json.loads(screened.output)["tensions"] == []
    reference = invoke("run", "--engine", "reference", cwd=folder)
    assert reference.exit_code == 2
    assert "would try 8,000,000 candidate tuples" in reference.output


def _two_speakers(count: int) -> str:
    """Claims alternating between two speakers: GOOD_RULE flags every pair across them."""
    return "claims:\n" + "".join(mini_claim(f"c{i}", speaker=("alice", "acme")[i % 2]) for i in range(count))


TOO_MANY = (
    "rules/rules.yaml:2:5: rule 'same-thing' produced more than {limit} tensions; a rule that flags that much "
    "is too broad: add field tests or predicates to it, or raise --max-tensions"
)


def test_a_rule_producing_too_many_tensions_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = workspace(tmp_path, _two_speakers(30))  # 15 x 15 x 2 = 450 tensions
    for engine in ("durable", "reference"):
        for cache in ("--cache", "--no-cache"):
            refused = invoke("run", "--engine", engine, cache, "--max-tensions", "449", cwd=folder)
            assert (refused.exit_code, refused.output.splitlines()) == (2, [TOO_MANY.format(limit=449)]), engine
        exactly = invoke("run", "--engine", engine, "--format", "json", "--max-tensions", "450", cwd=folder)
        assert exactly.exit_code == 0
        assert sum(len(t["support"]) for t in json.loads(exactly.output)["tensions"]) == 450
    default = invoke("run", cwd=workspace(tmp_path / "big", _two_speakers(202)))  # 101 x 101 x 2 = 20,402
    assert (default.exit_code, default.output.splitlines()) == (2, [TOO_MANY.format(limit="20,000")])
    assert invoke("run", "--max-tensions", "0", cwd=folder).exit_code == 2  # a usage error, not a crash


@pytest.mark.parametrize("engine", list(Engine))
def test_the_limit_of_tensions_stops_an_engine_early(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused once the 11th match is confirmed, not after confirming all 870 candidate pairs."""
    folder = workspace(tmp_path, _two_speakers(30))
    module = durable if engine is Engine.durable else reference
    real, confirmed = module.confirm, []

    def counting(*args: object, **kwargs: object) -> object:
        confirmed.append(args[1])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "confirm", counting)
    monkeypatch.chdir(folder)
    with pytest.raises(InputError) as refused:
        check([Path("claims")], [Path("rules")], engine, max_tensions=10)
    assert str(refused.value) == TOO_MANY.format(limit=10)
    assert 11 <= len(confirmed) < 100
