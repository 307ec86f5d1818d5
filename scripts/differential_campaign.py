"""Long differential campaign: durable_rules vs the reference evaluator on generated cases.

    python scripts/differential_campaign.py --cases 10000 [--start 0]

Prints progress and a summary; any differing or crashing case is saved to
tests/differential_regressions/ so the test suite replays it from then on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from differential import differences, generate_case, save_regression  # noqa: E402
from factcheck.errors import EngineCrash  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0, help="first seed")
    args = parser.parse_args()
    started = time.monotonic()
    failures = 0
    for seed in range(args.start, args.start + args.cases):
        case = generate_case(seed)
        try:
            problems = differences(case)
        except EngineCrash as exc:
            problems = [f"engine crash: {exc}"]
        if problems:
            failures += 1
            path = save_regression(case, TESTS / "differential_regressions")
            print(f"seed {seed}: DIFFERENT -> {path}: {problems}", flush=True)
        done = seed - args.start + 1
        if done % 500 == 0:
            print(f"{done} cases, {failures} differences, {time.monotonic() - started:.0f} s", flush=True)
    elapsed = time.monotonic() - started
    print(f"campaign: {args.cases} cases from seed {args.start}, {failures} differences, {elapsed:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
