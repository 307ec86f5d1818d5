"""tests/bad_inputs/: each hostile or broken file next to the exact output and exit code it must give.
`claims-*` files are added to the seed corpus, `rules-*` files replace the rule pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import invoke
from factcheck.compile.pack import compile_rules
from factcheck.errors import InputError, InputErrors
from factcheck.load.corpus import add_document
from factcheck.load.rules import LoadedRules, rules_in_document
from factcheck.load.yaml_document import parse_yaml
from factcheck.model.corpus import Corpus

FOLDER = Path(__file__).parent / "bad_inputs"
CASES = sorted([*FOLDER.glob("*.yaml"), *FOLDER.glob("*.jsonl")])


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40
    assert all(case.with_suffix(".expect").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_input_gives_its_exact_message(case: Path) -> None:
    relative = f"tests/bad_inputs/{case.name}"
    if case.name.startswith("claims-"):
        result = invoke("run", "--claims", "claims", "--claims", relative, "--rules", "rules")
    else:
        result = invoke("run", "--claims", "claims", "--rules", relative)
    expected = case.with_suffix(".expect").read_text(encoding="utf-8").splitlines()
    assert f"exit: {result.exit_code}" == expected[0]
    assert result.output.splitlines() == expected[1:]
    assert "Traceback" not in result.output


YAMLISH = st.text(alphabet=st.sampled_from(list("claims:entities -{}[]&*!|>'\"#\t\n 0123456789abc.~,\\")), max_size=200)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(st.binary(max_size=300), YAMLISH.map(str.encode)))
def test_loaders_never_raise_anything_but_input_errors(raw: bytes) -> None:
    for load in (_load_as_corpus, _load_as_rules):
        try:
            load(raw)
        except (InputError, InputErrors) as exc:
            assert str(exc).startswith("fuzz.yaml:")


def _load_as_corpus(raw: bytes) -> None:
    errors: list[InputError] = []
    add_document(Corpus(), parse_yaml(raw, "fuzz.yaml"), errors)
    if errors:
        raise InputErrors(errors)


def _load_as_rules(raw: bytes) -> None:
    loaded = LoadedRules()
    loaded.rules = rules_in_document(parse_yaml(raw, "fuzz.yaml"), loaded.errors)
    compile_rules(loaded)  # raises InputErrors with every problem found
