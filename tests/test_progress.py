"""Progress goes to a terminal's stderr only, and only for runs longer than a few seconds."""

from __future__ import annotations

import io

import pytest

from factcheck.report import progress as progress_module
from factcheck.report.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_after_the_quiet_period(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Terminal()
    monkeypatch.setattr(progress_module, "QUIET_SECONDS", 0.0)
    progress = Progress(stream)
    progress("evaluating 7 rules ...")
    progress.done()
    assert stream.getvalue() == "\r\x1b[Kevaluating 7 rules ...\r\x1b[K"


def test_progress_is_silent_for_quick_runs_and_pipes() -> None:
    quick, pipe = Terminal(), io.StringIO()
    for stream in (quick, pipe):
        progress = Progress(stream)
        progress("loading claims ...")
        progress.done()
    assert quick.getvalue() == pipe.getvalue() == ""
