"""The columnar loader (load/columnar.py) against the per-line pydantic loader: on random JSON Lines
corpora, good lines and bad ones mixed, both give the same claims (ids, columns, where each stands, the
claims rebuilt) or the same errors, word for word, in the same order."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factcheck.load.columnar as columnar
from conftest import damaged_line
from conftest import load_columns_or_lines as load
from factcheck.model.corpus import Corpus

SPEAKERS = ["person-1", "person-2", "russia", "hulusi-akar", "Person-3", "nobody-known", ""]
SUBJECTS = ["group-1", "group-7", "turkish-peacekeepers-p0", "joint-center-p0", "no-such-group"]
PREDICATES = ["visit", "discuss", "enter", "located-in", "Visit", "not-declared"]
DATES = [
    "2021-01-05",
    "2021-02",
    "~2020-12",
    "2020",
    "2021-01-05T08:58+09:00",  # times of one day: each claim keeps its own (dates are shared objects)
    "2021-01-05T08:55",
    "2021-13-01",
    "2021-02-30",
    " 2021-03-04",
    "soon",
    2021,
    "2021-01-05T24:00",
    "2021-01T08:00",
]
TEXTS = [
    "Statement.",
    "a: b",
    'say "no"',
    "back\\slash",
    "é ü 中",
    "null",
    "",
    "tab\there",
    "\u2028",
    "nul\x00",
    "x" * 40,
]
COUNTS: list[Any] = [36, 0, -1, 10**16, 1.5, 36.0, True, "36", {"value": 36}, {"value": 2, "approx": "about"}]


def claim_item(rng: random.Random, number: int) -> dict[str, Any]:
    """A claim that is usually valid, sometimes not in one of many ways."""
    item: dict[str, Any] = {
        "id": rng.choice([f"c-{number}", f"c-{number}", f"c-{number}", f"c-{rng.randrange(number + 1)}", "Bad Id"]),
        "speaker": rng.choice(SPEAKERS[:4] * 3 + SPEAKERS),
        "source": rng.choice(["bench-source"] * 5 + ["nowhere"]),
        "said_on": rng.choice(DATES[:6] * 3 + DATES),
        "quote": rng.choice(TEXTS[:5] * 2 + TEXTS),
        "quote_kind": rng.choice(["direct", "indirect", "paraphrase", "reported-by-outlet", "Direct"]),
        "subject": rng.choice(SUBJECTS[:4] * 3 + SUBJECTS),
        "predicate": rng.choice(PREDICATES[:4] * 3 + PREDICATES),
    }
    optional: dict[str, list[Any]] = {
        "object": ["place-1", "place-2", None, "Place-1", 5],
        "polarity": ["affirmed", "negated", None, "maybe"],
        "status": ["done", "planned", "ongoing", None, "over"],
        "topics": [["topic-1"], ["topic-1", "topic-2"], [], ["topic-1", "topic-1"], [None], "topic-1", None],
        "note": ["a note", None, 3],
        "value": [1, 1.0, "one", True, None],
        "when": ["2021-01-05", {"from": "2021-01"}, None],
        "attribution": [{"via": ["russia"]}, {"unnamed": True}, None],
        "unknown": [1],
    }
    for key, choices in optional.items():
        if rng.random() < (0.05 if key in ("value", "when", "attribution", "unknown") else 0.4):
            item[key] = rng.choice(choices)
    if rng.random() < 0.4:
        qualifiers: dict[str, Any] = {}
        for key, choices in {
            "count": COUNTS,
            "place": ["joint-center-p0", "place-1", None, "Nowhere"],
            "means": [["remote"], [], ["remote", "drones"], [1]],
            "scope": ["only", None],
            "parties": [["russia", "turkey"], ["nobody-known"]],
            "modality": ["urged"],
            "time": ["2021"],
        }.items():
            if rng.random() < (0.05 if key == "time" else 0.35):
                qualifiers[key] = rng.choice(choices)
        item["qualifiers"] = rng.choice([qualifiers, qualifiers, qualifiers, None])
    return item


def line_of(rng: random.Random, number: int) -> bytes:
    return damaged_line(rng, claim_item(rng, number), "Statement", rng.random())


def where(corpus: Corpus, claim_id: str) -> str:
    return str(corpus.location("claim", claim_id, "subject"))


def assert_same(a: Corpus | list[str], b: Corpus | list[str]) -> None:
    if isinstance(a, list) or isinstance(b, list):
        assert a == b
        return
    assert list(a.claims) == list(b.claims)
    assert a.claims.columns == b.claims.columns
    assert [where(a, i) for i in a.claims] == [where(b, i) for i in b.claims]
    assert [a.claims.at(p) for p in range(len(a.claims))] == [b.claims.at(p) for p in range(len(b.claims))]


REFERENCE_FILES = ("entities.jsonl", "sources.jsonl", "vocabulary.jsonl")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 120), bad=st.booleans())
def test_columnar_and_per_line_loaders_agree(
    seed: int,
    size: int,
    bad: bool,
    generated: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("columnar")
    for name in REFERENCE_FILES:
        (folder / name).write_bytes((generated / name).read_bytes())
    if bad:
        lines = [line_of(rng, number) for number in range(size)]
    else:  # mostly valid corpora, so that the claims themselves get compared too
        lines = []
        for number in range(size):
            item = claim_item(random.Random(rng.random()), number)
            item.update(
                id=f"c-{number}",
                speaker="person-1",
                source="bench-source",
                said_on=rng.choice(DATES[:6]),
                quote_kind="direct",
                subject="group-1",
                predicate="visit",
            )
            for key in ("value", "when", "attribution", "unknown", "qualifiers", "object", "note", "polarity"):
                item.pop(key, None)
            item["quote"] = item["quote"] or "q"
            item["topics"] = rng.choice([["topic-1"], ["topic-1", "topic-2"], [], ["topic-2", "topic-2"]])
            item["status"] = rng.choice(["done", "planned", "ongoing"])
            valid: dict[str, Any] = {  # values the columnar reader takes, and some it leaves to pydantic
                "object": rng.choice(["place-1", "place-2", None]),
                "polarity": rng.choice(["affirmed", "negated"]),
                "note": "a note",
                "value": rng.choice([1, 1.5, "one", True]),
                "when": "2021-01-05",
                "qualifiers": {
                    "count": rng.choice([36, 0, {"value": 36}, 2.5]),
                    "place": "place-1",
                    "means": rng.choice([["remote"], []]),
                    "scope": "only",
                    "parties": ["russia", "turkey"],
                },
            }
            for key, value in valid.items():
                if rng.random() < 0.3:
                    item[key] = value
            lines.append(json.dumps(item, ensure_ascii=rng.random() < 0.5).encode())
    (folder / "claims.jsonl").write_bytes(b"\n".join(lines) + rng.choice([b"\n", b""]))
    columnar_result = load(folder, True, monkeypatch)
    assert_same(columnar_result, load(folder, False, monkeypatch))


def test_the_columnar_reader_reads_most_of_a_plain_corpus(generated: Path) -> None:
    """The comparison above would pass with a reader that vouches for nothing: it must vouch for the
    plain lines of a generated corpus."""
    raws = (generated / "claims.jsonl").read_bytes().rstrip(b"\n").split(b"\n")
    certified = columnar.certify(raws, {})
    assert sum(certified.valid) > 0.95 * len(raws)
    assert len(certified.columns["id"]) == sum(certified.valid)


def test_a_large_corpus_loads_the_same_both_ways(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(load(generated, True, monkeypatch), load(generated, False, monkeypatch))


def test_errors_deep_in_a_file_read_as_line_by_line(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    for name in REFERENCE_FILES:
        (folder / name).write_bytes((generated / name).read_bytes())
    lines = (generated / "claims.jsonl").read_text().splitlines()
    lines[2500] = lines[2500].replace('"said_on": "2021-', '"said_on": "2021-13-')  # not a date
    lines[2600] = json.dumps({**json.loads(lines[2600]), "id": json.loads(lines[10])["id"]})  # a duplicate id
    lines[2700] = lines[2700][:-3]  # cut short
    (folder / "claims.jsonl").write_text("\n".join(lines) + "\n")
    errors = load(folder, True, monkeypatch)
    assert errors == load(folder, False, monkeypatch)
    assert isinstance(errors, list) and [e.split(":")[1] for e in errors] == ["2501", "2601", "2701"]
