"""A pack of compiled rules: every loaded rule checked against the language and lowered, with every
problem of every file reported in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.rule import compile_rule
from factcheck.errors import InputError, InputErrors, Location
from factcheck.language.field_tests import Operator
from factcheck.load.rules import LoadedRules, load_rule_files
from factcheck.load.validation import collect, did_you_mean
from factcheck.load.yaml_document import PathKey, YamlDocument
from factcheck.model.corpus import Corpus
from factcheck.model.entity import Entity
from factcheck.model.vocabulary import Term, Vocabulary


@dataclass
class RulePack:
    rules: list[CompiledRule]  # enabled and disabled, in file order
    documents: dict[str, YamlDocument]
    vocabulary: dict[str, Term] = field(default_factory=dict)  # the general terms the rules name
    test_entities: dict[str, list[tuple[Entity, PathKey]]] = field(default_factory=dict)  # by file

    def lexicon(self, corpus: Corpus) -> Vocabulary:
        """The corpus's terms, and the pack's where the corpus declares none: what `under` tests resolve in."""
        return Vocabulary({**self.vocabulary, **corpus.vocabulary})

    @property
    def enabled(self) -> list[CompiledRule]:
        return [r for r in self.rules if r.spec.enabled]


def compile_rules(loaded: LoadedRules) -> RulePack:
    pack = RulePack([], loaded.documents, loaded.vocabulary, loaded.test_entities)
    errors = list(loaded.errors)
    first_seen: dict[str, Location] = {}
    for source in loaded.rules:
        try:
            rule = compile_rule(source.spec, source.doc, source.path)
        except InputError as exc:
            collect(errors, exc)
            continue
        if rule.id in first_seen:
            collect(
                errors,
                InputError(rule.location, f"duplicate rule id '{rule.id}' (first defined at {first_seen[rule.id]})"),
            )
            continue
        first_seen[rule.id] = rule.location
        pack.rules.append(rule)
    if errors:
        raise InputErrors(errors)
    return pack


def load_rules(paths: list[Path]) -> RulePack:
    """Load and compile the rule files found at `paths` (files or folders)."""
    return compile_rules(load_rule_files(paths))


def check_rule_references(pack: RulePack, corpus: Corpus) -> None:
    """Entity ids a rule names as constants must exist in the corpus, and the terms of its `under` tests in
    the corpus or the pack's vocabulary, or the rule can never match (a typo)."""
    errors = []
    known = {**pack.vocabulary, **corpus.vocabulary}
    for rule in pack.enabled:
        for entity_id, location in rule.entity_constants:
            if entity_id not in corpus.entities:
                hint = did_you_mean(entity_id, list(corpus.entities))
                errors.append(InputError(location, f"rule '{rule.id}': unknown entity '{entity_id}'{hint}"))
        for binding in rule.tested_bindings:
            for test in binding.tests:
                if test.op is Operator.under and test.value not in known:
                    hint = did_you_mean(test.value, list(known)) or "; declare it under 'vocabulary:'"
                    errors.append(InputError(rule.location, f"rule '{rule.id}': unknown term '{test.value}'{hint}"))
    if errors:
        raise InputErrors(errors)
