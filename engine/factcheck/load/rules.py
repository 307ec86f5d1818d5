"""Load rule files (a top-level `rules:` list, and optionally the `vocabulary:` terms the rules name) into
RuleSpecs with where each stands. Checking them against the language and lowering them is compile/'s work
(compile/pack.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factcheck.errors import InputError, Location
from factcheck.load.files import display_name, yaml_files
from factcheck.load.validation import collect, did_you_mean, require_list, require_mapping, validate
from factcheck.load.yaml_document import PathKey, YamlDocument, read_yaml
from factcheck.model.entity import Entity
from factcheck.model.rule import RuleSpec
from factcheck.model.vocabulary import Term

TOP_KEYS = ("rules", "vocabulary", "test_entities")


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
    # The general terms a pack's rules name (`under: present-in`): a corpus that declares none of them is
    # not in error, its claims simply never match; a corpus's own declaration of a term wins.
    vocabulary: dict[str, Term] = field(default_factory=dict)
    # Entities every inline test of a file sees (`test_entities:`), by file, with where each stands.
    test_entities: dict[str, list[tuple[Entity, PathKey]]] = field(default_factory=dict)


def load_rule_files(paths: list[Path]) -> LoadedRules:
    loaded = LoadedRules()
    for file in yaml_files(paths, "rules"):
        try:
            doc = read_yaml(file, display_name(file))
            loaded.documents[doc.path] = doc
            loaded.rules += rules_in_document(doc, loaded.errors)
            _terms_in_document(doc, loaded)
            _test_entities_in_document(doc, loaded)
        except InputError as exc:
            collect(loaded.errors, exc)
    return loaded


def rules_in_document(doc: YamlDocument, errors: list[InputError]) -> list[RuleSource]:
    if doc.data is None:
        raise doc.error((), "file is empty; a rule file holds a 'rules:' list")
    top = require_mapping(doc, doc.data, (), "a rule file")
    for key in top:
        if key not in TOP_KEYS:
            raise doc.key_error(
                (key,),
                f"unknown top-level key '{key}'{did_you_mean(key, list(TOP_KEYS))}; a rule file holds a 'rules:' "
                "list (and optionally 'vocabulary:' and 'test_entities:')",
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


def _terms_in_document(doc: YamlDocument, loaded: LoadedRules) -> None:
    top = doc.data
    if not isinstance(top, dict) or top.get("vocabulary") is None:
        return
    for index, item in enumerate(require_list(doc, top["vocabulary"], ("vocabulary",), "vocabulary")):
        path = ("vocabulary", index)
        try:
            term = validate(Term, item, doc, path, "term")
            known = loaded.vocabulary.get(term.id)
            if known is not None and known != term:
                raise doc.error(path, f"term '{term.id}' is declared twice, differently; keep one declaration")
            loaded.vocabulary[term.id] = term
        except InputError as exc:
            collect(loaded.errors, exc)


def _test_entities_in_document(doc: YamlDocument, loaded: LoadedRules) -> None:
    top = doc.data
    if not isinstance(top, dict) or top.get("test_entities") is None:
        return
    found = loaded.test_entities.setdefault(doc.path, [])
    for index, item in enumerate(require_list(doc, top["test_entities"], ("test_entities",), "test_entities")):
        path = ("test_entities", index)
        try:
            found.append((validate(Entity, item, doc, path, "test entity"), path))
        except InputError as exc:
            collect(loaded.errors, exc)
