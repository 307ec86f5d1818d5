"""Where a run's evaluation runs. Its sessions are cut into shares (evaluate/durable.py); each share is
evaluated by its own `python -m factcheck.evaluate.durable_worker` process, so a crash of the C
extension stays in that process (docs/durable_rules.md, 1.5). On this machine (LocalWorkers), up to one
share per core at a time, each also building its facts and confirming its candidates in a forked child
of this process; on Spark executors (evaluate/spark.py), the tasks run the workers and the driver
confirms. Either way the parent takes the results in run order, as those of one serial run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeAlias, TypeVar

from factcheck.errors import UsageError

if TYPE_CHECKING:
    from factcheck.evaluate.spark import SparkWorkers

WORKER_MODULE = "factcheck.evaluate.durable_worker"


@dataclass(frozen=True)
class WorkerOutput:
    """What one worker process gave back: its exit status and its output, unread."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run_worker(job: bytes) -> WorkerOutput:
    """One worker process on this machine, fed one JSON job. Also what a Spark task runs in its executor,
    with the executor's Python and its installed factcheck."""
    proc = subprocess.run([sys.executable, "-m", WORKER_MODULE], input=job, capture_output=True, check=False)
    return WorkerOutput(proc.returncode, proc.stdout, proc.stderr)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A share costs a fork (the pages it touches are copied: ~0.2 s of CPU at 100k claims), a worker start
# (~0.04 s) and a pass over the engine fields; a fact costs ~70 µs to build, evaluate and confirm (measured at
# 100k and 1M claims). 10,000 facts, ~0.7 s of work, is where a share of its own starts to pay.
MIN_JOB_FACTS = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class LocalWorkers:
    """Up to `jobs` shares of a run evaluated at a time on this machine: one in this process, the others
    each in a forked child, which inherits the corpus and the plans, so only its result travels (as
    bytes, through a pipe: data, never pickles). Each share starts its own durable_rules worker."""

    jobs: int = field(default_factory=usable_cores)
    min_job_facts: int = MIN_JOB_FACTS

    @property
    def slots(self) -> int:
        return self.jobs

    def map(self, evaluate: Callable[[T], bytes], shares: list[T]) -> list[bytes]:
        """`evaluate` of every share, in share order. A child that fails in any way (it cannot be
        forked, dies, is killed) has its share evaluated again here: the result never depends on it."""
        # fork only from a single-threaded process (the review page serves from threads): a child of a
        # threaded one may inherit a lock held by another thread, and wait on it forever
        if len(shares) <= 1 or self.jobs == 1 or not hasattr(os, "fork") or threading.active_count() > 1:
            return [evaluate(share) for share in shares]
        children = [_Child.start(evaluate, share) for share in shares[1:]]
        try:
            results = [evaluate(shares[0])]
            for i, (child, share) in enumerate(zip(children, shares[1:], strict=True)):
                sent = child.result() if child is not None else None
                children[i] = None
                results.append(sent if sent is not None else evaluate(share))
        finally:  # this process failed (or was interrupted): no child is left behind
            for child in children:
                if child is not None:
                    child.abandon()
        return results


@dataclass
class _Child:
    pid: int
    pipe: int

    @classmethod
    def start(cls, evaluate: Callable[[T], bytes], share: T) -> _Child | None:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: never returns, never runs the parent's cleanup
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    out.write(evaluate(share))
                status = 0
            except BaseException:
                pass
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def abandon(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.close(self.pipe)
            os.waitpid(self.pid, 0)
        except OSError:
            pass

    def result(self) -> bytes | None:
        try:
            with os.fdopen(self.pipe, "rb") as pipe:
                sent = pipe.read()  # before waiting: the child blocks until its result is read
            _, status = os.waitpid(self.pid, 0)
        except OSError:
            return None
        return sent if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else None


# A child working beside this process is waited for at least this long, and at least as long as it has
# run so far (a busy machine slows it too); past that it is taken to be stuck and the caller does the work.
MIN_BESIDE_WAIT = 30.0


@dataclass
class Beside:
    """Work done in a forked child while this process goes on with other work: both cores of this machine
    busy where the work is independent. The child inherits what the work reads (copy-on-write) and
    writes its result, bytes (data, never pickles), to an anonymous temporary file (no other process can
    open it) that is read when `result` is asked for. Whatever goes wrong in the child (no fork, it dies,
    it is killed or stuck) `result` is None and the caller does the work itself: the child only saves time."""

    pid: int
    out: IO[bytes]
    started: float

    @classmethod
    def start(cls, work: Callable[[], Iterable[bytes | memoryview]], folder: Path | None = None) -> Beside | None:
        """The child doing `work` (its pieces written in order), or None when it cannot be forked here:
        no fork on this system, or other threads (a child of a threaded process may inherit a lock another
        thread holds, and wait on it forever)."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        try:
            out = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (held until `result` or `abandon`)
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            out.close()
            return None
        if pid == 0:  # the child: never returns, never runs the parent's cleanup
            status = 1
            try:
                out.writelines(work())
                out.flush()
                status = 0
            except BaseException:
                pass
            finally:
                os._exit(status)
        return cls(pid, out, time.monotonic())

    def result(self) -> bytes | None:
        """The child's bytes once it has exited well; None if it failed. Either way the child is reaped."""
        try:
            deadline = self.started + max(MIN_BESIDE_WAIT, 2 * (time.monotonic() - self.started))
            delay = 0.001
            while True:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    self.abandon()
                    return None
                time.sleep(delay)
                delay = min(2 * delay, 0.02)
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                return None
            self.out.seek(0)
            return self.out.read()
        except OSError:
            return None
        finally:
            self.out.close()

    def abandon(self) -> None:
        """Stop the child, if it still runs, and reap it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:  # already reaped
            pass
        self.out.close()


def forks_beside(workers: Workers | None) -> bool:
    """Whether a run may use a child beside it: not when asked for one process (`--jobs 1`) or on one core."""
    if isinstance(workers, LocalWorkers):
        return workers.jobs > 1
    return usable_cores() > 1


Workers: TypeAlias = "LocalWorkers | SparkWorkers"

SPARK_MASTERS = ("local", "spark://", "yarn", "k8s://", "mesos://")


def workers_for(on: str | None, jobs: int | None) -> Workers:
    """The workers `--on` and `--jobs` ask for: this machine (no `on`), or a Spark master URL
    (`local[2]`, `spark://host:7077`, `yarn`, `k8s://...`), or `spark` for the master that spark-submit
    or spark-defaults.conf configures. Without `jobs`, one worker per core, for runs large enough to be
    worth it; with `jobs`, up to that many whatever the run's size."""
    if on is None:
        return LocalWorkers() if jobs is None else LocalWorkers(jobs, min_job_facts=1)
    if jobs is not None:
        raise UsageError("--jobs sets worker processes on this machine; with --on the cluster's executors run them")
    if on != "spark" and not on.startswith(SPARK_MASTERS):
        raise UsageError(
            f"--on {on!r} is not a Spark master",
            "give one such as local[2], spark://HOST:7077, yarn or k8s://HOST:PORT, or spark for the one "
            "spark-submit configures (docs/distributed.md)",
        )
    from factcheck.evaluate.spark import SparkWorkers

    return SparkWorkers(None if on == "spark" else on)
