"""A one-line progress indicator on stderr for long runs: only on a terminal, only after a few seconds,
so pipes, CI logs and quick runs stay clean."""

from __future__ import annotations

import sys
import time
from typing import TextIO

QUIET_SECONDS = 2.0


class Progress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.enabled = self.stream.isatty()
        self.shown = False

    def __call__(self, message: str) -> None:
        if self.enabled and time.monotonic() - self.started >= QUIET_SECONDS:
            self.stream.write(f"\r\x1b[K{message}")
            self.stream.flush()
            self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
