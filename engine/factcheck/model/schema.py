"""JSON Schema of the YAML files, generated from the models so editors and tools validate the same
contract the loader does."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from factcheck.model.claim import Claim
from factcheck.model.entity import Entity
from factcheck.model.rule import RuleSpec
from factcheck.model.source import Source
from factcheck.model.vocabulary import Term


class CorpusFile(BaseModel):
    """A claims file: any of the four sections."""

    model_config = ConfigDict(extra="forbid", title="factcheck claims file")

    sources: list[Source] = []
    entities: list[Entity] = []
    vocabulary: list[Term] = []
    claims: list[Claim] = []


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", title="factcheck rule file")

    rules: list[RuleSpec]
    vocabulary: list[Term] = []  # the general terms the rules name (`under: present-in`)
    test_entities: list[Entity] = []  # entities every inline test in the file sees


def corpus_file_schema() -> dict[str, Any]:
    return CorpusFile.model_json_schema()


def rule_file_schema() -> dict[str, Any]:
    return RuleFile.model_json_schema()
