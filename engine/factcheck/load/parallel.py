"""Validate the second half of a large JSON Lines claim file in a forked process while this process
validates the first: pydantic validation is most of the cost of loading a million claims, and the
machine has two cores.

The child only sends back the column values (`row_of`) of the lines it validated, and which lines
those are, through a pipe, as data (model/encoding.py): nothing is left in a temporary folder, and
nothing read back can run code. It decides nothing: the parent adds the rows, checks ids for duplicates and runs
every other line through the ordinary path, so messages, locations and results are exactly those of
a sequential load. If the child fails in any way, the parent validates that half itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.load.files import bytes_digest
from factcheck.load.json_line import fast_model
from factcheck.model.claim import Claim
from factcheck.model.claim_table import INDEXED_FIELDS, Row, row_of
from factcheck.model.encoding import (
    EncodingError,
    decode_columns,
    encode_columns,
    from_json,
    pack_parts,
    part_named,
    to_json,
    unpack_parts,
)

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
    pipe: int  # the read end; the child writes its rows to the other
    start: int
    end: int

    @classmethod
    def begin(cls, file: Path, start: int, end: int) -> ChildHalf | None:
        if not hasattr(os, "fork"):
            return None
        try:  # no pipe or no process to spare: this process validates the half itself
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
                    out.write(_validate(file, start, end))
                status = 0
            except BaseException:
                pass
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end, start, end)

    def rows(self, data: bytes) -> list[Row | None] | None:
        """Wait for the child; its rows, one per line of its half, or None if it did not finish or
        read other bytes than `data` (the parent's read of the same half)."""
        try:
            with os.fdopen(self.pipe, "rb") as pipe:
                sent = pipe.read()  # before waiting: the child blocks until its message is read
            _, status = os.waitpid(self.pid, 0)
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                return None
            parts = unpack_parts(sent)
            read, valid = from_json(part_named(parts, "read")), part_named(parts, "valid")
            if read != bytes_digest(data):
                return None
            columns = decode_columns(parts, INDEXED_FIELDS, sum(valid))
            rows = zip(*columns.values(), strict=True)
            return [next(rows) if ok else None for ok in valid]
        except (OSError, EncodingError, ValueError, TypeError):
            return None


def _validate(file: Path, start: int, end: int) -> bytes:
    with file.open("rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    rows: list[Row] = []
    valid = bytearray()
    shared: dict[Any, Any] = {}
    for raw in data.split(b"\n"):
        claim = fast_model(Claim, raw)  # None for blank lines too
        if claim is not None:
            rows.append(row_of(claim, shared))
        valid.append(claim is not None)
    columns = dict(zip(INDEXED_FIELDS, map(list, zip(*rows, strict=True)), strict=True)) if rows else {}
    columns = columns or {path: [] for path in INDEXED_FIELDS}
    return pack_parts({"read": to_json(bytes_digest(data)), "valid": bytes(valid), **encode_columns(columns)})
