"""Run the inline tests of rules (`tests:` in a rule, Semgrep's ruleid/ok in spirit): each case gives
claims and the exact tuples that must fire. Test claims may omit the fields below; they see the
workspace's entities and sources."""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.pack import RulePack
from factcheck.errors import InputError, InputErrors
from factcheck.evaluate.engine import Engine, evaluate
from factcheck.evaluate.vocabulary import resolve_terms
from factcheck.load.corpus import check_references
from factcheck.load.validation import validate
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.entity import Entity
from factcheck.model.source import Source

TEST_SOURCE = Source(id="inline-test", outlet="inline test", title="inline rule test", published="2000-01-01")
# A second report, for rules that tell one page from two (`source: inline-test-other`).
OTHER_TEST_SOURCE = Source(
    id="inline-test-other", outlet="other inline test", title="another inline rule test", published="2000-01-01"
)
CLAIM_DEFAULTS = {
    "source": TEST_SOURCE.id,
    "said_on": "2020-01-01",
    "quote": "(inline test claim)",
    "quote_kind": "paraphrase",
    "topics": ["inline-test"],
}

Tuple = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CaseResult:
    rule: str
    case: str
    expected: frozenset[Tuple]
    actual: frozenset[Tuple]
    todo: str | None = None

    @property
    def passed(self) -> bool:
        return self.expected == self.actual

    @property
    def missing(self) -> list[Tuple]:
        return sorted(self.expected - self.actual)

    @property
    def unexpected(self) -> list[Tuple]:
        return sorted(self.actual - self.expected)


def run_rule_tests(pack: RulePack, workspace: Corpus, engine: Engine = Engine.durable) -> list[CaseResult]:
    results = []
    for rule in pack.rules:
        for index, case in enumerate(rule.spec.tests):
            corpus = _case_corpus(pack, rule, index, workspace)
            matches = evaluate(resolve_terms([rule], corpus.lexicon), corpus, engine)
            actual = frozenset(tuple(zip(rule.binding_names, (c.id for c in m.claims), strict=True)) for m in matches)
            expected = frozenset(tuple((name, item[name]) for name in rule.binding_names) for item in case.expect)
            results.append(CaseResult(rule.id, case.name, expected, actual, case.todo))
    return results


def _case_corpus(pack: RulePack, rule: CompiledRule, index: int, workspace: Corpus) -> Corpus:
    doc = pack.documents[rule.location.file]
    case = rule.spec.tests[index]
    path = (*rule.yaml_path, "tests", index)
    corpus = Corpus(
        sources={**workspace.sources, TEST_SOURCE.id: TEST_SOURCE, OTHER_TEST_SOURCE.id: OTHER_TEST_SOURCE},
        entities=dict(workspace.entities),
        vocabulary={**pack.vocabulary, **workspace.vocabulary},
    )
    for entity, where in pack.test_entities.get(doc.path, []):
        corpus.entities[entity.id] = entity
        corpus.origins[f"entity:{entity.id}"] = (doc, where)
    errors: list[InputError] = []
    for i, raw_entity in enumerate(case.entities):
        entity = validate(
            Entity, raw_entity, doc, (*path, "entities", i), f"rule '{rule.id}' test '{case.name}' entity"
        )
        corpus.entities[entity.id] = entity
        corpus.origins[f"entity:{entity.id}"] = (doc, (*path, "entities", i))
    for i, item in enumerate(case.expect):
        if set(item) != set(rule.binding_names):
            errors.append(
                doc.error(
                    (*path, "expect", i),
                    f"rule '{rule.id}' test '{case.name}': each expected "
                    f"tuple names every binding ({', '.join(rule.binding_names)})",
                )
            )
    for i, raw in enumerate(case.claims):
        claim = validate(
            Claim, {**CLAIM_DEFAULTS, **raw}, doc, (*path, "claims", i), f"rule '{rule.id}' test '{case.name}' claim"
        )
        if claim.id in corpus.claims:
            errors.append(doc.error((*path, "claims", i), f"duplicate test claim id '{claim.id}'"))
        corpus.claims.add(claim)
        corpus.origins[f"claim:{claim.id}"] = (doc, (*path, "claims", i))
    check_references(corpus, errors)
    known = set(corpus.claims)
    for i, item in enumerate(case.expect):
        for name, claim_id in item.items():
            if claim_id not in known:
                errors.append(
                    doc.error((*path, "expect", i, name), f"expected claim '{claim_id}' is not among the test's claims")
                )
    if errors:
        raise InputErrors(errors)
    return corpus
