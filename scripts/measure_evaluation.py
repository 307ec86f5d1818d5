"""Time the evaluation phase alone (durable_rules workers and confirmation, after loading and planning) on one
machine, with several `--jobs` and optionally on Spark, and check that every variant finds the same matches.

    python scripts/measure_evaluation.py benchmarks/.data/1000000 --jobs 1 2 --on 'local[2]' --repeat 3

Each run loads the corpus afresh (claims are rebuilt during confirmation as in a real run), plans once, then
times `run_plans`; variants are interleaved and medians printed, with the CPU time of this process and of
its children (workers, forked shares) and the load average, since a shared machine makes wall time noisy.
Without --rules it uses a dense rule (below) that sends ~11% of the benchmark corpora's claims to
durable_rules, where the benchmark pack sends ~0.3%: the workload where evaluation, not loading, is the cost.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DENSE_RULE = """\
rules:
  - id: support-vs-oppose
    title: A subject said to support what another speaker says it opposes, on one topic
    severity: info
    join: subject
    bindings:
      pro: {predicate: support}
      con: {predicate: oppose}
    where:
      - different-speaker: [pro, con]
      - within-days: {left: pro, right: con, days: 0}
    message: "{pro.speaker.name} and {con.speaker.name} disagree about {pro.subject.name}"
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=Path)
    parser.add_argument("--rules", type=Path, default=None, help="rule file or folder (default: the dense rule)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--on", default=None, help="also a Spark master, e.g. local[2]")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as `factcheck run` does (api._no_cycle_collection)

    from factcheck.compile.pack import RulePack, load_rules
    from factcheck.evaluate.durable import run_plans
    from factcheck.evaluate.partitions import ClaimIndex, plan_partitions
    from factcheck.evaluate.vocabulary import resolve_terms
    from factcheck.evaluate.workers import LocalWorkers, Workers
    from factcheck.load.corpus import Undeclared, load_corpus

    rules_path = args.rules
    if rules_path is None:
        rules_path = Path(tempfile.mkdtemp(prefix="factcheck-dense-")) / "dense.yaml"
        rules_path.write_text(DENSE_RULE, encoding="utf-8")
    variants: list[tuple[str, Workers]] = [(f"--jobs {j}", LocalWorkers(j, min_job_facts=1)) for j in args.jobs]
    if args.on:
        from factcheck.evaluate.spark import SparkWorkers

        spark = SparkWorkers(args.on)
        started = time.perf_counter()
        slots = spark.slots  # starts the session: its start-up is not part of each evaluation
        print(f"Spark {args.on} started in {time.perf_counter() - started:.1f} s ({slots} tasks)", file=sys.stderr)
        variants.append((f"--on {args.on}", spark))
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in variants}
    expected: list[Any] | None = None
    for rep in range(args.repeat):
        for name, workers in variants:
            started = time.perf_counter()
            corpus = load_corpus([args.claims], Undeclared.error)
            loaded = time.perf_counter()
            pack = load_rules([rules_path])
            rules = RulePack(resolve_terms(pack.rules, corpus.lexicon), pack.documents).enabled
            index = ClaimIndex(corpus.claims, corpus)
            plans = [[(key, members) for key, members, _ in plan_partitions(rule, index)] for rule in rules]
            planned = time.perf_counter()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = time.process_time()
            found = run_plans(rules, index, plans, max_tensions=10**9, workers=workers)
            wall = time.perf_counter() - planned
            own = time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            kids = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            matches = sorted(m.key for per_rule in found for per_key in per_rule.values() for m in per_key)
            expected = matches if expected is None else expected
            if matches != expected:
                raise SystemExit(f"{name} found other matches than {variants[0][0]}")
            times[name].append((wall, own, kids))
            facts = sum(len(members) for plan in plans for _, members in plan)
            print(
                f"{rep} {name:<16} load {loaded - started:5.1f} s  plan {planned - loaded:4.1f} s  "
                f"({sum(map(len, plans)):,} partitions, {facts:,} facts)  evaluate {wall:5.2f} s  "
                f"CPU here {own:5.2f} s  children {kids:5.2f} s  matches {len(matches):,}  "
                f"load avg {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
            )
            del corpus, index, found
    for name, runs in times.items():
        print(
            f"{name:<16} evaluate median {statistics.median(r[0] for r in runs):.2f} s  "
            f"CPU here {statistics.median(r[1] for r in runs):.2f} s  "
            f"children {statistics.median(r[2] for r in runs):.2f} s  ({len(runs)} runs, same matches)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
