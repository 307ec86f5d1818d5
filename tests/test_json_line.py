"""JSON Lines refuse a repeated key as YAML does. The fast path decides that by counting ':' against
the fields a line gave (load/json_line.py); this checks the shortcut against a parser that sees every key."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.load.json_line import fast_model
from factcheck.model.claim import Claim

REQUIRED = {
    "id": "c1",
    "speaker": "a",
    "source": "s",
    "said_on": "2021-01-05",
    "quote": "q",
    "quote_kind": "direct",
    "subject": "x",
    "predicate": "p",
}
OPTIONAL: dict[str, Any] = {"object": "o", "note": "n", "topics": ["t"], "status": "planned"}
QUALIFIERS: dict[str, Any] = {"count": 36, "place": "p", "means": ["remote"], "scope": "only", "frequency": "often"}
TEXTS = st.sampled_from(["q", "a: b", r"say \": this", r"x\\", r"\u003a", "::", r"k\": 1, \"k"])  # as written in JSON


class Raw(str):
    """A value already written as JSON."""


def _object(pairs: list[tuple[str, Any]], spaces: list[str]) -> Raw:
    parts = []
    for i, (key, value) in enumerate(pairs):
        encoded = value if isinstance(value, Raw) else json.dumps(value)
        parts.append(f'"{key}"{spaces[i % len(spaces)]}:{spaces[(i + 1) % len(spaces)]}{encoded}')
    return Raw("{" + ", ".join(parts) + "}")


@settings(max_examples=400)
@given(
    extra=st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True),
    qualifiers=st.lists(st.sampled_from(sorted(QUALIFIERS)), unique=True),
    repeat_top=st.lists(st.sampled_from(sorted(REQUIRED)), max_size=2),
    repeat_qualifier=st.lists(st.sampled_from(sorted(QUALIFIERS)), max_size=1),
    quote=TEXTS,
    said_on=st.sampled_from(['"2021-01-05"', '{"date": "2021-01-05"}', '{"date": "2021-01", "approximate": true}']),
    spaces=st.lists(st.sampled_from(["", " ", "\t", "  "]), min_size=1, max_size=3),
)
def test_the_fast_path_refuses_exactly_the_lines_with_a_repeated_key(
    extra: list[str],
    qualifiers: list[str],
    repeat_top: list[str],
    repeat_qualifier: list[str],
    quote: str,
    said_on: str,
    spaces: list[str],
) -> None:
    inner = [(k, QUALIFIERS[k]) for k in qualifiers]
    inner += [(k, QUALIFIERS[k]) for k in repeat_qualifier if k in qualifiers]
    top: list[tuple[str, Any]] = [(k, v) for k, v in REQUIRED.items() if k != "said_on"]
    top += [("said_on", Raw(said_on)), *[(k, OPTIONAL[k]) for k in extra]]
    top = [(k, json.loads(f'"{quote}"') if k == "quote" else v) for k, v in top]
    if inner:
        top.append(("qualifiers", _object(inner, spaces)))
    top += [(k, REQUIRED[k]) for k in repeat_top]
    line = _object(top, spaces).encode()
    repeated = bool(repeat_top) or any(k in qualifiers for k in repeat_qualifier)
    assert (fast_model(Claim, line) is None) == repeated, line
