"""Entities in JSON Lines vouched for as columns (load/entity_lines.py) against the per-line pydantic loader:
on random entity files, good lines and bad ones mixed, both give the same entities (ids in order, the
entities themselves, where each stands) or the same errors, word for word, in the same order."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import damaged_line
from conftest import load_columns_or_lines as load
from factcheck.load.entity_lines import certify_entities
from factcheck.model.corpus import Corpus
from factcheck.model.entity_table import EntityTable

KINDS = ["person", "group", "place", "state", "Person", "nothing"]


def entity_item(rng: random.Random, number: int) -> dict[str, Any]:
    """An entity that is usually valid, sometimes not in one of many ways; its links name earlier entities
    (so cycles and unknown references happen too)."""

    def earlier() -> str:
        return rng.choice([f"e-{rng.randrange(number + 1)}", f"e-{rng.randrange(number + 2)}", "Bad Ref"])

    item: dict[str, Any] = {
        # a repeated id sends the lines around it the per-line way: rare, so that most lines are vouched for
        "id": rng.choices([f"e-{number}", f"e-{rng.randrange(number + 1)}", "Bad Id"], [96, 2, 2])[0],
        "name": rng.choice(["Name", "Name"] * 4 + ["", "é 中", 3, None]),
        "kind": rng.choice(KINDS[:4] * 3 + KINDS),
    }
    optional: dict[str, list[Any]] = {
        "aliases": [["Alias"], [], ["a", "b"], [None], "Alias", None],
        "role": ["Official", None, 5],
        "affiliation": [earlier(), earlier(), None, 7],
        "is_a": [[earlier()], [], [earlier(), earlier()], [None], earlier(), None],
        "part_of": [
            [earlier()],
            [],
            [{"of": earlier(), "disputed": True, "note": "contested"}],
            [earlier(), {"of": earlier()}],
            [None],
            earlier(),
            None,
        ],
        "note": ["a note", None],
        "unknown": [1],
    }
    for key, choices in optional.items():
        if rng.random() < (0.05 if key == "unknown" else 0.35):
            item[key] = rng.choice(choices)
    return item


# Faults arrow reads without complaint (strings, lists of strings): only the vectorised checks find them.
QUIET_FAULTS: list[tuple[str, Any]] = [
    ("name", ""),
    ("kind", "Person"),
    ("id", "Bad Id"),
    ("affiliation", "Bad Ref"),
    ("part_of", ["place-1", "Bad Ref"]),
    ("aliases", [None]),
    ("is_a", ["e-0", None]),
    ("part_of", [None]),
]


def line_of(rng: random.Random, number: int, bad: bool) -> bytes:
    """A line of a mostly valid file: with `bad`, one line in ten is anything, one in ten has a quiet fault."""
    item = entity_item(rng, number)
    messy = bad and rng.random() < 0.1
    if not messy:
        item.update(id=f"e-{number}", name="Name", kind=rng.choice(KINDS[:4]))
        item.pop("unknown", None)
        for key, value in list(item.items()):
            if value is None or isinstance(value, int) or value in ([None], "Bad Ref") or key == "affiliation":
                item.pop(key)
        for key in ("aliases", "is_a", "part_of"):  # lists of valid links, or nothing
            if isinstance(item.get(key), list):
                item[key] = [v for v in item[key] if v != "Bad Ref" and v != {"of": "Bad Ref"}]
            else:
                item.pop(key, None)
        if bad and rng.random() < 0.1:
            key, value = rng.choice(QUIET_FAULTS)
            item[key] = value
    return damaged_line(rng, item, "Name", rng.random() if messy else 1.0)


def assert_same(a: Corpus | list[str], b: Corpus | list[str]) -> None:
    if isinstance(a, list) or isinstance(b, list):
        assert a == b
        return
    assert list(a.entities) == list(b.entities)
    assert [a.entities[i] for i in a.entities] == [b.entities[i] for i in b.entities]
    assert [str(a.location("entity", i, "name")) for i in a.entities] == [
        str(b.location("entity", i, "name")) for i in b.entities
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 120), bad=st.booleans())
def test_columnar_and_per_line_entity_loaders_agree(
    seed: int, size: int, bad: bool, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("entities")
    lines = [line_of(rng, number, bad) for number in range(size)]
    (folder / "entities.jsonl").write_bytes(b"\n".join(lines) + rng.choice([b"\n", b""]))
    columnar_result = load(folder, True, monkeypatch)
    assert_same(columnar_result, load(folder, False, monkeypatch))


def test_the_columnar_reader_vouches_for_plain_entities(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above would pass with a reader that vouches for nothing: it must vouch for the plain
    lines of a generated gazetteer, and keep them unvalidated until asked for."""
    raws = (generated / "entities.jsonl").read_bytes().rstrip(b"\n").split(b"\n")
    certified = certify_entities(raws)
    assert sum(certified.valid) > 0.95 * len(raws)
    assert len(certified.ids) == sum(certified.valid)
    corpus = load(generated, True, monkeypatch)
    assert isinstance(corpus, Corpus) and isinstance(corpus.entities, EntityTable)
    assert_same(corpus, load(generated, False, monkeypatch))


def test_entities_asked_for_are_validated_then(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        {"id": "place-1", "name": "Place", "kind": "place", "part_of": ["state-1"]},
        {"id": "state-1", "name": "State", "kind": "state"},
        {"id": "group-1", "name": "Group", "kind": "group", "is_a": ["class-1"], "affiliation": "state-1"},
        {"id": "class-1", "name": "Class", "kind": "group"},
    ]
    (tmp_path / "entities.jsonl").write_text("".join(json.dumps(item) + "\n" for item in lines))
    corpus = load(tmp_path, True, monkeypatch)
    assert isinstance(corpus, Corpus) and isinstance(corpus.entities, EntityTable)
    as_object = b"(an object)"
    assert corpus.entities.encoded(lambda entity: as_object) == [json.dumps(item).encode() for item in lines]
    assert corpus.entities.links("is_a") == {"group-1": ["class-1"]}
    assert corpus.entities.links("part_of") == {"place-1": ["state-1"]}
    assert corpus.entities.links("affiliation") == {"group-1": ["state-1"]}
    assert corpus.is_a("group-1", "class-1")
    assert corpus.entities["place-1"].part_of[0].of == "state-1"
    assert str(corpus.location("entity", "class-1", "name")).endswith("entities.jsonl:4:1")
    asked = [as_object, json.dumps(lines[1]).encode(), as_object, json.dumps(lines[3]).encode()]
    assert corpus.entities.encoded(lambda entity: as_object) == asked  # group-1 and place-1 were asked for
    replaced = corpus.entities["class-1"].model_copy(update={"id": "group-1", "is_a": ["place-1"]})
    corpus.entities["group-1"] = replaced  # an entity set as an object: its links are its own
    assert corpus.entities.links("is_a") == {"group-1": ["place-1"]}
    assert corpus.entities.links("affiliation") == {}
