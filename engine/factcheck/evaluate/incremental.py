"""Evaluate again after claims were appended: only the partitions the new claims join are re-run.

A run keeps, per rule, the candidate count and the matches of every partition it planned (RuleState).
When no earlier claim changed and rules, entities and settings are the same (run_cache.py checks
both), a partition without a new claim has the same claims as before, so its matches still hold. A
partition a new claim joins is planned and evaluated again from all its claims, old and new. One-
binding rules have no partitions to speak of: their state is per claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.compile.compiled import CompiledRule
from factcheck.evaluate.durable import run_plans, unique_matches
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS, RuleMatch, confirm, python_side_tests
from factcheck.evaluate.partitions import (
    DEFAULT_MAX_CANDIDATES,
    ClaimIndex,
    Planned,
    check_budget,
    group_claims,
    plan_partitions,
)
from factcheck.evaluate.unless import silence
from factcheck.evaluate.workers import Workers
from factcheck.model.corpus import Corpus

ONE_BINDING = "*"  # the products key of a one-binding rule: its candidates are single claims


class StaleState(Exception):
    """A kept match no longer holds on its claims: the state does not belong to these inputs."""


@dataclass
class RuleState:
    rule_id: str
    products: dict[str, int] = field(default_factory=dict)  # planned partition -> candidate tuples
    matches: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # partition -> matched claim ids


def evaluate_all(
    rules: list[CompiledRule],
    corpus: Corpus,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    max_tensions: int = DEFAULT_MAX_TENSIONS,
    workers: Workers | None = None,
) -> tuple[list[RuleMatch], list[RuleState]]:
    """What evaluate_durable does, also returning the state a later run after appends starts from."""
    index = ClaimIndex(corpus.claims, corpus)
    planned = [plan_partitions(rule, index) for rule in rules]
    for rule, plan in zip(rules, planned, strict=True):
        check_budget(rule, plan, max_candidates)
    found = run_plans(
        rules, index, [[(key, members) for key, members, _ in plan] for plan in planned], max_tensions, workers=workers
    )
    states = []
    for rule, plan, per_key in zip(rules, planned, found, strict=True):
        state = RuleState(rule.id)
        _record(state, rule, plan, per_key)
        states.append(state)
    # the state keeps matches before `unless`: a claim appended later may answer one, or stop answering it
    return silence(rules, unique_matches(found), corpus, index), states


def evaluate_appended(
    rules: list[CompiledRule],
    corpus: Corpus,
    previous: list[RuleState],
    first_new: int,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    max_tensions: int = DEFAULT_MAX_TENSIONS,
    workers: Workers | None = None,
) -> tuple[list[RuleMatch], list[RuleState]]:
    """The result of `evaluate_all` on the whole corpus, given the states of a run over the claims
    before position `first_new`. Raises StaleState if the kept matches do not hold any more."""
    if [s.rule_id for s in previous] != [r.id for r in rules]:
        raise StaleState("the rules differ from the kept run's")
    index = ClaimIndex(corpus.claims, corpus)
    new = list(range(first_new, index.size))
    plans: list[Planned] = []
    states: list[RuleState] = []
    for rule, old in zip(rules, previous, strict=True):
        state = RuleState(rule.id, dict(old.products), {k: list(v) for k, v in old.matches.items()})
        if len(rule.bindings) == 1:
            plan = plan_partitions(rule, index, among=new)
            check_budget(rule, plan, max_candidates, state.products)
        else:
            among, dirty = _affected(rule, index, new)
            plan = plan_partitions(rule, index, among=among, keys=dirty) if dirty else []
            for key in dirty:  # re-planned below, or no longer planned at all
                state.products.pop(key, None)
                state.matches.pop(key, None)
            check_budget(rule, plan, max_candidates, state.products)  # the kept partitions' counts
        plans.append(plan)
        states.append(state)
    # the matches of partitions no new claim joins count toward each rule's limit of tensions
    kept = [{tuple(ids) for tuples in state.matches.values() for ids in tuples} for state in states]
    found = run_plans(
        rules, index, [[(key, members) for key, members, _ in plan] for plan in plans], max_tensions, kept, workers
    )
    for rule, state, plan, per_key in zip(rules, states, plans, found, strict=True):
        _record(state, rule, plan, per_key)
    return silence(rules, _rebuild(rules, corpus, states), corpus, index), states


def _total(plan: Planned) -> int:
    return sum(product for _, _, product in plan)


def _record(state: RuleState, rule: CompiledRule, plan: Planned, per_key: dict[str, list[RuleMatch]]) -> None:
    if len(rule.bindings) == 1:
        state.products[ONE_BINDING] = state.products.get(ONE_BINDING, 0) + _total(plan)
        for matches in per_key.values():
            for match in matches:
                state.matches[match.claims[0].id] = [match.key[1]]
        return
    for key, _, product in plan:
        state.products[key] = product
    for key, matches in per_key.items():
        state.matches[key] = sorted({m.key[1] for m in matches})


def _affected(rule: CompiledRule, index: ClaimIndex, new: list[int]) -> tuple[list[int], set[str]]:
    """The partition keys new claims join, and the positions of every claim (old or new) that may
    belong to one of them: those sharing, field by field, a join value with some new claim."""
    admitted = index.admitted(rule, among=new)
    joining = [p for p in new if any(mask is None or mask[p] for mask in admitted)]
    columns = [(index.join_values(name), name == "topic") for name in rule.join]
    dirty = set(group_claims(joining, columns, 1))
    if not dirty:
        return [], set()
    return index.sharing(rule.join, joining), dirty


def _rebuild(rules: list[CompiledRule], corpus: Corpus, states: list[RuleState]) -> list[RuleMatch]:
    """RuleMatch objects (with what each built-in found) for every kept match, sorted."""
    matches: dict[tuple[str, tuple[str, ...]], RuleMatch] = {}
    corpus.claims.prefetch(i for state in states for tuples in state.matches.values() for ids in tuples for i in ids)
    for rule, state in zip(rules, states, strict=True):
        extra_tests = python_side_tests(rule)
        for tuples in state.matches.values():
            for ids in tuples:
                if (rule.id, tuple(ids)) in matches:
                    continue
                match = confirm(rule, tuple(corpus.claims[i] for i in ids), corpus, extra_tests)
                if match is None:
                    raise StaleState(f"kept match {rule.id} {ids} no longer holds")
                matches[match.key] = match
    return [matches[key] for key in sorted(matches)]
