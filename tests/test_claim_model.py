"""The claim model on statements as reports make them: an event time apart from when it was said, a
declared vocabulary, counts with their approximation, and how the words reached the report. Each case is a
real-looking statement pair run through a rule, with the look-alike that must stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import invoke, write
from factcheck.api import check
from factcheck.errors import InputErrors

WORLD = """\
sources:
  - {id: wire, outlet: Wire, title: Story, published: 2020-12-30}
entities:
  - {id: akar, name: Hulusi Akar, kind: person, role: Defense Minister}
  - {id: aliyev, name: Ilham Aliyev, kind: person}
  - {id: russia, name: Russia, kind: state}
  - {id: ministry, name: Defense Ministry, kind: institution}
  - {id: tass, name: TASS, kind: outlet}
  - {id: interfax, name: Interfax, kind: outlet}
  - {id: duvar, name: Duvar English, kind: outlet}
  - {id: staff, name: Turkish staff, kind: group}
  - {id: troops, name: Armenian troops, kind: group}
  - {id: center, name: Joint center, kind: facility}
  - {id: kalbajar, name: Kalbajar, kind: place}
  - {id: deal, name: Ceasefire deal, kind: agreement}
vocabulary:
  - {id: present-in, label: is present in, single_valued: true}
  - {id: deployed-to, label: is deployed to, broader: [present-in]}
  - {id: serve-at, label: serves at, broader: [present-in]}
  - {id: open, label: opens}
  - {id: hand-over, label: hands over}
  - {id: arrive-in, label: arrives in}
  - {id: signed, label: was signed}
  - {id: number, label: numbers}
"""


def claim(claim_id: str, **fields: str) -> str:
    base = {
        "id": claim_id,
        "speaker": "akar",
        "source": "wire",
        "said_on": "2020-12-29",
        "quote": "q",
        "quote_kind": "direct",
        "subject": "staff",
        "predicate": "deployed-to",
    }
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in {**base, **fields}.items()) + "}\n"


def rule(where: str, bindings: str = "a: {}, b: {}", join: str = "subject") -> str:
    return (
        "rules:\n  - id: r\n    title: t\n    severity: medium\n"
        f"    join: {join}\n    bindings: {{{bindings}}}\n    where:\n{where}    message: '{{a.id}} {{b.id}}'\n"
    )


def fired(tmp_path: Path, claims: str, rules: str) -> set[tuple[str, ...]]:
    write(tmp_path, "claims/world.yaml", WORLD)
    write(tmp_path, "claims/claims.yaml", "claims:\n" + claims)
    write(tmp_path, "rules/r.yaml", rules)
    result = check([tmp_path / "claims"], [tmp_path / "rules"])
    return {tuple(c.claim for c in t.claims) for t in result.tensions}


# -- event time -------------------------------------------------------------------------------------------


def test_a_plan_then_its_completion_is_told_apart_from_a_completion_before_its_time(tmp_path: Path) -> None:
    """'The center will open' (said in November, about January) and 'the center opened on 30 January': the
    reported times overlap, so a status conflict is a plan followed by its completion, not a contradiction.
    'Armenia will hand over Kalbajar by 15 November' against 'handed over on 25 November': after the deadline."""
    claims = (
        claim("plan", speaker="aliyev", said_on="2020-11-20", subject="center", predicate="open",
              status="planned", when="~2021-01")
        + claim("opened", said_on="2021-02-01", subject="center", predicate="open", when="2021-01-30")
        + claim("deadline", speaker="russia", said_on="2020-11-10", subject="troops", predicate="hand-over",
                object="kalbajar", status="planned", when="{by: 2020-11-15}")
        + claim("handed", speaker="duvar", said_on="2020-11-26", subject="troops", predicate="hand-over",
                object="kalbajar", when="2020-11-25")
    )  # fmt: skip
    late = rule("      - before: {left: a.when, right: b.when}\n      - different-speaker: [a, b]\n")
    assert fired(tmp_path, claims, late) == {("deadline", "handed")}
    same_time = rule("      - overlaps: [a.when, b.when]\n      - different-speaker: [a, b]\n")
    assert ("plan", "opened") in fired(tmp_path, claims, same_time)
    # said in November, about January: said before what it reports, as a plan is
    ahead = rule("      - before: {left: a, right: a.when}\n", bindings="a: {status: planned}, b: {}")
    assert {t[0] for t in fired(tmp_path, claims, ahead)} == {"plan"}


def test_a_date_inside_a_statement_is_compared_with_another(tmp_path: Path) -> None:
    """'The memorandum signed on 11 November 2020' against 'the officers arrived in January 2020': an
    arrival before the agreement that sent them cannot be right; 'arrived in January 2021' can."""
    claims = (
        claim("memo", speaker="duvar", said_on="2020-12-30", subject="deal", predicate="signed", when="2020-11-11",
              topics="[t]")
        + claim("arrived-2020", said_on="2021-02-01", predicate="arrive-in", when="2020-01", topics="[t]")
        + claim("arrived-2021", said_on="2021-02-01", predicate="arrive-in", when="2021-01", topics="[t]")
    )  # fmt: skip
    rules = rule(
        "      - before: {left: arrival.when, right: agreement.when}\n",
        bindings="agreement: {predicate: signed}, arrival: {predicate: arrive-in}",
        join="topic",
    ).replace("{a.id} {b.id}", "{arrival.id}")
    assert fired(tmp_path, claims, rules) == {("memo", "arrived-2020")}


def test_an_event_time_has_one_form_and_a_period_does_not_end_before_it_starts(tmp_path: Path) -> None:
    write(tmp_path, "claims/world.yaml", WORLD)
    write(tmp_path, "claims/c.yaml", "claims:\n" + claim("c", when="{from: 2021-03, until: 2020-11}"))
    with pytest.raises(InputErrors, match=r"'when': it ends \(2020-11-30\) before it starts \(2021-03-01\)"):
        check([tmp_path / "claims"], [tmp_path / "rules"])


# -- quantities -------------------------------------------------------------------------------------------

COUNT_RULE = rule(
    "      - numeric-difference: {left: a.qualifiers.count, right: b.qualifiers.count}\n      - ordered: [a, b]\n"
)


@pytest.mark.parametrize(
    ("left", "right", "tension"),
    [
        ("36", "39", True),  # 36 officers against 39: a real mismatch
        ("{value: 2000, approx: about}", "1960", False),  # "around 2,000" against 1,960: rounding
        ("{value: 60, per: side}", "120", False),  # "60 per side" against "120 in total"
        ("{value: 60, per: side}", "{value: 50, per: side}", True),  # per side against per side: comparable
        ("{value: 60, approx: at-most}", "45", False),  # "up to 60" against 45
        ("{value: 100, approx: at-least}", "80", True),  # "at least 100" against 80
        ("{value: 36, unit: officers}", "{value: 120, unit: vehicles}", False),  # other things counted
        (
            "{value: 39, parts: [{value: 1, unit: general}, {value: 38, unit: officers}]}",
            "39",
            False,
        ),  # "1 general + 38 officers" is 39
    ],
)
def test_counts_are_compared_as_reports_give_them(tmp_path: Path, left: str, right: str, tension: bool) -> None:
    claims = claim("a1", qualifiers=f"{{count: {left}}}") + claim("b1", qualifiers=f"{{count: {right}}}")
    assert fired(tmp_path, claims, COUNT_RULE) == ({("a1", "b1")} if tension else set())


def test_a_composition_that_does_not_add_up_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path, "claims/world.yaml", WORLD)
    bad = "{count: {value: 36, parts: [{value: 1, unit: general}, {value: 38, unit: officers}]}}"
    write(tmp_path, "claims/c.yaml", "claims:\n" + claim("c", qualifiers=bad))
    with pytest.raises(InputErrors, match=r"the parts add up to 39 \(1 general \+ 38 officers\), not 36"):
        check([tmp_path / "claims"], [tmp_path / "rules"])


# -- attribution ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "strength"),
    [
        ({}, "strong"),  # Akar, quoted directly, first-hand
        ({"attribution": "{via: [tass]}"}, "moderate"),  # TASS reports that Akar said ...
        ({"attribution": "{via: [interfax, tass]}"}, "weak"),  # relayed twice
        ({"attribution": "{translated: {from: tr, by: duvar}}"}, "moderate"),  # translated by the outlet
        ({"attribution": "{translated: {from: tr}}"}, "strong"),  # no translator named: the reader's own English
        ({"attribution": "{partial: true}"}, "moderate"),  # a fragment in quotation marks
        ({"speaker": "ministry", "attribution": "{unnamed: true}"}, "moderate"),  # "a senior official said": ...
        ({"speaker": "ministry", "attribution": "{unnamed: true}", "quote_kind": "indirect"}, "weak"),
        ({"quote_kind": "paraphrase"}, "moderate"),
    ],
)
def test_the_attribution_chain_grades_how_the_words_reached_the_report(
    tmp_path: Path, fields: dict[str, str], strength: str
) -> None:
    rules = (
        "rules:\n  - id: r\n    title: t\n    severity: low\n    bindings: {a: {}}\n"
        f"    where:\n      - attribution: {{claim: a, is: [{strength}]}}\n    message: '{{a.id}}'\n"
    )
    assert fired(tmp_path, claim("c", **fields), rules) == {("c",)}


def test_a_paraphrase_points_at_the_words_it_restates(tmp_path: Path) -> None:
    said = claim("own-words", quote="'We sent 36 officers.'")
    relayed = claim(
        "relayed", speaker="akar", quote_kind="paraphrase", attribution="{via: [tass], paraphrases: own-words}"
    )
    rules = rule(
        "      - equal: [relay.attribution.paraphrases, own.id]\n",
        bindings="own: {quote_kind: direct}, relay: {attribution.paraphrases: {exists: true}}",
    ).replace("{a.id} {b.id}", "{relay.id} restates {own.id}")
    assert fired(tmp_path, said + relayed, rules) == {("own-words", "relayed")}
    write(tmp_path, "claims/claims.yaml", "claims:\n" + claim("x", attribution="{paraphrases: nobody}"))
    with pytest.raises(InputErrors, match="unknown claim 'nobody'"):
        check([tmp_path / "claims"], [tmp_path / "rules"])


# -- vocabulary -------------------------------------------------------------------------------------------


def test_kindred_predicates_meet_through_their_family(tmp_path: Path) -> None:
    """Encoders wrote `deployed-to` and `serve-at` for one meaning: a rule on the family sees both."""
    claims = (
        claim("dispatched", object="center", topics="[t]")
        + claim("serving", speaker="aliyev", predicate="serve-at", object="kalbajar", topics="[t]")
        + claim("opened", speaker="aliyev", subject="center", predicate="open", topics="[t]")
    )
    family = rule(
        "      - different-speaker: [a, b]\n      - not-equal: [a.object, b.object]\n      - ordered: [a, b]\n",
        bindings="a: {predicate: {under: present-in}}, b: {predicate: {under: present-in}}",
        join="[subject, predicate-family]",
    )
    assert fired(tmp_path, claims, family) == {("dispatched", "serving")}
    exact = family.replace("[subject, predicate-family]", "[subject, predicate]")
    assert fired(tmp_path, claims, exact) == set()  # joined on the word, the two never meet


def test_an_undeclared_predicate_is_an_error_with_a_suggestion_or_a_warning_on_request(tmp_path: Path) -> None:
    write(tmp_path, "claims/world.yaml", WORLD)
    write(tmp_path, "claims/c.yaml", "claims:\n" + claim("c", predicate="deployed-too"))
    write(tmp_path, "rules/r.yaml", COUNT_RULE)
    strict = invoke("run", cwd=tmp_path)
    assert strict.exit_code == 2
    assert strict.output.strip() == (
        "claims/c.yaml:2:120: claim 'c': undeclared predicate 'deployed-too'; did you mean 'deployed-to'?"
    )
    lenient = invoke("run", "--undeclared", "warn", cwd=tmp_path)
    assert lenient.exit_code == 0
    assert "warning: claim 'c': undeclared predicate 'deployed-too'" in lenient.output


def test_messages_and_readings_use_labels(tmp_path: Path) -> None:
    write(tmp_path, "claims/world.yaml", WORLD)
    write(tmp_path, "claims/c.yaml", "claims:\n" + claim("c", object="center", polarity="negated"))
    rules = (
        "rules:\n  - id: r\n    title: t\n    severity: low\n    bindings: {a: {}}\n"
        "    message: '{a.speaker.name}: staff {a.predicate.label} the center? {a.reading}'\n"
    )
    write(tmp_path, "rules/r.yaml", rules)
    (tension,) = check([tmp_path / "claims"], [tmp_path / "rules"]).tensions
    assert tension.message == (
        "Hulusi Akar: staff is deployed to the center? Turkish staff NOT is deployed to Joint center [done]"
    )
    # a claim with no object leaves no space before a closing quote, and no double space
    write(tmp_path, "claims/c.yaml", "claims:\n" + claim("c"))
    quoted = rules.replace(
        "'{a.speaker.name}: staff {a.predicate.label} the center? {a.reading}'",
        "'\"{a.subject.name} {a.predicate.label} {a.object.name}\" ({a.said_on})'",
    )
    write(tmp_path, "rules/r.yaml", quoted)
    (tension,) = check([tmp_path / "claims"], [tmp_path / "rules"]).tensions
    assert tension.message.startswith('"Turkish staff is deployed to" (')
    listed = invoke("vocab", "--claims", "claims", cwd=tmp_path)
    assert listed.exit_code == 0
    deployed = next(line for line in listed.output.splitlines() if line.startswith("deployed-to"))
    assert deployed.split() == ["deployed-to", "predicate", "is", "deployed", "to", "present-in", "present-in", "1"]
