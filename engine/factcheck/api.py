"""The library entry point the CLI and the tests share: load -> compile -> evaluate -> tensions."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from factcheck.compile.pack import RulePack, check_rule_references, load_rules
from factcheck.errors import InputError
from factcheck.evaluate.engine import Engine as Engine
from factcheck.evaluate.engine import evaluate
from factcheck.evaluate.incremental import RuleState, StaleState, evaluate_all, evaluate_appended
from factcheck.evaluate.matches import DEFAULT_MAX_TENSIONS, RuleMatch
from factcheck.evaluate.partitions import DEFAULT_MAX_CANDIDATES
from factcheck.evaluate.vocabulary import resolve_terms
from factcheck.evaluate.workers import Workers
from factcheck.load.corpus import Undeclared, check_vocabulary, load_corpus
from factcheck.load.files import CLAIM_SUFFIXES, digest_files, yaml_files
from factcheck.load.workspace import load_workspace
from factcheck.model.corpus import Corpus
from factcheck.model.rule import Severity
from factcheck.model.tension import Tension
from factcheck.review.store import ReviewStore, now
from factcheck.review.verdicts import ReviewState, Standing
from factcheck.run_cache import Appended, RunCache, worth_rewriting
from factcheck.tensions.build import build_tensions, group_findings
from factcheck.tensions.ids import resolve_prefix


class Reuse(StrEnum):
    """What the run cache gave a run."""

    off = "off"  # no cache
    full = "full"  # evaluated everything (and kept it)
    appended = "appended"  # evaluated only the partitions claims appended since the kept run join


@dataclass
class CheckResult:
    corpus: Corpus
    rules: RulePack
    tensions: list[Tension]
    digests: dict[str, str]  # finding id -> digest of its rule and supporting claims (review staleness)
    engine: Engine
    rules_digest: str
    claims_digest: str
    started_at: str
    reuse: Reuse = Reuse.off
    warnings: list[InputError] = field(default_factory=list)  # undeclared terms, with --undeclared warn


def check(
    claims: list[Path],
    rules: list[Path],
    engine: Engine = Engine.durable,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    config: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
    cache_dir: Path | None = None,
    max_tensions: int = DEFAULT_MAX_TENSIONS,
    undeclared: Undeclared = Undeclared.error,
    workers: Workers | None = None,
) -> CheckResult:
    """Run every enabled rule over the claims. Raises InputErrors for bad input, EngineCrash when the
    durable_rules worker dies (nothing partial is returned), an InputError for a rule over
    `max_candidates` candidate tuples or `max_tensions` tensions. With `cache_dir` (durable engine
    only), keep this run there and, when claims were only appended since the kept run, evaluate just
    the partitions the new claims join (run_cache.py). durable_rules runs on `workers` (default: a
    worker process per core here; evaluate/workers.py), with the same result wherever it runs."""
    settings = _Settings(rules, engine, max_candidates, max_tensions, config, progress, undeclared, workers)
    with _no_cycle_collection():
        return _check(claims, settings, cache_dir)


@dataclass(frozen=True)
class _Settings:
    """How one check runs, the same for a kept run's corpus and a full load."""

    rules: list[Path]
    engine: Engine
    max_candidates: int
    max_tensions: int
    config: Path | None
    progress: Callable[[str], None]
    undeclared: Undeclared
    workers: Workers | None


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Loading and evaluating allocate millions of objects and no reference cycles; the cyclic
    collector would walk all of them again and again (~15% of a 100k-claim run). What they leave goes to
    the oldest generation as collection resumes: the first young collection would walk it all (0.4 s at 1M)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # a host program's frozen objects are neither moved nor thawed
            gc.freeze()  # both O(1): every tracked object into the oldest generation, none walked
            gc.unfreeze()
        if enabled:
            gc.enable()


def _check(claims: list[Path], settings: _Settings, cache_dir: Path | None) -> CheckResult:
    started_at = now()
    cache = None
    if cache_dir is not None and settings.engine is Engine.durable:
        key = f"{settings.engine.value} {settings.max_candidates} {settings.undeclared.value}"
        cache = RunCache.open(cache_dir, claims, settings.rules, settings.config, key)
    settings.progress("loading claims ...")
    appended = cache.appended() if cache is not None else None
    digesting = None
    if appended is not None:  # the claims' digest for the review store is taken as the kept run is checked
        claims_digest = appended.claims_digest
    else:  # read beside loading (hashing a large file releases the GIL)
        digesting = ThreadPoolExecutor(max_workers=1)
        claims_digest = digesting.submit(lambda: digest_files(yaml_files(claims, "claims", CLAIM_SUFFIXES))).result
        digesting.shutdown(wait=False)
    if appended is not None:
        try:
            result = _check_corpus(appended.corpus, appended, cache, settings, started_at, claims_digest)
        except Exception:
            if appended.confirmed():
                raise
            result = None  # the files are not what the kept run read: the full run below says what is wrong
        if result is not None:
            return result
    corpus = load_corpus(claims, settings.undeclared)
    if digesting is not None:  # its thread ended (it hashes beside the load): a child may be forked below
        digesting.shutdown()
    # what the run cache keeps of the corpus is encoded in a child process meanwhile (run_cache.py)
    with cache.encoding_beside(corpus, settings.workers) if cache is not None else nullcontext():
        result = _check_corpus(corpus, None, cache, settings, started_at, claims_digest)
    assert result is not None  # None is only for a kept run's corpus
    return result


def _check_corpus(
    corpus: Corpus,
    appended: Appended | None,
    cache: RunCache | None,
    settings: _Settings,
    started_at: str,
    claims_digest: Callable[[], str],
) -> CheckResult | None:
    """The run over a loaded corpus; None when it is a kept run's whose claim files turn out (checked
    beside this run, Appended.confirmed) not to start with the bytes it kept."""
    progress, engine = settings.progress, settings.engine
    warnings = check_vocabulary(corpus) if settings.undeclared is Undeclared.warn else []
    progress(f"loaded {len(corpus.claims):,} claims; checking rules ...")
    pack = load_rules(settings.rules)
    workspace = load_workspace(settings.config)
    workspace.apply([r.spec for r in pack.rules])
    check_rule_references(pack, corpus)
    kept = [r for r in pack.rules if not workspace.excluded_rule(r.id)]
    active = RulePack(resolve_terms(kept, pack.lexicon(corpus)), pack.documents, pack.vocabulary)
    progress(f"evaluating {len(active.enabled)} rules over {len(corpus.claims):,} claims ({engine.value}) ...")
    reuse = Reuse.off
    limits = settings.max_candidates, settings.max_tensions, settings.workers
    if cache is not None:
        matches, states, reuse = _evaluate_kept(active, corpus, appended, *limits)
        if appended is None or reuse is Reuse.full or worth_rewriting(appended.first_new, len(corpus.claims)):
            if appended is not None and not appended.confirmed():
                return None
            cache.save(corpus, states)
    else:
        matches = evaluate(active.enabled, corpus, engine, *limits)
    progress(f"building {len(matches):,} tensions ...")
    findings, digests = group_findings(
        [t for t in build_tensions(matches, corpus) if workspace.keep(t)], corpus, pack.rules
    )
    if appended is not None and not appended.confirmed():  # as late as can be: the check ran beside all this
        return None
    return CheckResult(
        corpus=corpus,
        rules=pack,
        tensions=findings,
        digests=digests,
        engine=engine,
        rules_digest=digest_files(yaml_files(settings.rules, "rules")),
        claims_digest=claims_digest(),
        started_at=started_at,
        reuse=reuse,
        warnings=warnings,
    )


def _evaluate_kept(
    pack: RulePack,
    corpus: Corpus,
    appended: Appended | None,
    max_candidates: int,
    max_tensions: int,
    workers: Workers | None,
) -> tuple[list[RuleMatch], list[RuleState], Reuse]:
    # the limit of tensions needs no place in the cache's settings: the kept matches count toward this
    # run's limit, whatever the kept run's was
    if appended is not None:
        try:
            matches, states = evaluate_appended(
                pack.enabled, corpus, appended.state.rules, appended.first_new, max_candidates, max_tensions, workers
            )
            return matches, states, Reuse.appended
        except StaleState:  # never expected; the full evaluation below is always right
            pass
    matches, states = evaluate_all(pack.enabled, corpus, max_candidates, max_tensions, workers)
    return matches, states, Reuse.full


def record(result: CheckResult, db_path: Path) -> tuple[int, dict[str, ReviewState]]:
    """Record a complete run in the review store; returns the run id and its tensions as recorded (with
    their verdicts), read in the same transaction so that a concurrent run cannot change them."""
    with ReviewStore(db_path) as store:
        return store.record_run(
            result.tensions,
            result.digests,
            result.engine.value,
            result.rules_digest,
            result.claims_digest,
            result.started_at,
        )


def select_tensions(
    tensions: list[Tension], reviews: Mapping[str, ReviewState], min_severity: Severity, new_only: bool = False
) -> list[Tension]:
    """The tensions a report shows: at or above `min_severity`, and with `new_only` those without a verdict."""
    shown = [t for t in tensions if t.severity.rank >= min_severity.rank]
    return [t for t in shown if reviews[t.id].standing is Standing.new] if new_only else shown


def find_tension(tensions: list[Tension], prefix: str) -> Tension:
    """The tension a unique id prefix names (tensions/ids.py)."""
    by_id = {t.id: t for t in tensions}
    return by_id[resolve_prefix(prefix, by_id)]
