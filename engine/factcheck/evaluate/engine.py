"""The two evaluators of the same rule model, chosen by name: durable_rules (the product) and the
plain-Python reference evaluator (the oracle of the differential tests)."""

from __future__ import annotations

from enum import StrEnum

from factcheck.compile.compiled import CompiledRule
from factcheck.evaluate.durable import evaluate_durable
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS, RuleMatch
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES
from factcheck.evaluate.reference import evaluate_reference
from factcheck.evaluate.workers import Workers
from factcheck.model.corpus import Corpus


class Engine(StrEnum):
    durable = "durable"
    reference = "reference"


def evaluate(
    rules: list[CompiledRule],
    corpus: Corpus,
    engine: Engine = Engine.durable,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    max_tensions: int = DEFAULT_MAX_TENSIONS,
    workers: Workers | None = None,
) -> list[RuleMatch]:
    """`workers`: where durable_rules runs (evaluate/workers.py); the reference evaluator runs here."""
    if engine is Engine.durable:
        return evaluate_durable(rules, corpus, max_candidates, max_tensions, workers)
    return evaluate_reference(rules, corpus, max_candidates, max_tensions)
