"""The library entry point the CLI and the tests share: load -> compile -> evaluate -> tensions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from factcheck.evaluate.durable import evaluate_durable
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES
from factcheck.evaluate.reference import evaluate_reference
from factcheck.load.corpus import load_corpus
from factcheck.load.rules import RulePack, check_rule_references, load_rules
from factcheck.model.corpus import Corpus
from factcheck.model.tension import Tension
from factcheck.tensions.build import build_tensions


class Engine(StrEnum):
    durable = "durable"
    reference = "reference"


@dataclass
class CheckResult:
    corpus: Corpus
    rules: RulePack
    tensions: list[Tension]


def check(
    claims: list[Path],
    rules: list[Path],
    engine: Engine = Engine.durable,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
) -> CheckResult:
    """Run every enabled rule over the claims. Raises InputErrors for bad input, EngineCrash when the
    durable_rules worker dies (nothing partial is returned)."""
    corpus = load_corpus(claims)
    pack = load_rules(rules)
    check_rule_references(pack, corpus)
    return CheckResult(corpus, pack, evaluate(pack, corpus, engine, max_candidates))


def evaluate(
    pack: RulePack,
    corpus: Corpus,
    engine: Engine = Engine.durable,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
) -> list[Tension]:
    evaluator = evaluate_durable if engine is Engine.durable else evaluate_reference
    return build_tensions(evaluator(pack.enabled, corpus, max_candidates), corpus)


def find_tension(tensions: list[Tension], prefix: str) -> Tension:
    """Resolve a fingerprint prefix like git does: unique prefixes work, others are a clear error."""
    hits = [t for t in tensions if t.id.startswith(prefix.lower())]
    if len(hits) == 1 and prefix:
        return hits[0]
    if not hits or not prefix:
        raise LookupError(f"no tension id starts with '{prefix}'")
    raise LookupError(f"tension id prefix '{prefix}' is ambiguous ({len(hits)} matches); give more characters")
