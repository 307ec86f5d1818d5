"""Load rule files (a top-level `rules:` list) and check every rule against the language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.rule import compile_rule
from factcheck.errors import InputError, InputErrors, Location
from factcheck.load.files import display_name, yaml_files
from factcheck.load.validation import collect, did_you_mean, require_list, require_mapping, validate
from factcheck.load.yaml_document import YamlDocument, read_yaml
from factcheck.model.corpus import Corpus
from factcheck.model.rule import RuleSpec


@dataclass
class RulePack:
    rules: list[CompiledRule]  # enabled and disabled, in file order
    documents: dict[str, YamlDocument]

    @property
    def enabled(self) -> list[CompiledRule]:
        return [r for r in self.rules if r.spec.enabled]


def load_rules(paths: list[Path]) -> RulePack:
    pack = RulePack([], {})
    errors: list[InputError] = []
    first_seen: dict[str, Location] = {}
    for file in yaml_files(paths, "rules"):
        try:
            doc = read_yaml(file, display_name(file))
            pack.documents[doc.path] = doc
            for rule in rules_in_document(doc, errors):
                if rule.id in first_seen:
                    collect(
                        errors,
                        InputError(
                            rule.location, f"duplicate rule id '{rule.id}' (first defined at {first_seen[rule.id]})"
                        ),
                    )
                    continue
                first_seen[rule.id] = rule.location
                pack.rules.append(rule)
        except InputError as exc:
            collect(errors, exc)
    if errors:
        raise InputErrors(errors)
    return pack


def rules_in_document(doc: YamlDocument, errors: list[InputError]) -> list[CompiledRule]:
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
    compiled = []
    for index, item in enumerate(require_list(doc, top["rules"], ("rules",), "rules")):
        path = ("rules", index)
        try:
            label = f"rule '{item['id']}'" if isinstance(item, dict) and isinstance(item.get("id"), str) else "rule"
            require_mapping(doc, item, path, "a rule")
            spec = validate(RuleSpec, item, doc, path, label)
            compiled.append(compile_rule(spec, doc, path))
        except InputError as exc:
            collect(errors, exc)
    return compiled


def check_rule_references(pack: RulePack, corpus: Corpus) -> None:
    """Entity ids a rule names as constants must exist in the corpus, or the rule can never match."""
    errors = []
    for rule in pack.enabled:
        for entity_id, location in rule.entity_constants:
            if entity_id not in corpus.entities:
                hint = did_you_mean(entity_id, list(corpus.entities))
                errors.append(InputError(location, f"rule '{rule.id}': unknown entity '{entity_id}'{hint}"))
    if errors:
        raise InputErrors(errors)
