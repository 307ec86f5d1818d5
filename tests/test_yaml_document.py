"""The YAML layer: positions, and hostile or surprising YAML refused with one clear message."""

from __future__ import annotations

import pytest

from factcheck.errors import InputError
from factcheck.load.yaml_document import parse_yaml


def error_of(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(InputError) as caught:
        parse_yaml(raw, "f.yaml")
    return str(caught.value)


def test_positions_are_recorded_per_value() -> None:
    doc = parse_yaml(b"claims:\n  - id: a\n    said_on: 2020-13-01\n", "f.yaml")
    assert doc.data == {"claims": [{"id": "a", "said_on": "2020-13-01"}]}
    assert str(doc.location(("claims", 0, "said_on"))) == "f.yaml:3:14"
    assert str(doc.location(("claims", 0, "nope"))) == "f.yaml:2:5"


def test_scalars_resolve_predictably() -> None:
    doc = parse_yaml(b"a: yes\nb: no\nc: on\nd: true\ne: 36\nf: 1.5\ng: 2020-12-29\nh: ~\ni: '36'\n", "f.yaml")
    assert doc.data == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": True,
        "e": 36,
        "f": 1.5,
        "g": "2020-12-29",
        "h": None,
        "i": "36",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a'; each key may appear once in a mapping"),
        (
            "a: &x [1]\nb: *x\n",
            "f.yaml:2:1: YAML anchors and aliases (&name / *name) are not supported; repeat the value",
        ),
        (
            "a: !!python/object:os.system {}\n",
            "f.yaml:1:4: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed; remove the tag",
        ),
        ("a: !custom 1\n", "f.yaml:1:4: YAML tag '!custom' is not allowed; remove the tag"),
        ("a:\n\t- 1\n", "f.yaml:2:1: invalid YAML: tab character; indent and separate with spaces, not tabs"),
        ("a: b: c\n", "f.yaml:1:5: invalid YAML: mapping values are not allowed here; quote values that contain ': '"),
        ("a: [1, 2\n", "f.yaml:2:1: invalid YAML: did not find expected ',' or ']'"),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: invalid YAML: more than one document; a file holds one YAML document (remove the '---')",
        ),
        ("<<: {a: 1}\n", "f.yaml:1:1: YAML merge keys (<<) are not supported; repeat the keys"),
    ],
)
def test_refused_yaml(text: str, message: str) -> None:
    assert error_of(text) == message


def test_billion_laughs_is_refused_at_the_first_alias() -> None:
    bomb = "a: &a [x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    assert "anchors and aliases" in error_of(bomb)


def test_non_utf8_is_pointed_at_and_bom_is_accepted() -> None:
    assert error_of(b"a: 1\nb: caf\xe9\n") == "f.yaml:2:7: file is not valid UTF-8; re-save it as UTF-8"
    assert parse_yaml("\ufeffa: 1\n".encode(), "f.yaml").data == {"a": 1}


def test_deep_nesting_and_huge_scalars_are_refused() -> None:
    assert "nests deeper than 64 levels" in error_of("a: " + "[" * 100 + "]" * 100 + "\n")
    assert "longer than 100,000 characters" in error_of("a: " + "x" * 100_001 + "\n")


def test_empty_document_has_no_data() -> None:
    assert parse_yaml(b"", "f.yaml").data is None
    assert parse_yaml(b"# only a comment\n", "f.yaml").data is None
