"""One command, side by side on the same generated corpora: factcheck (durable_rules), factcheck
--engine reference, the benchmark pack (benchmarks/pack/v1.yaml, the v1 default pack, frozen) hand-encoded as
DuckDB SQL (the fair baseline: DuckDB's own JSON reader, closures in SQL), and naive durable_rules use (one
session). Checks every variant finds exactly the planted tensions and prints wall time, claims per second, peak
RSS, and time and memory as ratios to the DuckDB baseline at the same size.

    python benchmarks/run.py --sizes 10000 100000 1000000 [--repeat 3] [--naive-max 100000] [--markdown]

With --repeat N each variant runs N times and the median wall time and median peak RSS are reported.

Corpora are generated once into benchmarks/.data/ (seeded, so every machine gets the same ones).
Each variant runs as its own process tree; peak RSS is the largest process of that tree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"


def generate(size: int, noise: float) -> Path:
    folder = DATA / (f"{size}-noise{noise:g}" if noise else str(size))
    if not (folder / "expected.json").exists():
        command = [sys.executable, str(HERE / "generate.py"), "--claims", str(size), "--out", str(folder)]
        subprocess.run([*command, "--noise", str(noise)] if noise else command, check=True)
    return folder


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) of the process tree's largest process, and stdout."""
    script = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(p.stderr)\n"
        "print(json.dumps({'rc': p.returncode, 'rss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
        " 'out': p.stdout}))\n"
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script, *command],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    result = json.loads(proc.stdout.splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result['rc']}):\n{proc.stderr[-2000:]}")
    return elapsed, result["rss"] / 1024, result["out"]


RERUN = "factcheck re-run after appending 1 claim (cache)"
BASELINE = "DuckDB SQL"


def rerun_after_append(folder: Path, command: list[str]) -> tuple[float, float, str]:
    """Run once (keeping the run in the cache), append one claim to a copy of the corpus, and measure
    the second run. The claim repeats a background statement under a new id: the planted set stays."""
    work = Path(tempfile.mkdtemp(prefix="factcheck-rerun-"))
    try:
        for name in ("claims.jsonl", "entities.jsonl", "sources.jsonl", "vocabulary.jsonl", "entities.yaml"):
            if (folder / name).exists():
                shutil.copy(folder / name, work / name)
        command = [work.as_posix() if part == str(folder) else part for part in command]
        command[command.index("--db") + 1] = str(work / "review.db")
        measure(command)
        with (work / "claims.jsonl").open("rb") as handle:
            background = next(line for line in handle if line.startswith(b'{"id": "bg-'))
        item = json.loads(background)
        item["id"] = "bg-appended"
        with (work / "claims.jsonl").open("a") as out:
            out.write(json.dumps(item) + "\n")
        return measure(command)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def found_in_json(text: str) -> list[list[object]]:
    tensions = json.loads(text)["tensions"]  # findings: every supporting tuple is one match
    return sorted([t["rule"], ids] for t in tensions for ids in t.get("support") or [[c["claim"] for c in t["claims"]]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--naive-max", type=int, default=100_000, help="largest size to run naive durable_rules on")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant; medians are reported")
    parser.add_argument(
        "--only",
        nargs="+",
        default=None,
        metavar="WORD",
        help="run only variants whose name contains one of these words (e.g. DuckDB)",
    )
    parser.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="corpora where this fraction of background statements changes position (generate.py --noise): "
        "the expected set is unknown, so every variant must agree with the first",
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        folder = generate(size, args.noise)
        planted = json.loads((folder / "expected.json").read_text())
        expected = sorted(planted) if planted is not None else None
        db = folder / "review.db"
        factcheck = [
            sys.executable,
            "-m",
            "factcheck",
            "run",
            "--claims",
            str(folder),
            "--rules",
            str(HERE / "pack"),
            "--format",
            "json",
            "--db",
            str(db),
        ]
        variants: list[tuple[str, list[str], bool]] = [
            ("factcheck (durable_rules)", factcheck, True),
            (RERUN, factcheck, True),
            ("factcheck --engine reference", [*factcheck, "--engine", "reference"], True),
            (BASELINE, [sys.executable, str(HERE / "duckdb_pack.py"), str(folder)], True),
        ]
        if expected is None:  # a re-run's appended statement may change positions too; naive only counts
            variants = [v for v in variants if v[0] != RERUN]
        if size <= args.naive_max and expected is not None:
            variants.append(
                (
                    "naive durable_rules (one session)",
                    [sys.executable, str(HERE / "naive_durable.py"), str(folder), str(HERE / "pack")],
                    False,
                )
            )
        if args.only:
            variants = [v for v in variants if any(word.lower() in v[0].lower() for word in args.only)]
        measured: list[tuple[str, float, float, str]] = []
        for name, command, full in variants:
            runs = []
            for _ in range(max(1, args.repeat)):
                if db.exists():
                    db.unlink()
                shutil.rmtree(folder / "cache", ignore_errors=True)  # every variant starts cold
                if name == RERUN:
                    runs.append(rerun_after_append(folder, command))
                else:
                    runs.append(measure(command))
                print(f"{size:>9,}  {name:<36} {runs[-1][0]:7.1f} s  {runs[-1][1]:7,.0f} MiB", file=sys.stderr)
            elapsed, rss = median(r[0] for r in runs), median(r[1] for r in runs)
            note = ""
            ok = True
            for _, _, out in runs:
                if full:
                    found = found_in_json(out)
                    expected = found if expected is None else expected  # noisy: the first variant sets the bar
                    ok = ok and found == expected
                    note = "" if planted is not None else f" (agrees: {len(found):,})"
                else:
                    count, lost = (int(x) for x in out.split())
                    ok = ok and count == len(expected or [])
                    note = f" ({lost} facts lost to 32-bit id collisions)" if lost else ""
            print(f"{size:>9,}  {name:<36} exact: {ok}", file=sys.stderr)
            if not ok and full:
                raise SystemExit(f"{name} did not find exactly the {len(expected or [])} expected tensions at {size:,}")
            measured.append((name, elapsed, rss, ("yes" if ok else "NO") + note))
        base = next(((t, m) for name, t, m, _ in measured if name == BASELINE), None)
        for name, elapsed, rss, exact in measured:
            rows.append(
                [
                    f"{size:,}",
                    name,
                    f"{elapsed:.2f}",
                    "" if name == RERUN else f"{size / elapsed:,.0f}",
                    f"{rss:,.0f}",
                    f"{elapsed / base[0]:.2f}x" if base else "",
                    f"{rss / base[1]:.2f}x" if base else "",
                    exact,
                ]
            )
    headers = ["claims", "variant", "wall s", "claims/s", "peak RSS MiB", "time vs DuckDB", "RSS vs DuckDB", "exact"]
    from tabulate import tabulate

    print(tabulate(rows, headers, tablefmt="github" if args.markdown else "simple"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
