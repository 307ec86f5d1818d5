"""Load rule files (a top-level `rules:` list) into RuleSpecs with where each stands. Checking them
against the language and lowering them is compile/'s work (compile/pack.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factcheck.errors import InputError, Location
from factcheck.load.files import display_name, yaml_files
from factcheck.load.validation import collect, did_you_mean, require_list, require_mapping, validate
from factcheck.load.yaml_document import PathKey, YamlDocument, read_yaml
from factcheck.model.rule import RuleSpec


@dataclass(frozen=True)
class RuleSource:
    """One rule as written: its validated spec, and the document and path it stands at."""

    spec: RuleSpec
    doc: YamlDocument
    path: PathKey

    @property
    def location(self) -> Location:
        return self.doc.location(self.path)


@dataclass
class LoadedRules:
    rules: list[RuleSource] = field(default_factory=list)  # in file order
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)  # reported with those compiling finds, in one pass


def load_rule_files(paths: list[Path]) -> LoadedRules:
    loaded = LoadedRules()
    for file in yaml_files(paths, "rules"):
        try:
            doc = read_yaml(file, display_name(file))
            loaded.documents[doc.path] = doc
            loaded.rules += rules_in_document(doc, loaded.errors)
        except InputError as exc:
            collect(loaded.errors, exc)
    return loaded


def rules_in_document(doc: YamlDocument, errors: list[InputError]) -> list[RuleSource]:
    if doc.data is None:
        raise doc.error((), "file is empty; a rule file holds a 'rules:' list")
    top = require_mapping(doc, doc.data, (), "a rule file")
    for key in top:
        if key != "rules":
            raise doc.key_error(
                (key,),
                f"unknown top-level key '{key}'{did_you_mean(key, ['rules'])}; a rule file holds a 'rules:' list",
            )
    if "rules" not in top:
        raise doc.error((), "a rule file holds a 'rules:' list")
    sources = []
    for index, item in enumerate(require_list(doc, top["rules"], ("rules",), "rules")):
        path = ("rules", index)
        try:
            label = f"rule '{item['id']}'" if isinstance(item, dict) and isinstance(item.get("id"), str) else "rule"
            require_mapping(doc, item, path, "a rule")
            sources.append(RuleSource(validate(RuleSpec, item, doc, path, label), doc, path))
        except InputError as exc:
            collect(errors, exc)
    return sources
