"""Run factcheck's real entry points with one function wrapped, so tests can inject a fault or watch
the durable_rules worker without any test hook in the production code.

    python tests/instrumented.py cli [--pause-in-write S | --crash-worker-at R:P | --log-worker-calls F] -- ARGS
        `factcheck ARGS` (factcheck.cli:main), with:
        --pause-in-write S      a pause of S seconds inside the review store's run transaction, right
                                after its first tension row is written (a kill then lands mid-write)
        --crash-worker-at R:P   the durable_rules worker killed by SIGSEGV as it starts rule R's
                                partition P (session P of rule R, counted from 0)
        --log-worker-calls F    every durable_rules Host method the workers call, appended to F as JSON
                                (with the worker's pid: several workers may share a run)

    python tests/instrumented.py worker [--crash-at R:P | --log-calls F]
        the real worker (factcheck.evaluate.durable_worker:main), as `cli` launches it.

Each wrapper fails loudly when what it wraps is no longer there, so a refactoring cannot turn a fault
test into one that passes without injecting anything.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

WORKER_COMMAND = ["-m", "factcheck.evaluate.durable_worker"]


def pause_in_write(seconds: float) -> None:
    """Every SQLite connection gets a trace callback that sleeps before the statement that follows the
    first `INSERT INTO tensions`: inside the run-recording transaction, with one tension row written."""
    real_connect = sqlite3.connect
    state = {"inserted": False, "paused": False}

    def trace(statement: str) -> None:
        if state["paused"]:
            return
        if state["inserted"]:
            state["paused"] = True
            time.sleep(seconds)
        elif statement.lstrip().upper().startswith("INSERT INTO TENSIONS"):
            state["inserted"] = True

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)
        connection.set_trace_callback(trace)
        return connection

    sqlite3.connect = connect  # type: ignore[assignment]


def redirect_worker(*worker_args: str) -> None:
    """The durable_rules worker is started as `python -m factcheck.evaluate.durable_worker`; start this
    script's `worker` mode instead, with `worker_args`."""
    real_run = subprocess.run

    def run(args: Any, *rest: Any, **kwargs: Any) -> Any:
        command = [str(a) for a in args] if isinstance(args, list | tuple) else [str(args)]
        if command[1:] == WORKER_COMMAND:
            args = [sys.executable, os.path.abspath(__file__), "worker", *worker_args]
        elif any("durable_worker" in part for part in command):
            raise RuntimeError(f"the worker is started another way now ({command}): update tests/instrumented.py")
        return real_run(args, *rest, **kwargs)

    subprocess.run = run  # type: ignore[assignment]


def crash_at(where: str) -> None:
    """SIGSEGV right after the worker announces `{"start": [rule, partition]}` on stdout."""
    from factcheck.evaluate import durable_worker

    emit: Callable[[dict[str, Any]], None] = durable_worker._emit
    rule, partition = (int(part) for part in where.split(":"))

    def emit_then_crash(record: dict[str, Any]) -> None:
        emit(record)
        if record.get("start") == [rule, partition]:
            os.kill(os.getpid(), signal.SIGSEGV)

    durable_worker._emit = emit_then_crash


def log_calls(path: str) -> None:
    """Append each call the worker makes on a durable_rules Host (not the calls Host makes on itself)."""
    from durable.engine import Host

    depth = [0]

    def logged(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            if depth[0] == 0:
                entry: dict[str, Any] = {"call": name, "pid": os.getpid()}
                if name in ("assert_fact", "assert_facts", "retract_fact", "retract_facts", "post", "post_batch"):
                    entry["fact"] = args[1] if len(args) > 1 else kwargs.get("fact", kwargs.get("message"))
                elif name == "delete_state":
                    entry["sid"] = args[1] if len(args) > 1 else kwargs.get("sid")
                elif name == "set_rulesets":  # before the call: set_rulesets mutates its argument
                    entry["rulesets"] = args[0] if args else kwargs.get("ruleset_definitions")
                with open(path, "ab", buffering=0) as log:  # one write per entry (O_APPEND): workers never interleave
                    log.write((json.dumps(entry) + "\n").encode())
            depth[0] += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name, method in list(vars(Host).items()):
        if callable(method) and not name.startswith("_") and name != "get_action":
            setattr(Host, name, logged(name, method))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    cli = modes.add_parser("cli")
    cli.add_argument("--pause-in-write", type=float)
    cli.add_argument("--crash-worker-at")
    cli.add_argument("--log-worker-calls")
    cli.add_argument("args", nargs="*")
    worker = modes.add_parser("worker")
    worker.add_argument("--crash-at")
    worker.add_argument("--log-calls")
    options = parser.parse_args()

    if options.mode == "worker":
        from factcheck.evaluate.durable_worker import main as worker_main

        if options.crash_at:
            crash_at(options.crash_at)
        if options.log_calls:
            log_calls(options.log_calls)
        worker_main()
        return

    if options.pause_in_write is not None:
        pause_in_write(options.pause_in_write)
    if options.crash_worker_at:
        redirect_worker("--crash-at", options.crash_worker_at)
    if options.log_worker_calls:
        redirect_worker("--log-calls", options.log_worker_calls)
    from factcheck.cli import main as cli_main

    cli_main(args=options.args, prog_name="factcheck")


if __name__ == "__main__":
    main()
