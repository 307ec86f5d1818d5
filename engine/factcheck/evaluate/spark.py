"""Worker processes on Spark executors (`factcheck run --on MASTER`, docs/distributed.md).

The driver plans partitions and packs sessions as a local run does; each job (a share of the sessions)
becomes one Spark task, which runs the durable_rules worker as a child process of the executor's Python
worker (`workers.run_worker`, from the factcheck installed there). So the safe pattern is the one of a local
run, a segfault kills only that child, and the driver confirms the tasks' candidates and takes them in run
order as it does a local run's shares: the same tensions in the same order, or the same one-line EngineCrash.

pyspark is an optional dependency (`pip install 'factcheck[spark]'`) imported only here, only with `--on`."""

from __future__ import annotations

import os
import sys
from typing import Any

from factcheck.errors import EngineCrash, UsageError
from factcheck.evaluate.workers import WorkerOutput, run_worker

APP_NAME = "factcheck"
TASKS_PER_CORE = 2  # tasks differ in cost; more tasks than cores lets a free core take the next one


def _run_task(job: bytes) -> tuple[int, bytes, bytes]:
    output = run_worker(job)
    return output.returncode, output.stdout, output.stderr


class SparkWorkers:
    """Jobs as the tasks of one Spark job. `master` None: the master spark-submit configured."""

    min_job_facts = 1  # the user asked for the cluster: spread even a small run over its executors

    def __init__(self, master: str | None) -> None:
        self.master = master
        self._session: Any = None

    def _spark(self) -> Any:
        if self._session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError:
                raise UsageError(
                    "--on needs pyspark, which is not installed", "install it with pip install 'factcheck[spark]'"
                ) from None
            builder = SparkSession.builder.appName(APP_NAME).config("spark.ui.showConsoleProgress", "false")
            if self.master is not None:
                builder = builder.master(self.master)
            if self.master is not None and self.master.startswith("local"):
                # executors on this machine run this Python, with this factcheck; on a cluster the
                # submit command or spark-defaults.conf names the executors' Python (docs/distributed.md)
                builder = builder.config("spark.pyspark.python", os.environ.get("PYSPARK_PYTHON", sys.executable))
            try:
                self._session = builder.getOrCreate()
            except Exception as exc:  # no Java, a master that does not answer: one line, not a traceback
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise UsageError(
                    f"Spark did not start on {self.master or 'the configured master'} ({reason})",
                    "it needs Java 17 (e.g. apt-get install openjdk-17-jre-headless) and a reachable master",
                ) from None
            self._session.sparkContext.setLogLevel("ERROR")
        return self._session

    @property
    def slots(self) -> int:
        return int(self._spark().sparkContext.defaultParallelism) * TASKS_PER_CORE

    def run(self, jobs: list[bytes]) -> list[WorkerOutput]:
        if not jobs:
            return []
        context = self._spark().sparkContext
        try:
            outputs = context.parallelize(jobs, len(jobs)).map(_run_task).collect()
        except Exception as exc:  # a task Spark gave up on: its executor, not the worker, failed
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineCrash(f"the Spark job evaluating the rules failed ({reason}); nothing was reported") from None
        return [WorkerOutput(code, out, err) for code, out, err in outputs]

    def stop(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
