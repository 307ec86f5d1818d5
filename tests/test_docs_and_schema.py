"""Every YAML example in the docs works, and the committed JSON Schemas match the models and accept the
repository's own YAML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, invoke
from factcheck.api import Engine
from factcheck.compile.pack import load_rules
from factcheck.errors import InputError
from factcheck.evaluate.rule_tests import run_rule_tests
from factcheck.load.corpus import load_corpus
from factcheck.load.workspace import load_workspace
from factcheck.load.yaml_document import parse_yaml, read_yaml
from factcheck.model.schema import corpus_file_schema, rule_file_schema

DOCS = [ROOT / "docs" / "rules.md", ROOT / "README.md"]
BLOCKS = [
    (doc.name, i, block)
    for doc in DOCS
    for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", doc.read_text(), re.S))
]
SEED = load_corpus([ROOT / "claims"])


@pytest.mark.parametrize(("doc", "index", "block"), BLOCKS, ids=[f"{d}-{i}" for d, i, _ in BLOCKS])
def test_yaml_examples_in_the_docs(tmp_path: Path, doc: str, index: int, block: str) -> None:
    data = parse_yaml(block.encode(), f"{doc}#{index}").data
    if block.startswith("# factcheck.yaml"):
        path = tmp_path / "factcheck.yaml"
        path.write_text(block)
        workspace = load_workspace(path)
        workspace.apply([r.spec for r in load_rules([ROOT / "rules"]).rules])
        assert workspace.config.exclude
    elif "rules" in data and all("bindings" in r for r in data["rules"]):
        path = tmp_path / "rules.yaml"
        path.write_text(block)
        pack = load_rules([path])
        if all(r.spec.tests for r in pack.rules):
            results = run_rule_tests(pack, SEED, Engine.reference)
            assert [r.case for r in results if not r.passed and not r.todo] == []
    else:  # a claims example: the README shows fragments, so check the keys against the schema's
        properties = corpus_file_schema()["$defs"]["Claim"]["properties"]
        for claim in data.get("claims", []):
            assert set(claim) <= set(properties)


def test_docs_exercise_rules_of_several_shapes() -> None:
    assert sum("bindings:" in block for _, _, block in BLOCKS) >= 3


@pytest.mark.parametrize(("kind", "make"), [("claims", corpus_file_schema), ("rules", rule_file_schema)])
def test_committed_schema_is_current(kind: str, make) -> None:
    committed = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text())
    assert committed == make(), f"run: factcheck schema {kind} > schema/{kind}.schema.json"
    assert json.loads(invoke("schema", kind).output) == committed


@pytest.mark.parametrize(
    "path", sorted((ROOT / "claims").glob("*.yaml")) + sorted((ROOT / "rules").glob("*.yaml")), ids=lambda p: p.name
)
def test_repository_yaml_follows_its_schema(path: Path) -> None:
    first_line = path.read_text().splitlines()[0]
    kind = "claims" if path.parent.name == "claims" else "rules"
    assert first_line == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text())
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(read_yaml(path).data)]
    assert errors == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads((ROOT / "schema" / "claims.schema.json").read_text())
    bad = {
        "claims": [
            {
                "id": "x",
                "speaker": "a",
                "source": "s",
                "said_on": "Dec. 29",
                "quote": "q",
                "quote_kind": "direct",
                "subject": "b",
                "predicate": "p",
                "polarty": "negated",
            }
        ]
    }
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)]
    assert any("polarty" in m for m in messages)
    with pytest.raises(InputError):
        load_corpus([ROOT / "does-not-exist"])
