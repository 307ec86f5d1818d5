"""Random corpora and random rules of the full language, for the differential test (CI, bounded) and
scripts/differential_campaign.py (long runs). A case is plain JSON-able data so a failing one can be
saved as a regression file and replayed."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from factcheck.compile.rule import compile_rule
from factcheck.evaluate.durable import evaluate_durable
from factcheck.evaluate.reference import evaluate_reference
from factcheck.evaluate.vocabulary import resolve_terms
from factcheck.load.yaml_document import YamlDocument
from factcheck.model.claim import Claim
from factcheck.model.claim_table import ClaimTable
from factcheck.model.corpus import Corpus
from factcheck.model.entity import Entity
from factcheck.model.rule import RuleSpec
from factcheck.model.source import Source
from factcheck.model.vocabulary import Term
from factcheck.tensions.build import build_tensions

ENTITIES = [
    {"id": "p1", "name": "Pat", "kind": "person", "role": "Minister"},
    {"id": "p2", "name": 'Ana "Q" Müller', "kind": "person"},
    {"id": "s1", "name": "Statia", "kind": "state"},
    {"id": "o1", "name": "Outlet", "kind": "outlet"},
    {"id": "gc", "name": "Forces", "kind": "group"},
    {"id": "g1", "name": "Officers", "kind": "group", "is_a": ["gc"]},
    {"id": "g2", "name": "Peacekeepers", "kind": "group", "is_a": ["g1"]},
    {"id": "c1", "name": "Country", "kind": "place"},
    {"id": "r1", "name": "Region", "kind": "place", "part_of": [{"of": "c1", "disputed": True}]},
    {"id": "t1", "name": "Town", "kind": "place", "part_of": ["c1", {"of": "r1", "disputed": True, "note": "n"}]},
    {"id": "t2", "name": "Village", "kind": "place", "part_of": ["r1"]},
    {"id": "f1", "name": "Center", "kind": "facility"},
]
SPEAKERS = ["p1", "p2", "s1", "o1"]
SUBJECTS = ["g1", "g2", "gc", "f1", "t1"]
OBJECTS = ["r1", "t1", "t2", "c1", "f1", "g2"]
PREDICATES = ["enter", "monitor", "operate", "located-in", "present-in"]
VOCABULARY = [
    {"id": "present-in", "label": "is present in", "single_valued": True},
    {"id": "enter", "label": "enters", "broader": ["present-in"]},
    {"id": "located-in", "label": "is located in", "broader": ["present-in"]},
    {"id": "monitor", "label": "monitors", "opposite": ["operate"]},
    {"id": "operate", "label": "operates"},
]
EVENT_TIMES = [
    "2020-11-10",
    "~2020-12",
    {"from": "2020-11", "until": "2021-01"},
    {"by": "2020-12-01"},
    {"not_before": "2021"},
    "~9999-12-31",
    "~2020-11-11",
    "2020-11-12",
    # times of day: local, with offsets (one moment on two clocks), approximate, at the calendar's end
    "2020-11-12T08:55",
    "2020-11-12T08:58",
    "~2020-11-12T09:20",
    "2020-11-12T11:55+03:00",
    "2020-11-12T08:55Z",
    "2020-11-11T23:30-10:00",
    "~9999-12-31T23:59+14:00",
    # windows and periods with times of day, an end without one, two clocks in one window
    {"not_before": "2020-11-12T08:50", "by": "2020-11-12T09:00"},
    {"from": "2020-11-12T08:00", "until": "~2020-11-12T10:00"},
    {"not_before": "2020-11-12T09:10"},
    {"not_before": "2020-11-12T05:00Z", "by": "2020-11-13"},
    {"not_before": "2020-11-12T08:00", "by": "2020-11-12T09:00Z"},
]
COUNTS = [
    0,
    1,
    35,
    36,
    36,
    100,
    {"value": 36, "approx": "about"},
    {"value": 35, "per": "side"},
    {"value": 100, "approx": "at-most"},
    {"value": 30, "approx": "at-least"},
    4100,
    4093,
    {"value": 4000, "approx": "at-least"},
    {"value": 3900, "max": 4200},
    {"value": 30, "max": 40, "approx": "about"},
    {"value": 36, "unit": "officers", "parts": [{"value": 1, "unit": "general"}, {"value": 35, "unit": "officers"}]},
]
ATTRIBUTIONS = [
    {"via": ["o1"]},
    {"via": ["o1", "s1"]},
    {"unnamed": True},
    {"translated": {"from": "ru"}},
    {"translated": {"from": "ru", "by": "s1"}},
    {"partial": True},
]
TEXTS = ['naïve "x"', "=cmd()", "a\\b", "línea", "plain", "emoji 🚩", "tab\there"]
# with the ends of the calendar, where an approximate date's slack must not overflow
DATES = [
    "2020-12-29",
    "2020-12",
    "~2020-11",
    "2021",
    "2020-11-15",
    "2020-12-30",
    "~0001-01-01",
    "~9999-12-31",
    "2020-12-29T10:00+01:00",
]
TOPICS = ["a", "b", "c"]
# Join values that a key written by joining texts (' + ') would confuse: condition 'x + y' with scope 'z'
# and condition 'x' with scope 'y + z'.
JOINED = [("x + y", "z"), ("x", "y + z")]


def _maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def generate_claims(rng: random.Random) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = []
    for i in range(rng.randint(2, 9)):
        if claims and rng.random() < 0.15:  # identical content under another id
            claims.append({**rng.choice(claims), "id": f"c{i}"})
            continue
        qualifiers = {
            "count": _maybe(rng, 0.5, rng.choice(COUNTS)),
            "place": _maybe(rng, 0.4, rng.choice(OBJECTS)),
            "means": rng.sample(["remote", "drones", "on-site"], rng.randint(0, 2)),
            "condition": _maybe(rng, 0.4, rng.choice(TEXTS)),
            "scope": _maybe(rng, 0.3, "only"),
        }
        if rng.random() < 0.3:
            qualifiers["condition"], qualifiers["scope"] = rng.choice(JOINED)
        claim = {
            "id": f"c{i}",
            "speaker": rng.choice(SPEAKERS),
            "source": rng.choice(["src", "src", "src-o1"]),
            "said_on": rng.choice(DATES),
            "when": _maybe(rng, 0.4, rng.choice(EVENT_TIMES)),
            "attribution": _maybe(rng, 0.3, rng.choice(ATTRIBUTIONS)),
            "quote": rng.choice(TEXTS),
            "quote_kind": rng.choice(["direct", "indirect", "paraphrase", "reported-by-outlet"]),
            "subject": rng.choice(SUBJECTS),
            "predicate": rng.choice(PREDICATES),
            "object": _maybe(rng, 0.7, rng.choice(OBJECTS)),
            "value": _maybe(rng, 0.3, rng.choice(["x", 1, 1.0, True, "1"])),
            "polarity": rng.choice(["affirmed", "negated"]),
            "status": rng.choice(["done", "ongoing", "planned", "conditional"]),
            "qualifiers": {k: v for k, v in qualifiers.items() if v not in (None, [])},
            "topics": rng.sample(TOPICS, rng.randint(0, 3)),
        }
        claims.append({k: v for k, v in claim.items() if v is not None})
    return claims


def _field_test(rng: random.Random) -> tuple[str, Any]:
    choice = rng.randrange(10)
    if choice == 0:
        return "predicate", rng.choice(
            [
                rng.choice(PREDICATES),
                {"ne": rng.choice(PREDICATES)},
                rng.sample(PREDICATES, 2),
                {"under": rng.choice(["present-in", "enter", "monitor"])},
            ]
        )
    if choice == 1:
        return "polarity", rng.choice(["affirmed", {"ne": "negated"}, {"exists": True}])
    if choice == 2:
        return "status", rng.choice([["done", "ongoing"], {"not-in": ["planned"]}, "conditional"])
    if choice == 3:
        return "qualifiers.count", rng.choice(
            [{"gt": 0}, {"gte": 36}, {"lt": 36.5}, {"lte": 1}, 36, {"ne": 35}, {"exists": rng.random() < 0.5}]
        )
    if choice == 4:
        return "qualifiers.means", rng.choice([{"contains": "remote"}, {"exists": True}, {"exists": False}])
    if choice == 5:
        return "qualifiers.condition", rng.choice([rng.choice(TEXTS), {"ne": rng.choice(TEXTS)}, {"exists": False}])
    if choice == 6:
        return "speaker", rng.choice([rng.choice(SPEAKERS), {"ne": rng.choice(SPEAKERS)}])
    if choice == 7:
        return "object", rng.choice([rng.choice(OBJECTS), {"exists": rng.random() < 0.5}])
    if choice == 8:
        return "value", rng.choice(["x", 1, True, {"ne": "1"}, {"exists": True}])
    return "topics", {"contains": rng.choice(TOPICS)}


def _predicate(rng: random.Random, names: list[str]) -> dict[str, Any]:
    a, b = rng.sample(names, 2) if len(names) > 1 else (names[0], names[0])

    def field(name: str) -> str:
        return (
            f"{name}.{rng.choice(['subject', 'object', 'qualifiers.place', 'predicate', 'value', 'qualifiers.count'])}"
        )

    def entity(name: str) -> str:
        return f"{name}.{rng.choice(['subject', 'object', 'qualifiers.place', 'speaker'])}"

    single = [
        {"attribution": {"claim": a, "is": rng.sample(["strong", "moderate", "weak", "outlet"], 2)}},
        {
            "attribution": {
                "claim": a,
                "is": ["weak", "moderate"],
                "because": rng.sample(["unnamed", "relayed-twice"], 1),
            }
        },
        {"is-a": {"entity": entity(a), "class": rng.choice(["gc", "g1", "g2", entity(b)])}},
        {
            "within": {
                "place": entity(a),
                "region": rng.choice(["r1", "c1", entity(b)]),
                "answers": rng.sample(["yes", "no", "disputed"], rng.randint(1, 2)),
            }
        },
        {"equal": [field(a), rng.choice([field(b), "f1", 36])]},
        {"not-equal": [field(a), field(b)]},
        {
            "numeric-difference": {
                "left": f"{a}.qualifiers.count",
                "right": rng.choice([f"{b}.qualifiers.count", 36]),
                "more-than": rng.choice([0, 1, 0.5]),
                "rounding": rng.choice(["literal", "as-reported"]),
                "left-is": rng.choice(["either", "lower", "higher"]),
                "more-than-percent": rng.choice([0, 0, 5]),
            }
        },
        {"kindred": [entity(a), rng.choice(["gc", "g2", "t1", entity(b)])]},
        {"apart": [entity(a), rng.choice(["gc", "g2", "r1", "c1", entity(b)])]},
        {"single-valued": [f"{a}.predicate"]},
        {"has-opposite": [f"{a}.predicate"]},
        {"opposite-terms": [f"{a}.predicate", rng.choice([f"{b}.predicate", "operate"])]},
    ]
    pair = [
        {"different-speaker": [a, b]},
        {"same-speaker": [a, b]},
        {"opposite-polarity": [a, b]},
        {"before": rng.choice([[a, b], [f"{a}.when", f"{b}.when"], [f"{a}.said_on", f"{b}.when"]])},
        {"within-days": {"left": rng.choice([a, f"{a}.when"]), "right": b, "days": rng.choice([0, 10, 40])}},
        {"overlaps": rng.choice([[f"{a}.when", f"{b}.when"], [f"{a}.when", b]])},
        {"time-difference": {"left": f"{a}.when", "right": f"{b}.when", "more-than": rng.choice([0, 0, 2, 30])}},
        {"during": [f"{a}.when", f"{b}.when"]},
        {
            "days-apart": {
                "left": rng.choice([a, f"{a}.when"]),
                "right": f"{b}.when",
                "min": rng.choice([-30, 0, 1]),
                "max": rng.choice([0, 40]),
            }
        },
        {
            "differ-in": {
                "left": a,
                "right": b,
                "fields": rng.sample(["object", "value", "polarity", "qualifiers.count"], 2),
            }
        },
        {
            "compatible-in": {
                "left": a,
                "right": b,
                "fields": rng.sample(["object", "value", "qualifiers.count", "qualifiers.place"], 2),
            }
        },
        {"ordered": [a, b]},
        {"counts-agree": [f"{a}.qualifiers.count", rng.choice([f"{b}.qualifiers.count", 36])]},
        {
            "same-in": {
                "left": a,
                "right": b,
                "fields": rng.sample(["object", "value", "polarity", "qualifiers.count", "qualifiers.place"], 2),
            }
        },
    ]
    chosen = rng.choice(single + pair if len(names) > 1 else single)
    return {"not": chosen} if rng.random() < 0.15 else chosen  # `not` turns any built-in round


def generate_rules(rng: random.Random, count: int = 3) -> list[dict[str, Any]]:
    rules = []
    for r in range(count):
        names = ["a", "b", "c"][: rng.choice([1, 2, 2, 3])]
        bindings = {}
        for name in names:
            tests = dict(_field_test(rng) for _ in range(rng.randint(0, 2)))
            bindings[name] = tests
        where = [_predicate(rng, names) for _ in range(rng.randint(0, 3))]
        used = sorted({next(iter(p.get("not", p))) for p in where})
        # a claim whose existence silences a match (`unless`) or lets it stand (`requires`): built-ins over it
        # and a binding
        blocks = {}
        for key, witness in (("unless", "u"), ("requires", "w")):
            if rng.random() < 0.3:
                tests = dict(_field_test(rng) for _ in range(rng.randint(0, 2)))
                blocks[key] = {
                    "bindings": {witness: tests},
                    "where": [_predicate(rng, [witness, rng.choice(names)]) for _ in range(rng.randint(1, 2))],
                }
        message = " / ".join(
            [f"{n}:{{{n}.speaker.name}} {{{n}.qualifiers.count}} {{{n}.reading}}" for n in names]
            + [f"{{why.{u}}}" for u in used]
        )
        rules.append(
            {
                "id": f"gen-{r}",
                "title": "generated",
                "severity": rng.choice(["info", "low", "medium", "high"]),
                "join": rng.choice(
                    [
                        "topic",
                        "topic",
                        "speaker",
                        "subject",
                        "predicate",
                        "qualifiers.condition",
                        ["speaker", "subject"],
                        ["topic", "predicate"],
                        ["qualifiers.condition", "qualifiers.scope"],
                        "predicate-family",
                        ["speaker", "predicate-family"],
                    ]
                ),
                "bindings": bindings,
                "where": where,
                "message": message,
                **blocks,
            }
        )
    return rules


def generate_case(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    return {"seed": seed, "claims": generate_claims(rng), "rules": generate_rules(rng)}


def build(case: dict[str, Any], resolve: bool = True) -> tuple[list[Any], Corpus]:
    """The case's compiled rules (with `under` tests resolved against the vocabulary) and corpus."""
    corpus = Corpus(
        sources={
            "src": Source(id="src", outlet="O", title="T", published="2021-01-01"),
            # a page the outlet o1 publishes: o1 in `via` is the page itself, not a relay
            "src-o1": Source(id="src-o1", outlet="Outlet (from the wire)", title="T", published="2021-01-01"),
        },
        entities={e["id"]: Entity.model_validate(e) for e in ENTITIES},
        claims=ClaimTable(Claim.model_validate(c) for c in case["claims"]),
        vocabulary={t["id"]: Term.model_validate(t) for t in VOCABULARY},
    )
    doc = YamlDocument("<generated>", case["rules"])
    rules = [compile_rule(RuleSpec.model_validate(r), doc, ("rules", i)) for i, r in enumerate(case["rules"])]
    if resolve:
        rules = resolve_terms(rules, corpus.lexicon)
    return rules, corpus


def differences(case: dict[str, Any]) -> list[str]:
    """Empty when both engines give identical tensions (ids, messages, explanations, order)."""
    rules, corpus = build(case)
    durable = [t.model_dump(mode="json") for t in build_tensions(evaluate_durable(rules, corpus), corpus)]
    reference = [t.model_dump(mode="json") for t in build_tensions(evaluate_reference(rules, corpus), corpus)]
    if durable == reference:
        return []
    d = {(t["rule"], tuple(c["claim"] for c in t["claims"])) for t in durable}
    r = {(t["rule"], tuple(c["claim"] for c in t["claims"])) for t in reference}
    return [
        f"durable only: {sorted(d - r)}",
        f"reference only: {sorted(r - d)}",
        "same tuples, different rendering" if d == r else "",
    ]


def save_regression(case: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"case-{case['seed']}.json"
    path.write_text(json.dumps(case, indent=1, ensure_ascii=False))
    return path
