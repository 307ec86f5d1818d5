"""Text for a terminal: how wide it is, whether it takes colour, and a grid of wrapped cells that fits.

Width: `$COLUMNS` when set, else the terminal's width, else (output piped to a file or a program) a fixed
PIPED_WIDTH, so that piped output is the same bytes wherever it is produced. Colour: only on a terminal,
never with NO_COLOR set (https://no-color.org), never in piped output. Cell text must already be safe
(safe_text.for_terminal): the only escapes in the output are the ones added here.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from factcheck.model.rule import Severity

PIPED_WIDTH = 160  # output to a file or a pipe: wide, and the same wherever it runs
COMPACT_BELOW = 100  # narrower terminals get the compact layout: severity, id, one wrapped column
MIN_WIDTH = 40
GAP = "  "

_SEVERITY_STYLE = {
    Severity.high: "\x1b[1;31m",  # bold red
    Severity.medium: "\x1b[33m",  # yellow
    Severity.low: "\x1b[36m",  # cyan
    Severity.info: "\x1b[2m",  # dim
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


@dataclass(frozen=True)
class Terminal:
    width: int = PIPED_WIDTH
    colour: bool = False

    @classmethod
    def detect(cls, stream: TextIO | None = None) -> Terminal:
        stream = stream or sys.stdout
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):  # a closed or unusual stream is not a terminal
            tty = False
        columns = os.environ.get("COLUMNS", "").strip()
        if columns.isdigit() and int(columns) > 0:
            width = int(columns)
        elif tty:
            width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
        else:
            width = PIPED_WIDTH
        return cls(max(MIN_WIDTH, width), tty and not os.environ.get("NO_COLOR"))

    @property
    def compact(self) -> bool:
        return self.width < COMPACT_BELOW

    def severity(self, text: str, severity: Severity) -> str:
        return f"{_SEVERITY_STYLE[severity]}{text}{_RESET}" if self.colour else text

    def styler(self, severity: Severity) -> Callable[[str], str]:
        """What colours a cell of this severity."""
        return lambda text: self.severity(text, severity)

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.colour and text.strip() else text

    def dim(self, text: str) -> str:
        return f"{_DIM}{text}{_RESET}" if self.colour and text.strip() else text


def wrap(text: str, width: int) -> list[str]:
    """Each line of `text` wrapped to `width` (long words broken: an id or a URL never overflows)."""
    lines: list[str] = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines += textwrap.wrap(
            line,
            max(1, width),
            subsequent_indent=indent if len(indent) < width // 2 else "",
            break_on_hyphens=True,
            drop_whitespace=True,
        ) or [""]
    return lines


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, cut at a word with an ellipsis."""
    return textwrap.shorten(" ".join(text.split()), max(width, 12), placeholder=" …")


Styler = Callable[[str], str]


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    style: Sequence[Styler | None] = ()  # per row: how to colour this column's lines (None: plain)


def grid(columns: list[Column], rows: list[list[str]], terminal: Terminal, gap_rows: bool = True) -> str:
    """A table of wrapped cells, each column at its width; rows separated by a blank line when `gap_rows`
    (multi-line rows read as blocks). The header is bold on a colour terminal."""
    header = GAP.join(c.header.ljust(c.width) for c in columns).rstrip()
    rule = GAP.join("-" * c.width for c in columns)
    out = [terminal.bold(header), terminal.dim(rule)]
    for index, row in enumerate(rows):
        cells = [wrap(cell, column.width) for cell, column in zip(row, columns, strict=True)]
        height = max(len(cell) for cell in cells)
        for line_no in range(height):
            parts = []
            for cell, column in zip(cells, columns, strict=True):
                text = cell[line_no] if line_no < len(cell) else ""
                styler = column.style[index] if index < len(column.style) else None
                padding = " " * (column.width - len(text))
                parts.append((styler(text) if styler and text.strip() else text) + padding)
            out.append(GAP.join(parts).rstrip())
        if gap_rows and index < len(rows) - 1:
            out.append("")
    return "\n".join(out)
