"""`factcheck run --on MASTER`: durable_rules workers on Spark executors (evaluate/spark.py), here in Spark's
local mode, compared tension by tension with a local run. The Spark tests are defined wherever pyspark and
Java are installed (.ci/run installs both); in CI their absence fails the run. Without them, `--on` must say
what is missing in one line."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import factcheck.evaluate.durable as durable
from conftest import ROOT
from differential import build, generate_case
from factcheck.errors import EngineCrash
from factcheck.evaluate.durable import evaluate_durable
from factcheck.evaluate.workers import LocalWorkers

MISSING = [
    reason
    for reason, present in [
        ("pyspark is not installed (pip install -e '.[spark]')", importlib.util.find_spec("pyspark") is not None),
        (
            "Java is not installed (apt-get install openjdk-17-jre-headless)",
            shutil.which("java") is not None or "JAVA_HOME" in os.environ,
        ),
    ]
    if not present
]
PACK = ROOT / "benchmarks" / "pack"
MASTER = "local[2]"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factcheck", "run", "--no-cache", "--format", "json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )


def test_on_without_pyspark_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Where pyspark cannot be imported (here made so by a stand-in package first on the path), `--on`
    says what to install, in one line, and reports nothing."""
    stand_in = tmp_path / "pyspark"
    stand_in.mkdir()
    (stand_in / "__init__.py").write_text("raise ImportError('no pyspark here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = _run("--rules", str(PACK), "--on", MASTER, env=env)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "factcheck: error: --on needs pyspark, which is not installed; install it with pip install 'factcheck[spark]'"
    ]


# The tests that run Spark are defined where pyspark and Java are installed (`pip install -e '.[spark]'`, Java
# 17), and always in CI, where a missing one then fails the run (.ci/run installs both).
if not MISSING or os.environ.get("CI"):

    @pytest.fixture(scope="module")
    def spark() -> Iterator[object]:
        from factcheck.evaluate.spark import SparkWorkers

        workers = SparkWorkers(MASTER)
        yield workers
        workers.stop()

    def _tensions(rules: list[object], corpus: object, workers: object) -> list[dict[str, object]]:
        from factcheck.tensions.build import build_tensions

        found = evaluate_durable(rules, corpus, workers=workers)  # type: ignore[arg-type]
        return [t.model_dump(mode="json") for t in build_tensions(found, corpus)]  # type: ignore[arg-type]

    def test_spark_executors_find_what_local_workers_find_on_random_cases(
        spark: object, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The differential cases, one partition per session so that a case is spread over several tasks."""
        monkeypatch.setattr(durable, "SESSION_FACTS", 1)
        reached = 0
        for seed in range(12):
            rules, corpus = build(generate_case(seed))
            local = _tensions(rules, corpus, LocalWorkers(1))
            assert _tensions(rules, corpus, spark) == local, seed
            reached += bool(local)
        assert reached >= 3

    def test_a_worker_failing_in_an_executor_is_the_one_line_error_of_a_local_run(
        spark: object, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The worker refuses to end a session whose sentinel cannot fire (B2); on an executor as here, it is
        the same EngineCrash naming the same rule and partition."""
        rules, corpus = build(generate_case(next(s for s in range(50) if _reaches_engine(s))))
        build_ruleset = durable.build_ruleset

        def never_ending(rule: object) -> dict[str, object]:
            ruleset = build_ruleset(rule)  # type: ignore[arg-type]
            return {**ruleset, "end": {"all": [{"m": {"_t": "end"}}, {"n": {"_t": "never"}}]}}

        monkeypatch.setattr(durable, "build_ruleset", never_ending)
        messages = []
        for workers in (LocalWorkers(1), spark):
            with pytest.raises(EngineCrash) as crash:
                evaluate_durable(rules, corpus, workers=workers)  # type: ignore[arg-type]
            messages.append(str(crash.value))
        assert messages[0] == messages[1]
        assert messages[0].startswith(
            "durable_rules failed (the partition's sentinel did not fire; refusing to delete_state (B2)) while evaluating rule"
        )

    def _reaches_engine(seed: int) -> bool:
        rules, corpus = build(generate_case(seed))
        return bool(evaluate_durable(rules, corpus, workers=LocalWorkers(1)))

    def test_run_on_spark_local_mode_reports_the_tensions_of_a_local_run(generated: Path) -> None:
        """The CLI end to end: `--on local[2]` against one local worker, tension by tension."""
        corpus = ["--claims", str(generated), "--rules", str(PACK)]
        local, on_spark = _run(*corpus, "--jobs", "1"), _run(*corpus, "--on", MASTER)
        assert local.returncode == on_spark.returncode == 0, on_spark.stderr
        local_tensions, spark_tensions = (json.loads(r.stdout)["tensions"] for r in (local, on_spark))
        assert len(local_tensions) == 7
        assert spark_tensions == local_tensions
