"""`unless`: a claim whose existence silences a match. Both engines agree, a claim appended later silences a
match a run cache kept, and a mistake in the block is reported at its place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from factcheck.api import CheckResult, Engine, check
from test_run_cache import append, claim, copy_corpus, run, same_as_without_cache

RULE = """\
rules:
  - id: weak-unless-named
    title: A state credited with a denial no named official gives
    severity: low
    bindings:
      claim: {quote_kind: paraphrase, polarity: negated}
    where:
      - attribution: {claim: claim, is: [weak], because: [state]}
    unless:
      bindings:
        named: {quote_kind: [direct, indirect]}
      where:
        - attribution: {claim: named, is: [strong, moderate]}
        - same-in: {left: claim, right: named, fields: [subject, predicate, object, polarity]}
        - counts-agree: [claim.qualifiers.count, named.qualifiers.count]
    message: "{claim.speaker.name} is credited with it: {claim.reading}"
"""


def _rules(tmp_path: Path, text: str = RULE) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "rule.yaml").write_text(text)
    return folder


def _run_on_no_claims(tmp_path: Path, rules: Path) -> subprocess.CompletedProcess[str]:
    """`factcheck run` with these rules on tmp_path/claims.yaml (written by the caller)."""
    command = ["run", "--claims", str(tmp_path / "claims.yaml"), "--rules", str(rules)]
    return subprocess.run([sys.executable, "-m", "factcheck", *command], capture_output=True, text=True)


def _flagged(result: CheckResult) -> set[str]:
    return {i for t in result.tensions for ids in (t.support or [[c.claim for c in t.claims]]) for i in ids}


def test_a_named_claim_appended_later_silences_a_kept_match(tmp_path: Path, generated: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    copy_corpus(generated, claims)
    rules = _rules(tmp_path)
    append(claims / "claims.jsonl", claim("state-denial"))  # Russia (a state) paraphrased: weak
    cache = tmp_path / "cache"
    first = run(claims, cache, rules)
    assert "state-denial" in _flagged(first)
    # a named minister says the same, directly, in the same topic: the weak credit hides nothing
    append(
        claims / "claims.jsonl",
        claim("lavrov-denial", speaker="sergey-lavrov", quote_kind="direct", quote="They will not enter."),
    )
    again = run(claims, cache, rules)
    assert again.reuse == "appended"
    assert "state-denial" not in _flagged(again)
    same_as_without_cache(again, claims, rules)
    reference = check([claims], [rules], engine=Engine.reference)
    assert [t.id for t in reference.tensions] == [t.id for t in again.tensions]


def test_a_named_claim_that_says_otherwise_does_not_silence(tmp_path: Path, generated: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    copy_corpus(generated, claims)
    append(claims / "claims.jsonl", claim("state-denial", qualifiers={"count": 40}))
    append(  # the same denial from a named minister, but of another figure; and one in another topic
        claims / "claims.jsonl",
        claim("lavrov-60", speaker="sergey-lavrov", quote_kind="direct", qualifiers={"count": 60})
        + claim(
            "lavrov-elsewhere", speaker="sergey-lavrov", quote_kind="direct", qualifiers={"count": 40}, topics=["t"]
        ),
    )
    for engine in Engine:
        assert "state-denial" in _flagged(check([claims], [_rules(tmp_path)], engine=engine))


def test_a_mistake_in_unless_is_reported_where_it_is(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n")
    cases = {
        "two bindings": (
            RULE.replace("named: {quote_kind: [direct, indirect]}", "named: {}\n        other: {}"),
            "rule.yaml:11:",
            "'unless' binds exactly one claim",
        ),
        "a binding of the rule": (RULE.replace("named", "claim"), "rule.yaml:11:", "already a binding of the rule"),
        "an unknown binding": (
            RULE.replace(
                "counts-agree: [claim.qualifiers.count, named.qualifiers.count]", "different-speaker: [claim, x]"
            ),
            "rule.yaml:15:",
            "must be a binding (claim, named)",
        ),
    }
    for name, (text, where, what) in cases.items():
        rules = _rules(tmp_path, text)
        proc = _run_on_no_claims(tmp_path, rules)
        assert proc.returncode == 2, name
        line = proc.stderr.strip().splitlines()[-1]
        assert where in line and what in line and "Traceback" not in proc.stderr, (name, proc.stderr)


def _denied_twice(tmp_path: Path, generated: Path) -> Path:
    """The generated corpus with a state's paraphrased denial and a named minister's direct one."""
    claims = tmp_path / "claims"
    claims.mkdir()
    copy_corpus(generated, claims)
    append(claims / "claims.jsonl", claim("state-denial"))
    append(claims / "claims.jsonl", claim("lavrov-denial", speaker="sergey-lavrov", quote_kind="direct"))
    return claims


def test_explain_names_the_claim_that_silences_a_match(tmp_path: Path, generated: Path) -> None:
    claims = _denied_twice(tmp_path, generated)
    explain = ["rules", "explain", "weak-unless-named", "claim=state-denial"]
    proc = subprocess.run(
        [sys.executable, "-m", "factcheck", *explain, "--claims", str(claims), "--rules", str(_rules(tmp_path))],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "SILENCED by unless: claim 'lavrov-denial' fills named" in proc.stdout


def test_an_under_test_in_unless_reads_the_vocabulary(tmp_path: Path, generated: Path) -> None:
    claims = _denied_twice(tmp_path, generated)
    rule = RULE.replace("named: {quote_kind: [direct, indirect]}", "named: {predicate: {under: present-in}}")
    vocabulary = "vocabulary:\n  - {id: present-in, label: is present in}\n  - {id: enter, label: enters, broader: [present-in]}\n"
    rules = _rules(tmp_path, rule + vocabulary)
    for engine in Engine:  # lavrov's `enter` is under `present-in`: it answers the state's denial
        assert "state-denial" not in _flagged(check([claims], [rules], engine=engine))


def test_an_unknown_term_in_unless_is_refused_like_one_in_a_binding(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n")
    rules = _rules(
        tmp_path, RULE.replace("named: {quote_kind: [direct, indirect]}", "named: {predicate: {under: nosuch}}")
    )
    proc = _run_on_no_claims(tmp_path, rules)
    assert proc.returncode == 2
    assert "rule 'weak-unless-named': unknown term 'nosuch'" in proc.stderr and "Traceback" not in proc.stderr


# `requires`: the other way round. A weak credit is flagged only when another speaker's report disputes it.
REQUIRES = RULE.replace("unless:", "requires:").replace(
    """        named: {quote_kind: [direct, indirect]}
      where:
        - attribution: {claim: named, is: [strong, moderate]}
        - same-in: {left: claim, right: named, fields: [subject, predicate, object, polarity]}
        - counts-agree: [claim.qualifiers.count, named.qualifiers.count]""",
    """        other: {}
      where:
        - different-speaker: [claim, other]
        - same-in: {left: claim, right: other, fields: [subject, predicate]}
        - differ-in: {left: claim, right: other, fields: [polarity, qualifiers.count]}""",
)


def test_requires_keeps_only_a_disputed_match_and_a_claim_appended_later_can_make_it_stand(
    tmp_path: Path, generated: Path
) -> None:
    assert REQUIRES != RULE and "requires:" in REQUIRES
    claims = tmp_path / "claims"
    claims.mkdir()
    copy_corpus(generated, claims)
    rules = _rules(tmp_path, REQUIRES)
    append(claims / "claims.jsonl", claim("state-denial"))  # weak, and nothing disputes it yet
    cache = tmp_path / "cache"
    first = run(claims, cache, rules)
    assert "state-denial" not in _flagged(first)
    # a named minister says they will enter: the weak denial is now disputed, so it is worth a flag
    append(
        claims / "claims.jsonl",
        claim("lavrov-entry", speaker="sergey-lavrov", quote_kind="direct", polarity="affirmed", quote="They will."),
    )
    again = run(claims, cache, rules)
    assert again.reuse == "appended"
    assert "state-denial" in _flagged(again)
    same_as_without_cache(again, claims, rules)
    for engine in Engine:
        assert [t.id for t in check([claims], [rules], engine=engine).tensions] == [t.id for t in again.tensions]


def test_explain_says_what_a_requires_block_found(tmp_path: Path, generated: Path) -> None:
    claims = _denied_twice(tmp_path, generated)  # the minister's denial agrees: it disputes nothing
    explain = ["rules", "explain", "weak-unless-named", "claim=state-denial"]
    command = [sys.executable, "-m", "factcheck", *explain, "--claims", str(claims)]
    proc = subprocess.run([*command, "--rules", str(_rules(tmp_path, REQUIRES))], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "SILENCED by requires: no claim fills other and supports it" in proc.stdout
    assert "requires a claim other that supports it" in proc.stdout
    append(claims / "claims.jsonl", claim("lavrov-entry", speaker="sergey-lavrov", polarity="affirmed"))
    proc = subprocess.run([*command, "--rules", str(_rules(tmp_path, REQUIRES))], capture_output=True, text=True)
    assert "ok  requires: claim 'lavrov-entry' fills other and supports it" in proc.stdout, proc.stdout
    assert proc.stdout.rstrip().endswith("FIRES")


def test_a_requires_binding_may_not_reuse_a_name(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n")
    both = REQUIRES.replace(
        "    requires:", RULE[RULE.index("    unless:") : RULE.index("    message:")] + "    requires:"
    )
    for text, what in (
        (REQUIRES.replace("other", "claim"), "'requires' binding 'claim' is already a binding of the rule"),
        (both.replace("other", "named"), "'requires' binding 'named' is already a binding of the rule"),
        (
            REQUIRES.replace("        other: {}", "        other: {}\n        more: {}"),
            "'requires' binds exactly one claim",
        ),
    ):
        rules = _rules(tmp_path, text)
        proc = _run_on_no_claims(tmp_path, rules)
        assert proc.returncode == 2 and what in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith(str(rules / "rule.yaml") + ":"), proc.stderr
