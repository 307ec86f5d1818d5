"""The real review page server for tests: `factcheck serve` in a subprocess on a free port."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def serving(db: Path, cwd: Path, reviewer: str = "page-user", run: bool = False) -> Iterator[str]:
    """Start `factcheck serve --port 0` over `db` (with `run`, after evaluating the claims in `cwd`); yield
    the page's address; stop it with Ctrl-C."""
    env = {**os.environ, "FACTCHECK_DB": str(db), "FACTCHECK_REVIEWER": reviewer}
    proc = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "serve", "--port", "0", "--run" if run else "--no-run"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://\S+/", line)
        if not found:
            proc.kill()
            raise AssertionError(f"the server did not start: {line!r} {proc.communicate(timeout=10)}")
        yield found.group(0)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def chromium() -> str | None:
    """The system Chromium (Debian's `chromium` package), if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_args() -> list[str]:
    # Chromium refuses to run as root with its sandbox; CI runs as root in a throwaway machine
    return ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
