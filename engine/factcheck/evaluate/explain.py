"""Why a rule did or did not fire: counts per binding and per stage, and for a named tuple of claims
the first condition that rejected it. Uses the reference semantics (the same as both engines)."""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.compile.compiled import CompiledRule, Unless
from factcheck.errors import UsageError
from factcheck.evaluate.builtins import outcome_of
from factcheck.evaluate.field_tests import passes
from factcheck.evaluate.partitions import join_values
from factcheck.evaluate.reference import candidate_tuples
from factcheck.evaluate.terms import Context
from factcheck.evaluate.unless import witness
from factcheck.model.corpus import Corpus


@dataclass
class Explanation:
    rule: CompiledRule
    claims_total: int
    binding_counts: list[tuple[str, str, int]] = field(default_factory=list)  # name, tests, passing
    stages: list[tuple[str, int]] = field(default_factory=list)  # stage, surviving tuples
    verdict: list[str] = field(default_factory=list)  # for a named tuple: each step, up to the first failure


def explain(rule: CompiledRule, corpus: Corpus, named: dict[str, str] | None = None) -> Explanation:
    result = Explanation(rule, len(corpus.claims))
    for binding in rule.bindings:
        passing = sum(1 for c in corpus.claims.values() if all(passes(t, c) for t in binding.tests))
        tests = ", ".join(str(t) for t in binding.tests) or "(no field tests)"
        result.binding_counts.append((binding.name, tests, passing))
    tuples = sorted(candidate_tuples(rule, corpus))
    result.stages.append((_join_stage(rule), len(tuples)))
    for call in rule.predicates:
        survivors = []
        for ids in tuples:
            context = Context(corpus, {n: corpus.claims[i] for n, i in zip(rule.binding_names, ids, strict=True)})
            if outcome_of(call, context).holds:
                survivors.append(ids)
        tuples = survivors
        result.stages.append((f"{call.label} {_args(call.args)}", len(tuples)))
    every = list(corpus.claims.values()) if rule.witnesses else []  # (every claim rebuilt: only when needed)

    def found(block: Unless, ids: tuple[str, ...]) -> bool:
        return witness(rule, block, tuple(corpus.claims[i] for i in ids), corpus, every) is not None

    if rule.unless is not None:
        tuples = [ids for ids in tuples if not found(rule.unless, ids)]
        result.stages.append((f"unless no claim {rule.unless.binding.name} answers it", len(tuples)))
    if rule.requires is not None:
        tuples = [ids for ids in tuples if found(rule.requires, ids)]
        result.stages.append((f"requires a claim {rule.requires.binding.name} that supports it", len(tuples)))
    if named is not None:
        result.verdict = _trace(rule, corpus, named)
    return result


def _join_stage(rule: CompiledRule) -> str:
    if len(rule.bindings) == 1:
        return "field tests"
    return f"field tests + shared {rule.join_label} (distinct claims)"


def _args(args: dict[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {v if not isinstance(v, tuple) else list(v)}" for k, v in args.items()) + "}"


def _trace(rule: CompiledRule, corpus: Corpus, named: dict[str, str]) -> list[str]:
    missing = [n for n in rule.binding_names if n not in named]
    if missing or set(named) - set(rule.binding_names):
        raise UsageError(
            f"name a claim for every binding ({', '.join(rule.binding_names)}), e.g. "
            + " ".join(f"{n}=CLAIM" for n in rule.binding_names)
        )
    unknown = [c for c in named.values() if c not in corpus.claims]
    if unknown:
        raise UsageError(f"no claim '{unknown[0]}' in the corpus")
    claims = {n: corpus.claims[named[n]] for n in rule.binding_names}
    steps: list[str] = []
    for binding in rule.bindings:
        for test in binding.tests:
            if not passes(test, claims[binding.name]):
                return [*steps, f"REJECTED by {binding.name}: {test} (claim '{claims[binding.name].id}')"]
        steps.append(f"ok  {binding.name}={claims[binding.name].id} passes its field tests")
    if len(set(named.values())) != len(named):
        return [*steps, "REJECTED: a claim may fill only one binding"]
    if len(rule.bindings) > 1:
        shared = set(join_values(claims[rule.binding_names[0]], rule.join, corpus.lexicon))
        for name in rule.binding_names[1:]:
            shared &= set(join_values(claims[name], rule.join, corpus.lexicon))
        if not shared:
            return [*steps, f"REJECTED: the claims share no {rule.join_label}"]
        steps.append(f"ok  shared {rule.join_label}: {', '.join(sorted(' + '.join(v) for v in shared))}")
    context = Context(corpus, claims)
    for call in rule.predicates:
        outcome = outcome_of(call, context)
        if not outcome.holds:
            return [*steps, f"REJECTED by {call.label}: {outcome.detail}"]
        steps.append(f"ok  {call.label}: {outcome.detail}")
    bound = tuple(claims[n] for n in rule.binding_names)
    if rule.unless is not None:
        answer = witness(rule, rule.unless, bound, corpus)
        if answer is not None:
            return [*steps, f"SILENCED by unless: claim '{answer.id}' fills {rule.unless.binding.name} and answers it"]
    if rule.requires is not None:
        support = witness(rule, rule.requires, bound, corpus)
        if support is None:
            name = rule.requires.binding.name
            return [*steps, f"SILENCED by requires: no claim fills {name} and supports it"]
        steps.append(f"ok  requires: claim '{support.id}' fills {rule.requires.binding.name} and supports it")
    return [*steps, "FIRES"]
