"""Validate the second half of a large JSON Lines claim file in a forked process while this process
validates the first: pydantic validation is most of the cost of loading a million claims, and the
machine has two cores.

The child only sends back the column values (`row_of`) of the lines it validated, and which lines
those are. It decides nothing: the parent adds the rows, checks ids for duplicates and runs
every other line through the ordinary path, so messages, locations and results are exactly those of
a sequential load. If the child fails in any way, the parent validates that half itself.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from factcheck.load.files import bytes_digest
from factcheck.model.claim import Claim
from factcheck.model.claim_table import Row, row_of

PARALLEL_BYTES = 8 * 2**20  # below this, forking costs more than it saves


def split_point(file: Path, size: int) -> int:
    """A byte offset near the middle of the file just after a line break (`size` when there is none)."""
    with file.open("rb") as handle:
        handle.seek(size // 2)
        while block := handle.read(1 << 16):
            at = block.find(b"\n")
            if at >= 0:
                return handle.tell() - len(block) + at + 1
    return size


@dataclass
class ChildHalf:
    pid: int
    out: Path
    start: int
    end: int

    @classmethod
    def begin(cls, file: Path, start: int, end: int) -> ChildHalf | None:
        if not hasattr(os, "fork"):
            return None
        try:  # no temporary file or no process to spare: this process validates the half itself
            handle, out = tempfile.mkstemp(prefix="factcheck-rows-", suffix=".pickle")
            os.close(handle)
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.unlink(out)
            return None
        if pid == 0:  # the child: never returns, never runs the parent's cleanup
            status = 1
            try:
                _validate(file, start, end, Path(out))
                status = 0
            except BaseException:
                pass
            finally:
                os._exit(status)
        return cls(pid, Path(out), start, end)

    def rows(self, data: bytes) -> list[Row | None] | None:
        """Wait for the child; its rows, one per line of its half, or None if it did not finish or
        read other bytes than `data` (the parent's read of the same half)."""
        try:
            _, status = os.waitpid(self.pid, 0)
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                return None
            with self.out.open("rb") as handle:
                read, valid, columns = pickle.load(handle)
            if read != bytes_digest(data):
                return None
            rows = zip(*columns, strict=True)
            return [next(rows) if ok else None for ok in valid]
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        finally:
            self.out.unlink(missing_ok=True)


def _validate(file: Path, start: int, end: int, out: Path) -> None:
    with file.open("rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    rows: list[Row] = []
    valid = bytearray()
    shared: dict[Any, Any] = {}
    for raw in data.split(b"\n"):
        try:
            rows.append(row_of(Claim.model_validate_json(raw), shared))
            valid.append(1)
        except ValidationError:  # blank lines too
            valid.append(0)
    columns = [list(column) for column in zip(*rows, strict=True)]  # unpickles ~4x faster than rows
    with out.open("wb") as handle:
        pickle.dump((bytes_digest(data), valid, columns), handle, protocol=pickle.HIGHEST_PROTOCOL)
